"""Spanish word lists the rules read: abbreviations, months, units, currencies, comparisons. Data
only; the rules are in the modules beside this one."""

from __future__ import annotations

from audio_edition.text.normalize.languages.continental import (
    NAME_NEXT,
    NUMBER_NEXT,
    Abbreviation,
    Currency,
    Noun,
)

ABBREVIATIONS = {
    "Sr.": Abbreviation("señor"),
    "Sra.": Abbreviation("señora"),
    "Srta.": Abbreviation("señorita"),
    "Sres.": Abbreviation("señores"),
    "Dr.": Abbreviation("doctor"),
    "Dra.": Abbreviation("doctora"),
    "D.": Abbreviation("don", NAME_NEXT),
    "Dña.": Abbreviation("doña"),
    "Ud.": Abbreviation("usted"),
    "Uds.": Abbreviation("ustedes"),
    "Vd.": Abbreviation("usted"),
    "Vds.": Abbreviation("ustedes"),
    "p. ej.": Abbreviation("por ejemplo"),
    "P. ej.": Abbreviation("Por ejemplo"),
    "etc.": Abbreviation("etcétera", final=True),
    "aprox.": Abbreviation("aproximadamente"),
    "n.º": Abbreviation("número", NUMBER_NEXT),
    "nº": Abbreviation("número", NUMBER_NEXT),
    "N.º": Abbreviation("número", NUMBER_NEXT),
    "núm.": Abbreviation("número", NUMBER_NEXT),
    "pág.": Abbreviation("página", NUMBER_NEXT),
    "págs.": Abbreviation("páginas", NUMBER_NEXT),
    "cap.": Abbreviation("capítulo", NUMBER_NEXT),
    "fig.": Abbreviation("figura", NUMBER_NEXT),
    "vol.": Abbreviation("volumen", NUMBER_NEXT),
    "Avda.": Abbreviation("avenida"),
    "EE. UU.": Abbreviation("Estados Unidos", final=True),
    "a. C.": Abbreviation("antes de Cristo", final=True),
    "d. C.": Abbreviation("después de Cristo", final=True),
    "tel.": Abbreviation("teléfono"),
    "Tel.": Abbreviation("Teléfono"),
}
"""Abbreviations, matched as written (a space after an inner period may be missing)."""

NOT_NAMES = frozenset(
    """a adiós al ante antes aquel aquella aquí allí así ayer bajo como con contra cuando de del
    desde después donde durante e el él ella ellas ellos en entonces entre ese esa este esta
    estimada estimado gracias hacia hasta hola hoy la las los luego mañana mi mis no nuestra
    nuestro o para pero por querida querido según si sí sin sobre su sus también tras tu tus u
    un una usted y ya yo""".split()  # noqa: SIM905
)
"""Capitalised words before "D." that are no first name ("Según D. Pedro"; "Franklin D.
Roosevelt" is a middle initial)."""

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

UNITS = {
    "km": Noun("kilómetro", "kilómetros"),
    "m": Noun("metro", "metros"),
    "cm": Noun("centímetro", "centímetros"),
    "mm": Noun("milímetro", "milímetros"),
    "km²": Noun("kilómetro cuadrado", "kilómetros cuadrados"),
    "m²": Noun("metro cuadrado", "metros cuadrados"),
    "m³": Noun("metro cúbico", "metros cúbicos"),
    "kg": Noun("kilogramo", "kilogramos"),
    "g": Noun("gramo", "gramos"),
    "mg": Noun("miligramo", "miligramos"),
    "t": Noun("tonelada", "toneladas", feminine=True),
    "l": Noun("litro", "litros"),
    "L": Noun("litro", "litros"),
    "ml": Noun("mililitro", "mililitros"),
    "km/h": Noun("kilómetro por hora", "kilómetros por hora"),
    "h": Noun("hora", "horas", feminine=True),
    "min": Noun("minuto", "minutos"),
    "kWh": Noun("kilovatio hora", "kilovatios hora"),
    "%": Noun("por ciento", "por ciento"),
    "°C": Noun("grado Celsius", "grados Celsius"),
    "°": Noun("grado", "grados"),
}
"""Units after a number."""

_EURO, _DOLLAR, _POUND, _YEN, _FRANC = (
    Currency(Noun("euro", "euros"), Noun("céntimo", "céntimos")),
    Currency(Noun("dólar", "dólares"), Noun("centavo", "centavos")),
    Currency(Noun("libra", "libras", feminine=True), Noun("penique", "peniques")),
    Currency(Noun("yen", "yenes"), Noun("sen", "sen")),
    Currency(Noun("franco suizo", "francos suizos"), Noun("céntimo", "céntimos")),
)
CURRENCIES = {
    **dict.fromkeys(("€", "EUR", "euros", "euro"), _EURO),
    **dict.fromkeys(("$", "USD", "dólares", "dólar"), _DOLLAR),
    **dict.fromkeys(("£", "GBP"), _POUND),
    **dict.fromkeys(("¥", "JPY"), _YEN),
    "CHF": _FRANC,
}

COMPARISONS = {
    "<": "menor que",
    ">": "mayor que",
    "<=": "menor o igual que",
    ">=": "mayor o igual que",
}

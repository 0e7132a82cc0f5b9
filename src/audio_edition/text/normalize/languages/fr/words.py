"""French word lists the rules read: abbreviations, months, units, currencies, comparisons. Data
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
    "M.": Abbreviation("Monsieur", NAME_NEXT),
    "MM.": Abbreviation("Messieurs", NAME_NEXT),
    "Mme": Abbreviation("Madame"),
    "Mmes": Abbreviation("Mesdames"),
    "Mlle": Abbreviation("Mademoiselle"),
    "Mlles": Abbreviation("Mesdemoiselles"),
    "Dr": Abbreviation("Docteur", NAME_NEXT),
    "Dr.": Abbreviation("Docteur", NAME_NEXT),
    "Pr": Abbreviation("Professeur", NAME_NEXT),
    "St": Abbreviation("Saint", r"[- ][A-Z]"),
    "Ste": Abbreviation("Sainte", r"[- ][A-Z]"),
    "etc.": Abbreviation("etcétéra", final=True),  # the 1990 spelling, which eSpeak NG reads right
    "p. ex.": Abbreviation("par exemple"),
    "P. ex.": Abbreviation("Par exemple"),
    "c.-à-d.": Abbreviation("c'est-à-dire"),
    "env.": Abbreviation("environ"),
    "cf.": Abbreviation("voir"),  # eSpeak NG reads "confer" as "confé"
    "p.": Abbreviation("page", NUMBER_NEXT),
    "pp.": Abbreviation("pages", NUMBER_NEXT),
    "chap.": Abbreviation("chapitre", NUMBER_NEXT),
    "fig.": Abbreviation("figure", NUMBER_NEXT),
    "vol.": Abbreviation("volume", NUMBER_NEXT),
    "av. J.-C.": Abbreviation("avant Jésus-Christ", final=True),
    "apr. J.-C.": Abbreviation("après Jésus-Christ", final=True),
    "n°": Abbreviation("numéro", NUMBER_NEXT),
    "nº": Abbreviation("numéro", NUMBER_NEXT),
    "N°": Abbreviation("numéro", NUMBER_NEXT),
    "No.": Abbreviation("numéro", NUMBER_NEXT),
    "tél.": Abbreviation("téléphone"),
    "Tél.": Abbreviation("Téléphone"),
}
"""Abbreviations, matched as written (a space after an inner period may be missing)."""

NOT_NAMES = frozenset(
    """à alors après au aussi aux avant avec bonjour bonsoir car ce ces cet cette chez cher chère
    comme contre dans de depuis des devant donc du elle elles en enfin ensuite entre et hier il
    ils je la le les leur lorsque ma mais malgré merci mes mon ni nos notre nous on or ou où
    oui par parmi pendant pour puis quand que sa salut sans selon ses si son sous sur ta tes
    ton tu un une vers voici voilà vos votre vous""".split()  # noqa: SIM905
)
"""Capitalised words before "M." that are no first name ("Selon M. Dupont"; "Jean M. Dupont"
is a middle initial)."""

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

UNITS = {
    "km": Noun("kilomètre", "kilomètres"),
    "m": Noun("mètre", "mètres"),
    "cm": Noun("centimètre", "centimètres"),
    "mm": Noun("millimètre", "millimètres"),
    "km²": Noun("kilomètre carré", "kilomètres carrés"),
    "m²": Noun("mètre carré", "mètres carrés"),
    "m³": Noun("mètre cube", "mètres cubes"),
    "kg": Noun("kilogramme", "kilogrammes"),
    "g": Noun("gramme", "grammes"),
    "mg": Noun("milligramme", "milligrammes"),
    "t": Noun("tonne", "tonnes", feminine=True),
    "l": Noun("litre", "litres"),
    "L": Noun("litre", "litres"),
    "ml": Noun("millilitre", "millilitres"),
    "mL": Noun("millilitre", "millilitres"),
    "km/h": Noun("kilomètre à l'heure", "kilomètres à l'heure"),
    "min": Noun("minute", "minutes", feminine=True),
    "kWh": Noun("kilowattheure", "kilowattheures"),
    "%": Noun("pour cent", "pour cent"),
    "°C": Noun("degré Celsius", "degrés Celsius"),
    "°": Noun("degré", "degrés"),
}
"""Units after a number ("h" is read with the clock: "2 h" is "deux heures")."""

_EURO, _DOLLAR, _POUND, _YEN, _FRANC = (
    Currency(Noun("euro", "euros"), Noun("centime", "centimes")),
    Currency(Noun("dollar", "dollars"), Noun("cent", "cents")),
    Currency(Noun("livre", "livres", feminine=True), Noun("penny", "pence")),
    Currency(Noun("yen", "yens"), Noun("sen", "sens")),
    Currency(Noun("franc", "francs"), Noun("centime", "centimes")),  # "CHF": said as in Switzerland
)
CURRENCIES = {
    **dict.fromkeys(("€", "EUR", "euros", "euro"), _EURO),
    **dict.fromkeys(("$", "USD", "dollars", "dollar"), _DOLLAR),
    **dict.fromkeys(("£", "GBP"), _POUND),
    **dict.fromkeys(("¥", "JPY"), _YEN),
    "CHF": _FRANC,
}

COMPARISONS = {
    "<": "inférieur à",
    ">": "supérieur à",
    "<=": "inférieur ou égal à",
    ">=": "supérieur ou égal à",
}

"""German word lists the rules read: abbreviations, months, units, currencies, comparisons. Data
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
    "z. B.": Abbreviation("zum Beispiel"),
    "Z. B.": Abbreviation("Zum Beispiel"),
    "d. h.": Abbreviation("das heißt"),
    "D. h.": Abbreviation("Das heißt"),
    "u. a.": Abbreviation("unter anderem"),
    "U. a.": Abbreviation("Unter anderem"),
    "z. T.": Abbreviation("zum Teil"),
    "u. Ä.": Abbreviation("und Ähnliches", final=True),
    "usw.": Abbreviation("und so weiter", final=True),
    "etc.": Abbreviation("et zetera", final=True),  # eSpeak NG says "cetera" with a k
    "bzw.": Abbreviation("beziehungsweise"),
    "ca.": Abbreviation("zirka"),  # eSpeak NG reads "circa" with a k
    "Ca.": Abbreviation("Zirka"),
    "vgl.": Abbreviation("vergleiche"),
    "Vgl.": Abbreviation("Vergleiche"),
    "ggf.": Abbreviation("gegebenenfalls"),
    "evtl.": Abbreviation("eventuell"),
    "inkl.": Abbreviation("inklusive"),
    "bspw.": Abbreviation("beispielsweise"),
    "Nr.": Abbreviation("Nummer", NUMBER_NEXT),
    "S.": Abbreviation("Seite", NUMBER_NEXT),
    "Kap.": Abbreviation("Kapitel", NUMBER_NEXT),
    "Abb.": Abbreviation("Abbildung", NUMBER_NEXT),
    "Bd.": Abbreviation("Band", NUMBER_NEXT),
    "Dr.": Abbreviation("Doktor"),
    "Prof.": Abbreviation("Professor"),
    "Hr.": Abbreviation("Herr", NAME_NEXT),
    "Hrn.": Abbreviation("Herrn", NAME_NEXT),
    "Fr.": Abbreviation("Frau", NAME_NEXT),
    "Str.": Abbreviation("Straße"),
    "Tel.": Abbreviation("Telefon"),
    "Jh.": Abbreviation("Jahrhundert"),
    "Mio.": Abbreviation("Millionen"),
    "Mrd.": Abbreviation("Milliarden"),
}
"""Abbreviations, matched as written (a space after an inner period may be missing)."""

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
MONTH_ABBREVIATIONS = {
    "Jan.": "Januar",
    "Feb.": "Februar",
    "Febr.": "Februar",
    "Apr.": "April",
    "Aug.": "August",
    "Sept.": "September",
    "Sep.": "September",
    "Okt.": "Oktober",
    "Nov.": "November",
    "Dez.": "Dezember",
}
MONTH_WORDS = {**{month: month for month in (*MONTHS, "Jänner")}, **MONTH_ABBREVIATIONS}
"""A month as written (Austrian "Jänner" too) -> as said."""

ORDINAL_ENDINGS = {
    **dict.fromkeys(("der", "die", "das"), ""),
    **dict.fromkeys(("dem", "den", "des", "am", "im", "vom", "zum", "zur", "beim", "bis"), "n"),
    **dict.fromkeys(("ab", "seit"), "m"),
}
"""The ending of an ordinal ("erste" + it) after these words: "am dritten Oktober", "der
dritte Platz", "seit erstem Mai"; with none of them, a date's is "r" ("erster Mai")."""
BEFORE_MONTHS_ONLY = frozenset({"bis", "ab", "seit"})
"""Prepositions after which a number with a period is an ordinal only before a month or in a
date ("bis 17. Mai", "bis siebzehnten Mai"; "bis 17. Anschließend ..." ends a sentence)."""

PART_WORDS = frozenset(
    """Abbildung Abschnitt Akt Anhang Artikel Auflage Ausgabe Band Buch Bände Episode Folge Gruppe
    Heft Jahrgang Kapitel Klasse Lektion Level Liga Nummer Paragraf Paragraph Phase Runde Satz
    Seite Staffel Stufe Szene Tabelle Tafel Teil Titel Vers""".split()  # noqa: SIM905
)
"""Words that number parts: a roman numeral after one is a cardinal ("Teil II", "Teil zwei";
"Kapitel IV", "Kapitel vier"), not a ruler's number."""

FEMININE_NOUNS = frozenset(
    """Banane Billion Birne Dose Familie Flasche Frage Frau Gruppe Idee Karte Katze Kerze Kiste
    Klasse Krone Kuh Küche Lampe Mark Milliarde Million Minute Mutter Nacht Person Pizza
    Portion Prise Runde Sache Scheibe Schule Schwester Seite Sekunde Sorte Stadt Stelle
    Straße Stunde Tablette Tasche Tasse Tochter Tonne Tür Woche Zeile Zitrone Zwiebel""".split()  # noqa: SIM905
)
"""Feminine nouns a number may count: "1" before one is "eine" ("1 Woche", "eine Woche")."""

SENTENCE_STARTERS = frozenset(
    """aber also alle als am auch auf bei da dabei daher damit danach dann das dass dein deine
    dem den denn der des deshalb dich die dies diese dieser dieses doch dort du ein eine einer
    endlich er es gestern heute hier ich ihr ihre im in jede jeder jetzt kein keine man mein
    meine mit morgen nach nichts niemand noch nun nur oder ohne plötzlich schon sein seine sie
    so später trotzdem um und unser vor was weil wenn wer wie wir wo zu zuerst""".split()  # noqa: SIM905
)
"""Words (lower case) that start a sentence and are not a noun an ordinal counts: after "bis
12." they start a new sentence ("Wir zählten bis 12. Danach ..."), not "bis zwölften"."""

UNITS = {
    "km": Noun("Kilometer", "Kilometer"),
    "m": Noun("Meter", "Meter"),
    "cm": Noun("Zentimeter", "Zentimeter"),
    "mm": Noun("Millimeter", "Millimeter"),
    "km²": Noun("Quadratkilometer", "Quadratkilometer"),
    "m²": Noun("Quadratmeter", "Quadratmeter"),
    "m³": Noun("Kubikmeter", "Kubikmeter"),
    "kg": Noun("Kilogramm", "Kilogramm"),
    "g": Noun("Gramm", "Gramm"),
    "mg": Noun("Milligramm", "Milligramm"),
    "t": Noun("Tonne", "Tonnen", feminine=True),
    "l": Noun("Liter", "Liter"),
    "ml": Noun("Milliliter", "Milliliter"),
    "km/h": Noun("Kilometer pro Stunde", "Kilometer pro Stunde"),
    "h": Noun("Stunde", "Stunden", feminine=True),
    "min": Noun("Minute", "Minuten", feminine=True),
    "Std.": Noun("Stunde", "Stunden", feminine=True),
    "Min.": Noun("Minute", "Minuten", feminine=True),
    "Sek.": Noun("Sekunde", "Sekunden", feminine=True),
    "kWh": Noun("Kilowattstunde", "Kilowattstunden", feminine=True),
    "%": Noun("Prozent", "Prozent"),
    "°C": Noun("Grad Celsius", "Grad Celsius"),
    "°": Noun("Grad", "Grad"),
}
"""Units after a number (German units of measure do not change in the plural)."""

_EURO, _DOLLAR, _POUND, _YEN, _FRANC = (
    Currency(Noun("Euro", "Euro"), Noun("Cent", "Cent")),
    Currency(Noun("Dollar", "Dollar"), Noun("Cent", "Cent")),
    Currency(Noun("Pfund", "Pfund"), Noun("Penny", "Pence")),
    Currency(Noun("Yen", "Yen"), Noun("Sen", "Sen")),
    Currency(Noun("Franken", "Franken"), Noun("Rappen", "Rappen")),
)
CURRENCIES = {
    **dict.fromkeys(("€", "EUR", "Euro"), _EURO),
    **dict.fromkeys(("$", "USD", "Dollar"), _DOLLAR),
    **dict.fromkeys(("£", "GBP", "Pfund"), _POUND),
    **dict.fromkeys(("¥", "JPY", "Yen"), _YEN),
    "CHF": _FRANC,
}

COMPARISONS = {
    "<": "kleiner als",
    ">": "größer als",
    "<=": "kleiner oder gleich",
    ">=": "größer oder gleich",
}

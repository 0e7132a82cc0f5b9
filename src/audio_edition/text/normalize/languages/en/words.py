"""English word lists the rules read: abbreviations, months, currencies, units, monarchs' names and
the words that tell a number's kind. Data only; the rules are in the modules beside this one."""

from __future__ import annotations

from typing import NamedTuple

ABBREVIATIONS: dict[str, str] = {
    "Dr.": "Doctor",
    "Mr.": "Mister",
    "Mrs.": "Missus",
    "Ms.": "Miz",
    "Prof.": "Professor",
    "Jr.": "Junior",
    "Sr.": "Senior",
    "Mt.": "Mount",
    "approx.": "approximately",
    "e.g.": "for example",
    "e.g": "for example",
    "E.g.": "For example",
    "i.e.": "that is",
    "i.e": "that is",
    "I.e.": "That is",
    "etc.": "et cetera",
    "Etc.": "Et cetera",
    "vs.": "versus",
    "vs": "versus",
}
"""Abbreviations, matched as written (case-sensitive), wherever they stand ("Dr." after a street's
name is "Drive", see `STREETS`)."""
BEFORE_NUMBER = {"p.": "page", "pp.": "pages", "Ch.": "chapter", "ch.": "chapter",
                 "Fig.": "figure", "fig.": "figure", "Figs.": "figures", "figs.": "figures",
                 "Vol.": "volume", "vol.": "volume", "No.": "number", "Nos.": "numbers",
                 "Tel.": "telephone", "tel.": "telephone"}  # fmt: skip
"""Abbreviations read only before a number ("p. 12" is "page twelve", "Vol. IV" "volume four");
"No." only in capitals, since "no." ends a sentence in prose ("I said no. 5 people came")."""
BEFORE_DIGITS = {"ext.": "extension", "Ext.": "extension"}
"""Abbreviations read only before digits, which are then said one by one ("ext. 56" is
"extension five six")."""
TITLES = {"Gen.": "General", "Lt.": "Lieutenant", "Sgt.": "Sergeant", "Col.": "Colonel",
          "Capt.": "Captain", "Cpl.": "Corporal", "Maj.": "Major", "Adm.": "Admiral",
          "Gov.": "Governor", "Sen.": "Senator", "Rep.": "Representative", "Rev.": "Reverend",
          "Pres.": "President", "Supt.": "Superintendent"}  # fmt: skip
"""Titles read only before a capitalised name ("Gen. Grant" is "General Grant")."""
STREETS = {"St.": "Street", "Ave.": "Avenue", "Blvd.": "Boulevard", "Rd.": "Road",
           "Ln.": "Lane", "Dr.": "Drive", "Sq.": "Square"}  # fmt: skip
"""Street words read after a capitalised name or an ordinal ("Oak Ave." is "Oak Avenue", "5th
Ave." "fifth Avenue"); "St." elsewhere is "Saint" before a name, "Dr." "Doctor"."""

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBREVIATIONS = {
    "Jan": "January",
    "Feb": "February",
    "Mar": "March",
    "Apr": "April",
    "Jun": "June",
    "Jul": "July",
    "Aug": "August",
    "Sept": "September",
    "Sep": "September",
    "Oct": "October",
    "Nov": "November",
    "Dec": "December",
}
MONTH_WORDS = frozenset((*MONTHS, *MONTH_ABBREVIATIONS))
"""Month names and their abbreviations, as written."""
VERB_MONTHS = frozenset(("May", "March"))
"""Months that are verbs in lower case ("may", "march"), so not dates written small."""


class Currency(NamedTuple):
    """A currency's words: one, many, and its hundredth (None where it has none)."""

    one: str
    many: str
    cent: str | None
    cents: str | None


CURRENCIES = {
    "$": Currency("dollar", "dollars", "cent", "cents"),
    "£": Currency("pound", "pounds", "penny", "pence"),
    "€": Currency("euro", "euros", "cent", "cents"),
    "¥": Currency("yen", "yen", None, None),
    "₩": Currency("won", "won", None, None),
    "₹": Currency("rupee", "rupees", "paisa", "paise"),
    "₽": Currency("ruble", "rubles", "kopek", "kopeks"),
    "₪": Currency("shekel", "shekels", "agora", "agorot"),
    "₱": Currency("peso", "pesos", "centavo", "centavos"),
    "₺": Currency("lira", "lira", "kuruş", "kuruş"),
    "₦": Currency("naira", "naira", "kobo", "kobo"),
    "฿": Currency("baht", "baht", "satang", "satang"),
}
CURRENCY_SIGNS = "".join(CURRENCIES)
"""The currency signs, for a regex character class."""
MONEY_PERIODS = {"mo": "a month", "month": "a month", "yr": "a year", "year": "a year",
                 "wk": "a week", "week": "a week", "day": "a day", "hr": "an hour",
                 "h": "an hour", "hour": "an hour"}  # fmt: skip
"""After an amount of money and "/": "$15/mo" is "fifteen dollars a month"."""
SCALE_ABBREVIATIONS = {
    "k": "thousand",
    "K": "thousand",
    "m": "million",
    "M": "million",
    "mn": "million",
    "b": "billion",
    "B": "billion",
    "bn": "billion",
    "tn": "trillion",
    "T": "trillion",
}
"""After an amount of money: "$5m", "$3bn"."""

SPELLED_TOP_LEVEL_DOMAINS = frozenset((
    "edu", "io", "uk", "us", "eu", "de", "fr", "ca", "au", "nz", "ie", "nl", "jp", "cn", "ru",
    "tv", "ai", "fm",
))  # fmt: skip
"""Top-level domains a narrator spells ("dot e d u", "dot u k"); "com", "org", "net", "gov",
"co" and the rest are said as words."""

COMPARISONS = {
    "<": "less than",
    ">": "greater than",
    "<=": "less than or equal to",
    ">=": "greater than or equal to",
}

UNITS: dict[str, tuple[str, str]] = {
    # length, mass, volume
    "km": ("kilometer", "kilometers"), "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"), "mi": ("mile", "miles"), "ft": ("foot", "feet"),
    "yd": ("yard", "yards"), "kg": ("kilogram", "kilograms"), "mg": ("milligram", "milligrams"),
    "lb": ("pound", "pounds"), "lbs": ("pound", "pounds"), "oz": ("ounce", "ounces"),
    "ml": ("milliliter", "milliliters"), "mL": ("milliliter", "milliliters"),
    "gal": ("gallon", "gallons"), "tbsp": ("tablespoon", "tablespoons"),
    "tsp": ("teaspoon", "teaspoons"), "cc": ("c c", "c c"),
    "psi": ("pound per square inch", "pounds per square inch"),
    # speed, data, frequency, power, time
    "mph": ("mile per hour", "miles per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "KB": ("kilobyte", "kilobytes"), "kB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"), "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"), "kbps": ("kilobit per second", "kilobits per second"),
    "Kbps": ("kilobit per second", "kilobits per second"),
    "Mbps": ("megabit per second", "megabits per second"),
    "mbps": ("megabit per second", "megabits per second"),
    "Gbps": ("gigabit per second", "gigabits per second"), "Hz": ("hertz", "hertz"),
    "kHz": ("kilohertz", "kilohertz"), "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"), "kW": ("kilowatt", "kilowatts"),
    "kWh": ("kilowatt hour", "kilowatt hours"), "mAh": ("milliamp hour", "milliamp hours"),
    "W": ("watt", "watts"), "V": ("volt", "volts"), "mA": ("milliamp", "milliamps"),
    "g": ("gram", "grams"), "l": ("liter", "liters"), "m": ("meter", "meters"),
    "ms": ("millisecond", "milliseconds"), "sec": ("second", "seconds"),
    "min": ("minute", "minutes"), "hr": ("hour", "hours"), "hrs": ("hour", "hours"),
}  # fmt: skip
CAPITAL_UNITS = {
    unit.upper(): UNITS[unit]
    for unit in ("km", "cm", "mm", "kg", "mg", "lb", "lbs", "oz", "ml", "ft", "mph", "kph", "kWh",
                 "cc")
}  # fmt: skip
UNITS |= CAPITAL_UNITS
"""Units read after a number, glued (12kg) or spaced (2 km): unambiguous abbreviations only, also
in capitals ("15KG", "5 KM") where that is no other unit ("MB" is megabytes)."""
LETTER_UNITS = frozenset(("W", "V", "m", *CAPITAL_UNITS))
"""Units that are also letters or initials. Spaced from their number they are no unit before a
capitalised word or a number ("350 W 42nd St.", "2005 CC Sabathia"), nor in capitals after a
year ("1967 MG"); "m" before a plural noun is a million ("5 m people"); "W" and "V" before
another word only after "a" or "an" ("a 60 W lamp"; "the 5 W bus" is a route)."""
GLUED_UNITS: dict[str, tuple[str, str]] = {
    "L": ("liter", "liters"), "h": ("hour", "hours"),
}  # fmt: skip
"""Units read only glued to their number: spaced, "Plan 2 L" or "2 h" could be a word or a
letter. "in" is never a unit ("3 in 10"); "m" is one glued or spaced ("600 m" is six hundred
meters; after money, "$5 m", a million)."""
POWERS = {"\u00b2": "square", "\u00b3": "cubic"}
"""After a unit: "km²" is "square kilometers", "m³" "cubic meters"."""
PER_UNITS = {"h": "hour", "hr": "hour", "s": "second", "sec": "second", "min": "minute",
             "day": "day", "kg": "kilogram", "km": "kilometer", "m": "meter", "g": "gram",
             "l": "liter", "L": "liter", "lb": "pound", "mi": "mile"}  # fmt: skip
"""Units after "/": "30 km/h" is "thirty kilometers per hour"."""
MEASURE_NOUNS = frozenset((
    "cup", "glass", "bottle", "can", "jar", "pint", "quart", "gallon", "liter", "litre",
    "teaspoon", "tablespoon", "spoonful", "cupful", "ounce", "pound", "gram", "kilo", "kilogram",
    "ton", "tonne", "stone", "inch", "foot", "yard", "mile", "meter", "metre", "kilometer",
    "kilometre", "centimeter", "centimetre", "millimeter", "millimetre", "acre", "hectare",
    "block", "lap", "hour", "minute", "second", "day", "week", "month", "year", "decade",
    "century", "dozen", "loaf", "slice", "stick", "bag", "box", "pack", "packet", "page",
    "point", "degree", "percent", "dollar", "cent", "step", "size", "turn",
))  # fmt: skip
"""Measures and portions after a fraction sign, which take "a" ("½ cup" is "half a cup"; "½
done" is "half done"); the unit abbreviations and their words count too."""
NOT_MEASURED = ("of", "or", "and", "to", "in", "on", "at", "by", "for", "from", "with", "away",
                "long", "across", "over", "per", "each")  # fmt: skip
"""Words after a measure that are no noun it describes: "a 10 km of road" says "kilometers"."""

ROMAN_WORDS = ("chapter", "part", "book", "volume", "act", "scene", "section", "episode",
               "phase", "stage", "bowl")  # fmt: skip
"""Words after which a roman numeral is a cardinal: "Chapter IV" is "Chapter four"."""
REGNAL_NAMES = frozenset((
    "Alexander", "Alfonso", "Anne", "Benedict", "Boniface", "Catherine", "Charles",
    "Christian", "Clement", "Constantine", "Edmund", "Edward", "Elizabeth", "Ferdinand",
    "Francis", "Frederick", "George", "Gregory", "Gustav", "Haakon", "Harold", "Henry",
    "Innocent", "Isabella", "Ivan", "James", "John", "Joseph", "Julius", "Leo", "Leopold",
    "Louis", "Ludwig", "Mary", "Mehmed", "Napoleon", "Nicholas", "Olaf", "Paul", "Peter",
    "Philip", "Pius", "Ptolemy", "Ramesses", "Richard", "Robert", "Rudolf", "Sixtus",
    "Stephen", "Suleiman", "Urban", "Victor", "Wilhelm", "William",
))  # fmt: skip
"""Monarchs' and popes' names, after which a numeral is an ordinal: "Henry VIII" is "Henry the
eighth"."""
NOT_TITLES = frozenset((
    "A", "An", "And", "As", "At", "But", "By", "For", "From", "He", "Her", "His", "If", "In",
    "Into", "It", "Its", "My", "No", "Of", "On", "Or", "Our", "She", "So", "The", "Their",
    "Then", "They", "This", "To", "We", "With", "Your", "Given",
))  # fmt: skip
"""Capitalised words that open a sentence: "In IV fluids" has no title before its numeral."""

PHONE_CUES = ("call", "phone", "tel", "telephone", "fax", "dial", "text", "mobile", "cell",
              "number", "contact", "reach us", "at", "on")  # fmt: skip
"""Words before "555 123 4567" that make it a phone number rather than three numbers."""
DIAL_VERBS = ("dial", "dials", "dialed", "dialled", "dialing", "dialling")
"""Verbs after which a number of three or more digits is dialled, so read digit by digit ("dial
1471" is "dial one four seven one"), unless it counts the plural noun after it ("dialled 300
numbers")."""
CALL_VERBS = ("call", "calls", "called", "calling", "ring", "rings", "rang", "rung",
              "ringing", "text", "texts", "texted", "texting", "phone", "phones", "phoned",
              "phoning")  # fmt: skip
"""Verbs after which a service number (`SERVICE_NUMBERS`) or a number of seven or more digits is
dialled ("call 999"); any other number is a count ("called 300 of our customers")."""
SERVICE_NUMBERS = frozenset(("911", "999", "112", "000", "111", "988", "411", "311", "101"))
"""Emergency and service numbers, said digit by digit after a verb of calling."""
PHONE_DIGITS = 7
"""Digits from which a number after a verb of calling is a phone number ("call 5551234")."""
PLURALS_WITHOUT_S = ("people", "men", "women", "children", "feet", "teeth", "mice", "geese")
"""Plural nouns a dialled-looking number can count ("dialled 300 people")."""
NOT_PLURALS = ("as", "is", "was", "has", "his", "its", "this", "thus", "us", "yes", "always",
               "unless", "whereas", "perhaps", "besides", "towards", "afterwards", "across",
               "less", "upwards", "downwards", "backwards", "forwards", "sideways", "overseas",
               "indoors", "outdoors", "upstairs", "downstairs")  # fmt: skip
"""Words in "s" that are no plural noun ("dial 999 as soon as you can", "25 m across")."""
YEAR_CUES = ("in", "since", "until", "till", "from", "around", "circa", "before", "after", "year",
             "AD", "A.D.")  # fmt: skip
"""Words before 1000-1099 that make it a year: "in 1066"."""
ERAS = ("AD", "A.D.", "BC", "B.C.", "CE", "BCE")
"""Eras after a year: "1087 AD"."""
NOT_COUNTED = ("the", "a", "an", "and", "or", "but", "when", "while", "as", "after", "before",
               "he", "she", "it", "they", "we", "i", "you", "was", "were", "is", "had", "has",
               "his", "her", "its", "their", "this", "that", "there", "then", "came", "began",
               "ended")  # fmt: skip
"""Lowercase words after 1000-1099 that are not what it counts: "in 1066 the Normans" is a year,
"around 1050 men" a number."""

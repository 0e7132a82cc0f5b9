"""Written text to speakable text: the stage between a sentence and the speech engine.

`Normalizer.speak` runs small regex steps in this order:

1. Typography: curly quotes and primes become ``'``; double quotes of every kind are dropped
   (engines ignore them or say "quote"); ``…`` becomes ``...``; odd spaces become spaces.
2. The lexicon: whole words, any case, longest key first. A replacement goes through the
   later steps, so it may hold digits.
3. Long codes, which no narrator reads out: a hash or other run of 16 or more hex digits, a
   UUID, and a key or base64 run of 24 or more letters, digits, ``+ / = _ -`` mixing capitals,
   small letters and two digits or more, become "a long code" in English, "…" (a pause)
   elsewhere; so does any such run of 40 or more with a letter and a digit (digits alone are
   a number, step 11). Runs inside a URL, a path or an e-mail address are left to those steps.
4. Emoji (by the `emoji` package) and characters an engine would name (categories So, Sk, Co,
   Cn, Cs, Cf, Me, controls, arrows, bullets, ™ ® ©) are removed; the degree sign stays.
5. Angle brackets, which eSpeak NG reads as pauses and SAPI5 as "less than": a placeholder
   reads as what it holds (``<count>`` "count", ``<input-file>`` and ``<input_file>`` "input
   file", ``<file name>`` "file name", ``<jane@example.org>`` the address); arrows (``->``,
   ``-->``, ``<-``, ``=>``, ``<=>``, ``<->``), ``<<``, ``>>`` and ``<>`` say nothing, like the
   arrow characters; ``<`` and ``>`` between words or before a number, and ``<=`` and ``>=``
   anywhere, are comparisons: "less than", "greater than", "less than or equal to", "greater
   than or equal to" in English, the sign (spaced) for the engine elsewhere. Any other ``<`` or
   ``>`` is dropped (``List<String>``, a quoting ``>``). So "I <3 NY" is "I less than three NY".
6. URLs become their host; a bare domain needs a common top-level domain (``example.com``).
   English says "example dot com" ("link" when there is no host) and spells out e-mail
   addresses; other languages leave the host and the address for the engine.
7. Dashes between words (em, en, ``--``, a spaced hyphen) become ", ".
8. Every language: marks that are only markup. Emoticons (``:)``, ``;-)``, ``:D``) and ``~``
   not before a number say nothing; ``_`` is a space (``snake_case``; ``1_000`` is 1000); ``|``
   is a pause (", "); ``!`` before a word is dropped (``!important``) or, inside one, ends it
   (``Wow!It``). Left for the engine, which says what a narrator would: ``$`` "dollar", ``%``
   "percent", ``/`` "slash", and punctuation (``. , ; : ! ? ' ( ) [ ] { } -``).
9. English only: phone numbers in the common national and international forms (``(555) 123-4567``,
   ``+44 20 7946 0958``, ``555.123.4567``, ``555 123 4567`` after a word such as call, phone or at,
   ``555-0100``, ``020 7946 0018``) digit by digit, group by group; `_ABBREVIATIONS` (a final
   period stays when one ends the text); roman numerals after Chapter/Part/Book/Episode/Stage/...
   and World War as cardinals, after a monarch's or pope's name (`_REGNAL_NAMES`) as ordinals
   ("Henry the eighth"; a lone I only before a pause, the end, "of", "and" or "'s": "Mary I love
   you" is the pronoun), after another capitalised name as cardinals when of two or more I, V and X
   ("Rocky four"; "Malcolm X" and "Part D" stay, since L, C, D or M alone is a letter); words for
   symbols: ``&`` (or ``&&``) "and"; ``=`` (to ``===``) "equals", ``!=`` "not equal to", four or
   more ``=`` (a rule) nothing; ``+`` "plus" between words or before a number (``C++`` stays);
   ``#`` "number" before a digit, "sharp" after a note letter (``C#``), "hashtag" before a word,
   nothing elsewhere; ``@`` "at"; ``~`` "about" before a number; the times sign (and ``*`` between
   numbers) "times"; ``^`` and ``**`` "to the power of" (``2^10``, ``x^2``, ``10^-3``); ``\\``
   "backslash"; the degree, divided-by and plus-minus signs. Any other ``*`` or ``^`` says nothing,
   in every language; other languages leave the rest of these symbols for the engine.
10. With ``heading=True``: a roman numeral that is the whole heading or opens it before "." or ":".
11. Numbers, by num2words, in the languages it supports (elsewhere digits stay for the engine).
   English reads dates ("March fifteenth, twenty twenty-four"; "15 March 2024" is "the fifteenth of
   March twenty twenty-four"; "3/4/2021" month first in US English and "en", day first in other
   regions and when only that order is a date; "25.07.2012" day first), fractions ("one quarter",
   "three and a half"; "24/7" and "50/50" are two numbers), IP addresses digit by digit ("one nine
   two dot one six eight ..."), versions ("v2.3.1" is "version two point three point one"),
   dimensions ("2x8" is "two by eight"), units after a number (`_UNITS`; `_GLUED_UNITS` only
   without a space; "per" for "/"; singular when it describes a noun, "a 9V battery" and "the 10-km
   race"), times ("ten thirty p m"), ranges ("five to seven"), money, decades, ordinals,
   percentages, years (1100-2099 standing alone; 1000-1099 after "in", "since", "around"... unless
   a noun it counts follows, or before AD/BC) and the rest. Other languages read whole numbers and
   decimals ("." or a thin space between groups of three, "," before decimals, which stay as
   written where num2words has no plain "point" word), keep "%" for the engine, and leave a number
   before ". " and more text alone (German "1. Mai" is an ordinal). Hyphenated digit groups (phone
   numbers) and numbers of over 15 digits are read digit by digit; tokens mixing letters and digits
   ("MP3", "COVID-19") are left to the engine.
12. Whitespace is collapsed and spaces before punctuation removed. A result with no letter or
   digit is "" (callers treat wordless text as a pause).

`load_lexicon` reads a TOML file of ``word = "replacement"`` pairs, at the top level or in an
optional ``[words]`` table.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, TypeAlias

import emoji
from num2words import num2words as _num2words

from audio_edition.errors import InputError

DEFAULT_LANGUAGE = "en"

_MAX_DIGITS = 15

# English abbreviations, matched as written (case-sensitive). "St." and "No." are decided by
# what follows them (Saint/Street; "number" only before a digit).
_ABBREVIATIONS: dict[str, str] = {
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

_MONTHS = (
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
_MONTH_ABBREVIATIONS = {
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

MONTH_WORDS = frozenset((*_MONTHS, *_MONTH_ABBREVIATIONS))
"""Month names and their abbreviations, as written."""


class _Currency(NamedTuple):
    one: str
    many: str
    cent: str | None
    cents: str | None


_CURRENCIES = {
    "$": _Currency("dollar", "dollars", "cent", "cents"),
    "£": _Currency("pound", "pounds", "penny", "pence"),
    "€": _Currency("euro", "euros", "cent", "cents"),
    "¥": _Currency("yen", "yen", None, None),
}
_SCALE_ABBREVIATIONS = {
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
_BARE_DOMAIN_ENDINGS = "com|org|net|edu|gov|mil|io|dev|app|info|biz|uk|de|fr|eu"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

# --- Typography -------------------------------------------------------------------------------

_TYPOGRAPHY: dict[str, str] = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060\u02bc", "'"),
    **dict.fromkeys('"\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2039\u203a', " "),
    **dict.fromkeys("\u2010\u2011\u2012\u2212", "-"),
    **dict.fromkeys("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006", " "),
    **dict.fromkeys("\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000\u2028\u2029", " "),
    **dict.fromkeys("\u2022\u2023\u2043\u2219\u25e6\u2020\u2021\u203b", " "),
    **dict.fromkeys([chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F)], " "),
    "\u00ad": "",
    "\u2026": "...",
    "\u2103": "\u00b0C",
    "\u2109": "\u00b0F",
    "\u2116": "No.",
}
# A thin or no-break space between digit groups ("1 000 000") joins them.
_GROUP_SPACE = re.compile(r"[\u00a0\u2007\u2009\u202f](?<=[0-9].)(?=[0-9]{3}(?![0-9]))")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

# --- Web addresses ----------------------------------------------------------------------------

_CODE_RUN = re.compile(r"(?<![\w./:@+=\\-])[A-Za-z0-9+/=_-]{16,}(?![\w/:@+=\\-])(?!\.\w)")
_HEX_CODE = re.compile(
    r"(?=[-0-9a-fA-F]*[0-9])(?=[-0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]+(?:-[0-9a-fA-F]+)*"
)
_LONG_CODE_WORDS = {"en": " a long code "}
_URL_CHARS = r"[\w\-.~:/?#\[\]@!$&'()*+,;=%]"  # what RFC 3986 allows, and letters
_URL = re.compile(r"(?<![\w@/.])(?:(?:https?|ftp)://|www\.(?=\w))" + _URL_CHARS + "*", re.I)
_URL_SCHEME = re.compile(r"^(?:https?|ftp)://", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)")
_DOMAIN = re.compile(
    r"(?<![\w@./-])((?:[\w-]+\.)+(?:"
    + _BARE_DOMAIN_ENDINGS
    + r"))(?:/"
    + _URL_CHARS
    + r"*)?(?![\w-])"
)
_DOMAIN_GATE = re.compile(r"\.(?:" + _BARE_DOMAIN_ENDINGS + r")\b")
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)*")
_TRAILING_PUNCTUATION = ".,;:!?'\")]}"
_LOCAL_PART_SYMBOLS = {".": " dot ", "_": " underscore ", "+": " plus "}

# --- Dashes, abbreviations, roman numerals, symbols -------------------------------------------

_DASH = re.compile(r"[\u2013\u2014\u2015]|--+|(?<=\s)-(?=\s)")
_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(
        re.escape(key) + ("" if key.endswith(".") else r"(?![\w.])")
        for key in sorted(_ABBREVIATIONS, key=len, reverse=True)
    )
    + r"|St\.|No\.(?=\s*[0-9]))"
)
# A period that may end an abbreviation or sit inside a word ("e.g", "example.com").
_INNER_OR_ABBREVIATION_DOT = re.compile(
    r"\.(?:(?=\w)|"
    + "|".join(f"(?<={re.escape(key)})" for key in (*_ABBREVIATIONS, "St.", "No.") if "." in key)
    + ")"
)
_CAPITAL_NEXT = re.compile(r"\s*[A-Z]")
_BLANK_TO_END = re.compile(r"\s*\Z")
_ROMAN_WORDS = ("chapter", "part", "book", "volume", "act", "scene", "section", "episode",
                "phase", "stage", "bowl")  # fmt: skip
_ROMAN = r"(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
# One of L, C, D or M alone is a letter ("Section C", "Part D"), not a number.
_ROMAN_NUMBER = r"(?![LCDM](?![MDCLXVI]))" + _ROMAN
_ROMAN_AFTER_WORD = re.compile(
    r"\b((?:(?i:" + "|".join(_ROMAN_WORDS) + r")|World War)\s+)(" + _ROMAN_NUMBER
    + r")(?![\w'-])"
)  # fmt: skip
_REGNAL_NAMES = frozenset((
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
_NOT_TITLES = frozenset((
    "A", "An", "And", "As", "At", "But", "By", "For", "From", "He", "Her", "His", "If", "In",
    "Into", "It", "Its", "My", "No", "Of", "On", "Or", "Our", "She", "So", "The", "Their",
    "Then", "They", "This", "To", "We", "With", "Your", "Given",
))  # fmt: skip
"""Capitalised words that open a sentence: "In IV fluids" has no title before its numeral."""
# A numeral after a capitalised name: an ordinal after a monarch's, otherwise (a sequel,
# "Rocky IV", "Final Fantasy VII") a cardinal of two or more of I, V and X (not "XXX").
_ROMAN_AFTER_NAME = re.compile(r"\b([A-Z][a-z]+)(\s+)(" + _ROMAN_NUMBER + r")(?![\w'-])(?<!XXX)")
# A lone "I" is the pronoun ("Mary I love you", "the book I read") unless the sentence ends or
# pauses after it, or "of", "and" or "'s" follows ("Part I.", "Elizabeth I and James I").
_NUMERAL_I_AFTER = re.compile(r"\s*(?:[.,;:!?)\]]|\Z|of\b|and\b|'s\b)")
_LOWERCASE_WORD = re.compile(r"\s+(?!(?:is|was|has|had|and)\b)[a-z]")
# A heading that opens with a numeral and "." or ":" ("IV. The Storm"), or is one numeral of
# I, V and X only ("XII"): "CLI", "CD" or "MD" alone are names, not numbers.
_ROMAN_HEADING = re.compile(
    r"^(\s*)(" + _ROMAN + r"(?=[.:])|(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?=\s*$))"
)
# A placeholder ("<count>", "<input-file>", "<https://example.com>"): brackets round a word and
# up to 40 characters, not right after a letter or digit ("List<String>" is no placeholder).
_PLACEHOLDER = re.compile(r"(?<!\w)<(\w(?:[^<>]{0,38}[^\s<>])?)>")
_PLACEHOLDER_NAME = re.compile(r"[\w -]+")
# Arrows, shifts and "<>" say nothing, as arrow characters do ("<-5" is "less than minus five").
_ARROW = re.compile(r"<=+>|<-+>|<-+(?![0-9])|-+>|=+>|<<+|>>+|<>")
# A comparison: a sign between words or before a number, "<=" or ">=" also between letters.
# Any other "<" or ">" is dropped.
_ANGLE = re.compile(
    r"(?<=\S)[ \t]+([<>]=?)[ \t]+(?=\S)"
    r"|((?<=\S)[<>]=(?=\S)|[<>]=?(?=[ \t]?-?[$£€¥]?\.?[0-9]))"
    r"|[<>]=?"
)
_COMPARISONS = {
    "<": "less than",
    ">": "greater than",
    "<=": "less than or equal to",
    ">=": "greater than or equal to",
}
# (the symbol a rule needs, the rule, its words), in order
_SYMBOLS = tuple(
    (symbol, re.compile(pattern), words)
    for symbol, pattern, words in (
        ("\u00b0", r"\s?\u00b0\s?C(?![^\W\d_])", " degrees Celsius "),
        ("\u00b0", r"\s?\u00b0\s?F(?![^\W\d_])", " degrees Fahrenheit "),
        ("\u00b0", r"\s?\u00b0", " degrees "),
        ("&", r"\s*&+\s*", " and "),
        ("=", r"\s*!=\s*", " not equal to "),
        ("=", r"={4,}", " "),  # a divider
        ("=", r"\s*={1,3}\s*", " equals "),
        ("\u00d7", r"\s*\u00d7\s*", " times "),
        ("*", r"(?<=[0-9])\s*\*\*\s*(?=[0-9])", " to the power of "),
        ("*", r"(?<=[0-9])\s*\*\s*(?=[0-9])", " times "),
        # "2^10", "x^2", "(a+b)^2", "10^-3", "2^n"
        ("^", r"(?<=[\w)])\s*\^\s*(?=[0-9(]|-[0-9]|[^\W\d_](?!\w))", " to the power of "),
        ("*", r"\*+", " "),  # any other asterisk
        ("^", r"\^+", " "),  # any other caret
        ("\u00f7", r"\s*\u00f7\s*", " divided by "),
        ("\u00b1", r"\s*\u00b1\s*", " plus or minus "),
        ("+", r"(?<=[\w)])\s*\+\s*(?=[\w(])", " plus "),
        ("+", r"(?<![^\s(\[])\+(?=[0-9])", " plus "),
        ("#", r"(?<![\w#])([A-G])#(?![\w#])", r"\1 sharp"),  # C#, F#
        ("#", r"#(?=[0-9])", " number "),
        ("#", r"(?<![\w#])#(?=[^\W\d_])", " hashtag "),
        ("#", r"#+", " "),
        ("@", r"\s*@\s*", " at "),
        ("~", r"~\s?(?=[$£€¥]?[0-9])", " about "),
        ("\\", r"(?<![\w:])([A-Za-z]):\\+", r"\1 backslash "),  # a drive: C:\Users
        ("\\", r"\\+", " backslash "),
    )
)
# Marks that are only markup, in every language (before the English words above).
_EMOTICON = r"[:;](?<!\S[:;])-?(?:\)+|\(+|[DPp])(?!\w)"  # ":)" after a space; ":" first is faster
_WORD_MARK = re.compile(r"!\w|" + _EMOTICON)
_MARK_GATE = re.compile(r"[_|~]|" + _WORD_MARK.pattern)
_MARKS = tuple(
    (re.compile(pattern), words)
    for pattern, words in (
        (_EMOTICON, " "),
        (r"(?<=[0-9])_(?=[0-9]{3}(?![0-9]))", ""),  # 1_000_000
        (r"_+", " "),
        (r"\s*\|+\s*", " , "),
        (r"(?<=\w)!+(?=\w)", "! "),
        (r"!+(?=\w)", ""),  # "!important"
        (r"~(?!\s?[$£€¥]?[0-9])", " "),  # English says "about" before a number
    )
)

# --- Numbers ----------------------------------------------------------------------------------

_DIGIT = re.compile("[0-9]")
_TWO_DIGITS = re.compile("[0-9]{2}")
_NUM_EN = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_NUM_OTHER = r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?"
# A number starts a token: not after a letter, digit, "." or "1," and not after "X-" ("COVID-19").
_START = r"(?<![\w.])(?<![0-9],)(?<![A-Z]-)"
_END = r"(?![\w])(?![.,][0-9])"
_ORDINAL_SUFFIX = r"(?:st|nd|rd|th|ST|ND|RD|TH)"
_LOWER_MONTHS = tuple(
    word.lower() for word in (*_MONTHS, *_MONTH_ABBREVIATIONS) if word not in ("May", "March")
)  # "may" and "march" are verbs
_MONTH_WORD = "|".join((*_MONTHS, *_MONTH_ABBREVIATIONS, *_LOWER_MONTHS))
_AM_PM = r"(?:[ap]\.m\.?|[AP]\.M\.?|[ap]m|[AP]M)(?!\w)"
_TIME_ZONE = r"(?:\s+((?:[ECMP]|AE)[SD]T|GMT|UTC|BST|CES?T|[ecmp]\.[sd]\.t\.?|[ecmp][sd]t)(?!\w))?"

_ISO_DATE = re.compile(r"(?<![\w.,-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![\w-])(?![.,][0-9])")
_SLASHED_DATE = re.compile(
    r"(?<![\w/.,-])([0-9]{1,2})([/.])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})(?![\w/-])(?![.,][0-9])"
)
_FRACTION = re.compile(
    r"(?<![\w/.,-])(?:([0-9]+) )?([0-9]{1,3})/([0-9]{1,4})(?![\w/-])(?![.,][0-9])"
)
_PHONE = re.compile(
    r"(?<![\w.+(-])(?:"
    r"(?:\+1[ .-]?)?\([0-9]{3}\)[ .-]?[0-9]{3}[ .-][0-9]{4}"  # (555) 123-4567
    r"|\+[0-9]{1,3}(?:[ .-]\(?[0-9]{1,4}\)?){2,5}"  # +44 20 7946 0958
    r"|[0-9]{3}\.[0-9]{3}\.[0-9]{4}"  # 555.123.4567
    r"|[0-9]{3}-0[0-9]{3}|555-[0-9]{4}"  # 555-0100, 555-1234 (not a range: 100-1000)
    r"|0[0-9]{2,4} [0-9]{3,4} [0-9]{3,4}"  # 020 7946 0018
    r"|[2-9][0-9]{2} [0-9]{3} [0-9]{4}"  # 555 123 4567 (after "call", "phone", ...)
    r")(?![\w-])(?![.,][0-9])"
)
_SPACED_PHONE = re.compile(r"[0-9]{3} [0-9]{3} [0-9]{4}")
_PHONE_WORD = re.compile(
    r"\b(?:call|phone|tel|telephone|fax|dial|text|mobile|cell|number|contact|reach us|at|on)"
    r"\b[\s:.]*\Z",
    re.I,
)
_IP_ADDRESS = re.compile(
    r"(?<![\w.])(?:25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})(?:\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})){3}"
    r"(?!\w|\.[0-9])"
)
_VERSION = re.compile(r"(?<![\w.])([vV]?)([0-9]{1,4}(?:\.[0-9]{1,4}){1,3})(?![\w]|\.[0-9])")
_UNITS: dict[str, tuple[str, str]] = {
    # length, mass, volume
    "km": ("kilometer", "kilometers"), "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"), "mi": ("mile", "miles"), "ft": ("foot", "feet"),
    "yd": ("yard", "yards"), "kg": ("kilogram", "kilograms"), "mg": ("milligram", "milligrams"),
    "lb": ("pound", "pounds"), "lbs": ("pound", "pounds"), "oz": ("ounce", "ounces"),
    "ml": ("milliliter", "milliliters"), "mL": ("milliliter", "milliliters"),
    "gal": ("gallon", "gallons"), "tbsp": ("tablespoon", "tablespoons"),
    "tsp": ("teaspoon", "teaspoons"), "psi": ("pound per square inch", "pounds per square inch"),
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
    "ms": ("millisecond", "milliseconds"), "sec": ("second", "seconds"),
    "min": ("minute", "minutes"), "hr": ("hour", "hours"), "hrs": ("hour", "hours"),
}  # fmt: skip
"""Units read after a number, glued (12kg) or spaced (2 km): unambiguous abbreviations only."""
_GLUED_UNITS: dict[str, tuple[str, str]] = {
    "m": ("meter", "meters"), "g": ("gram", "grams"), "L": ("liter", "liters"),
    "W": ("watt", "watts"), "V": ("volt", "volts"), "h": ("hour", "hours"),
}  # fmt: skip
"""Units read only glued to their number: spaced, "2 m" or "a 5 V" could be a word."""
_PER_UNITS = {"h": "hour", "hr": "hour", "s": "second", "sec": "second", "min": "minute",
              "day": "day", "kg": "kilogram", "km": "kilometer", "m": "meter", "g": "gram",
              "l": "liter", "L": "liter", "lb": "pound", "mi": "mile"}  # fmt: skip


def _attributive(match: re.Match[str]) -> bool:
    """Whether a measure describes the noun after it, "a 9V battery" (a nine volt battery)."""
    text = match.string
    return bool(_A_BEFORE.search(text, 0, match.start()) and _NOUN_AFTER.match(text, match.end()))


_A_BEFORE = re.compile(r"(?<!\w)(?:a|an)\s+\Z", re.I)
_NOUN_AFTER = re.compile(r"[ -](?!(?:of|or|and|to|in|on|at|by|for|from|with|away|long)\b)[a-z]")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_UNIT = re.compile(
    r"(?<![\w.,$£€¥])(?<![A-Z]-)("
    + _NUM_EN
    + r")(?:(\s?|-)("
    + _alternation(_UNITS)
    + r")|()("
    + _alternation(_GLUED_UNITS)
    + r"))?(?:/("
    + _alternation(_PER_UNITS)
    + r"))?(?![\w/])"
)
_DIMENSIONS = re.compile(
    r"(?<![\w.])(?!0x)([0-9]+(?:\.[0-9]+)?)(?:\s?x\s?([0-9]+(?:\.[0-9]+)?)){1,2}(?!\w|\.[0-9])"
)
_DIMENSION_PART = re.compile(r"\s?x\s?")
_CENTS_ONLY = re.compile(r"(?<![\w.])\$\.([0-9]{1,2})(?![0-9])")
_NUMBER_SLASH = re.compile(r"(?<=[0-9])/(?=[0-9])")
_MONTH_FIRST_REGIONS = frozenset({"", "us"})
"""English regions that write the month first (3/4/2021 is March fourth); others, and every
dotted date, put the day first."""
_DIGIT_CHAIN = re.compile(r"(?<![\w.,-])[0-9]+(?:-[0-9]+){2,}(?![\w-])(?![.,][0-9])")
_RANGE = re.compile(
    r"(?<![\w.,-])("
    + _NUM_EN
    + r")(?:-{1,2}|\s*[\u2013\u2014]\s*)(?=[$£€¥]?(?:"
    + _NUM_EN
    + r")(?![\w-])(?![.,][0-9]))"
)
_CLOCK = re.compile(
    r"(?<![\w:.])([0-9]{1,2}):([0-5][0-9])(?::([0-5][0-9]))?(?![0-9]|[:.,][0-9])(?:\s?("
    + _AM_PM
    + "))?"
    + _TIME_ZONE
)
_HOUR_AM_PM = re.compile(r"(?<![\w:.])([0-9]{1,2})\s?(" + _AM_PM + ")" + _TIME_ZONE)
_DOTTED_CLOCK = re.compile(r"(?<![\w:.])([0-9]{1,2})\.([0-5][0-9])(?=\s?" + _AM_PM + ")")
_MONTH_DAY = re.compile(
    r"\b(" + _MONTH_WORD + r")\.?\s+([0-9]{1,2})" + _ORDINAL_SUFFIX + r"?(?![\w%]|[.,:][0-9])"
)
_DAY_MONTH = re.compile(
    r"(?<![\w.,:-])([0-9]{1,2})"
    + _ORDINAL_SUFFIX
    + r"?\s+("
    + _MONTH_WORD
    + r")\b(?:\.(?=\s+[0-9]))?"
)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_THE_WINDOW = 16
_SIGN = re.compile(r"(?<![^\s(\[])-(?=[$£€¥]?[0-9])")
_MONEY = re.compile(
    r"([$£€¥])\s?("
    + _NUM_EN
    + r")(?:\s+(thousand|million|billion|trillion)\b|("
    + "|".join(sorted(_SCALE_ABBREVIATIONS, key=len, reverse=True))
    + r")(?!\w))?(?!\w)"
)
_DECADE = re.compile(
    r"(?<![\w.,])(?:'([1-9]0)|(1[1-9][0-9]0|20[0-9]0)(?: (?=s))?|([1-9]0))'?s(?!\w)"
)  # "1980s", "1980's", "1980 s", "'80s", "80s"
_ORDINAL = re.compile(_START + r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)" + _ORDINAL_SUFFIX + r"(?!\w)")
_SPACED_ORDINAL = re.compile(_START + r"([0-9]{1,9}) (st|nd|rd|th|ST|ND|RD|TH)(?!\w)")
_PERCENT_EN = re.compile(_START + "(" + _NUM_EN + r")\s?%")
_PERCENT_OTHER = re.compile(_START + "(" + _NUM_OTHER + r")\s?%")
_PLAIN_EN = re.compile(_START + "(" + _NUM_EN + ")" + _END + r"|(?<![^\s(\[])(\.[0-9]+)(?![\w.])")
# Outside English, "1. Mai" may be an ordinal: a number before ". " and more text stays.
_PLAIN_OTHER = re.compile(_START + "(" + _NUM_OTHER + ")" + _END + r"(?!\.\s*\S)")
_YEAR = re.compile("(?:1[1-9]|20)[0-9]{2}")
# 1000-1099 is a year only where the words around say so: "in 1066", "1066 AD" (not "in 1050
# cases").
_EARLY_YEAR = re.compile("10[0-9]{2}")
_BEFORE_EARLY_YEAR = re.compile(
    r"\b(?:in|since|until|till|from|around|circa|before|after|year|AD|A\.D\.)\s+\Z", re.I
)
_ERA = re.compile(r"\s*(?:AD|A\.D\.|BC|B\.C\.|CE|BCE)(?!\w)")
# A lowercase word after the number that is not a function word is what it counts ("around
# 1050 men"); "in 1066 the Normans" and "in 1066, when" are years.
_COUNTED_NOUN = re.compile(
    r"\s+(?!(?:the|a|an|and|or|but|when|while|as|after|before|he|she|it|they|we|i|you|was|"
    r"were|is|had|has|his|her|its|their|this|that|there|then|came|began|ended)\b)[a-z]"
)

# --- Tidying ----------------------------------------------------------------------------------

# ASCII characters some step acts on (with _WORD_MARK, _INNER_OR_ABBREVIATION_DOT, "://", "vs",
# dashes).
_WORK_CHARS = re.compile(r"[0-9&=+#@~%$\"`*^<>|_\\\x00-\x08\x0e-\x1f\x7f]")
_SPACED_HYPHEN = re.compile(r"\s-\s")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|\{\s*\}")
_COMMA_RUN = re.compile(r",(?: ?,)+")
_COMMA_BEFORE_STOP = re.compile(r",+(?=[.;:!?])")
_LEADING_JUNK = re.compile(r"^(?:[ ,;:]|-(?= ))+")
_HAS_WORD = re.compile(r"[^\W_]")

_Step = Callable[[str], str]
_Trie: TypeAlias = "dict[str, _Trie]"


@functools.lru_cache(maxsize=8192)
def _words(value: int | Decimal, language: str, to: str = "cardinal") -> str | None:
    """num2words, typed; None where it cannot say the value (it raises many kinds of error)."""
    try:
        words = _num2words(value, lang=language, to=to)
    except Exception:
        return None
    return str(words).replace(",", "")


def _char_class(code_points: Iterable[int]) -> str:
    """A regex character class of `code_points`, in ranges."""
    ranges: list[list[int]] = []
    for cp in sorted(code_points):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges)
    return f"[{body}]"


_SPACE_CATEGORIES = frozenset({"So", "Sk", "Cc"})
_DELETE_CATEGORIES = frozenset({"Cf", "Co", "Cn", "Cs", "Me"})
_SPACE_EXTRA = frozenset(
    [*range(0x2190, 0x2200), *range(0x27F0, 0x2800), *range(0x2900, 0x2980), 0x203C, 0x2049]
)
_DELETE_EXTRA = frozenset(range(0xFE00, 0xFE10))


def _char_action(ch: str) -> str:
    """What a non-ASCII character becomes: itself, a space or nothing."""
    cp = ord(ch)
    category = unicodedata.category(ch)
    if cp == 0xB0:
        return ch
    if category in _SPACE_CATEGORIES or cp in _SPACE_EXTRA:
        return " "
    if category in _DELETE_CATEGORIES or cp in _DELETE_EXTRA or 0xE0100 <= cp <= 0xE01EF:
        return ""
    return ch


@functools.cache
def _unicode_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(BMP emoji starts, BMP characters to space out, BMP characters to delete), built once.

    Character classes of BMP characters only compile to bitmaps; astral ones are checked apart.
    """
    gate = {ord(e[0]) for e in emoji.EMOJI_DATA if "\x80" <= e[0] <= "\uffff"} | {0xFE0F, 0x20E3}
    to_space: list[int] = []
    to_delete: list[int] = []
    for cp in range(0x80, 0x10000):
        action = _char_action(chr(cp))
        if action == " ":
            to_space.append(cp)
        elif not action:
            to_delete.append(cp)
    return (
        re.compile(_char_class(gate)),
        re.compile(_char_class(to_space)),
        re.compile(_char_class(to_delete)),
    )


def _remove_symbols(text: str) -> str:
    """Remove emoji and characters an engine would name by code point."""
    gate, to_space, to_delete = _unicode_patterns()
    if gate.search(text) or _ASTRAL.search(text):
        text = emoji.replace_emoji(text, replace=" ")
    text = to_delete.sub("", text)
    text = to_space.sub(" ", text)
    if _ASTRAL.search(text):
        text = _ASTRAL.sub(lambda m: _char_action(m.group()), text)
    return text


_TYPOGRAPHY_CHARS = re.compile(_char_class(map(ord, _TYPOGRAPHY)))


def _typography(text: str) -> str:
    """Plain quotes, dashes, spaces and ellipses."""
    if not text.isascii():
        text = _GROUP_SPACE.sub("", text)
    return _TYPOGRAPHY_CHARS.sub(lambda m: _TYPOGRAPHY[m.group()], text)


def _trie_pattern(keys: Iterable[str]) -> str:
    """A regex matching any of `keys`, longest first, as a trie (fast for large lexicons)."""
    trie: _Trie = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def _tidy(text: str) -> str:
    """Collapse whitespace, remove spaces before punctuation and stray commas; "" if wordless."""
    if "(" in text or "[" in text or "{" in text:
        text = _EMPTY_BRACKETS.sub(" ", text)
    text = " ".join(text.split())
    for mark in ",.;:!?)]}":
        if " " + mark in text:
            text = text.replace(" " + mark, mark)
    for mark in "([{":
        if mark + " " in text:
            text = text.replace(mark + " ", mark)
    if "," in text:
        text = _COMMA_RUN.sub(",", text)
        text = _COMMA_BEFORE_STOP.sub("", text)
    text = _LEADING_JUNK.sub("", text)
    return text if _HAS_WORD.search(text) else ""


def _month_name(written: str) -> str:
    """ "Jul", "jul", "july" -> "July"."""
    capital = written.capitalize()
    return _MONTH_ABBREVIATIONS.get(capital, capital)


def _spelled_zone(zone: str) -> str:
    """ "EST", "e.s.t." -> "E S T"."""
    return " ".join(letter.upper() for letter in zone if letter.isalpha())


def _primary_subtag(language: str) -> str:
    return re.split(r"[-_]", language.strip(), maxsplit=1)[0].lower() or DEFAULT_LANGUAGE


def _keep_final_period(match: re.Match[str], spoken: str) -> str:
    """`spoken` for `match`: a final period kept if it ends the text; a space before a word."""
    if match.group().endswith(".") and _BLANK_TO_END.match(match.string, match.end()):
        return spoken + "."
    return spoken + " " if match.string[match.end() : match.end() + 1].isalnum() else spoken


def _plural(words: str) -> str:
    """ "nineteen ninety" -> "nineteen nineties"."""
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


def _roman_value(numeral: str) -> int:
    total = 0
    for ch, after in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[ch]
        total += -value if after and _ROMAN_VALUES[after] > value else value
    return total


def _host(url: str) -> str | None:
    """ "https://www.example.com/a?b" -> "example.com"; None without a usable host."""
    rest = _URL_SCHEME.sub("", url)
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    host = re.sub(r":[0-9]*$", "", host).lower().rstrip(".")
    host = host.removeprefix("www.")
    return host if _HOST.fullmatch(host) and _HAS_WORD.search(host) else None


_ENGLISH_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_DIGIT_RUN = re.compile("[0-9]+")


def _name_english(part: str) -> str:
    """A user name or host label with its digits read one by one: "abc123" -> "abc one two
    three", as an address is dictated."""
    return _DIGIT_RUN.sub(
        lambda m: " " + " ".join(_ENGLISH_DIGITS[int(d)] for d in m.group()) + " ", part
    ).strip()


def _site_english(match: re.Match[str]) -> str:
    """A URL or bare domain as "example dot com" (or "link"), keeping punctuation after it."""
    core = match.group().rstrip(_TRAILING_PUNCTUATION)
    host = _host(core)
    name = " dot ".join(map(_name_english, host.split("."))) if host else "link"
    return f" {name}{match.group()[len(core) :]}"


def _site_other(match: re.Match[str]) -> str:
    """A URL or bare domain as its host, for the engine to read (nothing without a host)."""
    core = match.group().rstrip(_TRAILING_PUNCTUATION)
    return f" {_host(core) or ''}{match.group()[len(core) :]}"


def _email(match: re.Match[str]) -> str:
    local = re.sub(r"[._+]", lambda m: _LOCAL_PART_SYMBOLS[m.group()], match.group(1))
    domain = " dot ".join(map(_name_english, match.group(2).lower().split(".")))
    return f" {_name_english(local)} at {domain}"


def _web_english(text: str) -> str:
    """URLs, e-mail addresses and bare domains to words."""
    if "://" in text or "www." in text.lower():
        text = _URL.sub(_site_english, text)
    if "@" in text:
        text = _EMAIL.sub(_email, text)
    if _DOMAIN_GATE.search(text):
        text = _DOMAIN.sub(_site_english, text)
    return text


def _web_other(text: str) -> str:
    """URLs and bare domains to their host; e-mail addresses stay for the engine."""
    if "://" in text or "www." in text.lower():
        text = _URL.sub(_site_other, text)
    if _DOMAIN_GATE.search(text):
        text = _DOMAIN.sub(_site_other, text)
    return text


def _dash(match: re.Match[str]) -> str:
    text = match.string
    before, after = match.start() - 1, match.end()
    while before >= 0 and text[before].isspace():
        before -= 1
    while after < len(text) and text[after].isspace():
        after += 1
    if before >= 0 and after < len(text) and _TWO_DIGITS.fullmatch(text[before] + text[after]):
        return match.group()  # between digits: a range
    return " , "


def _is_long_code(token: str) -> bool:
    """A hash, UUID, key or base64 run rather than something to read (see step 3)."""
    if "/" in token.strip("/") and not any(c.isupper() for c in token):
        return False  # a path such as v1/users/12345/orders
    digits = sum(c.isdigit() for c in token)
    if len(token) >= 40 and digits and any(c.isalpha() for c in token):
        return True
    if _HEX_CODE.fullmatch(token):
        return True
    mixed = any(c.isupper() for c in token) and any(c.islower() for c in token)
    return len(token) >= 24 and mixed and digits >= 2


def _long_codes(text: str, language: str) -> str:
    """Long codes (hashes, keys, base64) to a short description, or a pause."""
    if len(text) < 16:
        return text
    said = _LONG_CODE_WORDS.get(language, " … ")
    return _CODE_RUN.sub(lambda m: said if _is_long_code(m[0]) else m[0], text)


def _dashes(text: str) -> str:
    """Dashes between words to a comma; dashes between digits stay for the range step."""
    return _DASH.sub(_dash, text)


def _abbreviation(match: re.Match[str]) -> str:
    found = match.group()
    if found == "St.":
        spoken = "Saint" if _CAPITAL_NEXT.match(match.string, match.end()) else "Street"
    elif found == "No.":
        spoken = "number"
    else:
        spoken = _ABBREVIATIONS[found]
    return _keep_final_period(match, spoken)


def _abbreviations(text: str) -> str:
    """English abbreviations to words."""
    if "vs" in text or _INNER_OR_ABBREVIATION_DOT.search(text):
        return _ABBREVIATION.sub(_abbreviation, text)
    return text


def _has_roman_word(text: str) -> bool:
    lowered = text.lower()
    return "World War " in text or any(word in lowered for word in _ROMAN_WORDS)


def _lone_i_is_numeral(match: re.Match[str]) -> bool:
    return _NUMERAL_I_AFTER.match(match.string, match.end()) is not None


def _has_roman_after_name(text: str) -> bool:
    return any(ch in text for ch in "IVX") and _ROMAN_AFTER_NAME.search(text) is not None


def _needs_work(text: str) -> bool:
    """Whether some step could change ASCII `text` (otherwise it only needs tidying)."""
    return bool(
        _WORK_CHARS.search(text)
        or _WORD_MARK.search(text)
        or _INNER_OR_ABBREVIATION_DOT.search(text)
        or "://" in text
        or "--" in text
        or "vs" in text
        or ("-" in text and _SPACED_HYPHEN.search(text))
        or (_has_roman_word(text) and _ROMAN_AFTER_WORD.search(text))
        or _has_roman_after_name(text)
    )


def _angle_brackets(text: str, *, english: bool) -> str:
    """Placeholders to their words, arrows dropped, comparisons to words (English), "<" ">" gone."""
    if "<" not in text and ">" not in text:
        return text
    text = _PLACEHOLDER.sub(_placeholder, text)
    text = _ARROW.sub(" ", text)
    return _ANGLE.sub(lambda m: _comparison(m, english), text)


def _placeholder(match: re.Match[str]) -> str:
    """ "<input-file>" -> "input file"; "<jane@example.org>" keeps its inside."""
    inside = match.group(1)
    if _PLACEHOLDER_NAME.fullmatch(inside):
        inside = inside.replace("_", " ").replace("-", " ")
    return f" {inside} "


def _comparison(match: re.Match[str], english: bool) -> str:
    """A comparison in words (English) or as a spaced sign; any other angle bracket a space."""
    sign = match.group(1) or match.group(2)
    if sign is None:
        return " "
    return f" {_COMPARISONS[sign] if english else sign} "


_STARS = re.compile(r"[*^]+")


def _drop_stars(text: str) -> str:
    """Asterisks and carets, which engines name, as spaces (outside English)."""
    return _STARS.sub(" ", text) if "*" in text or "^" in text else text


def _marks(text: str) -> str:
    """Marks that are only markup (emoticons, "_", "|", "~", "!x") to spaces or pauses."""
    if not _MARK_GATE.search(text):
        return text
    for pattern, words in _MARKS:
        text = pattern.sub(words, text)
    return text


def _symbols(text: str) -> str:
    """English words for symbols (& = + # @ ~ \\ ° * ^, times, divided by, plus-minus)."""
    for symbol, pattern, words in _SYMBOLS:
        if symbol in text:
            text = pattern.sub(words, text)
    return text


class Normalizer:
    """Written text to speakable text, for one language, with an optional pronunciation lexicon."""

    def __init__(
        self, language: str = DEFAULT_LANGUAGE, lexicon: Mapping[str, str] | None = None
    ) -> None:
        self._language = _primary_subtag(language)
        region = re.split(r"[-_]", language.strip(), maxsplit=1)[1:]
        self._month_first = (region[0].lower() if region else "") in _MONTH_FIRST_REGIONS
        self._english = self._language == "en"
        digits = [_words(d, self._language) for d in range(10)]
        self._digits: tuple[str, ...] | None = (
            tuple(d for d in digits if d) if all(digits) else None
        )
        self._minus = self._probe_minus()
        self._point = self._probe_point()
        self._lexicon: dict[str, str] = {}
        for key, value in (lexicon or {}).items():
            written = _typography(key).strip()
            if written:
                self._lexicon[written.lower()] = value
        self._lexicon_pattern = (
            re.compile(r"(?<!\w)" + _trie_pattern(self._lexicon) + r"(?!\w)", re.IGNORECASE)
            if self._lexicon
            else None
        )
        self._text_steps = self._build_text_steps()
        self._number_steps = self._build_number_steps()

    @property
    def language(self) -> str:
        """The base language code in use, e.g. "en" for "en-GB"."""
        return self._language

    def speak(self, text: str, *, heading: bool = False) -> str:
        """`text` as it should be spoken; "" if it has no letter or digit."""
        if (
            not heading
            and text.isascii()
            and not _needs_work(text)
            and (self._lexicon_pattern is None or self._lexicon_pattern.search(text) is None)
        ):
            return _tidy(text)
        return self._speak_fully(text, heading=heading)

    def _speak_fully(self, text: str, *, heading: bool) -> str:
        for step in self._text_steps:
            text = step(text)
        if heading and self._digits is not None:
            text = _ROMAN_HEADING.sub(self._roman, text, count=1)
        if _DIGIT.search(text):
            for step in self._number_steps:
                text = step(text)
        return _tidy(text)

    # --- Building -----------------------------------------------------------------------------

    def _probe_minus(self) -> str | None:
        if self._digits is None:
            return None
        minus_one = _words(-1, self._language)
        one = self._digits[1]
        if minus_one and minus_one.endswith(one) and minus_one[: -len(one)].strip():
            return minus_one[: -len(one)].strip()
        return None

    def _probe_point(self) -> str | None:
        if self._digits is None:
            return None
        said = _words(Decimal("1.5"), self._language)
        one, five = self._digits[1], self._digits[5]
        if said and said.startswith(one + " ") and said.endswith(" " + five):
            return said[len(one) : -len(five)].strip() or None
        return None

    def _build_text_steps(self) -> tuple[_Step, ...]:
        steps: list[_Step] = [_typography]
        if self._lexicon_pattern is not None:
            steps.append(self._apply_lexicon)
        steps += [
            functools.partial(_long_codes, language=self._language),
            self._strip_symbols,
            functools.partial(_angle_brackets, english=self._english),
            _web_english if self._english else _web_other,
            _dashes,
            _marks,
        ]
        if self._english:
            steps += [self._phones, _abbreviations, self._roman_after_word, _symbols]
        else:
            steps.append(_drop_stars)
        return tuple(steps)

    def _build_number_steps(self) -> tuple[_Step, ...]:
        if self._digits is None:
            return ()
        if self._english:
            return (
                self._iso_dates,
                self._slashed_dates,
                self._fractions,
                self._addresses_and_versions,
                self._dimensions,
                self._units,
                self._digit_chains,
                self._ranges,
                self._clock_times,
                self._dates,
                self._signs,
                self._money,
                self._decades,
                self._ordinals,
                self._percent,
                self._plain_numbers,
            )
        return (self._digit_chains, self._signs, self._percent, self._plain_numbers)

    # --- Text steps ---------------------------------------------------------------------------

    def _phones(self, text: str) -> str:
        """ "(555) 123-4567", "+44 20 7946 0958", "555.123.4567" -> digit groups read digit by
        digit ("plus four four, two zero, ..."), before "+" is read as a sign."""
        return _PHONE.sub(self._phone, text) if self._digits is not None else text

    def _phone(self, match: re.Match[str]) -> str:
        if _SPACED_PHONE.fullmatch(match.group()) and not _PHONE_WORD.search(
            match.string, max(0, match.start() - 30), match.start()
        ):
            return match.group()  # "Rooms 201 305 1200": numbers, unless a phone is named
        groups = re.findall(r"[0-9]+", match.group())
        said = ", ".join(self._spell(group) for group in groups)
        return f"plus {said}" if match.group().startswith("+") else said

    def _apply_lexicon(self, text: str) -> str:
        """Lexicon words to their replacements."""
        assert self._lexicon_pattern is not None
        return self._lexicon_pattern.sub(self._replacement, text)

    def _replacement(self, match: re.Match[str]) -> str:
        found = match.group()
        spoken = self._lexicon.get(found.lower())
        if spoken is None:  # a case-insensitive match whose lower() differs (e.g. "İ")
            spoken = next(
                (v for k, v in self._lexicon.items() if re.fullmatch(re.escape(k), found, re.I)),
                found,
            )
        return spoken

    @staticmethod
    def _strip_symbols(text: str) -> str:
        return text if text.isascii() else _remove_symbols(text)

    def _roman_after_word(self, text: str) -> str:
        """ "Chapter IV" -> "Chapter four"; "Henry VIII" -> "Henry the eighth"; "Rocky IV" ->
        "Rocky four"."""
        if _has_roman_word(text):
            text = _ROMAN_AFTER_WORD.sub(self._roman, text)
        if _has_roman_after_name(text):
            text = _ROMAN_AFTER_NAME.sub(self._roman_after_name, text)
        return text

    def _roman_after_name(self, match: re.Match[str]) -> str:
        name, space, numeral = match.groups()
        value = str(_roman_value(numeral))
        if name in _REGNAL_NAMES:
            if numeral == "I" and not _lone_i_is_numeral(match):
                return match.group()
            return f"{name}{space}the {self._ordinal(value)}"
        if name in _NOT_TITLES or len(numeral) < 2 or not set(numeral) <= set("IVX"):
            return match.group()
        if (
            numeral == "IV"
            and match.start() == 0
            and _LOWERCASE_WORD.match(match.string, match.end())
        ):
            return match.group()  # "Give IV fluids", "Hospital IV bags": a drip, not a sequel
        return f"{name}{space}{self._integer(value)}"

    def _roman(self, match: re.Match[str]) -> str:
        words, numeral = match.group(1), match.group(2)
        if numeral == "I" and not words.startswith("World") and not _lone_i_is_numeral(match):
            return match.group()
        return words + self._integer(str(_roman_value(numeral)))

    # --- Number words -------------------------------------------------------------------------

    def _spell(self, digits: str) -> str:
        """Digit by digit: "007" -> "zero zero seven"."""
        assert self._digits is not None
        return " ".join(self._digits[int(d)] for d in digits)

    def _integer(self, digits: str) -> str:
        """A string of ASCII digits as a cardinal (digit by digit if long or zero-padded)."""
        if len(digits) > _MAX_DIGITS or (len(digits) > 1 and digits[0] == "0"):
            return self._spell(digits)
        return _words(int(digits), self._language) or self._spell(digits)

    def _number(self, token: str) -> str:
        """A written number (with group and decimal marks of the language) as words."""
        group, decimal = (",", ".") if self._english else (".", ",")
        whole, mark, fraction = token.partition(decimal)
        whole = whole.replace(group, "")
        if not mark:
            return self._integer(whole)
        if self._point is None:
            return token
        head = self._integer(whole) + " " if whole else ""
        return f"{head}{self._point} {self._spell(fraction)}"

    def _ordinal(self, digits: str) -> str:
        if len(digits) > _MAX_DIGITS:
            return self._spell(digits)
        return _words(int(digits), self._language, "ordinal") or self._spell(digits)

    def _year(self, digits: str) -> str:
        return _words(int(digits), self._language, "year") or self._integer(digits)

    # --- Number steps -------------------------------------------------------------------------

    def _iso_dates(self, text: str) -> str:
        """ "2024-03-15" -> "March fifteenth, 2024" (the year is read by the year rule)."""
        return _ISO_DATE.sub(self._iso_date, text)

    def _iso_date(self, match: re.Match[str]) -> str:
        year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return match.group()
        return f"{_MONTHS[month - 1]} {self._ordinal(str(day))}, {year}"

    def _slashed_dates(self, text: str) -> str:
        """ "3/4/2021" -> "March fourth, 2021" (US order; day first for other English regions
        and for dotted dates, "25.07.2012"); either order when only one makes a date."""
        return _SLASHED_DATE.sub(self._slashed_date, text) if "/" in text or "." in text else text

    def _slashed_date(self, match: re.Match[str]) -> str:
        first, separator, second, year = match.groups()
        if separator == "." and len(year) == 2:
            return match.group()  # a version number such as 1.2.10
        month_first = self._month_first and separator == "/"
        orders = [(first, second, True), (second, first, False)]
        for month, day, says_month_first in orders if month_first else orders[::-1]:
            if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
                name, ordinal = _MONTHS[int(month) - 1], self._ordinal(day)
                if says_month_first:
                    return f"{name} {ordinal}, {year}"
                window = match.string[max(0, match.start() - _THE_WINDOW) : match.start()]
                the = "" if _THE_BEFORE.search(window) else "the "
                return f"{the}{ordinal} of {name} {year}"
        return match.group()

    def _fractions(self, text: str) -> str:
        """ "1/4" -> "one quarter", "2/3" -> "two thirds", "3 1/2" -> "three and a half"; a
        slash left between numbers (not a date, not a fraction: "1/2/3/4") is "slash"."""
        if "/" not in text:
            return text
        return _NUMBER_SLASH.sub(" slash ", _FRACTION.sub(self._fraction, text))

    def _fraction(self, match: re.Match[str]) -> str:
        whole, numerator, denominator = match.group(1), int(match.group(2)), int(match.group(3))
        if (
            denominator < 2
            or numerator == denominator
            or (whole and numerator > denominator)
            or match.group() == "24/7"
        ):  # "24/7", "50/50", "1/1": two numbers; a mixed number's part must be proper
            said = f"{self._integer(match.group(2))} {self._integer(match.group(3))}"
            return f"{whole} {said}" if whole else said
        if denominator == 2:
            part = "half" if numerator == 1 else "halves"
        elif denominator == 4:
            part = "quarter" if numerator == 1 else "quarters"
        else:
            ordinal = self._ordinal(str(denominator))
            part = ordinal if numerator == 1 else f"{ordinal}s"
        if whole:
            count = "a" if numerator == 1 else self._integer(str(numerator))
            return f"{whole} and {count} {part}"
        return f"{self._integer(str(numerator))} {part}"

    def _addresses_and_versions(self, text: str) -> str:
        """ "192.168.0.1" -> "one nine two dot one six eight dot zero dot one"; "v2.3.1" ->
        "version two point three point one" (a bare "2.3.1" drops "version")."""
        if "." not in text:
            return text
        text = _IP_ADDRESS.sub(
            lambda m: " dot ".join(self._spell(part) for part in m.group().split(".")), text
        )
        return _VERSION.sub(self._version, text)

    def _version(self, match: re.Match[str]) -> str:
        parts = match.group(2).split(".")
        if not match.group(1) and len(parts) < 3:
            return match.group()  # "3.14" is a decimal, read by the plain number rule
        said = " point ".join(self._integer(part) for part in parts)
        return f"version {said}" if match.group(1) else said

    def _dimensions(self, text: str) -> str:
        """ "2x8", "3 x 4 x 5" -> "2 by 8", "3 by 4 by 5" (the numbers read later; the times
        sign is already "times")."""
        return (
            _DIMENSIONS.sub(lambda m: _DIMENSION_PART.sub(" by ", m.group()), text)
            if "x" in text
            else text
        )

    def _units(self, text: str) -> str:
        """ "12kg" -> "12 kilograms", "1 km" -> "1 kilometer", "30 km/h" -> "30 kilometers
        per hour", "12/kg" -> "12 per kilogram" (the numbers read later); "$.50" -> "$0.50"."""
        text = _CENTS_ONLY.sub(r"$0.\1", text)
        return _UNIT.sub(self._unit, text)

    def _unit(self, match: re.Match[str]) -> str:
        number, unit, glued, per = match.group(1), match.group(3), match.group(5), match.group(6)
        if unit is None and glued is None and per is None:
            return match.group()
        one = number == "1" or match.group(2) == "-" or _attributive(match)
        words = []
        if unit is not None or glued is not None:
            singular, plural = _UNITS.get(unit or "") or _GLUED_UNITS[glued]
            words.append(singular if one else plural)
        if per is not None:
            words.append(f"per {_PER_UNITS[per]}")
        return f"{number} {' '.join(words)}"

    def _digit_chains(self, text: str) -> str:
        """ "1-800-555-0199" -> digit groups read digit by digit."""
        return _DIGIT_CHAIN.sub(lambda m: ", ".join(map(self._spell, m.group().split("-"))), text)

    def _ranges(self, text: str) -> str:
        """ "5-7", "1990-1995" (or an en dash) -> "5 to 7", each side read by its own rule."""
        return _RANGE.sub(lambda m: f"{m.group(1)} to ", text)

    def _clock_times(self, text: str) -> str:
        """ "10:30 pm" -> "ten thirty p m"; "7am" -> "seven a m"."""
        text = _CLOCK.sub(self._clock, _DOTTED_CLOCK.sub(r"\1:\2", text))
        return _HOUR_AM_PM.sub(self._hour_am_pm, text)

    def _clock(self, match: re.Match[str]) -> str:
        hour, minute, second = int(match.group(1)), int(match.group(2)), match.group(3)
        am_pm = match.group(4)
        if hour > 24 or (am_pm and not 1 <= hour <= 12):
            return match.group()
        words = [self._integer(str(hour))]
        if minute == 0:
            if not am_pm:
                words.append("o'clock" if 1 <= hour <= 12 else "hundred")
        elif minute < 10:
            words.append("oh " + self._integer(str(minute)))
        else:
            words.append(self._integer(str(minute)))
        if second and int(second):
            unit = "second" if int(second) == 1 else "seconds"
            words.append(f"and {self._integer(str(int(second)))} {unit}")
        if am_pm:
            words.append(f"{am_pm[0].lower()} m")
        if match.group(5):
            words.append(_spelled_zone(match.group(5)))
        return _keep_final_period(match, " ".join(words))

    def _hour_am_pm(self, match: re.Match[str]) -> str:
        hour = int(match.group(1))
        if not 1 <= hour <= 12:
            return match.group()
        spoken = f"{self._integer(str(hour))} {match.group(2)[0].lower()} m"
        if match.group(3):
            spoken += " " + _spelled_zone(match.group(3))
        return _keep_final_period(match, spoken)

    def _dates(self, text: str) -> str:
        """ "March 15" -> "March fifteenth"; "15 March" -> "the fifteenth of March"."""
        text = _MONTH_DAY.sub(self._month_day, text)
        return _DAY_MONTH.sub(self._day_month, text)

    def _month_day(self, match: re.Match[str]) -> str:
        day = int(match.group(2))
        if not 1 <= day <= 31:
            return match.group()
        month = _month_name(match.group(1))
        return f"{month} {self._ordinal(str(day))}"

    def _day_month(self, match: re.Match[str]) -> str:
        day = int(match.group(1))
        if not 1 <= day <= 31:
            return match.group()
        month = _month_name(match.group(2))
        window = match.string[max(0, match.start() - _THE_WINDOW) : match.start()]
        the = "" if _THE_BEFORE.search(window) else "the "
        return f"{the}{self._ordinal(str(day))} of {month}"

    def _signs(self, text: str) -> str:
        """ "-5" -> "minus 5" where the hyphen starts a number."""
        if self._minus is None:
            return text
        return _SIGN.sub(f"{self._minus} ", text)

    def _money(self, text: str) -> str:
        """ "$5.99" -> "five dollars and ninety-nine cents"; "$3m" -> "three million dollars"."""
        return _MONEY.sub(self._amount, text)

    def _amount(self, match: re.Match[str]) -> str:
        currency = _CURRENCIES[match.group(1)]
        number = match.group(2)
        scale = match.group(3) or _SCALE_ABBREVIATIONS.get(match.group(4) or "")
        before = match.string[match.start() - 1 : match.start()]
        lead = " " if before.isalnum() else ""
        whole, _, fraction = number.replace(",", "").partition(".")
        if scale:
            return f"{lead}{self._number(number)} {scale} {currency.many}"
        if fraction and (len(fraction) > 2 or currency.cents is None):
            return f"{lead}{self._number(number)} {currency.many}"
        cents = int(fraction.ljust(2, "0")) if fraction else 0
        parts = []
        if cents == 0 or whole.strip("0"):
            unit = currency.one if whole.lstrip("0") == "1" else currency.many
            parts.append(f"{self._integer(whole)} {unit}")
        if cents and currency.cent and currency.cents:
            unit = currency.cent if cents == 1 else currency.cents
            parts.append(f"{self._integer(str(cents))} {unit}")
        return lead + " and ".join(parts)

    def _decades(self, text: str) -> str:
        """ "1990s" -> "nineteen nineties"; "'80s" -> "eighties"."""
        return _DECADE.sub(self._decade, text)

    def _decade(self, match: re.Match[str]) -> str:
        short, year = match.group(1) or match.group(3), match.group(2)
        return _plural(self._year(year) if year else self._integer(short))

    def _ordinals(self, text: str) -> str:
        """ "22nd" -> "twenty-second"; "2 nd" too, when the suffix is the number's own."""
        text = _SPACED_ORDINAL.sub(self._spaced_ordinal, text)
        return _ORDINAL.sub(lambda m: self._ordinal(m.group(1).replace(",", "")), text)

    def _spaced_ordinal(self, match: re.Match[str]) -> str:
        digits, suffix = match.group(1), match.group(2).lower()
        last_two = int(digits[-2:])
        own = (
            "th"
            if 11 <= last_two % 100 <= 13
            else {1: "st", 2: "nd", 3: "rd"}.get(last_two % 10, "th")
        )
        return self._ordinal(digits) if suffix == own else match.group()

    def _percent(self, text: str) -> str:
        """ "3.5%" -> "three point five percent" (other languages keep the "%" sign)."""
        if "%" not in text:
            return text
        if self._english:
            return _PERCENT_EN.sub(lambda m: f"{self._number(m.group(1))} percent", text)
        return _PERCENT_OTHER.sub(lambda m: f"{self._number(m.group(1))} %", text)

    def _plain_numbers(self, text: str) -> str:
        """Years, decimals, grouped and plain numbers to words."""
        if self._english:
            return _PLAIN_EN.sub(self._plain_english, text)
        return _PLAIN_OTHER.sub(lambda m: self._number(m.group(1)), text)

    def _plain_english(self, match: re.Match[str]) -> str:
        token = match.group(1)
        if token is None:
            return self._number(match.group(2))
        if _YEAR.fullmatch(token) or (
            _EARLY_YEAR.fullmatch(token) and self._early_year(match.string, *match.span(1))
        ):
            return self._year(token)
        return self._number(token)

    @staticmethod
    def _early_year(text: str, start: int, end: int) -> bool:
        """Whether 1000-1099 at text[start:end] is a year: before "AD" or "BC", or after "in",
        "since", "AD"... and not before a noun it counts."""
        if _ERA.match(text, end):
            return True
        return not _COUNTED_NOUN.match(text, end) and bool(
            _BEFORE_EARLY_YEAR.search(text, 0, start)
        )


def load_lexicon(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a TOML lexicon of ``word = "replacement"`` pairs (top level or a ``[words]`` table)."""
    import tomllib  # Python 3.11+; imported here so the rest of the module works on 3.10

    name = os.fspath(path)
    file = Path(path)
    if file.is_dir():
        raise InputError(f"{name} is a directory, not a lexicon file")
    try:
        source = file.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as error:
        raise InputError(f"cannot read {name}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not valid UTF-8 (byte {error.start})") from None
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{name}: not valid TOML ({_toml_problem(str(error))})") from None
    table = data.get("words")
    pairs = [(k, v) for k, v in data.items() if k != "words" or not isinstance(v, dict)]
    if isinstance(table, dict):
        pairs += table.items()
    lexicon: dict[str, str] = {}
    seen: dict[str, str] = {}
    for word, value in pairs:
        if not word.strip():
            raise InputError(f"{name}: a word must not be empty")
        if not isinstance(value, str):
            raise InputError(f"{name}: {word!r} must map to a string")
        if not value.strip():
            raise InputError(f"{name}: {word!r} must not map to an empty string")
        if word.lower() in seen:
            raise InputError(
                f"{name}: {word!r} is given twice ({seen[word.lower()]!r}; case is ignored)"
            )
        seen[word.lower()] = word
        lexicon[word] = value
    return lexicon


def _toml_problem(message: str) -> str:
    """ "Invalid value (at line 2, column 5)" -> "line 2: Invalid value"."""
    found = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if found:
        return f"line {found.group(1)}: {message[: found.start()]}"
    return message.replace(" (at end of document)", " at the end")

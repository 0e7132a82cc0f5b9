"""English words for what is written without them: web addresses, phone numbers, abbreviations,
roman numerals after a name, and symbols.

- Web addresses: "example dot com" ("link" where a URL has no host), "www" as "w w w", a hyphen
  as "dash", a top-level domain in `words.SPELLED_TOP_LEVEL_DOMAINS` spelled ("dot e d u"), a
  port digit by digit after "colon"; a short plain path after it (see web) read mark by mark
  with its numbers ("slash forty-seven dash docs", a year as a year); a file extension
  standing alone (``.zst``, ``.tar.gz``, ``.NET``) "dot" and its letters; e-mail addresses spelled
  out (``j_smith+news@mail.example.com`` "j underscore smith plus news at mail dot example dot
  com"); digits in a user name or a host read one by one ("abc one two three dot com").
- Phone numbers in the common national and international forms (``(555) 123-4567``, ``+44 20 7946
  0958``, ``+49 30 12345678``, ``555.123.4567``, ``555 123 4567`` after a word such as call,
  phone or at, ``555-0100``, ``020 7946 0018``, ``07700 900461``) digit by digit, group by group;
  so is a number of three or more digits after dial, call, ring, text or phone in any form
  (`words.DIAL_VERBS`: "call 999", "dialled 112"), unless it is a year after a verb other than
  dial ("called 1990 a good year") or counts the plural noun after it ("called 300 voters").
- Abbreviations (`words.ABBREVIATIONS`; `words.BEFORE_NUMBER` only before a number, "ext. 56"
  "extension five six"; `words.TITLES` only before a capitalised name; `words.STREETS` after a
  name or an ordinal, "St." and "Dr." elsewhere "Saint" before a name and "Doctor"); a final
  period stays when one ends the text.
- Roman numerals after Chapter/Part/Book/Episode/Stage/... and World War as cardinals, after a
  monarch's or pope's name (`words.REGNAL_NAMES`) as ordinals ("Henry the eighth"; a lone I only
  before a pause, the end, "of", "and" or "'s": "Mary I love you" is the pronoun), after another
  capitalised name as cardinals when of two or more I, V and X ("Rocky four"; "Malcolm X" and
  "Part D" stay, since L, C, D or M alone is a letter).
- Symbols: ``&`` (or ``&&``) "and"; ``=`` (to ``===``) "equals", ``!=`` "not equal to", four or
  more ``=`` (a rule) nothing; ``+`` "plus" between words or before a number (``C++`` stays); ``#``
  "number" before a digit, "sharp" after a note letter (``C#``), "hashtag" before a word, nothing
  elsewhere; ``@`` "at"; ``~`` "about" before a number; the times sign between numbers "by" (a
  size, "eight by eight"), but "times" before a power or where "=" follows in the sentence, and
  elsewhere, as is ``*`` between numbers; ``^`` and ``**`` "to the power of" (``2^10``, ``x^2``,
  ``10^-3``); ``\\`` "backslash"; the degree, divided-by and plus-minus
  signs. Any other ``*`` or ``^`` says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from audio_edition.text.normalize.common import (
    abbreviation_goes_on,
    alternation,
    keep_final_period,
)
from audio_edition.text.normalize.languages.en.numbers import (
    NUMBERS,
    PLURAL_NEXT,
    YEAR,
    after_name,
)
from audio_edition.text.normalize.languages.en.words import (
    ABBREVIATIONS,
    BEFORE_DIGITS,
    BEFORE_NUMBER,
    CALL_VERBS,
    DIAL_VERBS,
    MONTH_ABBREVIATIONS,
    NOT_TITLES,
    PHONE_CUES,
    PHONE_DIGITS,
    REGNAL_NAMES,
    ROMAN_WORDS,
    SERVICE_NUMBERS,
    SPELLED_TOP_LEVEL_DOMAINS,
    STREETS,
    TITLES,
)
from audio_edition.text.normalize.numbers import ROMAN_NUMBER, lone_i_is_numeral, roman_value

# --- Web addresses ----------------------------------------------------------------------------

_DIGIT_RUN = re.compile("[0-9]+")
_LOCAL_PART_SYMBOLS = {".": " dot ", "_": " underscore ", "+": " plus ", "-": " dash "}


def _dictated(part: str) -> str:
    """A user name or host label with its digits read one by one and its hyphens "dash":
    "abc-123" -> "abc dash one two three", as an address is dictated."""
    part = part.replace("-", " dash ")
    return " ".join(_DIGIT_RUN.sub(lambda m: " " + NUMBERS.spell(m.group()) + " ", part).split())


def _label(label: str, last: bool) -> str:
    """A host's label as said: "www" and a top-level domain read as letters spelled."""
    if label == "www" or (last and label in SPELLED_TOP_LEVEL_DOMAINS):
        return " ".join(label)
    return _dictated(label)


def say_host(host: str | None) -> str:
    """ "www.example.co.uk" -> "w w w dot example dot co dot u k"; "localhost:8080" ->
    "localhost colon eight zero eight zero"; "link" where there is no host."""
    if not host:
        return "link"
    name, _, port = host.partition(":")
    labels = name.split(".")
    said = " dot ".join(_label(label, i == len(labels) - 1) for i, label in enumerate(labels))
    return f"{said} colon {NUMBERS.spell(port)}" if port else said


_PATH_MARKS = {"/": " slash ", "-": " dash ", "_": " underscore ", ".": " dot "}
_PATH_MARK = re.compile("[/_.-]")


def say_path(path: str) -> str:
    """ "/47-docs" -> "slash forty-seven dash docs"; "/2023" -> "slash twenty twenty-three"."""
    said = _PATH_MARK.sub(lambda m: _PATH_MARKS[m.group()], path)
    return " ".join(_DIGIT_RUN.sub(lambda m: f" {_path_number(m.group())} ", said).split())


def _path_number(digits: str) -> str:
    """A number in a path: a year as a year, any other in words."""
    return NUMBERS.year(digits) if YEAR.fullmatch(digits) else NUMBERS.integer(digits)


_FILE_EXTENSION = re.compile(r"(?<![\w.])(?:\.[A-Za-z][A-Za-z0-9]{0,4})+(?!\w|\.\w)")


def file_extensions(text: str) -> str:
    """ ".zst", ".tar.gz" standing alone -> "dot zst", "dot tar dot gz" (the letters left for the
    engine, which spells what it cannot say)."""
    if "." not in text:
        return text
    return _FILE_EXTENSION.sub(lambda m: m.group().replace(".", " dot "), text)


def say_email(user: str, domain: str) -> str:
    """ "mary-ann", "Example.com" -> "mary dash ann at example dot com"."""
    local = re.sub(r"[._+-]", lambda m: _LOCAL_PART_SYMBOLS[m.group()], user)
    return f"{_dictated(local)} at {say_host(domain.lower())}"


# --- Phone numbers ----------------------------------------------------------------------------

_PHONE = re.compile(
    r"(?<![\w.+(-])(?:"
    r"(?:\+1[ .-]?)?\([0-9]{3}\)[ .-]?[0-9]{3}[ .-][0-9]{4}"  # (555) 123-4567
    r"|\+[0-9]{1,3}(?:[ .-]\(?[0-9]{1,4}\)?){1,4}[ .-][0-9]{2,8}"  # +44 20 7946 0958, +49 30 12345
    r"|[0-9]{3}\.[0-9]{3}\.[0-9]{4}"  # 555.123.4567
    r"|[0-9]{3}-0[0-9]{3}|555-[0-9]{4}"  # 555-0100, 555-1234 (not a range: 100-1000)
    r"|0[0-9]{2,4} [0-9]{3,4} [0-9]{3,4}"  # 020 7946 0018
    r"|0[0-9]{3,4} [0-9]{6}"  # 07700 900461
    r"|[2-9][0-9]{2} [0-9]{3} [0-9]{4}"  # 555 123 4567 (after "call", "phone", ...)
    r")(?![\w-])(?![.,][0-9])"
)
_SPACED_PHONE = re.compile(r"[0-9]{3} [0-9]{3} [0-9]{4}")
_PHONE_CUE = re.compile(
    r"\b(?:" + "|".join(map(re.escape, PHONE_CUES)) + r")\b[\s:.]*\Z", re.IGNORECASE
)


# A number of three or more digits right after "dial", "call", "text"... ("call 999").
_DIALLED = re.compile(
    r"(?<![\w-])(?i:("
    + alternation((*DIAL_VERBS, *CALL_VERBS))
    + r"))(\s+)([0-9]{3,})(?![\w-]|[.,:/]?[0-9])"
)


def phones(text: str) -> str:
    """ "(555) 123-4567", "+44 20 7946 0958", "555.123.4567" -> digit groups read digit by
    digit ("plus four four, two zero, ..."), before "+" is read as a sign; "call 999" -> "call
    nine nine nine"."""
    return _DIALLED.sub(_dialled, _PHONE.sub(_phone, text))


def _phone(match: re.Match[str]) -> str:
    if _SPACED_PHONE.fullmatch(match.group()) and not _PHONE_CUE.search(
        match.string, max(0, match.start() - 30), match.start()
    ):
        return match.group()  # "Rooms 201 305 1200": numbers, unless a phone is named
    groups = re.findall(r"[0-9]+", match.group())
    said = ", ".join(NUMBERS.spell(group) for group in groups)
    return f"plus {said}" if match.group().startswith("+") else said


def _dialled(match: re.Match[str]) -> str:
    """ "dial 1471", "call 911", "phoned 5551234" digit by digit; "called 300 of our customers",
    "dialled 300 numbers" as numbers."""
    verb, space, digits = match.groups()
    if verb.lower() in CALL_VERBS:
        dialled = digits in SERVICE_NUMBERS or len(digits) >= PHONE_DIGITS
    else:
        dialled = PLURAL_NEXT.match(match.string, match.end()) is None
    return f"{verb}{space}{NUMBERS.spell(digits)}" if dialled else match.group()


# --- Abbreviations ----------------------------------------------------------------------------

_PRE_NAME_STREETS = frozenset(("St.", "Dr."))  # "St. John" is Saint, "Dr. Who" Doctor
_NAME_NEXT = r"\s*(?!(?:" + "|".join(NOT_TITLES) + r")\b)[A-Z]"  # a title's name, not "He"
_NUMBER_NEXT = r"\s*(?:[0-9]|[IVXLC]+(?![\w.]))"  # after "p.", "Vol." (a roman numeral too)
_DIGIT_NEXT = r"\s*[0-9]"  # after "ext."; after a month ("FEB. 9")
_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(
        re.escape(key) + ("" if key.endswith(".") else r"(?![\w.])")
        for key in sorted(ABBREVIATIONS.keys() - STREETS.keys(), key=len, reverse=True)
    )
    + "|"
    + alternation(STREETS)
    + "|"
    + alternation(TITLES, f"(?={_NAME_NEXT})")
    + "|(?:"
    + alternation(BEFORE_DIGITS)
    + r")\s*([0-9]+)|"
    + alternation(BEFORE_NUMBER, f"(?={_NUMBER_NEXT})")
    + ")"
)
# A period that may end an abbreviation or sit inside a word ("e.g", "example.com").
_INNER_OR_ABBREVIATION_DOT = re.compile(
    r"\.(?:(?=\w)|"
    + "|".join(
        f"(?<={re.escape(key)})"
        for key in sorted({*ABBREVIATIONS, *STREETS, *TITLES, *BEFORE_NUMBER, *BEFORE_DIGITS})
        if "." in key
    )
    + ")"
)
_CAPITAL_NEXT = re.compile(r"\s*[A-Z]")


def abbreviations(text: str) -> str:
    """Abbreviations to words."""
    if "vs" in text or _INNER_OR_ABBREVIATION_DOT.search(text):
        return _ABBREVIATION.sub(_abbreviation, text)
    return text


def _abbreviation(match: re.Match[str]) -> str:
    found = match.group()
    if match.group(1):  # "ext. 56": the digits one by one, after a pause if a number is before
        lead = ", " if match.string[: match.start()].rstrip()[-1:].isdigit() else ""
        word = BEFORE_DIGITS[found[: -len(match.group(1))].rstrip()]
        return f"{lead}{word} {NUMBERS.spell(match.group(1))}"
    if found in STREETS:
        spoken = _street(match)
        if spoken is None:
            return found
    elif found in TITLES:
        spoken = TITLES[found]
    elif found in BEFORE_NUMBER:
        spoken = BEFORE_NUMBER[found]
    else:
        spoken = ABBREVIATIONS[found]
    return keep_final_period(match, spoken)


def _street(match: re.Match[str]) -> str | None:
    """ "Ave." after a name is "Avenue"; "St." and "Dr." before a name "Saint" and "Doctor";
    None for another street word not after a name (left as written)."""
    found, text = match.group(), match.string
    before_name = _CAPITAL_NEXT.match(text, match.end()) is not None
    if after_name(text, match.start()) and not (found in _PRE_NAME_STREETS and before_name):
        return STREETS[found]
    if found == "St.":
        return "Saint" if before_name else "Street"
    return ABBREVIATIONS.get(found)


def _next_is(follows: str) -> Callable[[str], bool]:
    pattern = re.compile(follows)
    return lambda after: pattern.match(after) is not None


_GOES_ON = (
    abbreviation_goes_on(TITLES, _next_is(_NAME_NEXT)),
    abbreviation_goes_on(BEFORE_NUMBER, _next_is(_NUMBER_NEXT)),
    abbreviation_goes_on(
        [f"{case}." for month in MONTH_ABBREVIATIONS for case in (month, month.upper())]
        + list(BEFORE_DIGITS),
        _next_is(_DIGIT_NEXT),
    ),
)


def sentence_goes_on(before: str, after: str) -> bool:
    """Whether a sentence the splitter ended after an abbreviation goes on in the next: a
    title before a name ("Lt." and "Dan"), "p." or "Vol." before a number or numeral, "ext." or
    a month before digits ("FEB." and "9 2021")."""
    return any(goes_on(before, after) for goes_on in _GOES_ON)


# --- Roman numerals after a word or a name ----------------------------------------------------

_ROMAN_AFTER_WORD = re.compile(
    r"\b((?:(?i:" + "|".join(ROMAN_WORDS) + r")|World War)\s+)(" + ROMAN_NUMBER
    + r")(?![\w'-])"
)  # fmt: skip
# A numeral after a capitalised name: an ordinal after a monarch's, otherwise (a sequel,
# "Rocky IV", "Final Fantasy VII") a cardinal of two or more of I, V and X (not "XXX").
_ROMAN_AFTER_NAME = re.compile(r"\b([A-Z][a-z]+)(\s+)(" + ROMAN_NUMBER + r")(?![\w'-])(?<!XXX)")
_LOWERCASE_WORD = re.compile(r"\s+(?!(?:is|was|has|had|and)\b)[a-z]")


def _has_roman_word(text: str) -> bool:
    lowered = text.lower()
    return "World War " in text or any(word in lowered for word in ROMAN_WORDS)


def _has_roman_after_name(text: str) -> bool:
    return any(ch in text for ch in "IVX") and _ROMAN_AFTER_NAME.search(text) is not None


def roman_numerals(text: str) -> str:
    """ "Chapter IV" -> "Chapter four"; "Henry VIII" -> "Henry the eighth"; "Rocky IV" ->
    "Rocky four"."""
    if _has_roman_word(text):
        text = _ROMAN_AFTER_WORD.sub(NUMBERS.numeral, text)
    if _has_roman_after_name(text):
        text = _ROMAN_AFTER_NAME.sub(_roman_after_name, text)
    return text


def _roman_after_name(match: re.Match[str]) -> str:
    name, space, numeral = match.groups()
    value = str(roman_value(numeral))
    if name in REGNAL_NAMES:
        if numeral == "I" and not lone_i_is_numeral(match):
            return match.group()
        return f"{name}{space}the {NUMBERS.ordinal(value)}"
    if name in NOT_TITLES or len(numeral) < 2 or not set(numeral) <= set("IVX"):
        return match.group()
    if numeral == "IV" and match.start() == 0 and _LOWERCASE_WORD.match(match.string, match.end()):
        return match.group()  # "Give IV fluids", "Hospital IV bags": a drip, not a sequel
    return f"{name}{space}{NUMBERS.integer(value)}"


# --- Symbols ----------------------------------------------------------------------------------

# The times sign between numbers, not before a power ("6.02 times 10^23"), in a sentence with
# no "=" ("3 times 4 = 12"): a size, "eight by eight".
_BY = re.compile(r"(?<=[0-9])\s*\u00d7\s*(?=[0-9])(?![0-9.]+\s*(?:\^|\*\*))")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?!\S)")
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


def symbols(text: str) -> str:
    """Words for symbols (& = + # @ ~ \\ ° * ^, times, divided by, plus-minus)."""
    if "\u00d7" in text:
        text = "".join(map(_sizes, _SENTENCE_END.split(text)))
    for symbol, pattern, words in _SYMBOLS:
        if symbol in text:
            text = pattern.sub(words, text)
    return text


def _sizes(sentence: str) -> str:
    """The times sign between numbers as "by" in a sentence that is no equation (has no "=")."""
    return sentence if "=" in sentence else _BY.sub(" by ", sentence)


def might_change(text: str) -> bool:
    """Whether an abbreviation or a roman numeral after a word or name is in ASCII `text`."""
    return bool(
        "vs" in text
        or _INNER_OR_ABBREVIATION_DOT.search(text)
        or (_has_roman_word(text) and _ROMAN_AFTER_WORD.search(text))
        or _has_roman_after_name(text)
    )

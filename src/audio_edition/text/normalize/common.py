"""The rules for every language: typography, symbols an engine would name, long codes, angle
brackets and placeholders, dashes, marks that are only markup, and tidying.

- Typography: curly quotes and primes become ``'``, and so does a backtick between letters
  (``don`t``); any other backtick (code quoted in Markdown) is dropped; double quotes of every
  kind are dropped (engines ignore them or say "quote"); ``…`` becomes ``...``; odd spaces become
  spaces; a thin or no-break space between digit groups ("1 000 000") joins them.
- Long codes, which no narrator reads out: a hash or other run of 16 or more hex digits, a UUID,
  and a key or base64 run of 24 or more letters, digits, ``+ / = _ -`` mixing capitals, small
  letters and two digits or more, become the language's words for a long code; so does any such
  run of 40 or more with a letter and a digit (digits alone are a number). Runs inside a URL, a
  path or an e-mail address are left to the web step.
- Emoji (by the `emoji` package) and characters an engine would name (categories So, Sk, Co, Cn,
  Cs, Cf, Me, controls, arrows, bullets, ™ ® ©) are removed; the degree sign stays.
- Angle brackets, which eSpeak NG reads as pauses and SAPI5 as "less than": a placeholder reads as
  what it holds (``<count>`` "count", ``<input-file>`` and ``<input_file>`` "input file",
  ``<file name>`` "file name", ``<jane@example.org>`` the address); arrows (``->``, ``-->``,
  ``<-``, ``=>``, ``<=>``, ``<->``), ``<<``, ``>>`` and ``<>`` say nothing, like the arrow
  characters; ``<`` and ``>`` between words, glued between one-letter names (``a<b``, ``b>c``)
  or before a number, and ``<=`` and ``>=`` anywhere, are comparisons, said in the language's
  words (or left as a spaced sign for the engine). Any other ``<`` or ``>`` is dropped
  (``List<String>``, a quoting ``>``).
- Dashes between words (em, en, ``--``, a spaced hyphen) become ", "; between numbers, or
  between times with "am" or "pm" ("8 am - 6 pm"), they stay for the range rules ("5 am - 6 of
  us" is a pause).
- Marks that are only markup: emoticons (``:)``, ``;-)``, ``:D``) and ``~`` not before a number
  say nothing; ``_`` is a space (``snake_case``; ``1_000`` is 1000); ``|`` is a pause (", ");
  ``!`` before a word is dropped (``!important``) or, inside one, ends it (``Wow!It``). Left for
  the engine, which says what a narrator would: ``$`` "dollar", ``%`` "percent", ``/`` "slash",
  and punctuation (``. , ; : ! ? ' ( ) [ ] { } -``).
- Tidying: whitespace collapsed, spaces before punctuation removed; a result with no letter or
  digit is "" (callers treat wordless text as a pause).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

import emoji

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
_CODE_QUOTE = re.compile(r"`(?<![^\W\d_]`(?=[^\W\d_]))")  # not between letters ("don`t")


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


_TYPOGRAPHY_CHARS = re.compile(_char_class(map(ord, _TYPOGRAPHY)))


def typography(text: str) -> str:
    """Plain quotes, dashes, spaces and ellipses."""
    if not text.isascii():
        text = _GROUP_SPACE.sub("", text)
    if "`" in text:
        text = _CODE_QUOTE.sub(" ", text)
    return _TYPOGRAPHY_CHARS.sub(lambda m: _TYPOGRAPHY[m.group()], text)


# --- Symbols an engine would name -------------------------------------------------------------

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


def strip_symbols(text: str) -> str:
    """Remove emoji and characters an engine would name by code point."""
    if text.isascii():
        return text
    gate, to_space, to_delete = _unicode_patterns()
    if gate.search(text) or _ASTRAL.search(text):
        text = emoji.replace_emoji(text, replace=" ")
    text = to_delete.sub("", text)
    text = to_space.sub(" ", text)
    if _ASTRAL.search(text):
        text = _ASTRAL.sub(lambda m: _char_action(m.group()), text)
    return text


# --- Long codes -------------------------------------------------------------------------------

_CODE_RUN = re.compile(r"(?<![\w./:@+=\\-])[A-Za-z0-9+/=_-]{16,}(?![\w/:@+=\\-])(?!\.\w)")
_HEX_CODE = re.compile(
    r"(?=[-0-9a-fA-F]*[0-9])(?=[-0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]+(?:-[0-9a-fA-F]+)*"
)


def _is_long_code(token: str) -> bool:
    """A hash, UUID, key or base64 run rather than something to read."""
    if "/" in token.strip("/") and not any(c.isupper() for c in token):
        return False  # a path such as v1/users/12345/orders
    digits = sum(c.isdigit() for c in token)
    if len(token) >= 40 and digits and any(c.isalpha() for c in token):
        return True
    if _HEX_CODE.fullmatch(token):
        return True
    mixed = any(c.isupper() for c in token) and any(c.islower() for c in token)
    return len(token) >= 24 and mixed and digits >= 2


def long_codes(text: str, said: str) -> str:
    """Long codes (hashes, keys, base64) to `said`: a short description, or a pause."""
    if len(text) < 16:
        return text
    return _CODE_RUN.sub(lambda m: said if _is_long_code(m[0]) else m[0], text)


# --- Angle brackets ---------------------------------------------------------------------------

# A placeholder ("<count>", "<input-file>", "<https://example.com>"): brackets round a word and
# up to 40 characters, not right after a letter or digit ("List<String>" is no placeholder).
_PLACEHOLDER = re.compile(r"(?<!\w)<(\w(?:[^<>]{0,38}[^\s<>])?)>")
_PLACEHOLDER_NAME = re.compile(r"[\w -]+")
# Arrows, shifts and "<>" say nothing, as arrow characters do ("<-5" is "less than minus five").
_ARROW = re.compile(r"<=+>|<-+>|<-+(?![0-9])|-+>|=+>|<<+|>>+|<>")
# A comparison: a sign between words, glued between one-letter names ("a<b", not
# "List<String>") or before a number, "<=" or ">=" also between letters. Any other "<" or ">" is
# dropped.
_ANGLE = re.compile(
    r"(?<=\S)[ \t]+([<>]=?)[ \t]+(?=\S)"
    r"|((?<=\S)[<>]=(?=\S)|[<>]=?(?=[ \t]?-?[$£€¥]?\.?[0-9])|(?<=(?<!\w)\w)[<>](?=\w(?!\w)))"
    r"|[<>]=?"
)


def angle_brackets(text: str, comparisons: Mapping[str, str]) -> str:
    """Placeholders to their words, arrows dropped, comparisons to `comparisons` ("<", ">", "<=",
    ">=" to what is said), any other "<" or ">" gone."""
    if "<" not in text and ">" not in text:
        return text
    text = _PLACEHOLDER.sub(_placeholder, text)
    text = _ARROW.sub(" ", text)
    return _ANGLE.sub(lambda m: _comparison(m, comparisons), text)


def _placeholder(match: re.Match[str]) -> str:
    """ "<input-file>" -> "input file"; "<jane@example.org>" keeps its inside."""
    inside = match.group(1)
    if _PLACEHOLDER_NAME.fullmatch(inside):
        inside = inside.replace("_", " ").replace("-", " ")
    return f" {inside} "


def _comparison(match: re.Match[str], comparisons: Mapping[str, str]) -> str:
    """A comparison as said; any other angle bracket a space."""
    sign = match.group(1) or match.group(2)
    if sign is None:
        return " "
    return f" {comparisons[sign]} "


# --- Dashes and marks -------------------------------------------------------------------------

_DASH = re.compile(r"[\u2013\u2014\u2015]|--+|(?<=\s)-(?=\s)")
_AM_PM = r"[0-9]{1,2}(?::[0-9]{2})?\s?[AaPp]\.?[Mm]\.?"
_TIME_BEFORE = re.compile(r"(?<![\w.])" + _AM_PM + r"\Z")
_TIME_AFTER = re.compile(_AM_PM + r"(?!\w)")


def dashes(text: str) -> str:
    """Dashes between words to a comma; dashes between digits stay for the range step."""
    return _DASH.sub(_dash, text)


def _dash(match: re.Match[str]) -> str:
    text = match.string
    before, after = match.start() - 1, match.end()
    while before >= 0 and text[before].isspace():
        before -= 1
    while after < len(text) and text[after].isspace():
        after += 1
    if after < len(text) and text[after].isdigit():
        if before >= 0 and text[before].isdigit():
            return match.group()  # between digits: a range
        if _TIME_BEFORE.search(text, max(0, before - 8), before + 1) and _TIME_AFTER.match(
            text, after
        ):
            return match.group()  # between times: "8 am - 6 pm"
    return " , "


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
        (r"~(?!\s?[$£€¥]?[0-9])", " "),  # a language may say "about" before a number
    )
)
_STARS = re.compile(r"[*^]+")


def marks(text: str) -> str:
    """Marks that are only markup (emoticons, "_", "|", "~", "!x") to spaces or pauses."""
    if not _MARK_GATE.search(text):
        return text
    for pattern, words in _MARKS:
        text = pattern.sub(words, text)
    return text


def drop_stars(text: str) -> str:
    """Asterisks and carets, which engines name, as spaces (for a language with no words for
    them)."""
    return _STARS.sub(" ", text) if "*" in text or "^" in text else text


def alternation(words: Iterable[str], after: str = "") -> str:
    """A regex matching any of `words` (the longest first), each followed by `after`."""
    return "|".join(re.escape(word) + after for word in sorted(words, key=len, reverse=True))


def _small_or_digit(after: str) -> bool:
    return after[:1].isdigit() or after[:1].islower()


def abbreviation_goes_on(
    written: Iterable[str], follows: Callable[[str], bool] = _small_or_digit
) -> Callable[[str, str], bool]:
    """Whether a sentence the splitter ended after one of the abbreviations `written` goes on:
    it does when the next `follows` one (by default when it starts with a digit or a small
    letter: "la pág." and "45 y ..."), or when the two make one abbreviation of several parts
    ("EE." and "UU. el año")."""
    keys = list(written)
    ending = re.compile(
        r"(?<![\w.])(?:" + alternation(key for key in keys if key.endswith(".")) + r")\Z"
    )
    parted = [key for key in keys if ". " in key]
    spanning = re.compile(r"(?<![\w.])(?:" + alternation(parted) + ")") if parted else None
    reach = max(map(len, parted), default=0)

    def split_one(before: str, after: str) -> bool:
        if spanning is None:
            return False
        head = before[-reach - 1 :]
        seam = spanning.finditer(f"{head} {after[:reach]}")
        return any(m.start() < len(head) < m.end() - 1 for m in seam)

    def goes_on(before: str, after: str) -> bool:
        return split_one(before, after) or (follows(after) and ending.search(before) is not None)

    return goes_on


# --- The fast path and tidying ----------------------------------------------------------------

# ASCII characters some step acts on (with _WORD_MARK, _INNER_DOT, "://", dashes).
_WORK_CHARS = re.compile(r"[0-9&=+#@~%$\"`*^<>|_\\\x00-\x08\x0e-\x1f\x7f]")
_INNER_DOT = re.compile(r"\.(?=\w)")  # "example.com", "v2.1"
_SPACED_HYPHEN = re.compile(r"\s-\s")
_BLANK_TO_END = re.compile(r"\s*\Z")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|\{\s*\}")
_COMMA_RUN = re.compile(r",(?: ?,)+")
_COMMA_BEFORE_STOP = re.compile(r",+(?=[.;:!?])")
_LEADING_JUNK = re.compile(r"^(?:[ ,;:]|-(?= ))+")
HAS_WORD = re.compile(r"[^\W_]")
"""A letter or digit."""


def might_change(text: str) -> bool:
    """Whether a common step could change ASCII `text` (otherwise it only needs tidying)."""
    return bool(
        _WORK_CHARS.search(text)
        or _WORD_MARK.search(text)
        or _INNER_DOT.search(text)
        or "://" in text
        or "--" in text
        or ("-" in text and _SPACED_HYPHEN.search(text))
    )


def tidy(text: str) -> str:
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
    return text if HAS_WORD.search(text) else ""


def keep_final_period(match: re.Match[str], spoken: str) -> str:
    """`spoken` for `match`: a final period kept if it ends the text; a space before a word."""
    if match.group().endswith(".") and _BLANK_TO_END.match(match.string, match.end()):
        return spoken + "."
    return spoken + " " if match.string[match.end() : match.end() + 1].isalnum() else spoken

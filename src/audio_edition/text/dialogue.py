"""Dialogue in a document's paragraphs: which spans are quoted speech, and who says each.

No model: quotation marks find the spans, and a span is speech when it opens a sentence (or
follows a speech verb's comma) and reads like speech (punctuation inside its closing mark, an
attribution after it, or a quotation carried over from the paragraph before). Its speaker
comes from markup, else from an attribution next to it ("said Holmes", "he asked"), else from
another attribution in its paragraph, else from the narration just before it ("Holmes
chuckled. “…”"), else from the exchange (the person the last turn addressed, or the speaker
two turns back), else it is SOMEONE. Attributions, names and pronouns are read in English
only; in other languages speakers come from markup and the exchange. The scan is linear in
the text: every lookup around a quotation reads a bounded window.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from audio_edition.document import SOMEONE

SPEECH_VERBS: tuple[str, ...] = (
    "said", "says", "asked", "asks", "replied", "replies", "answered", "answers", "cried",
    "cries", "shouted", "whispered", "exclaimed", "called", "continued", "added", "remarked",
    "observed", "muttered", "murmured", "returned", "began", "repeated", "insisted",
    "explained", "suggested", "declared", "interrupted", "responded", "snapped", "demanded",
    "inquired", "enquired", "admitted", "protested", "agreed", "retorted", "urged", "pleaded",
    "ejaculated", "stammered", "growled", "gasped", "yelled", "screamed", "roared", "sobbed",
    "hissed", "concluded", "persisted", "ventured", "objected", "warned", "went on",
)  # fmt: skip
"""English verbs that attribute a quotation to its speaker ("went on" is two words)."""

TITLES: tuple[str, ...] = (
    "Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Sir", "Lady", "Lord", "Captain", "Inspector",
    "Colonel", "Major", "General", "Sergeant", "Professor", "Father", "Mother", "Aunt",
    "Uncle", "Madame", "Monsieur", "Mademoiselle", "Count", "Countess", "Baron", "Duke",
    "Prince", "Princess", "King", "Queen", "Judge", "Rev.",
)  # fmt: skip
"""Words that begin a name: "Mr. Wilson", "Inspector Lestrade"."""

PRONOUNS: tuple[str, ...] = ("he", "she", "they")
"""The pronouns an attribution may carry to a cast member who has it."""

_NOT_NAMES = frozenset((
    "A", "An", "The", "Then", "And", "But", "So", "Now", "Yet", "Or", "Nor", "For", "This",
    "That", "These", "Those", "It", "Its", "There", "Here", "When", "Where", "What", "Who",
    "Whom", "Whose", "Why", "How", "As", "If", "Well", "Oh", "Ah", "No", "Yes", "Our", "My",
    "His", "Her", "Their", "Your", "Some", "One", "All", "Each", "Every", "Both", "Such",
    "After", "Before", "At", "In", "On", "Of", "To", "With", "By", "From", "Once", "Still",
    "Even", "He", "She", "They", "We", "You", "I", "Me", "Him", "Them", "Us", "Not", "Just",
    "Only", "Perhaps", "Indeed",
))  # fmt: skip
"""Capitalized words that begin sentences but never name a speaker."""

ELISIONS = frozenset((
    "tis", "twas", "twere", "twill", "twould", "twixt", "em", "cause", "cos", "til", "bout",
    "neath", "gainst", "n",
))  # fmt: skip
"""Words an apostrophe opens by eliding a letter ('Tis, 'em, rock 'n' roll): a straight or
left single mark before one is never a quotation mark."""

_DETERMINERS = frozenset(
    ("the", "a", "an", "our", "my", "his", "her", "their", "your", "this", "that")
)
REACH = 160
"""Characters of narration read on either side of a quotation for its attribution."""
ATTRIBUTION_WORDS = 8
"""Words read after a quotation for its attribution ("said Mr. Jabez Wilson quietly")."""
NAME_WORDS = 3
"""At most this many capitalized words after a title (or alone) make a name."""

_OPENS = {
    "“": "”",
    "„": "“”",
    "\u2018": "\u2019",
    "\u201a": "\u2018\u2019",
    "«": "»",
    "»": "«",
    "「": "」",
    "『": "』",
}
_STRAIGHT = "\"'"
_PUNCTUATED_OUTSIDE = "„«»\u201a「『"
"""Openings whose languages put a comma after the closing mark at any length: „Ja“, sagte er."""
_SPACED = " \u00a0\u202f"
"""The spaces French sets after « and before »: ordinary, no-break, narrow no-break."""
_OPENERS = "“„\u2018\u201a«»「『\"'"
_MARK = re.compile("[“”„\u2018\u2019\u201a«»「」『』\"']")
_TRAILING = ",.;:!?…—\u2013"
_INNER_PUNCTUATION = ".,;:!?…—\u2013。！？、，"
_SENTENCE_END = ".!?…。！？"
_LETTERS = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"(?:Mr|Mrs|Ms|Dr|St|Rev)\.|[^\W_]+(?:['\u2019-][^\W_]+)*|[^\w\s]")


@dataclass(frozen=True)
class Speaker:
    """A character of a cast, as attribution knows them."""

    name: str
    """What spans are labelled with: "Holmes"."""
    names: tuple[str, ...] = ()
    """Other names attributions use: "Sherlock Holmes", "Mr. Holmes", "I"."""
    pronoun: str | None = None
    """"he", "she" or "they": a pronoun attribution is carried to them."""


@dataclass(frozen=True)
class Block:
    """A paragraph as dialogue is found in it."""

    text: str
    """Joined to one line, single spaces."""
    heading: bool = False
    """A heading: never speech; ends an exchange and an open quotation."""
    speaker: str | None = None
    """Named by markup (data-voice, {voice=...}): wins over attribution."""


@dataclass(frozen=True)
class Speech:
    """A span of a block's text that a character says."""

    start: int
    """Offset of its first character in Block.text."""
    end: int
    """Offset just after its last character."""
    speaker: str
    """A Speaker.name, another name an attribution gave ("Mr. Wilson"), or SOMEONE."""


# ---------------------------------------------------------------- quotation marks


@dataclass
class _Scan:
    """A block's quotation marks, matched."""

    closed: list[tuple[int, int]]
    """Outermost quotations: (opening mark, closing mark)."""
    unclosed: list[tuple[int, list[tuple[int, int]]]]
    """Marks never closed, outermost first, each with the quotations closed inside it."""


class _Marks:
    """A stack of open quotation marks, with a count of what can close them. For each open
    mark: where it is, what closes it, the quotations closed directly inside it, and the
    first closing mark that may as well be an apostrophe (the one in "dogs' bowls", or -1)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.closers: list[str] = []
        self.inner: list[list[tuple[int, int]] | None] = []
        self.weak: list[int] = []
        self.closed: list[tuple[int, int]] = []
        self.waiting: dict[str, int] = dict.fromkeys("“”\u2018\u2019«»「」『』\"'", 0)

    def open(self, at: int, closers: str) -> None:
        if self.weak and self.weak[-1] >= 0:  # 'Yes' he said, 'go': the first is over
            self._pop_to(self.weak[-1])
        self.starts.append(at)
        self.closers.append(closers)
        self.inner.append(None)
        self.weak.append(-1)
        for mark in closers:
            self.waiting[mark] += 1

    def close(self, at: int, mark: str) -> None:
        while self.starts and mark not in self.closers[-1]:
            if self.weak[-1] >= 0:
                self._pop_to(self.weak[-1])
            else:  # a stray mark: what it held belongs to the one below
                self._outer().extend(self._pop()[1] or ())
        self._pop_to(at)

    def maybe_close(self, at: int, mark: str) -> None:
        if self.starts and mark in self.closers[-1] and self.weak[-1] < 0:
            self.weak[-1] = at

    def finish(self) -> _Scan:
        # Only the innermost mark can have a weak close: opening another settles it.
        if self.weak and self.weak[-1] >= 0:
            self._pop_to(self.weak[-1])
        unclosed = [
            (start, inner or []) for start, inner in zip(self.starts, self.inner, strict=True)
        ]
        return _Scan(self.closed, unclosed)

    def _pop(self) -> tuple[int, list[tuple[int, int]] | None]:
        for mark in self.closers.pop():
            self.waiting[mark] -= 1
        self.weak.pop()
        return self.starts.pop(), self.inner.pop()

    def _pop_to(self, at: int) -> None:
        start, _ = self._pop()
        self._outer().append((start, at))

    def _outer(self) -> list[tuple[int, int]]:
        if not self.starts:
            return self.closed
        if self.inner[-1] is None:
            self.inner[-1] = []
        return self.inner[-1]  # type: ignore[return-value]


def _scan(text: str) -> _Scan:
    """Match a block's quotation marks; apostrophes, inches and stray marks are left out."""
    marks = _Marks()
    padded = f" {text} "
    for match in _MARK.finditer(text):
        at = match.start()
        before, mark, after = padded[at], padded[at + 1], padded[at + 2]
        if _elision(text, at):
            continue
        if mark in _STRAIGHT:
            _straight(marks, at, mark, before, after)
        elif mark in "\u2019”」』" or (
            mark in "“\u2018" and marks.waiting[mark] and not before.isspace()
        ):
            _closing(marks, at, mark, before, after)
        elif mark in "»«" and marks.waiting[mark]:
            marks.close(at, mark)
        elif not (mark in "\u2018\u201a" and after.isdigit()):  # an apostrophe: in the '90s
            marks.open(at, _OPENS[mark])
    return marks.finish()


def _closing(marks: _Marks, at: int, mark: str, before: str, after: str) -> None:
    if not marks.waiting[mark]:
        return
    if mark == "\u2019" and (before.isspace() or (before.isalnum() and after.isalnum())):
        return  # 'tis, don't
    if mark == "\u2019" and before.isalpha() and after.isspace():
        marks.maybe_close(at, mark)  # dogs' bowls, or 'Yes' he said: what follows decides
        return
    marks.close(at, mark)


def _straight(marks: _Marks, at: int, mark: str, before: str, after: str) -> None:
    if before.isdigit() or (before.isalnum() and after.isalnum()):
        return  # 5'10", 12", don't
    if not before.isspace() and marks.waiting[mark]:
        if mark == "'" and before.isalpha() and after.isspace():
            marks.maybe_close(at, mark)
        else:
            marks.close(at, mark)
    elif (before.isspace() or before in "([{—\u2013-/" or before in _OPENS) and not (
        after.isspace() or (mark == "'" and after.isdigit())  # '90s
    ):
        marks.open(at, mark)


def _elision(text: str, at: int) -> bool:
    """Whether the mark at `at` is an apostrophe eliding a letter of the word it begins."""
    word = _LETTERS.match(text, at + 1) if text[at] in "'\u2018" else None
    return bool(word and word.group().lower() in ELISIONS)


def _begins_quotation(text: str) -> bool:
    """Whether a block opens with a quotation mark ("« " with French spacing)."""
    body = text[1:].lstrip(_SPACED) if text[:1] == "«" else text[1:]
    return (
        bool(text)
        and (text[0] in _OPENS or text[0] in _STRAIGHT)
        and body[:1].strip() != ""
        and not _elision(text, 0)
    )


# ---------------------------------------------------------------- words around a quotation


@dataclass(frozen=True)
class _Cast:
    """The speakers, as names attributions can use."""

    aliases: tuple[tuple[tuple[str, ...], str], ...]
    """Every name's words and the Speaker.name it stands for, longest first."""
    pronouns: dict[str, str]
    """Speaker.name to pronoun, for those that have one."""
    labels: dict[str, str]
    """Every name as written to the Speaker.name it stands for."""
    folded: dict[str, str]
    """Every name, case folded, to the Speaker.name it stands for."""
    speakers: frozenset[str]
    """The Speaker.names."""
    addressed: re.Pattern[str] | None
    """A name spoken to: after a comma, "dear" or an opening mark, before punctuation."""

    @classmethod
    def of(cls, speakers: Sequence[Speaker]) -> _Cast:
        labels = {alias: s.name for s in speakers for alias in (s.name, *s.names)}
        aliases = sorted(((tuple(_TOKEN.findall(a)), n) for a, n in labels.items()), key=_longest)
        pronouns = {s.name: s.pronoun.lower() for s in speakers if s.pronoun}
        names = "|".join(re.escape(a) for a in sorted(labels, key=len, reverse=True) if a != "I")
        addressed = re.compile(
            f"(?:(?<=, )|(?<=dear )|(?<=[{_OPENERS}]))({names})(?=[,.?!;”]|\u2019(?!\\w))"
        )
        return cls(
            tuple(aliases),
            pronouns,
            labels,
            {alias.casefold(): name for alias, name in labels.items()},
            frozenset(labels.values()),
            addressed if names else None,
        )

    def marked(self, name: str) -> str:
        """The Speaker.name markup's name stands for, in any case; else the name as written."""
        return self.folded.get(name.casefold(), name)


def _longest(alias: tuple[tuple[str, ...], str]) -> int:
    return -len(alias[0])


@dataclass(frozen=True)
class _Word:
    """A word of narration, with names and speech verbs found."""

    kind: str
    """"name" (of the cast, or after a title), "capitalized" (a name only next to a speech
    verb: "said Clara"), "pronoun", "verb", "adverb", "word" or "mark"."""
    text: str
    """As written (a name's label, a pronoun lowercased)."""
    first_person: bool = False
    """A name written "I": the narrator, whom no "he" or "she" stands for."""


def _words(text: str, cast: _Cast, limit: int | None = None) -> list[_Word]:
    """Narration as words (the first `limit` tokens), a name with its title or "went on" as
    one word."""
    tokens = _TOKEN.findall(text)[:limit]
    words: list[_Word] = []
    i = 0
    while i < len(tokens):
        word, used = _word_at(tokens, i, cast)
        words.append(word)
        i += used
    return words


def _word_at(tokens: list[str], i: int, cast: _Cast) -> tuple[_Word, int]:
    token = tokens[i]
    name = _name_at(tokens, i, cast)
    if name:
        kind = "name" if name[0] in cast.speakers or token in TITLES else "capitalized"
        return _Word(kind, name[0], token == "I"), name[1]
    if token.lower() in PRONOUNS:
        return _Word("pronoun", token.lower()), 1
    if token == "went" and tokens[i + 1 : i + 2] == ["on"]:
        return _Word("verb", "went on"), 2
    if token in SPEECH_VERBS:
        return _Word("verb", token), 1
    if token.endswith("ly") and token.islower() and len(token) > 3:
        return _Word("adverb", token), 1
    return _Word("word" if token[0].isalnum() else "mark", token), 1


def _name_at(tokens: list[str], i: int, cast: _Cast) -> tuple[str, int] | None:
    """The name starting at token i, as (label, tokens used): a cast's name in any case ("our
    client"), else capitalized words."""
    title = 1 if tokens[i] in TITLES else 0
    for skip in (0, title) if title else (0,):
        for words, label in cast.aliases:
            if tuple(tokens[i + skip : i + skip + len(words)]) == words:
                return label, skip + len(words)
    if not tokens[i][0].isupper():
        return None
    count = 0
    while count < NAME_WORDS and _capitalized(tokens, i + title + count):
        count += 1
    if count and (title or tokens[i] not in _NOT_NAMES):
        return " ".join(tokens[i : i + title + count]), title + count
    return None


def _capitalized(tokens: list[str], i: int) -> bool:
    return i < len(tokens) and tokens[i][0].isupper() and tokens[i] not in _NOT_NAMES


@dataclass(frozen=True)
class _Who:
    """Who an attribution names: a label (a name or SOMEONE) or a pronoun to resolve."""

    label: str | None = None
    pronoun: str | None = None


def _subject(words: Sequence[_Word]) -> _Who | None:
    """The speaker of a name-verb or verb-name attribution at the start of `words`."""
    words = [w for w in words[:6] if w.kind != "adverb"]
    kinds = [w.kind for w in words]
    if kinds[:1] == ["verb"] and len(words) > 1:
        return _named(words[1]) or _described(words[1:])
    if kinds[1:2] == ["verb"]:
        return _named(words[0])
    if kinds[2:3] == ["verb"]:
        return _described(words)
    return None


def _named(word: _Word) -> _Who | None:
    if word.kind in ("name", "capitalized"):
        return _Who(label=word.text)
    return _Who(pronoun=word.text) if word.kind == "pronoun" else None


def _described(words: Sequence[_Word]) -> _Who | None:
    """ "said the assistant", "the man said": a speaker not named."""
    if len(words) > 1 and words[0].text.lower() in _DETERMINERS and words[1].kind == "word":
        return _Who(label=SOMEONE)
    return None


def _after(narration: str, cast: _Cast) -> _Who | None:
    """The attribution opening the narration after a quotation: “…,” said Holmes / “…” he
    asked."""
    words = _words(narration[:REACH], cast, ATTRIBUTION_WORDS)
    return _subject(words) if words else None


def _before(gap: str, cast: _Cast) -> _Who | None:
    """The attribution right before a quotation: Holmes said, “…” / said Holmes: “…”."""
    tail = gap.rstrip()
    if not tail or tail[-1] not in ",:":
        return None
    words = [w for w in _words(tail[-REACH:], cast)[:-1] if w.kind != "adverb"][-2:]
    if len(words) == 2 and "verb" in (words[0].kind, words[1].kind):
        return _named(words[1] if words[0].kind == "verb" else words[0])
    return None


def _last_sentence(words: Sequence[_Word]) -> Sequence[_Word]:
    ends = [i for i, w in enumerate(words) if w.kind == "mark" and w.text in _SENTENCE_END]
    if ends and ends[-1] == len(words) - 1:
        ends.pop()
    return words[ends[-1] + 1 :] if ends else words


def _opens_speech(gap: str, cast: _Cast) -> bool:
    """Whether a quotation after `gap` (the narration since the last one) can be speech."""
    tail = gap.rstrip()
    if not tail or tail[-1] in _SENTENCE_END or tail[-1] in '”\u2019»«」』")—\u2013':
        return True
    if tail[-1] not in ",:;":
        return False
    clause = _last_sentence(_words(tail[-REACH:], cast))
    return any(w.kind == "verb" for w in clause) or (len(clause) > 1 and clause[-2].kind == "name")


def _speech_like(text: str, quote: _Quote) -> bool:
    """Punctuation inside its closing mark, or right after it: from three words on in English
    (British style: 'I know that'.), at any length after „“ «» and the like (« Oui », dit-il)."""
    inner = text[quote.start + 1 : quote.close].rstrip()
    if inner and inner[-1] in _INNER_PUNCTUATION:
        return True
    outside = text[quote.start] in _PUNCTUATED_OUTSIDE or len(inner.split()) >= 3
    return quote.end > quote.close + 1 and outside


def _addressed(speech: str, cast: _Cast) -> str | None:
    """The last cast member a quotation speaks to by name: “…, my dear Watson,” / “…,
    Mr. Holmes?”."""
    names = cast.addressed.findall(speech) if cast.addressed else []
    return cast.labels[names[-1]] if names else None


# ---------------------------------------------------------------- speakers across blocks


@dataclass
class _Exchange:
    """What the blocks before tell about who speaks next."""

    turns: list[str] = field(default_factory=list)
    """The speakers of the exchange's dialogue blocks so far, the last of each block."""
    addressed: str | None = None
    """Whom the last dialogue block spoke to by name."""
    named: dict[str, str] = field(default_factory=dict)
    """Pronoun to the last speaker named (by markup or an attribution) who has it."""
    narration: str = ""
    """The block before, when it had no dialogue: context for a quotation opening the next."""

    def next_turn(self) -> str | None:
        last = self.turns[-1] if self.turns else None
        if self.addressed and self.addressed != last:
            return self.addressed
        if len(self.turns) >= 2 and self.turns[-1] != self.turns[-2]:
            return self.turns[-2]
        return None

    def turn(self, speaker: str, addressed: str | None) -> None:
        self.turns.append(speaker)
        self.addressed = addressed
        self.narration = ""

    def end(self, narration: str) -> None:
        self.turns.clear()
        self.addressed = None
        self.narration = narration

    def name(self, speaker: str, cast: _Cast) -> None:
        if speaker in cast.pronouns:
            self.named[cast.pronouns[speaker]] = speaker


@dataclass(frozen=True)
class _Quote:
    """A quotation in a block, with the narration before it."""

    start: int
    close: int
    """The closing mark's offset (the block's length when it stays open)."""
    end: int
    """Just after the span: the closing mark and the punctuation right after it."""
    gap: str
    """The narration between the quotation before (or the block's start) and this one."""
    open: bool = False
    """Left open at the block's end, continued by the next block."""


def _quotes(text: str, continues: bool) -> list[_Quote]:
    """A block's outermost quotations. One left open runs to the end when the next block
    continues it; otherwise its mark is stray, and what it held is read on its own."""
    scan = _scan(text)
    pairs = list(scan.closed)
    tail: int | None = None
    for index, (start, inner) in enumerate(scan.unclosed):
        if index == 0 and continues:
            tail = start
            break
        pairs.extend(inner)
    quotes, previous = [], 0
    for start, close in pairs:
        quotes.append(_Quote(start, close, _span_end(text, close), text[previous:start]))
        previous = quotes[-1].end
    if tail is not None:
        end = len(text.rstrip())
        quotes.append(_Quote(tail, len(text), end, text[previous:tail], True))
    return quotes


def _span_end(text: str, close: int) -> int:
    end = close + 1
    while end < len(text) and text[end] in _TRAILING:
        end += 1
    return end


def _is_dialogue(text: str, quote: _Quote, after: _Who | None, cast: _Cast) -> bool:
    """Whether a quotation is speech, not a quoted word, title or scare quote."""
    if not _opens_speech(quote.gap, cast):
        return False
    return quote.open or _speech_like(text, quote) or after is not None


def find_speech(
    blocks: Sequence[Block], speakers: Sequence[Speaker] = ()
) -> list[tuple[Speech, ...]]:
    """For every block, in order, its spans of speech, in order and not overlapping."""
    return [tuple(speech for speech, _ in spans) for spans in explain_speech(blocks, speakers)]


def explain_speech(
    blocks: Sequence[Block], speakers: Sequence[Speaker] = ()
) -> list[tuple[tuple[Speech, str], ...]]:
    """find_speech, with how each speaker was decided: "markup", "continued" (the same
    quotation, in the paragraph before or after), "attribution", "paragraph" (another
    attribution in it), "narration", "exchange" or "unknown"."""
    reading = _Reading(_Cast.of(speakers))
    for index, block in enumerate(blocks):
        reading.read(block, blocks[index + 1] if index + 1 < len(blocks) else None)
    return reading.found


class _Reading:
    """Blocks read in order: the spans found so far, the exchange, and a quotation left open."""

    def __init__(self, cast: _Cast) -> None:
        self.cast = cast
        self.exchange = _Exchange()
        self.found: list[tuple[tuple[Speech, str], ...]] = []
        self.carried: str | None = None
        """Who speaks a quotation the block before left open."""
        self.chain: list[tuple[int, int]] = []
        """That quotation's spans so far, as (block, span)."""

    def read(self, block: Block, following: Block | None) -> None:
        """Find the block's speech and who says it; `following` tells whether a quotation
        left open at its end goes on."""
        quotes = [] if block.heading else _quotes(block.text, _continued_by(following))
        went_on = bool(self.carried and quotes and quotes[0].start == 0)
        carry = self.carried if went_on else None
        spans = () if block.heading else _block_speech(block, quotes, carry, self.cast,
                                                         self.exchange)  # fmt: skip
        self.found.append(spans)
        if went_on and spans[0][0].speaker != self.carried:
            _relabel(self.found, self.chain, spans[0][0].speaker)
        self._leave_open(quotes, spans, went_on)
        self._take_turn(block, spans, went_on)

    def _leave_open(
        self, quotes: list[_Quote], spans: tuple[tuple[Speech, str], ...], went_on: bool
    ) -> None:
        """Note the quotation the block leaves open, if it does, with its spans so far."""
        index = len(self.found) - 1
        last = spans[-1][0] if spans else None
        left_open = bool(last and quotes and quotes[-1].open and last.end == quotes[-1].end)
        self.carried = last.speaker if last and left_open else None
        kept = [*self.chain, (index, 0)] if went_on else []
        self.chain = [*kept, (index, len(spans) - 1)] if left_open else []

    def _take_turn(
        self, block: Block, spans: tuple[tuple[Speech, str], ...], went_on: bool
    ) -> None:
        """The block is a turn of the exchange (a quotation over paragraphs is one), or,
        without speech, narration that may end it."""
        if not spans:
            self.exchange.end("" if block.heading else block.text)
            return
        if went_on and self.exchange.turns:
            self.exchange.turns.pop()
        addressed = [_addressed(block.text[s.start : s.end], self.cast) for s, _ in spans]
        self.exchange.turn(spans[-1][0].speaker, next((a for a in addressed[::-1] if a), None))


def _continued_by(following: Block | None) -> bool:
    """Whether the next block goes on with a quotation this one leaves open."""
    return bool(following and not following.heading and _begins_quotation(following.text))


def _relabel(
    found: list[tuple[tuple[Speech, str], ...]], chain: list[tuple[int, int]], speaker: str
) -> None:
    """Give a quotation's spans in earlier blocks the speaker its continuation names, unless
    their own attribution or markup names theirs."""
    for block, span in chain:
        spans = found[block]
        speech, how = spans[span]
        if how not in ("attribution", "markup"):
            moved = (replace(speech, speaker=speaker), "continued")
            found[block] = (*spans[:span], moved, *spans[span + 1 :])


def _block_speech(
    block: Block, quotes: list[_Quote], carried: str | None, cast: _Cast, exchange: _Exchange
) -> tuple[tuple[Speech, str], ...]:
    """Its spans of speech and how their speakers were found; `carried` is who speaks the
    quotation its first one continues, if it does."""
    text = block.text
    ends = [q.gap for q in quotes[1:]] + [text[quotes[-1].end :]] if quotes else []
    found = [(q, _after(narration, cast)) for q, narration in zip(quotes, ends, strict=True)]
    dialogue = [
        (quote, after)
        for index, (quote, after) in enumerate(found)
        if (carried and index == 0) or _is_dialogue(text, quote, after, cast)
    ]
    if block.speaker:
        marked = cast.marked(block.speaker)
        exchange.name(marked, cast)
        if not dialogue and text.strip():
            start = len(text) - len(text.lstrip())
            return ((Speech(start, len(text.rstrip()), marked), "markup"),)
        return tuple((Speech(q.start, q.end, marked), "markup") for q, _ in dialogue)
    speakers = _attribute(dialogue, carried, cast, exchange)
    return tuple(
        (Speech(q.start, q.end, who), how)
        for (q, _), (who, how) in zip(dialogue, speakers, strict=True)
    )


def _attribute(
    dialogue: list[tuple[_Quote, _Who | None]],
    carried: str | None,
    cast: _Cast,
    exchange: _Exchange,
) -> list[tuple[str, str]]:
    """Each quotation's speaker and how it was found: its own attribution, a quotation
    carried over when the block names nobody, another attribution in the block, the
    narration before it, the exchange, or none."""
    contexts = [
        quote.gap if index or quote.gap.strip() else exchange.narration
        for index, (quote, _) in enumerate(dialogue)
    ]
    whos = [after or _before(quote.gap, cast) for quote, after in dialogue]
    own = [_resolve(w, c, cast, exchange, carried) for w, c in zip(whos, contexts, strict=True)]
    kept = bool(carried and own[0] in (None, SOMEONE) and not _names_anyone(own))
    if kept:
        own[0] = carried
    other = next((label for label in own if label), None)
    turn = exchange.next_turn()
    # A pronoun nobody stands for ("he" after "I sat down.") rules out the narration's subject.
    return [
        ((mine, "continued" if kept and index == 0 else "attribution") if mine
         else _fallback(other, None if who else _beat(context, cast), turn))
        for index, (mine, who, context) in enumerate(zip(own, whos, contexts, strict=True))
    ]  # fmt: skip


def _names_anyone(labels: Sequence[str | None]) -> bool:
    return any(label and label != SOMEONE for label in labels)


def _fallback(other: str | None, beat: str | None, turn: str | None) -> tuple[str, str]:
    for label, how in ((other, "paragraph"), (beat, "narration"), (turn, "exchange")):
        if label:
            return label, how
    return SOMEONE, "unknown"


def _resolve(
    who: _Who | None, context: str, cast: _Cast, exchange: _Exchange, carried: str | None
) -> str | None:
    """An attribution's speaker: its name, or the person its pronoun stands for (a name in
    the context, else the speaker of a quotation carried over, else the exchange's)."""
    if who is None:
        return None
    if who.label:
        exchange.name(who.label, cast)
        return who.label
    pronoun = who.pronoun
    for word in reversed(_words(context[-REACH:], cast)):
        if (
            word.kind == "name"
            and not word.first_person
            and cast.pronouns.get(word.text) == pronoun
        ):
            return word.text
    if carried and cast.pronouns.get(carried) == pronoun:
        return carried
    turn = exchange.next_turn()
    if turn and cast.pronouns.get(turn) == pronoun:
        return turn
    return exchange.named.get(pronoun or "")


def _beat(context: str, cast: _Cast) -> str | None:
    """The name that opens the narration's last sentence before a quotation ("Holmes
    chuckled. “…”"), when that sentence is within reach."""
    window = context.rstrip()[-REACH:]
    words = _words(window, cast)
    sentence = _last_sentence(words)
    whole = len(sentence) < len(words) or len(window) == len(context.rstrip())
    return sentence[0].text if whole and sentence and sentence[0].kind == "name" else None

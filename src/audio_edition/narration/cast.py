"""A cast: who speaks in which voice, from a cast file, a document's front matter or
--dialogue-voice.

A cast is a TOML file (or a ``cast:`` table in Markdown front matter) mapping speaker names
to voices::

    narrator = "hibari:heart"             # the narrator, unless --engine, --voice or config say
    default = "piper:en_US-joe-medium"    # speech whose speaker the cast does not name
    Watson = "narrator"                   # the narrator's own voice

    [Holmes]
    voice = "pyttsx3:gmw/en-GB-x-rp"
    pronoun = "he"                        # "he said" after Holmes spoke is Holmes
    names = ["Sherlock Holmes", "Mr. Holmes"]

A voice is ``engine:voice`` or a voice as --voice takes it (the best installed engine with
it); ``narrator`` is the narrator's voice. Without ``default``, speech whose speaker the cast
does not name is in the narrator's voice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from audio_edition.errors import UsageError, excerpt
from audio_edition.readers import NAME_RULE, speaker_name
from audio_edition.readers.front_matter import MAX_CAST_LIST, MAX_CAST_SPEAKERS
from audio_edition.readers.toml import read_toml_file
from audio_edition.text.dialogue import PRONOUNS, Speaker

MAX_CAST_FILE_BYTES = 64 * 1024
"""A larger cast file is refused."""
NARRATOR, DEFAULT = "narrator", "default"
"""The cast's keys for the narrator's voice, and for speech whose speaker it does not name;
as a voice, NARRATOR is the narrator's."""
_SPEAKER_KEYS = ("voice", "pronoun", "names")


@dataclass(frozen=True)
class Cast:
    """Who speaks in which voice."""

    speakers: tuple[Speaker, ...] = ()
    """The speakers the cast names, as attribution knows them."""
    voices: tuple[tuple[str, str], ...] = ()
    """Each named speaker's voice, by name."""
    narrator: str | None = None
    """The narrator's voice, when the cast gives one."""
    default: str | None = None
    """The voice of speech whose speaker the cast does not name (None: the narrator's)."""


def load_cast(path: Path) -> Cast:
    """The cast file at `path`; an InputError or UsageError in one line naming it."""
    return cast_from_table(read_toml_file(path, "cast", MAX_CAST_FILE_BYTES), str(path))


def cast_from_table(table: Mapping[str, object], where: str) -> Cast:
    """A cast from its table (a cast file's, or front matter's ``cast:``); a UsageError in
    one line, starting with `where`, for anything it cannot mean."""
    narrator, default = (_voice(table[key], key, where) if key in table else None
                         for key in (NARRATOR, DEFAULT))  # fmt: skip
    entries = [(name, value) for name, value in table.items() if name not in (NARRATOR, DEFAULT)]
    if len(entries) > MAX_CAST_SPEAKERS:
        raise UsageError(f"{where}: names {len(entries)} speakers, more than {MAX_CAST_SPEAKERS}")
    speakers, voices = [], []
    for name, value in entries:
        speaker, voice = _speaker(name, value, where)
        speakers.append(speaker)
        voices.append((speaker.name, voice))
    _check_names_differ(speakers, where)
    return Cast(tuple(speakers), tuple(voices), narrator, default)


def _check_names_differ(speakers: list[Speaker], where: str) -> None:
    """A UsageError when two speakers share a name (case ignored): one would lose their
    speech to the other."""
    owner: dict[str, str] = {}
    for speaker in speakers:
        for name in dict.fromkeys(n.casefold() for n in (speaker.name, *speaker.names)):
            if name in owner:
                raise UsageError(
                    f"{where}: {name!r} is a name of both {owner[name]} and {speaker.name}"
                )
            owner[name] = speaker.name


def with_dialogue_voice(cast: Cast | None, voice: str | None) -> Cast | None:
    """`cast` with `voice` (--dialogue-voice) as its default voice."""
    if voice is None:
        return cast
    found = cast or Cast()
    return Cast(found.speakers, found.voices, found.narrator, voice)


def _speaker(name: str, value: object, where: str) -> tuple[Speaker, str]:
    """A speaker's entry: a voice, or a table of voice, pronoun and names."""
    if speaker_name(name) != name:
        raise UsageError(f"{where}: {excerpt(name)!r} is not a speaker's name ({NAME_RULE})")
    if not isinstance(value, Mapping):
        return Speaker(name), _voice(value, name, where)
    unknown = sorted(set(value) - set(_SPEAKER_KEYS))
    if unknown:
        raise UsageError(
            f"{where}: {name} has no {unknown[0]!r}; a speaker has {', '.join(_SPEAKER_KEYS)}"
        )
    if "voice" not in value:
        raise UsageError(f"{where}: {name} needs a voice")
    voice = _voice(value["voice"], f"{name}'s voice", where)
    pronoun = value.get("pronoun")
    if pronoun is not None and pronoun not in PRONOUNS:
        raise UsageError(
            f"{where}: {name}'s pronoun must be {', '.join(PRONOUNS)}, not {pronoun!r}"
        )
    names = value.get("names", [])
    if not isinstance(names, list) or len(names) > MAX_CAST_LIST:
        raise UsageError(f"{where}: {name}'s names must be a list of at most {MAX_CAST_LIST} names")
    if any(not isinstance(n, str) or speaker_name(n) != n for n in names):
        raise UsageError(f"{where}: {name}'s names must be names ({NAME_RULE})")
    return Speaker(name, tuple(names), pronoun), voice


def _voice(value: object, key: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UsageError(
            f"{where}: {key} must be a voice (engine:voice, or a voice), not {value!r}"
        )
    return value.strip()

"""Front matter: the metadata block that opens a Markdown file, YAML between ``---`` lines or
TOML between ``+++`` lines, read so that no small block can take long or grow large.

- YAML is read by the safe loader with three limits: an alias (``*name``) may stand for text
  but not for a list or mapping (whose copies a "billion laughs" multiplies); nesting deeper
  than MAX_FRONT_MATTER_DEPTH is refused; and values stay as written, except ``true``,
  ``false`` and empty values (so ``lang: no`` is Norwegian and ``date:`` is its own text).
- Each field the edition uses must be a short piece of text (at most MAX_FIELD_CHARS): a
  single value; for the author also a list of names, or mappings with a ``name``.
- ``cast`` (speakers to voices, for narration.cast to check) is kept as written when it is a
  table of at most MAX_CAST_SPEAKERS names, each given a voice or a flat table whose values
  are texts or lists of at most MAX_CAST_LIST texts (``voice``, ``pronoun``, ``names``), no
  text longer than MAX_CAST_TEXT_CHARS.
- Front matter that cannot be read, and a field of another shape, are ignored with a one-line
  warning naming the file; the text is read all the same.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn, cast

import yaml

from audio_edition.errors import excerpt
from audio_edition.readers import toml

log = logging.getLogger(__name__)

MAX_FRONT_MATTER_DEPTH = 16
"""YAML front matter nested deeper than this (lists in mappings in lists...) is ignored."""
MAX_FRONT_MATTER_CHARS = 64 * 1024
"""Front matter longer than this is ignored unparsed (4 MB of YAML takes PyYAML 16 s)."""
MAX_FIELD_CHARS = 4000
"""A field longer than this (a title, the names of the authors, a summary) is ignored."""
MAX_CAST_SPEAKERS = 64
"""A ``cast`` naming more speakers than this is ignored."""
MAX_CAST_LIST = 16
"""A list in a ``cast`` (a speaker's other names) longer than this is ignored, with the cast."""
MAX_CAST_TEXT_CHARS = 200
"""A ``cast`` with a name or value longer than this is ignored."""
_TOML_BLOCK = re.compile(r"\A\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)
_SCALARS = (str, int, float, datetime.date, datetime.time)
"""What a field may be (bool is an int; a datetime a date)."""


@dataclass(frozen=True)
class FrontMatter:
    """The fields of a document's front matter that an edition uses, as text."""

    title: str | None = None
    author: str | None = None
    """Its author or authors, names joined by commas (``author`` or ``authors``)."""
    language: str | None = None
    """``lang`` or ``language``, as written."""
    summary: str | None = None
    """``summary`` or ``description``."""
    date: str | None = None
    identifier: str | None = None
    """``id``."""
    cast: Mapping[str, object] | None = None
    """``cast``: speaker names to voices (or to tables of ``voice``, ``pronoun``, ``names``)."""


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing aliases of lists and mappings and deep nesting, resolving
    only ``true``, ``false`` and empty values: everything else stays text."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            if not isinstance(node, yaml.ScalarNode):
                _refuse(f"an alias of a list or mapping (*{event.anchor})", event)
            return node
        if self._depth >= MAX_FRONT_MATTER_DEPTH:
            _refuse(f"nesting deeper than {MAX_FRONT_MATTER_DEPTH}", event)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Refused(yaml.composer.ComposerError):
    """Valid YAML that is not read."""


def _refuse(problem: str, event: yaml.Event) -> NoReturn:
    raise _Refused(None, None, problem, cast(yaml.Mark, event.start_mark))


_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


def split_toml(text: str) -> tuple[str | None, str]:
    """A text's TOML front matter (between ``+++`` lines, as Hugo writes it), if it opens
    with one, and the text after it."""
    found = _TOML_BLOCK.match(text)
    if found is None:
        return None, text
    return found.group(1), text[found.end() :]


def yaml_front_matter(content: str, name: str) -> FrontMatter:
    """The fields of YAML front matter (`name`: the document, for warnings)."""
    if len(content) > MAX_FRONT_MATTER_CHARS:
        return _too_long(name)
    try:
        data = yaml.load(content, Loader=_Loader)  # a safe loader, restricted further
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f", line {mark.line + 2}" if mark is not None else ""  # after the "---" line
        invalid = "" if isinstance(error, _Refused) else "not valid YAML: "
        return _ignored(name, f"{invalid}{error.problem}{where}")
    except (yaml.YAMLError, ValueError) as error:  # ValueError: an int or date out of range
        return _ignored(name, str(error).split(":")[0])
    return _fields(data, name)


def toml_front_matter(content: str, name: str) -> FrontMatter:
    """The fields of TOML front matter (`name`: the document, for warnings)."""
    if len(content) > MAX_FRONT_MATTER_CHARS:
        return _too_long(name)
    try:
        data = toml.loads(content)
    except (toml.TOMLDecodeError, ValueError) as error:
        return _ignored(name, f"not valid TOML: {str(error).split(':')[0]}")
    return _fields(data, name)


def _too_long(name: str) -> FrontMatter:
    return _ignored(name, f"longer than {MAX_FRONT_MATTER_CHARS:,} characters")


def _ignored(name: str, problem: str) -> FrontMatter:
    log.warning("%s: front matter ignored: %s", name, " ".join(problem.split()))
    return FrontMatter()


def _fields(data: Any, name: str) -> FrontMatter:
    if not isinstance(data, Mapping):
        return FrontMatter() if data is None else _ignored(name, "it is not a mapping")
    return FrontMatter(
        title=_text(data, ("title",), name),
        author=_text(data, ("author", "authors"), name, names=True),
        language=_text(data, ("lang", "language"), name),
        summary=_text(data, ("summary", "description"), name),
        date=_text(data, ("date",), name),
        identifier=_text(data, ("id",), name),
        cast=_cast(data.get("cast"), name),
    )


def _text(data: Mapping[Any, Any], keys: tuple[str, ...], name: str, names: bool = False
          ) -> str | None:  # fmt: skip
    """The first of `keys` given a value, as one line; with `names`, a list of names (or of
    mappings with a name) too. A value of another shape, or too long, is ignored."""
    key = next((key for key in keys if data.get(key)), None)
    if key is None:
        return None
    value = data[key]
    items = value if names and isinstance(value, list) else [value]
    if names:
        items = [item.get("name") if isinstance(item, Mapping) else item for item in items]
    items = [item for item in items if item is not None]
    if not all(isinstance(item, _SCALARS) for item in items):
        log.warning("%s: front matter %r ignored: it is not %s", name, key,
                    "a name or a list of names" if names else "a single value")  # fmt: skip
        return None
    text = ", ".join(" ".join(str(item).split()) for item in items if str(item).strip())
    if len(text) > MAX_FIELD_CHARS:
        log.warning("%s: front matter %r ignored: it is longer than %d characters", name, key,
                    MAX_FIELD_CHARS)  # fmt: skip
        return None
    return text or None


def _cast(cast: Any, name: str) -> Mapping[str, object] | None:
    """The ``cast`` table when it has the shape of one; else None (with a warning unless it is
    empty)."""
    problem = _cast_problem(cast) if cast else None
    if problem is not None:
        log.warning("%s: front matter 'cast' ignored: %s", name, problem)
    return dict(cast) if cast and problem is None else None


def _cast_problem(cast: Any) -> str | None:
    """What is wrong with the shape of a ``cast`` table, if anything."""
    if not isinstance(cast, Mapping):
        return "it is not a table of speakers"
    if len(cast) > MAX_CAST_SPEAKERS:
        return f"it names more than {MAX_CAST_SPEAKERS} speakers"
    texts: list[object] = []
    for speaker, role in cast.items():
        values = list(role.values()) if isinstance(role, Mapping) and role else [role]
        if any(isinstance(value, list) and len(value) > MAX_CAST_LIST for value in values):
            return f"{excerpt(str(speaker))!r} has a list of more than {MAX_CAST_LIST} names"
        items = [item for value in values for item in _listed(value)]
        if isinstance(role, list) or not all(isinstance(item, str) for item in items):
            return (
                f"{excerpt(str(speaker))!r} is not a voice or a table of voice, pronoun and names"
            )
        texts += [speaker, *(role if isinstance(role, Mapping) else ()), *items]
    if not all(isinstance(text, str) for text in texts):
        return "a name in it is not text"
    if any(len(str(text)) > MAX_CAST_TEXT_CHARS for text in texts):
        return f"a text in it is longer than {MAX_CAST_TEXT_CHARS} characters"
    return None


def _listed(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]

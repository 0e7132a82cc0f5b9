"""`audio-edition config`: your own defaults for the options you set every time (voice, engine,
rate, format, pauses, volume), from a small TOML file in your config folder. An option given on
the command line wins over the file, the file over the built-in default."""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from audio_edition.cli.exits import EXIT_OK
from audio_edition.encode.formats import (
    DEFAULT_EXTENSION,
    FORMATS_BY_EXTENSION,
    READ_ALONG_EXTENSIONS,
)
from audio_edition.engines import engine_names
from audio_edition.errors import OptionError, UsageError
from audio_edition.narration.plan import LayoutOptions, Options, VoiceOptions, check_options
from audio_edition.readers.toml import TOMLDecodeError, loads

HELP = "show your defaults: the config file, each value in force and where it comes from"
DESCRIPTION = (
    "Show the config file's path and every setting it may hold, with the value in force and "
    "where it comes from. The file is TOML, e.g.\n\n"
    '  voice = "heart"\n  rate = 170\n  format = "m4b"\n  paragraph-pause = 900\n\n'
    "An option given on the command line wins over the file."
)
CONFIG_FILE = "config.toml"
MAX_CONFIG_BYTES = 64 * 1024
"""The largest config file read: a few lines are expected."""


@dataclass(frozen=True)
class Setting:
    """A setting of the config file: its key (the option's flag without --), the command-line
    destination it sets, the type of its value, its built-in default, and what it means."""

    key: str
    dest: str
    kind: type
    default: object
    meaning: str


def _option(key: str, group: type, name: str, kind: type, meaning: str) -> Setting:
    """The setting of the option field `name` of the option group `group`, with its default."""
    return Setting(key, name, kind, getattr(group, name), meaning)


SETTINGS = (
    _option("engine", VoiceOptions, "engine", str, "unset: the best installed for the voice"),
    _option("voice", VoiceOptions, "voice", str, "unset: the engine's for the language"),
    _option("rate", VoiceOptions, "rate", int, "words per minute"),
    Setting("format", "format", str, DEFAULT_EXTENSION.lstrip("."), "without -o, and batch's"),
    _option("volume", LayoutOptions, "volume", float, "1.0 = ready for audiobook stores"),
    _option("sentence-pause", LayoutOptions, "sentence_pause_ms", int, "milliseconds"),
    _option("paragraph-pause", LayoutOptions, "paragraph_pause_ms", int, "milliseconds"),
)
_BY_KEY = {setting.key: setting for setting in SETTINGS}
_KIND_NAMES = {int: "a whole number", float: "a number", str: "a string"}


def config_path() -> Path:
    """The config file: config.toml in the user's config folder (XDG_CONFIG_HOME on Linux)."""
    return Path(platformdirs.user_config_dir("audio-edition")) / CONFIG_FILE


def read_config(path: Path) -> dict[str, object]:
    """The settings the file `path` gives, by key ({} when there is no file); anything else
    in it (an unknown key, a value of the wrong type or out of its option's range, broken
    TOML) is a one-line UsageError naming the file."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise UsageError(f"config file {path}: {error.strerror}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise UsageError(f"config file {path} is larger than {MAX_CONFIG_BYTES // 1024} KiB")
    try:
        table = loads(data.decode("utf-8"))
    except (UnicodeDecodeError, TOMLDecodeError) as error:
        raise UsageError(f"config file {path} is not valid TOML: {error}") from None
    given = {key: _checked(path, key, value) for key, value in table.items()}
    _check_values(path, given)
    return given


def _check_values(path: Path, given: dict[str, object]) -> None:
    """A UsageError naming the file when a setting is one its option would refuse."""
    layout_names = {field.name for field in dataclasses.fields(LayoutOptions)}
    layout = {_BY_KEY[key].dest: value for key, value in given.items()
              if _BY_KEY[key].dest in layout_names}  # fmt: skip
    rate = given.get("rate", VoiceOptions.rate)
    assert isinstance(rate, int)  # _checked made sure
    voice = VoiceOptions(rate=rate)
    try:
        check_options(Options(voice=voice, layout=LayoutOptions(**layout)))  # type: ignore[arg-type]
    except OptionError as error:
        key = next(s.key for s in SETTINGS if s.dest == error.option)
        raise UsageError(f"config file {path}: {error.named(key)}") from None
    extension = _as_option("format", given.get("format", DEFAULT_EXTENSION))
    if extension not in FORMATS_BY_EXTENSION and extension not in READ_ALONG_EXTENSIONS:
        known = ", ".join(e.lstrip(".") for e in (*FORMATS_BY_EXTENSION, *READ_ALONG_EXTENSIONS))
        raise UsageError(f"config file {path}: format must be one of {known}, not {extension!r}")
    if "engine" in given and given["engine"] not in engine_names():
        raise UsageError(f"config file {path}: unknown engine {given['engine']!r}; available: "
                         f"{', '.join(engine_names())}")  # fmt: skip


def _checked(path: Path, key: str, value: object) -> object:
    setting = _BY_KEY.get(key)
    if setting is None:
        known = ", ".join(_BY_KEY)
        raise UsageError(f"config file {path}: unknown setting {key!r} (settings: {known})")
    if setting.kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, setting.kind) or isinstance(value, bool):
        raise UsageError(
            f"config file {path}: {key} must be {_KIND_NAMES[setting.kind]}, not {value!r}"
        )
    return value


CONFIGURED_COMMANDS = ("narrate", "batch", "publish", "say")
"""The commands whose options the config file sets (voices' --engine is a filter, not this)."""


def apply_config(parsers: dict[str, argparse.ArgumentParser]) -> dict[str, object]:
    """The configured commands' defaults from the config file, for the options each has;
    returns the settings the file gives."""
    given = read_config(config_path())
    for name in CONFIGURED_COMMANDS:
        parser = parsers[name]
        destinations = {action.dest for action in parser._actions} | set(parser._defaults)
        parser.set_defaults(**{
            _BY_KEY[key].dest: _as_option(key, value) for key, value in given.items()
            if _BY_KEY[key].dest in destinations
        })  # fmt: skip
    return given


def settle(namespace: argparse.Namespace, given: dict[str, object]) -> None:
    """The config file's voice left out when the command line names another engine or a
    language: it was chosen for the file's engine and the user's usual language."""
    if "voice" not in given or getattr(namespace, "voice", None) != given["voice"]:
        return
    if namespace.engine != given.get("engine") or getattr(namespace, "lang", None) is not None:
        namespace.voice = None


def _as_option(key: str, value: object) -> object:
    """A setting's value as its option holds it (a format as its extension, ".m4b")."""
    return "." + str(value).lower().lstrip(".") if key == "format" else value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def run(namespace: argparse.Namespace) -> int:
    path = config_path()
    given = read_config(path)
    where = "" if path.is_file() else " (not there: every value is the built-in default)"
    print(f"# {path}{where}")
    for setting in SETTINGS:
        value = given.get(setting.key, setting.default)
        source = "config file" if setting.key in given else "default"
        line = f"{setting.key} = {_toml(value)}" if value is not None else f"# {setting.key}"
        print(f"{line}  # {source}; {setting.meaning}")
    return EXIT_OK


def _toml(value: object) -> str:
    """`value` as TOML writes it (the few kinds a setting holds)."""
    return f'"{value}"' if isinstance(value, str) else str(value)

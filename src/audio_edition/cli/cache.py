"""`audio-edition cache info|clear`: the clip cache shown or cleared."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from audio_edition.cli.exits import EXIT_OK
from audio_edition.cli.options import add_cache_dir, typed
from audio_edition.speak.cache import ClipCache, default_cache_dir

HELP = "show or clear the clip cache"
DESCRIPTION = None
ACTIONS = {"info": "where the cache is and how big", "clear": "remove every cached clip"}


@dataclass(frozen=True)
class CacheArgs:
    """cache's command line."""

    action: str
    cache_dir: Path | None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, help_text in ACTIONS.items():
        add_cache_dir(actions.add_parser(action, help=help_text))


def run(namespace: argparse.Namespace) -> int:
    args = typed(CacheArgs, namespace)
    cache = ClipCache(args.cache_dir or default_cache_dir())
    if args.action == "info":
        info = cache.info()
        print(
            f"{info.folder}: {info.entries} clips, {info.paragraphs} paragraphs, "
            f"{info.size_bytes / 1e6:.1f} MB"
        )
    else:
        print(f"removed {cache.clear()} clips from {cache.folder}")
    return EXIT_OK

"""`audio-edition serve`: the studio, a local web app to narrate, listen, fix and narrate
again."""

from __future__ import annotations

import argparse
from pathlib import Path

from audio_edition.cli.exits import EXIT_OK
from audio_edition.errors import MissingDependencyError, UsageError

HELP = "open the studio: a web page on this machine to narrate, listen and fix sentences"
DESCRIPTION = (
    "Serve the studio for the documents in FOLDER: open the address it prints in a browser. "
    "Editions are written to FOLDER/output/. It listens on 127.0.0.1 only; another --host "
    "needs a --token (one is made and printed when none is given), which every request must "
    "then carry."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", default=".", type=Path,
                        help="the folder of documents (default: the current folder)")  # fmt: skip
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1: this machine only)",
                        )  # fmt: skip
    parser.add_argument("--port", type=int, default=8000,
                        help="port to listen on (default: 8000; 0 picks a free one)")  # fmt: skip
    parser.add_argument("--token", default=None,
                        help="a secret every request must carry (needed for a --host other than "
                        "a loopback address; made and printed when not given)")  # fmt: skip
    parser.add_argument("--voice", default=None, metavar="ENGINE:VOICE",
                        help="the voice narrations use unless the page chooses one "
                        "(default: the best installed)")  # fmt: skip


def run(namespace: argparse.Namespace) -> int:
    try:
        from audio_edition.studio.app import Settings, create_app
        from audio_edition.studio.folder import Folder
        from audio_edition.studio.server import Server, address, bind, is_loopback, new_token
    except ImportError as error:
        raise MissingDependencyError(
            f"the studio needs {error.name}: pip install 'audio-edition[studio]'"
        ) from None
    token = namespace.token
    loopback = is_loopback(namespace.host)
    if token is not None and not token.strip():
        raise UsageError("--token must not be empty")
    if token is None and not loopback:
        token = new_token()
    folder = Folder.at(namespace.folder)
    sock = bind(namespace.host, namespace.port)
    settings = Settings(folder, token, loopback, namespace.voice)
    server = Server(create_app(settings), sock)
    print(f"audio-edition studio for {folder.root}: {address(sock, namespace.host, token)}",
          flush=True)  # fmt: skip
    server.run()
    return EXIT_OK

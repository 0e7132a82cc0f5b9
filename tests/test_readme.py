"""Every command the README shows runs as written after set-up: each `sh` block's lines and
each `python` block, in the README's order, in a copy of the repository's examples where
set-up has narrated the example review (blocks marked `text` hold placeholders such as HOST)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def code_blocks(markdown: str) -> list[tuple[str, str]]:
    """Each fenced block's language and text, in order, the Quick start's (which CI runs
    itself) left out."""
    blocks = [(m.group(1), m.group(2)) for m in BLOCK.finditer(markdown)]
    return blocks[1:]


def shell_commands(block: str) -> list[str]:
    """The commands of a shell block: its lines, a trailing backslash joining the next."""
    return [line for line in block.replace("\\\n", " ").splitlines() if line.strip()]


def setup_narration() -> str:
    """The command set-up ends with: it narrates the example review."""
    return (ROOT / "setup.sh").read_text(encoding="utf-8").strip().splitlines()[-1]


def output_paths(command: str) -> list[str]:
    """The output/ files a command names (after `-o` or in its `-> output/...` comment)."""
    words = shlex.split(command, comments=False)
    return [w.rstrip(",") for i, w in enumerate(words) if w.startswith("output/") and i and
            words[i - 1] in ("-o", "->")]  # fmt: skip


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """What a fresh clone holds after ./setup.sh: the examples, .venv, the narrated review."""
    folder = tmp_path_factory.mktemp("clone")
    shutil.copytree(ROOT / "examples", folder / "examples")
    (folder / "output").mkdir()
    (folder / ".venv").symlink_to(ROOT / ".venv")
    run(setup_narration(), folder)
    return folder


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], cwd=cwd, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, f"{command}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return done


def test_the_readme_blocks_are_found():
    blocks = code_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    assert [language for language, _ in blocks].count("sh") >= 5
    assert any(language == "python" for language, _ in blocks)


@pytest.mark.e2e
def test_every_readme_command_runs_as_written(clone):
    for language, block in code_blocks((ROOT / "README.md").read_text(encoding="utf-8")):
        if language == "sh":
            for command in shell_commands(block):
                run(command, clone)
                for path in output_paths(command):
                    assert (clone / path).is_file(), f"{command} made no {path}"
        elif language == "python":
            done = subprocess.run([sys.executable, "-c", block], cwd=clone, capture_output=True,
                                  text=True, timeout=600)  # fmt: skip
            assert done.returncode == 0, f"{block}\n{done.stderr}"

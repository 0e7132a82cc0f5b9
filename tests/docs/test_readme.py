"""Every command the README and the manual in docs/ show runs as written after set-up: each
`sh` block's lines and each `python` block, the README's first and then each page's in the
order docs/README.md lists them, in one copy of the repository's examples where set-up has
narrated the example review (blocks marked `text` hold placeholders such as HOST). The README
stays a front door, and every link between the pages leads somewhere."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#+ (.+)$", re.M)
README_MAX_LINES = 100
"""Two screens."""


def code_blocks(markdown: str) -> list[tuple[str, str]]:
    """Each fenced block's language and text, in order."""
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(markdown)]


def pages() -> list[Path]:
    """The README, then the manual's pages in the order its index links them."""
    index = DOCS / "README.md"
    targets = [link.partition("#")[0] for link in LINK.findall(index.read_text(encoding="utf-8"))]
    linked = [DOCS / target for target in targets if target.endswith(".md") and "/" not in target]
    return [README, index, *dict.fromkeys(linked)]


def runnable_blocks() -> list[tuple[Path, str, str]]:
    """Every block the test runs, with its page; the README's Quick start (which CI runs
    itself) left out."""
    blocks = [(page, language, text) for page in pages()
              for language, text in code_blocks(page.read_text(encoding="utf-8"))]  # fmt: skip
    return [block for block in blocks[1:] if block[1] in ("sh", "python")]


def shell_commands(block: str) -> list[str]:
    """The commands of a shell block: its lines, a trailing backslash joining the next."""
    return [line for line in block.replace("\\\n", " ").splitlines() if line.strip()]


def setup_narration() -> str:
    """The command set-up ends with: it narrates the example review."""
    return (ROOT / "setup.sh").read_text(encoding="utf-8").strip().splitlines()[-1]


def output_paths(command: str) -> list[str]:
    """The output/ files and folders a command names (after `-o`, `--output-dir` or in its
    `-> output/...` comment)."""
    code, _, comment = command.partition(" # ")
    words = [*shlex.split(code), *comment.split()]
    return [w.rstrip(",") for i, w in enumerate(words) if w.startswith("output/") and i and
            words[i - 1] in ("-o", "--output-dir", "->")]  # fmt: skip


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


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


def test_the_blocks_of_every_page_are_found():
    blocks = runnable_blocks()
    assert {page.name for page, _, _ in blocks} >= {
        "README.md", "reading.md", "voices.md", "normalization.md", "narrate.md", "outputs.md",
        "read-along.md", "checking.md", "batch-and-publish.md", "clusters.md", "library.md",
    }  # fmt: skip
    assert [language for page, language, _ in blocks if page == README].count("sh") == 1
    assert sum(language == "python" for _, language, _ in blocks) >= 4


def test_the_readme_is_a_front_door():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_MAX_LINES
    assert "](docs/read-along.png)" in text
    assert len(shell_commands(code_blocks(text)[1][1])) <= 10


def test_the_index_lists_every_page_of_the_manual():
    assert set(pages()[2:]) == set(DOCS.glob("*.md")) - {DOCS / "README.md"}


def test_every_link_between_the_pages_leads_somewhere():
    for page in pages():
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://")):
                continue
            path, _, fragment = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            assert linked.exists(), f"{page.name}: {target}"
            if fragment:
                headings = HEADING.findall(linked.read_text(encoding="utf-8"))
                assert fragment in [anchor(h) for h in headings], f"{page.name}: {target}"


def test_no_two_commands_write_the_same_output():
    """The commands share one folder, and narrate refuses to replace a file without --force."""
    commands = [command for _, language, block in runnable_blocks() if language == "sh"
                for command in shell_commands(block)]  # fmt: skip
    named = Counter(path for command in commands for path in output_paths(command))
    assert [path for path, count in named.items() if count > 1] == []


@pytest.mark.e2e
def test_every_command_of_the_readme_and_docs_runs_as_written(clone):
    """In the pages' order, but a command that empties the clip cache runs last, so the
    others share the clips made before it (the suite's time)."""
    emptying = []
    for page, language, block in runnable_blocks():
        if language == "sh":
            for command in shell_commands(block):
                if "cache clear" in command:
                    emptying.append(command)
                    continue
                run(command, clone)
                for path in output_paths(command):
                    assert (clone / path).exists(), f"{page.name}: {command} made no {path}"
        else:
            done = subprocess.run([sys.executable, "-c", block], cwd=clone, capture_output=True,
                                  text=True, timeout=600)  # fmt: skip
            assert done.returncode == 0, f"{page.name}: {block}\n{done.stderr}"
    assert emptying, "the docs show how to empty the cache"
    for command in emptying:
        run(command, clone)

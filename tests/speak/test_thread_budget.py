"""The thread budget: each worker's engine may compute in the CPU count over --jobs threads,
and the budget never changes which clips the cache holds."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from audio_edition import narrate
from audio_edition.engines import VoiceSettings
from tests.plugin_engine.budget_engine import RECORD_VARIABLE

ENGINE_MODULE = Path(__file__).resolve().parents[1] / "plugin_engine" / "budget_engine.py"
DIST_INFO = {
    "METADATA": "Metadata-Version: 2.1\nName: budget-engine\nVersion: 1.0\n",
    "entry_points.txt": "[audio_edition.engines]\nbudget = budget_engine:BudgetEngine\n",
}
PIECE = "A first paragraph of a few words.\n\nA second one.\n\nAnd a third paragraph after them."
CORES = 8


@pytest.fixture
def budget_engine(tmp_path, monkeypatch) -> Path:
    """The engine "budget", registered here and in every worker, on a machine of CORES cores;
    returns the folder where each worker's engine writes its budget."""
    site = tmp_path / "site"
    info = site / "budget_engine-1.0.dist-info"
    info.mkdir(parents=True)
    shutil.copy(ENGINE_MODULE, site)
    for name, text in DIST_INFO.items():
        (info / name).write_text(text, encoding="utf-8")
    record = tmp_path / "record"
    record.mkdir()
    monkeypatch.syspath_prepend(str(site))
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    monkeypatch.setenv("PYTHONPATH", path)
    monkeypatch.setenv(RECORD_VARIABLE, str(record))
    monkeypatch.setattr(os, "cpu_count", lambda: CORES)
    return record


def budgets(record: Path) -> list[int]:
    """The budget every worker's engine was given."""
    return [int(path.read_text(encoding="utf-8")) for path in record.iterdir()]


@pytest.mark.parametrize(("jobs", "threads"), [(1, 8), (2, 4), (3, 2), (5, 1), (None, 1)])
def test_each_worker_gets_the_cores_over_the_jobs(budget_engine, write_text, tmp_path, jobs,
                                                  threads):  # fmt: skip
    piece = write_text("piece.txt", PIECE)
    edition = narrate(piece, tmp_path / "piece.wav", engine="budget", jobs=jobs)
    assert edition.synthesized == 3
    found = budgets(budget_engine)
    assert found and set(found) == {threads}
    assert len(found) <= (jobs or CORES)


def test_the_budget_is_not_part_of_the_clip_cache_key(write_text, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: CORES)  # budgets of 8 and 4 threads
    piece = write_text("piece.txt", PIECE)
    cache = tmp_path / "cache"
    first = narrate(piece, tmp_path / "one.wav", engine="fake", jobs=1, cache_dir=cache)
    again = narrate(piece, tmp_path / "two.wav", engine="fake", jobs=2, cache_dir=cache)
    assert (first.synthesized, first.cached) == (3, 0)
    assert (again.synthesized, again.cached) == (0, 3)


def test_settings_made_by_hand_have_a_budget_of_one_thread():
    assert VoiceSettings("fake", 160).threads == 1

"""bench/normalizer_heard.py's own parts: the phoneme comparison with the real eSpeak NG, the
batching of many texts into one espeak-ng process, and the case files."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs eSpeak NG")


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT / "bench"))  # it imports bench/run.py
        spec = importlib.util.spec_from_file_location(
            "bench_normalizer_heard", ROOT / "bench" / "normalizer_heard.py"
        )
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        patch.setitem(sys.modules, spec.name, module)  # its dataclasses look their module up
        spec.loader.exec_module(module)
        yield module


def test_a_digit_and_its_word_are_heard_alike_and_another_number_is_not(bench):
    three, word, four = bench.sounds(["3", "three", "four"], "en-us")
    assert three == word != four


def test_stress_pauses_and_clause_breaks_are_not_heard_as_differences(bench):
    plain, marked = bench.sounds(["three four five", "Three, four. Five!"], "en-us")
    assert plain == marked


def test_a_letter_read_as_a_word_is_a_difference(bench):
    article, letter = bench.sounds(["a dot b", "eigh dot b"], "en-us")
    assert article != letter


def test_texts_keep_their_places_when_espeak_ng_breaks_them_into_lines(bench):
    texts = ["Hello, world. How are you?", "", "1. Mai", "three"]
    batched = bench.sounds(texts, "de")
    assert batched == [bench.sounds([text], "de")[0] for text in texts]
    assert batched[1] == ""
    assert len(set(batched)) == 4


def test_a_case_is_right_when_any_reading_is_heard(bench):
    cases = [
        bench.Case("number", "3 cats", ("four cats", "three cats")),
        bench.Case("number", "4 cats", ("three cats",)),
    ]
    outcomes = bench.score("en", cases)
    assert [o.ours_right for o in outcomes] == [True, False]
    assert [o.alone_right for o in outcomes] == [True, False]


@pytest.mark.parametrize(
    ("language", "least", "held_out"),
    [("en", 20, 10), ("de", 10, 6), ("fr", 10, 6), ("es", 10, 6)],
)
@pytest.mark.parametrize("name", ["tuned", "held-out"])
def test_every_class_has_its_share_of_cases(bench, language, least, held_out, name):
    cases = bench.load_cases(language, bench.SETS[name])
    kinds = {c.kind for c in cases}
    assert len(kinds) >= (14 if language == "en" else 8)
    assert kinds == {c.kind for c in bench.load_cases(language)}  # the held-out set's classes too
    floor = least if name == "tuned" else held_out
    assert all(sum(c.kind == kind for c in cases) >= floor for kind in kinds)
    assert all(c.written and all(c.references) for c in cases)

"""Proofreading what speech-to-text heard: a paragraph the model misheard is unclear, one that
is not in the audio is missing, told apart by the words and the time heard in its place."""

from __future__ import annotations

import importlib.util

import pytest

from audio_edition.errors import UsageError
from audio_edition.proof import FLAGGED, STATUSES, Heard, HeardSegment, Spans, proofread

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("jiwer") is None, reason="word error rates need jiwer"
)

KEEPER = "The keeper climbed the long stairs at dusk every day."
YES = "Yes."
LAMP = "He lit the great lamp and watched the ships pass the rocks."
NARRATED = Spans(((750, 3750), (4650, 5000), (5900, 9400)), 11400)
"""Where a narration put KEEPER, YES and LAMP: 900 ms paragraph pauses, 2 s of tail."""


def timed(*pieces: tuple[str, int, int], duration_ms: int) -> Heard:
    """Each (text, start ms, end ms) heard word by word, evenly spread over its time."""
    heard = []
    for text, start, end in pieces:
        words = text.split()
        step = (end - start) / len(words)
        heard += [HeardSegment(round(start + i * step), round(start + (i + 1) * step), word)
                  for i, word in enumerate(words)]  # fmt: skip
    return Heard(tuple(heard), duration_ms)


def statuses(paragraphs, heard, narrated=None) -> list[str]:
    return [p.status for p in proofread(paragraphs, heard, narrated=narrated)]


def test_unclear_is_a_status_that_does_not_fail():
    assert "unclear" in STATUSES and "unclear" not in FLAGGED
    assert set(FLAGGED) == set(STATUSES) - {"ok", "unclear"}


def test_a_paragraph_heard_with_no_word_pair_right_is_unclear_not_missing():
    """Issue 11: the tiny model heard this from eSpeak NG; only "test" is right."""
    [proof] = proofread(["Hello there. This is a test."], "The low now, missing the test.")
    assert (proof.status, proof.wer) == ("unclear", 0.833)
    assert statuses(["Hello there. This is a test."], "hello now listen up") == ["unclear"]
    assert statuses(["Hello there. This is a test."], "hello now") == ["unclear"]
    assert statuses(["Good morning."], "Good morning.") == ["ok"]
    assert statuses(["Prologue"], "Prolon.") == ["unclear"]


def test_a_paragraph_with_nothing_heard_in_its_place_is_missing():
    assert statuses(["Hello there. This is a test."], "") == ["missing"]
    assert statuses([KEEPER, YES, LAMP], f"{KEEPER} {LAMP}") == ["ok", "missing", "ok"]
    assert statuses([KEEPER, YES, LAMP], f"{KEEPER} guess {LAMP}") == ["ok", "unclear", "ok"]


def test_the_time_heard_between_the_neighbours_tells_a_misheard_line_from_a_cut_one():
    texts = [KEEPER, YES, LAMP]
    misheard = timed((KEEPER, 750, 3750), ("guess", 4650, 5000), (LAMP, 5900, 9400),
                     duration_ms=11400)  # fmt: skip
    assert statuses(texts, misheard, NARRATED) == ["ok", "unclear", "ok"]
    # "Yes." and the pause after it cut out; the model heard the keeper's last word twice
    cut = timed((KEEPER + " day", 750, 3900), (LAMP, 4650, 8150), duration_ms=10150)
    assert statuses(texts, cut, NARRATED) == ["ok", "missing", "ok"]
    assert statuses(texts, " ".join(w.text for w in cut.words)) == ["ok", "unclear", "ok"]
    # the last line heard as one word of its twelve is still there in time
    lamp_misheard = timed((KEEPER, 750, 3750), (YES, 4650, 5000), ("lamb", 5900, 6200),
                          duration_ms=11400)  # fmt: skip
    assert statuses(texts, lamp_misheard, NARRATED) == ["ok", "ok", "unclear"]
    lamp_cut = timed((KEEPER, 750, 3750), (YES, 4650, 5000), ("lamb", 5900, 6200),
                     duration_ms=7000)  # fmt: skip
    assert statuses(texts, lamp_cut, NARRATED) == ["ok", "ok", "missing"]


def test_of_two_lines_not_confirmed_the_one_the_room_lacks_is_missing():
    """Heard by the tiny model after the lamp paragraph was cut from a narration."""
    texts = [KEEPER, "He lit the lamp and watched the ships pass far out at sea.",
             "Hello there. This is a test.", LAMP]  # fmt: skip
    hello = "The lone air, this inner test."
    assert statuses(texts, f"{KEEPER} {hello} {LAMP}") == ["ok", "missing", "unclear", "ok"]
    both = f"{KEEPER} He let a ramp end washed a ship us fire outer see. {hello} {LAMP}"
    assert statuses(texts, both) == ["ok", "unclear", "unclear", "ok"]


def test_times_for_another_number_of_paragraphs_are_refused():
    with pytest.raises(UsageError, match="times for 3 paragraphs, not 2"):
        proofread([KEEPER, LAMP], timed((KEEPER, 0, 1), duration_ms=1), narrated=NARRATED)


# Issue 23, item 13: lines of the Apache License 2.0 narrated completely by eSpeak NG, as the
# tiny model heard them (its words and times, from a real run); nothing is lost, so nothing
# may be flagged.
DERIVATIVE = (
    '"Derivative Works" shall mean any work, whether in Source or Object form, that is based on'
    " or derived from the Work and for which the editorial revisions, annotations, elaborations,"
    " or other modifications represent, as a whole, an original work of authorship. For the"
    " purposes of this License, Derivative Works shall not include works that remain separable"
    " from, or merely link (or bind by name) to the interfaces of, the Work and Derivative Works"
    " thereof."
)


def test_a_paragraph_that_repeats_its_own_phrase_is_not_repeated():
    """A phrase said twice in one paragraph is not the paragraph said twice."""
    texts = [KEEPER, DERIVATIVE, LAMP]
    assert statuses(texts, " ".join(texts)) == ["ok", "ok", "ok"]


def test_an_edge_word_misheard_is_not_a_truncation():
    terms = "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION"
    license_ = ('"License" shall mean the terms and conditions for use, reproduction, and '
                "distribution as defined by Sections 1 through 9 of this document.")  # fmt: skip
    heard = ("Terms and conditions for use, reproduction and distribution. One, definition. "
             "License shall mean the terms and conditions for use, reproduction and "
             "distribution. Defined by sections 1 through i -n -list document.")  # fmt: skip
    assert statuses([terms, "1. Definitions.", license_], heard) == ["ok", "ok", "ok"]
    texts = [KEEPER, "END OF TERMS AND CONDITIONS",
             "APPENDIX: How to apply the Apache License to your work."]  # fmt: skip
    heard = (f"{KEEPER} on terms and conditions. "
             "Appendix how to apply the Apache license to your work.")  # fmt: skip
    assert statuses(texts, heard) == ["ok", "ok", "ok"]


def test_a_line_is_not_lost_to_the_lines_around_it():
    """The paragraphs before and after the address once claimed its words as theirs."""
    texts = ["Licensed under the Apache License, Version 2.0 (the \"License\"); you may not use "
             "this file except in compliance with the License. You may obtain a copy of the "
             "License at", "http://www.apache.org/licenses/LICENSE-2.0",
             "Unless required by applicable law or agreed to in writing, software distributed "
             "under the License is distributed on an \"AS IS\" BASIS."]  # fmt: skip
    heard = ("Lison's turned on the Apache license, version 2 .0, the license. You may not use "
             "this file except in compliance with the license. You may obtain a copy on the "
             "license. Apache .org. Unless required, I applicable law for agreed to rewriting "
             "software distributed under the license is distributed on an This is basis."
             )  # fmt: skip
    assert statuses(texts, heard) == ["ok", "ok", "ok"]


def test_words_stretched_over_the_pauses_do_not_make_a_line_missing():
    """The model stretches the words beside a pause into it ("OK." ends 385 ms late,
    "Android" starts 674 ms early), so the gap between them is short of the "BSD" between."""
    texts = ["Platform, Minimum Version, Status", "Linux, OK", "BSD", "Android, 4.0",
             "Windows, Windows 8"]  # fmt: skip
    narrated = Spans(((147675, 150252), (151152, 152315), (153215, 153794), (154694, 156545),
                      (157445, 158967)), 160000)  # fmt: skip
    words = [(147800, 148320, "Platform,"), (148740, 148980, "minimum"),
             (148980, 149540, "version"), (149540, 150360, "status."), (151260, 151660, "Linux,"),
             (151880, 152700, "OK."), (152700, 154020, "BSC"), (154020, 155240, "Android"),
             (155240, 155860, "4"), (155860, 157280, ".0"), (157280, 158040, "Windows"),
             (158040, 158680, "Windows"), (158680, 158960, "8")]  # fmt: skip
    heard = Heard(tuple(HeardSegment(*word) for word in words), 160000)
    assert statuses(texts, heard, narrated) == ["ok", "ok", "unclear", "ok", "ok"]
    cut = Heard(tuple(HeardSegment(s - 1479 * (s > 152700), e - 1479 * (s > 152700), w)
                      for s, e, w in words if w != "BSC"), 160000 - 1479)  # fmt: skip
    assert statuses(texts, cut, narrated) == ["ok", "ok", "missing", "ok", "ok"]

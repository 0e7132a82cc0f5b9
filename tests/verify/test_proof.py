"""Proofreading what speech-to-text heard: a paragraph the model misheard is unclear, one that
is not in the audio is missing, told apart by the words and the time heard in its place."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from audio_edition.errors import UsageError
from audio_edition.verify.hearing import UNHEARD, WHISPER_RATE, Heard, HeardSegment, with_unheard
from audio_edition.verify.proof import FLAGGED, ParagraphStatus, Spans, proofread, word_error_rate

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
    statuses = tuple(ParagraphStatus)
    assert "unclear" in statuses and "unclear" not in FLAGGED
    assert set(FLAGGED) == set(statuses) - {"ok", "unclear"}


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
    heard = ("License under the Apache license version 2.0, the license. You may not use this "
             "file except in compliance with the license. You may obtain a copy on the license. "
             "{} Unless required by applicable law or agreed to in writing software distributed "
             "under the license is distributed on an as is basis")  # fmt: skip
    # the address as read since issue 29 ("w w w dot apache dot org slash licenses slash ..."):
    # heard clearly, and as the tiny model heard eSpeak NG say it (garbled, yet not lost)
    address = "www.apache.org slash licenses slash license dash two dot zero."
    assert statuses(texts, heard.format(address)) == ["ok", "ok", "ok"]
    garbled = "You will not have had she not or slash license slash license to not zero"
    assert statuses(texts, heard.format(garbled)) == ["ok", "unclear", "ok"]


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


def test_speech_the_model_skipped_is_unheard_not_missing():
    """The tiny model now and then skips a whole 30 s window of speech as silence, or
    stretches a word over what it skips (issue 23: the license's paragraphs 23 and 24, or 19,
    were "truncated"); the speech there stands for words not heard, so what lies in it is
    unclear, while a silent stretch stays missing."""
    middle = "The harbour master counted every boat that came in before the storm broke."
    sound = 0.3 * np.sin(2 * np.pi * 220 * np.arange(16 * WHISPER_RATE) / WHISPER_RATE)
    keeper = timed((KEEPER, 0, 4000), duration_ms=4000).words
    lamp = timed((LAMP, 12000, 16000), duration_ms=16000).words
    texts = [KEEPER, middle, LAMP]
    skipped = with_unheard([*keeper, *lamp], sound.astype(np.float32))
    assert 15 <= sum(word.text == UNHEARD for word in skipped) <= 30
    assert statuses(texts, Heard(tuple(skipped), 16000)) == ["ok", "unclear", "ok"]
    last = keeper[-1]  # the model stretched "day." over what it skipped
    stretched = [*keeper[:-1], HeardSegment(last.start_ms, 12000, last.text), *lamp]
    stretched_over = with_unheard(stretched, sound.astype(np.float32))
    assert statuses(texts, Heard(tuple(stretched_over), 16000)) == ["ok", "unclear", "ok"]
    silent = sound.copy()
    silent[4 * WHISPER_RATE : 12 * WHISPER_RATE] = 0
    nothing = with_unheard([*keeper, *lamp], silent.astype(np.float32))
    assert statuses(texts, Heard(tuple(nothing), 16000)) == ["ok", "missing", "ok"]


def test_a_line_the_model_did_not_hear_at_all_is_timed_by_its_neighbours():
    """Issue 23: eSpeak NG's README, "Documentation" between "Mac" and the user guide, heard
    by the tiny model (words and times from a real run): nothing at all in its place, yet the
    lines around it are heard at their narrated times, so it is there, unclear; cut out (its
    speech and a pause), the line after it comes 1.9 s early, and it is missing."""
    texts = ["Windows, Windows 8", "Mac", "Documentation",
             "User guide explains how to set up and use eSpeak NG from command line or as a "
             "library.", "Building guide provides info how to compile and build eSpeak NG "
             "from the source."]  # fmt: skip
    narrated = Spans(((157433, 158955), (159855, 160191), (161091, 162062), (162962, 168431),
                      (169331, 174141)), 176000)  # fmt: skip
    words = [(157520, 158020, "Windows,"), (158200, 158700, "Windows"), (158700, 159400, "8."),
             (159980, 160580, "Mac."), (161900, 163300, "User"), (163300, 163640, "guide"),
             (163640, 164220, "explains"), (164220, 164520, "how"), (164520, 164720, "to"),
             (164720, 164920, "set"), (164920, 165280, "up"), (165280, 165500, "and"),
             (165500, 165700, "use"), (165700, 166080, "the"), (166080, 166440, "Kenji"),
             (166440, 166780, "from"), (166780, 167180, "command"), (167180, 167620, "line"),
             (167620, 167800, "for"), (167800, 167960, "an"), (167960, 168460, "elaborate."),
             (169460, 169740, "Building"), (169740, 170160, "guide"),
             (170160, 170640, "provides"), (170640, 171040, "info"), (171040, 171320, "how"),
             (171320, 171520, "to"), (171520, 171900, "compile"), (171900, 172340, "and"),
             (172340, 172620, "build"), (172620, 173020, "easy"), (173020, 173380, "Kenji"),
             (173380, 173680, "from"), (173680, 173900, "the"),
             (173900, 174520, "source.")]  # fmt: skip
    heard = Heard(tuple(HeardSegment(*word) for word in words), 176000)
    assert statuses(texts, heard, narrated) == ["ok", "ok", "unclear", "ok", "ok"]
    early = 162962 - 161091
    cut = Heard(tuple(HeardSegment(s - early * (s > 161000), e - early * (s > 161000), w)
                      for s, e, w in words), 176000 - early)  # fmt: skip
    assert statuses(texts, cut, narrated) == ["ok", "ok", "missing", "ok", "ok"]


def test_a_short_line_found_at_another_lines_word_is_no_landmark():
    """A two-word heading the model did not hear is found at "license" at the end of the next
    line, most of which the model skipped; the time that puts it 5 s late is not taken for
    time the next line lacks, nor does it shut that line out of its place."""
    texts = [KEEPER, "License Information", "Everything here is released under the license.",
             LAMP]  # fmt: skip
    narrated = Spans(((750, 3750), (4650, 5650), (6550, 10550), (11450, 14950)), 17000)
    skipped = " ".join([UNHEARD] * 14)
    heard = timed((KEEPER, 750, 3750), (skipped, 4650, 9900), ("to license", 9900, 10550),
                  (LAMP, 11450, 14950), duration_ms=17000)  # fmt: skip
    assert statuses(texts, heard, narrated) == ["ok", "ok", "unclear", "ok"]
    assert statuses(texts, heard) == ["ok", "ok", "unclear", "ok"]  # nor does it shut it out


def test_a_line_timed_late_after_a_skip_is_no_landmark():
    """After a window it skipped, the model timed the rest of a line it heard 20 s late
    (eSpeak NG's README); the words of that line disagree on its lateness, so its time is not
    taken for time the next line lacks."""
    harbour = "The harbour master counted every boat that came in before the storm broke."
    texts = [KEEPER, harbour, "Yes, every one of them.", LAMP]
    narrated = Spans(((750, 3750), (4650, 9650), (10550, 12050), (12950, 16450)), 18500)
    words = harbour.split()
    heard = timed((KEEPER, 750, 3750), (" ".join(words[:4]), 4650, 6150),
                  (" ".join(words[4:]), 10000, 12800), (LAMP, 12950, 16450),
                  duration_ms=18500)  # fmt: skip
    assert statuses(texts, heard, narrated) == ["ok", "ok", "unclear", "ok"]


def test_the_word_error_rate_counts_numbers_as_the_words_spoken():
    assert word_error_rate("It was 1995.", "it was nineteen ninety-five") == 0.0
    assert word_error_rate("The keeper climbed.", "the keeper") == pytest.approx(1 / 3)
    assert word_error_rate("", "anything") == 0.0

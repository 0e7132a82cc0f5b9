"""Text written without spaces between words (Chinese, Japanese, Korean syllables, Thai), and
words without end: the length check counts what is said, Chinese finds eSpeak NG's voices,
and a message quotes at most EXCERPT_CHARACTERS of the text."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from audio_edition import SynthesisError, narrate
from audio_edition.cli import main
from audio_edition.document import ManuscriptSection
from audio_edition.engines import Audio, language_tags, load_engine, voice_for_language
from audio_edition.errors import EXCERPT_CHARACTERS, InputError, excerpt
from audio_edition.readers import check_complete
from audio_edition.speak.ledger import check_clip
from tests.audio import decode

CHINESE = (
    "春天来了，公园里的花都开了。小明和他的朋友们一起去公园散步，他们看到了很多美丽的花朵和"
    "绿色的树木。天气很好，阳光明媚，大家都很开心。"
)  # 59 characters and 6 punctuation marks (Chinese ones: a full-width comma, a full stop)
JAPANESE = (
    "今日はとても良い天気です。私は友達と一緒に公園へ散歩に行きました。"
    "桜の花がきれいに咲いていて、みんなで写真を撮りました。"
)
KANA = "きのう、わたしは としょかんで ほんを よみました。"
KOREAN = "저는 친구들과 함께 공원에 산책하러 갔습니다."
THAI = "หนังสือเล่มนี้เล่าเรื่องของชายหนุ่มที่ออกจากบ้านเกิดไปหาความฝันในเมืองใหญ่"
CONSONANTS = "".join("bcdfghjklmnpqrstvwxz"[(i * 7) % 20] for i in range(5000))
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs eSpeak NG")


def sound(seconds: float, sample_rate: int = 22_050) -> Audio:
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    return Audio((0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2").tobytes(), sample_rate)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (CHINESE, 28.25),  # eSpeak NG's cmn voice (which reads the tone numbers aloud)
        (CHINESE, 15.22),  # its yue voice
        (JAPANESE, 29.93),  # its ja voice, which names every kanji
        (KANA, 3.54),
        (KOREAN, 4.57),
        (THAI, 8.67),
        ("a" * 5000, 47.64),  # a word with no end, as eSpeak NG says it
        (CONSONANTS, 61.80),  # consonants it cannot say, so it spells them
        ("bcdfghjklmnpqrstvwxz", 4.22),
    ],
)
def test_lengths_eSpeak_NG_really_gives_at_160_wpm_are_plausible(text, seconds):
    assert check_clip(text, sound(seconds), 160) is None


@pytest.mark.parametrize(
    ("text", "seconds", "problem"),
    [
        (CHINESE, 1.5, "the clip lasts 1.50 s where 59 characters at 160 wpm take about 13.28 s"),
        (CHINESE, 180.0, "the clip lasts 180.00 s where 59 characters at 160 wpm take about "
                         "13.28 s"),
        (f"Ten {CHINESE}", 1.5, "the clip lasts 1.50 s where 1 words and 59 characters at 160 wpm "
                                "take about 13.65 s"),
        ("a" * 5000, 2000.0, "the clip lasts 2000.00 s where 1 words at 160 wpm take about 0.38 s"),
    ],
)  # fmt: skip
def test_a_clip_far_from_its_text_length_still_fails(text, seconds, problem):
    assert check_clip(text, sound(seconds), 160) == problem


def test_the_fake_engine_speaks_chinese_for_as_long_as_the_check_expects(write_text, tmp_path):
    source = write_text("spring.txt", f"{CHINESE}\n\nSHORT {CHINESE}")
    first = "春天来了，公园里的花都开了。"
    with pytest.raises(SynthesisError, match=rf'^paragraph 2 \("SHORT {first}"\) '
                       r"could not be spoken: the clip lasts \d\.\d\d s where 1 words and 12 "
                       r"characters at 160 wpm take about 3\.07 s$"):  # fmt: skip
        narrate(source, tmp_path / "spring.wav", engine="fake")
    write_text("spring.txt", CHINESE)
    edition = narrate(source, tmp_path / "spring.wav", engine="fake", force=True)
    assert edition.clips == 3  # a clip a sentence
    assert edition.duration_seconds > 13.28


def test_a_failing_clip_of_one_endless_word_is_quoted_short(run_cli, write_text, tmp_path):
    write_text("long.txt", "MUTE " + "a" * 5000)
    result = run_cli("narrate", "long.txt", "--engine", "fake")
    assert result.returncode == 1
    error = result.stderr.decode().splitlines()[-1]
    quoted = "MUTE " + "a" * (EXCERPT_CHARACTERS - 8) + "..."
    assert error == (f'audio-edition: error: paragraph 1 ("{quoted}") could not be spoken: '
                     "the engine returned no audio")  # fmt: skip


def test_a_reader_that_loses_an_endless_word_quotes_its_start():
    sections = [ManuscriptSection("One", ("Two",))]
    with pytest.raises(InputError) as raised:
        check_complete("doc", ["One", "b" * 5000], sections)
    assert str(raised.value) == (
        f"doc: part of the text could not be read, from '{'b' * (EXCERPT_CHARACTERS - 3)}...'"
    )


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Short and\n sweet.", "Short and sweet."),
        ("word " * 30, "word word word word word word word word word word word..."),
        ("春" * 100, "春" * 57 + "..."),
    ],
)
def test_an_excerpt_is_one_line_of_at_most_its_limit(text, quoted):
    assert excerpt(text) == quoted
    assert len(excerpt(text)) <= EXCERPT_CHARACTERS


@pytest.mark.parametrize(
    ("tag", "tags"),
    [
        ("zh", ["zh", "cmn"]),
        ("zh-Hans", ["zh-hans", "cmn"]),
        ("zh_TW", ["zh-tw", "cmn"]),
        ("zh-HK", ["zh-hk", "yue"]),
        ("zh-yue", ["zh-yue", "yue"]),
        ("zh-Hant-MO", ["zh-hant-mo", "yue"]),
        ("ja", ["ja"]),
        ("en-US", ["en-us"]),
    ],
)
def test_chinese_tags_also_name_the_spoken_language(tag, tags):
    assert language_tags(tag) == tags


@needs_espeak
@pytest.mark.parametrize(
    ("tag", "voice"),
    [("zh", "sit/cmn"), ("zh-CN", "sit/cmn"), ("zh-Hans", "sit/cmn"), ("zh-HK", "sit/yue"),
     ("zh-yue", "sit/yue"), ("yue", "sit/yue"), ("ja", "jpx/ja")],
)  # fmt: skip
def test_chinese_finds_eSpeak_NGs_mandarin_and_cantonese_voices(tag, voice):
    found = voice_for_language(load_engine("pyttsx3"), tag)
    assert found is not None and found.id == voice


@needs_espeak
@pytest.mark.parametrize(
    ("tag", "voices"),
    [("zh", ["sit/cmn", "sit/cmn-latn-pinyin"]), ("zh-HK", ["sit/yue", "sit/yue-latn-jyutping"])],
)
def test_voices_for_a_chinese_tag_are_listed(capsys, tag, voices):
    assert main(["voices", "--engine", "pyttsx3", "--lang", tag]) == 0
    assert [line.split()[1] for line in capsys.readouterr().out.splitlines()[1:]] == voices


@pytest.mark.e2e
@needs_espeak
@pytest.mark.parametrize(("tag", "text", "voice"), [("zh", CHINESE, "sit/cmn"),
                                                    ("ja", JAPANESE, "jpx/ja")])  # fmt: skip
def test_a_chinese_or_japanese_paragraph_is_narrated_by_eSpeak_NG(run_cli, write_text, tmp_path,
                                                                  tag, text, voice):  # fmt: skip
    write_text("piece.txt", text)
    result = run_cli("narrate", "piece.txt", "--lang", tag, "-o", "piece.mp3", "--manifest")
    assert result.returncode == 0, result.stderr.decode()
    manifest = json.loads((tmp_path / "piece.json").read_text(encoding="utf-8"))
    assert manifest["voice"] == voice
    seconds = len(decode(tmp_path / "piece.mp3")) / 44_100
    assert 20 < seconds < 40  # eSpeak NG takes 28-30 s; the head and tail add under 3 s


@pytest.mark.e2e
@needs_espeak
@pytest.mark.parametrize("word", ["a" * 5000, CONSONANTS], ids=["vowels", "consonants"])
def test_a_word_of_5000_letters_is_narrated_by_eSpeak_NG(run_cli, write_text, tmp_path, word):
    write_text("word.txt", word)
    result = run_cli("narrate", "word.txt", "-o", "word.mp3", "--engine", "pyttsx3")
    assert result.returncode == 0, result.stderr.decode()
    assert len(decode(tmp_path / "word.mp3")) / 44_100 > 40  # eSpeak NG takes 48 and 62 s


def test_chinese_and_japanese_sentences_are_clips_of_their_own(write_text, tmp_path):
    """syntok splits at spaces; a full-width full stop, question or exclamation mark ends a
    sentence too (a closing quote staying with it), so a paragraph is not one long clip."""
    from audio_edition.narration.plan import Options, VoiceOptions, read_document

    source = write_text("zh.txt", "春天来了。花开了！你好吗？彼は「行こう。」と言った。")
    document = read_document(source, Options(voice=VoiceOptions(engine="fake", lang="zh")))
    (paragraph,) = document.paragraphs
    assert [s.text for s in paragraph.sentences] == [
        "春天来了。",
        "花开了！",
        "你好吗？",
        "彼は「行こう。」と言った。",
    ]

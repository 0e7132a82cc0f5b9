"""The pronunciation lexicon: applied before the other rules, and read from a TOML file."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_edition.document import spoken_words
from audio_edition.errors import InputError
from audio_edition.text.normalize import Normalizer, lexicon
from audio_edition.text.normalize.lexicon import Pronunciation, load_lexicon
from audio_edition.text.phonemes import said_in_ipa, shown

LEXICON = {
    "Nguyen": "Win",
    "C3PO": "see three pee oh",
    "k8s": "kubernetes",
    "York": "Yawk",
    "New York": "Noo Yawk",
    "AT&T": "A T and T",
}


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("Ask Nguyen.", "Ask Win."),
        ("nguyen and NGUYEN", "Win and Win"),
        ("Nguyens and Nguyen's", "Nguyens and Win's"),
        (
            "C3PO runs k8s; xk8s and k8sx do not",
            "see three pee oh runs kubernetes; xk8s and k8sx do not",
        ),
        ("New York and York", "Noo Yawk and Yawk"),
        ("AT&T calls", "A T and T calls"),
        ("Nothing here", "Nothing here"),
    ],
)
def test_lexicon(written, spoken):
    assert Normalizer(lexicon=LEXICON).spoken_form(written) == spoken


def test_lexicon_comes_before_the_other_rules():
    normalizer = Normalizer(lexicon={"Dr.": "Drive", "3D": "three dee", "\u201cquoted\u201d": "Q"})
    assert normalizer.spoken_form("Elm Dr. in 3D") == "Elm Drive in three dee"
    assert normalizer.spoken_form('a "quoted" word') == "a Q word"


def test_lexicon_matches_curly_apostrophes_as_plain_ones():
    assert Normalizer(lexicon={"don't": "do not"}).spoken_form("I don\u2019t") == "I do not"


def test_a_large_lexicon():
    words = {f"word{i}": f"w{i}" for i in range(3000)}
    assert (
        Normalizer(lexicon=words).spoken_form("word12 word1234 word99999") == "w12 w1234 word99999"
    )


def write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "words.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_load_lexicon(tmp_path):
    path = write(
        tmp_path,
        '# names\nNguyen = "Win"\n"New York" = "Noo Yawk"\n\n[words]\nk8s = "kubernetes"\n',
    )
    assert load_lexicon(path) == {"Nguyen": "Win", "New York": "Noo Yawk", "k8s": "kubernetes"}
    assert load_lexicon(str(path)) == load_lexicon(path)


def test_load_an_empty_lexicon(tmp_path):
    assert load_lexicon(write(tmp_path, "")) == {}


@pytest.mark.parametrize(
    "content, problem",
    [
        ('a = "x"\nb = \n', "not valid TOML (line 2: Invalid value)"),
        ('a = "x', "not valid TOML (Unterminated string at the end)"),
        ("Nguyen = 3\n", "'Nguyen' must map to a string"),
        ('[names]\nNguyen = "Win"\n', "'names' must map to a string"),
        ('[words]\nNguyen = ["Win"]\n', "'Nguyen' must map to a string"),
        ('"" = "nothing"\n', "a word must not be empty"),
        ('"  " = "nothing"\n', "a word must not be empty"),
        ('Nguyen = ""\n', "'Nguyen' must not map to an empty string"),
        ('Nguyen = "Win"\nnguyen = "Wen"\n', "'nguyen' is given twice ('Nguyen'; case is ignored)"),
        ('Nguyen = "Win"\n[words]\nNguyen = "Wen"\n', "'Nguyen' is given twice"),
    ],
)
def test_load_lexicon_refuses_a_bad_file(tmp_path, content, problem):
    path = write(tmp_path, content)
    with pytest.raises(InputError) as raised:
        load_lexicon(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {problem}")
    assert "\n" not in message


def test_load_lexicon_refuses_bytes_that_are_not_utf8(tmp_path):
    path = write(tmp_path, b'a = "\xff"\n')
    with pytest.raises(InputError, match=r"words\.toml: not valid UTF-8 \(byte 5\)$"):
        load_lexicon(path)


def test_load_lexicon_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"nope\.toml: no such file$"):
        load_lexicon(tmp_path / "nope.toml")


def test_load_lexicon_directory(tmp_path):
    with pytest.raises(InputError, match=r"is a directory, not a lexicon file$"):
        load_lexicon(tmp_path)


def test_an_entry_may_give_ipa_beside_a_respelling(tmp_path):
    path = write(tmp_path, 'Nguyen = { say = "Win", ipa = "ŋwˈɪn" }\n'
                           'tomato = { ipa = "təmˈɑːtoʊ" }\nk8s = "kubernetes"\n')  # fmt: skip
    assert load_lexicon(path) == {
        "Nguyen": Pronunciation("Win", "ŋwˈɪn"),
        "tomato": Pronunciation("tomato", "təmˈɑːtoʊ"),
        "k8s": "kubernetes",
    }


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('Nguyen = { say = "Win" }\n', "'Nguyen' must map to a string, or a table of ipa"),
        ('Nguyen = { ipa = "x", voice = "y" }\n', "'Nguyen' must map to a string, or a table"),
        ('Nguyen = { ipa = "" }\n', "'Nguyen''s ipa must be a string, not empty"),
        ("Nguyen = { ipa = 3 }\n", "'Nguyen''s ipa must be a string, not empty"),
        ('Nguyen = { ipa = "ŋw/ɪn)" }\n', "'Nguyen''s ipa must not hold ) /"),
    ],
)
def test_a_bad_ipa_entry_is_one_line(tmp_path, content, problem):
    path = write(tmp_path, content)
    with pytest.raises(InputError) as raised:
        load_lexicon(path)
    assert str(raised.value).startswith(f"{path}: {problem}")


def test_an_engine_that_takes_phonemes_is_given_the_ipa_and_any_other_the_respelling():
    lexicon = {"Nguyen": Pronunciation("Win", "ŋwˈɪn"), "XII": "twelve"}
    text = "Dr. Nguyen read chapter XII at 9 p.m."
    with_ipa = Normalizer("en", lexicon, phonemes=True).spoken_form(text)
    assert with_ipa == f"Doctor {said_in_ipa('Win', 'ŋwˈɪn')} read chapter twelve at nine PM."
    assert shown(with_ipa) == "Doctor Win /ŋwˈɪn/ read chapter twelve at nine PM."
    assert Normalizer("en", lexicon).spoken_form(text) == (
        "Doctor Win read chapter twelve at nine PM."
    )


def test_marks_in_the_text_read_are_no_ipa():
    text = f"A {said_in_ipa('fake', 'fˈeɪk')} mark."
    assert Normalizer("en", phonemes=True).spoken_form(text) == "A fakefˈeɪk mark."


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_a_word_given_in_ipa_inside_a_web_address_is_still_ipa(language):
    lexicon = {"Hermione": Pronunciation("Her my oh nee", "hɚˈmaɪəni")}
    spoken = Normalizer(language, lexicon, phonemes=True).spoken_form("See www.Hermione.org now.")
    assert "qzq" not in spoken.lower()
    assert said_in_ipa("Her my oh nee", "hɚˈmaɪəni") in spoken


def test_syllable_marks_are_dropped_from_the_ipa(tmp_path):
    path = write(tmp_path, 'Hermione = { ipa = "hɚˈmaɪ.ə.ni" }\n')
    assert load_lexicon(path) == {"Hermione": Pronunciation("Hermione", "hɚˈmaɪəni")}


def test_a_word_given_in_ipa_takes_the_time_of_its_respelling():
    assert spoken_words(f"Dear {said_in_ipa('Her my oh nee', 'hɚˈmaɪəni')}.") == 5


def test_load_lexicon_refuses_a_file_over_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(lexicon, "MAX_LEXICON_BYTES", 1024)
    entry = 'a = "x"\n'
    path = write(tmp_path, entry + "#" * (1024 - len(entry)) + "\n")
    with pytest.raises(
        InputError, match=r"words\.toml is larger than 1 KiB, the lexicon file limit$"
    ):
        load_lexicon(path)
    assert load_lexicon(write(tmp_path, entry + "#" * (1023 - len(entry)) + "\n")) == {"a": "x"}

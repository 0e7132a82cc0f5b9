"""Segmentation: paragraphs, joined lines, sentences and clip-sized parts, losing nothing."""

from __future__ import annotations

import dataclasses
import re

import pytest

from audio_edition.document import SOMEONE, Document, count_words
from audio_edition.readers.text import parse_text
from audio_edition.text import segment as segment_module
from audio_edition.text.segment import has_word, segment, split_parts

GUTENBERG_WRAPPED = """\
It is a truth universally acknowledged, that a single man in possession
of a good fortune, must be in want of a wife.

However little known the feelings or views of such a man may be on his
first entering a neighbourhood, this truth is so well fixed in the minds
of the surrounding families, that he is considered the rightful property
of some one or other of their daughters.
"""


def segment_text(text: str, max_clip_words: int) -> Document:
    return segment(parse_text(text), max_clip_words)


def texts(document):
    return [p.text for p in document.paragraphs]


def test_blank_lines_separate_paragraphs_and_wrapped_lines_are_joined():
    document = segment_text(GUTENBERG_WRAPPED, max_clip_words=60)
    assert texts(document) == [
        "It is a truth universally acknowledged, that a single man in possession of a good "
        "fortune, must be in want of a wife.",
        "However little known the feelings or views of such a man may be on his first entering "
        "a neighbourhood, this truth is so well fixed in the minds of the surrounding families, "
        "that he is considered the rightful property of some one or other of their daughters.",
    ]


def test_line_ends_tabs_form_feeds_bom_and_nbsp():
    raw = "\ufeffFirst\tline\r\nwraps here.\r\n\r\nSecond\u00a0one\rcontinues.\fThird page."
    assert texts(segment_text(raw, 60)) == [
        "First line wraps here.",
        "Second one continues.",
        "Third page.",
    ]


def test_blank_line_made_of_spaces_separates_paragraphs():
    assert texts(segment_text("One.\n   \t\nTwo.", 60)) == ["One.", "Two."]


def test_word_hyphenated_across_a_line_break_is_rejoined():
    assert texts(segment_text("two star-\ncrossed lovers", 60)) == ["two star-crossed lovers"]


def test_number_range_hyphenated_across_a_line_break_is_rejoined():
    assert texts(segment_text("from 1990-\n1995 and COVID-\n19", 60)) == [
        "from 1990-1995 and COVID-19"
    ]


def test_a_month_abbreviated_in_capitals_ends_no_sentence_before_its_day():
    document = segment_text("Signed FEB. 9 2021, filed OCT. 3 and paid. Then it ended.", 60)
    assert [s.text for s in document.paragraphs[0].sentences] == [
        "Signed FEB. 9 2021, filed OCT. 3 and paid.",
        "Then it ended.",
    ]


def test_an_english_month_abbreviation_is_no_rule_of_another_language():
    manuscript = dataclasses.replace(parse_text("Il chantait en DEC. 5 amis sont venus."),
                                     language="fr")  # fmt: skip
    assert [s.text for s in segment(manuscript, 60).paragraphs[0].sentences] == [
        "Il chantait en DEC.",
        "5 amis sont venus.",
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Lt. Dan", [("Lt. Dan", "Lieutenant Dan")]),
        ("Sgt. Pepper", [("Sgt. Pepper", "Sergeant Pepper")]),
        ("Rev. Jones", [("Rev. Jones", "Reverend Jones")]),
        (
            "See Ch. 4 and Vol. III now. Dial ext. 56 now.",
            [
                ("See Ch. 4 and Vol. III now.", "See chapter four and volume three now."),
                ("Dial ext. 56 now.", "Dial extension five six now."),
            ],
        ),
        (
            "He was a Lt. He left.",
            [("He was a Lt.", "He was a Lt."), ("He left.", "He left.")],
        ),
    ],
)
def test_an_english_abbreviation_ends_no_sentence_before_what_it_needs(text, sentences):
    document = segment(dataclasses.replace(parse_text(text), language="en"), 60)
    assert [
        (s.text, " ".join(p.spoken for p in s.parts)) for s in document.paragraphs[0].sentences
    ] == sentences


def test_a_german_ordinal_s_period_ends_no_sentence_where_the_ordinal_counts_what_follows():
    manuscript = dataclasses.replace(parse_text(
        "Am 3. Oktober war es kalt. Im 19. Jahrhundert wuchs sie. Er kam als 3. Dann ging er. "
        "Wir zählten bis 12. Danach schliefen wir."
    ), language="de")  # fmt: skip
    sentences = segment(manuscript, 60).paragraphs[0].sentences
    assert [(s.text, " ".join(p.spoken for p in s.parts)) for s in sentences] == [
        ("Am 3. Oktober war es kalt.", "Am dritten Oktober war es kalt."),
        ("Im 19. Jahrhundert wuchs sie.", "Im neunzehnten Jahrhundert wuchs sie."),
        ("Er kam als 3.", "Er kam als drei."),
        ("Dann ging er.", "Dann ging er."),
        ("Wir zählten bis 12.", "Wir zählten bis zwölf."),
        ("Danach schliefen wir.", "Danach schliefen wir."),
    ]


@pytest.mark.parametrize(
    ("language", "text", "sentences"),
    [
        (
            "de",
            "Es dauert 2 Std. 30 Min. und mehr. Dann S. 4.",
            ["Es dauert 2 Std. 30 Min. und mehr.", "Dann S. 4."],
        ),
        ("fr", "Voir le chap. 3 ici. Puis p. 5.", ["Voir le chap. 3 ici.", "Puis p. 5."]),
        (
            "es",
            "Véase la pág. 45 y el cap. 3. Luego fin.",
            ["Véase la pág. 45 y el cap. 3.", "Luego fin."],
        ),
    ],
)
def test_an_abbreviation_before_a_number_ends_no_sentence(language, text, sentences):
    manuscript = dataclasses.replace(parse_text(text), language=language)
    assert [s.text for s in segment(manuscript, 60).paragraphs[0].sentences] == sentences


def test_paragraphs_without_words_are_only_breaks():
    assert texts(segment_text("Before.\n\n* * *\n\nAfter.", 60)) == ["Before.", "After."]


def test_sentences_come_from_the_splitter_and_respect_abbreviations():
    document = segment_text("Dr. Smith paid $3.50 at 5 p.m. on Jan. 5. Then he left! Did he?", 60)
    assert [s.text for s in document.paragraphs[0].sentences] == [
        "Dr. Smith paid $3.50 at 5 p.m. on Jan. 5.",
        "Then he left!",
        "Did he?",
    ]


def test_sentences_rejoin_to_their_paragraph(example_text):
    document = segment_text(example_text, 60)
    assert len(document.paragraphs) == 7
    for paragraph in document.paragraphs:
        assert " ".join(s.text for s in paragraph.sentences) == paragraph.text
        assert len(paragraph.sentences) >= 1
    assert sum(len(p.sentences) for p in document.paragraphs) == 14


def test_huge_paragraph_without_line_breaks_is_split_completely_and_in_order():
    words = [f"word{i}" + ("," if i % 37 == 0 else "") for i in range(9000)]
    paragraph = " ".join(words)
    assert len(paragraph) > 50_000
    document = segment_text(paragraph, max_clip_words=50)
    parts = [part for s in document.paragraphs[0].sentences for part in s.parts]
    assert all(count_words(part.spoken) <= 50 for part in parts)
    assert " ".join(part.text for part in parts) == paragraph


def test_long_sentence_is_cut_at_a_clause_end_when_one_is_near():
    sentence = "one two three four five six, seven eight nine ten eleven twelve"
    assert split_parts(sentence, 8) == (
        "one two three four five six,",
        "seven eight nine ten eleven twelve",
    )


def test_long_sentence_without_clauses_is_cut_at_words():
    sentence = " ".join(str(n) for n in range(25))
    parts = split_parts(sentence, 10)
    assert [len(p.split()) for p in parts] == [10, 10, 5]


def test_a_short_first_line_without_punctuation_is_the_title():
    document = segment_text("Twilight Serenade: A Review\n\nIt is a film.", 60)
    assert document.title == "Twilight Serenade: A Review"
    assert texts(document)[0] == "Twilight Serenade: A Review"  # the title is spoken too


def test_no_title_when_the_first_paragraph_is_prose():
    assert segment_text("It is a film.\n\nA second paragraph.", 60).title is None
    assert segment_text("Only one paragraph", 60).title is None


def test_every_word_survives_segmentation(example_text):
    raw = example_text
    document = segment_text(raw, 20)
    spoken = " ".join(
        part.text for p in document.paragraphs for s in p.sentences for part in s.parts
    )
    assert re.findall(r"\S+", spoken) == re.findall(r"\S+", raw)


def test_sentences_and_parts_without_words_are_not_spoken_alone():
    document = segment_text("Real words here. * * * ****** ***\n\nMore words. ***", 4)
    spoken = [part.spoken for p in document.paragraphs for s in p.sentences for part in s.parts]
    assert all(any(ch.isalnum() for ch in part) for part in spoken)
    assert "Real words here." in spoken[0]


def test_symbols_inside_a_long_sentence_stay_with_their_words():
    parts = split_parts("one two three four **** **** **** ****", 4)
    assert parts == ("one two three four **** **** **** ****",)


NUMBERED = (
    "The company, founded in 1999 by two friends who met at school, raised $3 million from "
    "investors on March 15, 2024 and hired 1,234,567 people across 45 countries while its "
    "revenue grew 250% to $1.2 billion by 10:30 p.m. that day."
)


@pytest.mark.parametrize("max_words", [8, 10, 20, 66])
def test_clips_fit_in_spoken_words_and_keep_expressions_whole(max_words):
    document = segment_text(NUMBERED, max_words)
    parts = document.paragraphs[0].sentences[0].parts
    assert " ".join(part.text for part in parts) == NUMBERED
    for part in parts:
        assert count_words(part.spoken) <= max_words or len(part.text.split()) == 1
    texts = [part.text for part in parts]
    for expression in ("$3 million", "March 15, 2024", "$1.2 billion", "10:30 p.m.", "250%"):
        assert any(expression in text for text in texts), (expression, texts)


def said(document: Document) -> list[list[tuple[str, str | None]]]:
    """Each sentence's parts, as (text, speaker)."""
    return [
        [(part.text, part.speaker) for part in sentence.parts]
        for paragraph in document.paragraphs
        for sentence in paragraph.sentences
    ]


def test_with_a_cast_speech_is_cut_from_the_narration_into_parts_of_its_own():
    document = segment(parse_text("“I'm here,” she said. “Let's go.”"), 40, speakers=())
    parts = [part for sentence in said(document) for part in sentence]
    assert [text for text, _ in parts] == ["“I'm here,”", "she said.", "“Let's go.”"]
    assert [who is None for _, who in parts] == [False, True, False]


def test_without_a_cast_nothing_is_cut_at_quotations():
    document = segment(parse_text("“I'm here,” she said. “Let's go.”"), 40)
    assert said(document) == [[("“I'm here,” she said.", None)], [("“Let's go.”", None)]]


@pytest.mark.parametrize(
    "text",
    [
        "“I'm here,” said Ann, “and so are you,” and she smiled at him for a long while.",
        "He said,“Go now.” Then he left the room without a word.",
        "“Go”—she said—“now.”",
        "“Yes.”Then he left.",
        "“…” said Holmes, and shrugged.",
        "“Hi!” — “Bye!” said Holmes.",
        "A long opening of narration, then at last: “a quotation, long enough to be cut into "
        "several parts of its own by the clip limit,” she said, and went on for a while more.",
    ],
)
def test_parts_in_several_voices_lose_nothing_and_each_has_a_word_and_fits_a_clip(text):
    document = segment(parse_text(text), 8, speakers=())
    for paragraph in document.paragraphs:
        for sentence in paragraph.sentences:
            joined = "".join(part.text for part in sentence.parts)
            assert joined.replace(" ", "") == sentence.text.replace(" ", "")
            assert all(has_word(part.text) for part in sentence.parts)
            assert all(len(part.text.split()) <= 8 for part in sentence.parts)
    assert " ".join(p.text for p in document.paragraphs) == " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said,“Come in.”", [("He said,", None), ("“Come in.”", SOMEONE)]),
        ("“Yes.”Then he left.", [("“Yes.”", SOMEONE), ("Then he left.", None)]),
        (
            "“A”—said Holmes—“B, C.”",
            [("“A”—", "Holmes"), ("said Holmes—", None), ("“B, C.”", "Holmes")],
        ),
        ("“…” said Holmes, and shrugged.", [("“…” said Holmes, and shrugged.", None)]),
    ],
)
def test_a_quotation_mark_against_a_word_cuts_there_and_no_clip_is_wordless(text, expected):
    assert said(segment(parse_text(text), 40, speakers=())) == [expected]


def test_each_sentence_is_given_only_its_own_spans_of_speech(monkeypatch):
    """Segmenting a paragraph of many quotations is linear: each sentence is cut by its own
    spans only (it was every span of the paragraph for every sentence: 23 s for 460 KB)."""
    given = []
    cut = segment_module._speakers_runs

    def counting(sentence, offset, speech):
        given.append(len(speech))
        return cut(sentence, offset, speech)

    monkeypatch.setattr(segment_module, "_speakers_runs", counting)
    segment(parse_text("“Hi there,” said Holmes. " * 500), 40, speakers=())
    assert len(given) == 500 and sum(given) == 500


def spoken_sentences(language: str, text: str) -> list[tuple[str, str]]:
    manuscript = dataclasses.replace(parse_text(text), language=language)
    sentences = segment(manuscript, 60).paragraphs[0].sentences
    return [(s.text, " ".join(p.spoken for p in s.parts)) for s in sentences]


@pytest.mark.parametrize(
    ("language", "text", "spoken"),
    [
        ("es", "Viajó a EE. UU. el año pasado.", "Viajó a Estados Unidos el año pasado."),
        (
            "es",
            "Fue fundada en el 753 a. C. por Rómulo.",
            "Fue fundada en el setecientos cincuenta y tres antes de Cristo por Rómulo.",
        ),
        ("fr", "Né en 300 av. J.-C. à Rome.", "Né en trois cents avant Jésus-Christ à Rome."),
        ("de", "Birnen u. Ä. im Korb.", "Birnen und Ähnliches im Korb."),
    ],
)
def test_an_abbreviation_of_several_parts_is_one_sentence_and_read_whole(language, text, spoken):
    assert spoken_sentences(language, text) == [(text, spoken)]


def _table_sentences():
    from audio_edition.text.normalize.languages.continental import NAME_NEXT, NUMBER_NEXT
    from audio_edition.text.normalize.languages.de.words import ABBREVIATIONS as DE
    from audio_edition.text.normalize.languages.es.words import ABBREVIATIONS as ES
    from audio_edition.text.normalize.languages.fr.words import ABBREVIATIONS as FR

    for language, table, opener, word in (
        ("de", DE, "Dort", "und"),
        ("fr", FR, "Voici", "et"),
        ("es", ES, "Hoy", "y"),
    ):
        for written, abbreviation in table.items():
            follow = {NUMBER_NEXT: "12", "": word}.get(abbreviation.before, "Martin")
            assert follow != "Martin" or abbreviation.before in (NAME_NEXT, r"[- ][A-Z]")
            yield language, f"{opener} {written} {follow} hier.", abbreviation.spoken


@pytest.mark.parametrize(("language", "text", "said"), list(_table_sentences()))
def test_every_abbreviation_of_german_french_and_spanish_is_read_in_its_sentence(
    language, text, said
):
    [(sentence, spoken)] = spoken_sentences(language, text)
    assert sentence == text
    assert said in spoken


def test_a_german_number_after_bis_ab_or_seit_is_an_ordinal_only_before_a_month():
    assert spoken_sentences(
        "de",
        "Die Sitzung dauert bis 17. Anschließend gibt es Essen. Frühstück gibt es ab 7. "
        "Kaffee ist inklusive. Das Kind zählte bis 10. Maria lachte. Es geht bis zum 12. "
        "Kapitel. Es gilt bis 17. Mai und seit 3. März.",
    ) == [
        ("Die Sitzung dauert bis 17.", "Die Sitzung dauert bis siebzehn."),
        ("Anschließend gibt es Essen.", "Anschließend gibt es Essen."),
        ("Frühstück gibt es ab 7.", "Frühstück gibt es ab sieben."),
        ("Kaffee ist inklusive.", "Kaffee ist inklusive."),
        ("Das Kind zählte bis 10.", "Das Kind zählte bis zehn."),
        ("Maria lachte.", "Maria lachte."),
        ("Es geht bis zum 12. Kapitel.", "Es geht bis zum zwölften Kapitel."),
        (
            "Es gilt bis 17. Mai und seit 3. März.",
            "Es gilt bis siebzehnten Mai und seit drittem März.",
        ),
    ]


def test_a_german_roman_numeral_is_a_cardinal_after_a_word_that_numbers_parts():
    assert spoken_sentences(
        "de", "Siehe Teil II und Kapitel IV. Er las Band XII, als Friedrich II. regierte."
    ) == [
        ("Siehe Teil II und Kapitel IV.", "Siehe Teil zwei und Kapitel vier."),
        (
            "Er las Band XII, als Friedrich II. regierte.",
            "Er las Band zwölf, als Friedrich der Zweite regierte.",
        ),
    ]


def test_a_german_decimal_ending_in_one_keeps_its_s_before_a_unit():
    assert spoken_sentences("de", "Es sind 2,1 km, 0,1 kg, 3,1 % und 101 m.") == [
        (
            "Es sind 2,1 km, 0,1 kg, 3,1 % und 101 m.",
            "Es sind zwei Komma eins Kilometer, null Komma eins Kilogramm, drei Komma eins "
            "Prozent und einhundertein Meter.",
        )
    ]


def test_a_german_one_before_a_feminine_noun_is_eine():
    text = "Es kostet 1 Million Euro, dauert 1 Woche und 1 Stunde, für 1 Zeitung und 1 Zimmer."
    assert spoken_sentences("de", text) == [
        (
            text,
            "Es kostet eine Million Euro, dauert eine Woche und eine Stunde, für eine Zeitung "
            "und ein Zimmer.",
        )
    ]


def test_a_german_score_is_no_range_but_a_range_rises():
    assert spoken_sentences("de", "Das Spiel endete 3-1. Siehe S. 45-50 und 1914-18.") == [
        ("Das Spiel endete 3-1.", "Das Spiel endete drei, eins."),
        (
            "Siehe S. 45-50 und 1914-18.",
            "Siehe Seite fünfundvierzig bis fünfzig und neunzehnhundertvierzehn bis achtzehn.",
        ),
    ]


@pytest.mark.parametrize(
    ("language", "text", "spoken"),
    [
        ("es", "Franklin D. Roosevelt fue presidente.", "Franklin D. Roosevelt fue presidente."),
        ("es", "Según D. Pedro, llamó a D. Quijote.", "Según don Pedro, llamó a don Quijote."),
        ("fr", "Jean M. Dupont est venu.", "Jean M. Dupont est venu."),
        ("fr", "Selon M. Dupont, oui.", "Selon Monsieur Dupont, oui."),
    ],
)
def test_a_middle_initial_after_a_first_name_is_no_title(language, text, spoken):
    assert spoken_sentences(language, text) == [(text, spoken)]


@pytest.mark.parametrize(
    ("language", "text", "spoken"),
    [
        (
            "fr",
            "Il y avait des pommes, des poires, etc. Tout était là.",
            "Il y avait des pommes, des poires, etcétéra. Tout était là.",
        ),
        (
            "es",
            "Había manzanas, peras, etc. Todo estaba allí.",
            "Había manzanas, peras, etcétera. Todo estaba allí.",
        ),
        (
            "es",
            "Murió en el 30 d. C. Nadie lo supo.",
            "Murió en el treinta después de Cristo. Nadie lo supo.",
        ),
        ("es", "El Sr. García llegó.", "El señor García llegó."),
        (
            "de",
            "Obst, z. B. Äpfel, von Dr. Müller.",
            "Obst, zum Beispiel Äpfel, von Doktor Müller.",
        ),
    ],
)
def test_an_abbreviation_that_ends_a_sentence_keeps_its_period(language, text, spoken):
    assert spoken_sentences(language, text) == [(text, spoken)]

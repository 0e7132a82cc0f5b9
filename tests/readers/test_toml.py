"""TOML is read through one module, which takes tomli before Python 3.11 (tomllib is 3.11+):
lexicons and TOML front matter both."""

from __future__ import annotations

from audio_edition.readers import read, toml
from audio_edition.text.normalize.lexicon import load_lexicon


def test_lexicons_and_front_matter_are_read_through_the_toml_module(tmp_path, monkeypatch):
    parsed: list[str] = []
    parse = toml.loads

    def recording(text: str):
        parsed.append(text)
        return parse(text)

    monkeypatch.setattr(toml, "loads", recording)
    lexicon = tmp_path / "words.toml"
    lexicon.write_text('Nguyen = "Win"\n', encoding="utf-8")
    post = tmp_path / "post.md"
    post.write_text('+++\ntitle = "Night Market"\n+++\n\nHello.\n', encoding="utf-8")

    assert load_lexicon(lexicon) == {"Nguyen": "Win"}
    assert read(post).title == "Night Market"
    assert parsed == ['Nguyen = "Win"\n', 'title = "Night Market"']

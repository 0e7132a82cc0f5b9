"""Properties: whatever the markup, readers keep every word of the body, in order, and no markup.

Words are drawn from letters without "v" or capital Roman digits, so that no word is something
the normalizer expands ("vs", "XI" as a heading); each is wrapped in random inline markup, and
runs of them in random blocks.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audio_edition.document import Manuscript
from audio_edition.normalize import Normalizer
from audio_edition.readers import ReadOptions
from audio_edition.readers.html import parse_html
from audio_edition.readers.markdown import parse_markdown
from audio_edition.segment import segment

MARKUP = set("*_`#[]()<>|\\")
WORDS = st.text(alphabet="abcdefghijklmnopqrstuwxyzABEFGHJKNOPQRSTUWYZ", min_size=2,
                max_size=9)  # fmt: skip

MD_INLINE = st.sampled_from(
    ["{}", "*{}*", "**{}**", "_{}_", "__{}__", "`{}`", "[{}](https://example.com/x)",
     "[{}][ref]", "<em>{}</em>", "<span class='x'>{}</span>", "***{}***"]
)  # fmt: skip
MD_BLOCK = st.sampled_from(["{}", "# {}", "## {}", "- {}", "1. {}", "> {}", "* {}"])
HTML_INLINE = st.sampled_from(
    ["{}", "<b>{}</b>", "<i>{}</i>", "<em>{}</em>", "<a href='/x'>{}</a>", "<code>{}</code>",
     "<span>{}</span>", "<strong><em>{}</em></strong>", "{}<br>"]
)  # fmt: skip
HTML_BLOCK = st.sampled_from(
    ["<p>{}</p>", "<h2>{}</h2>", "<ul><li>{}</li></ul>", "<blockquote><p>{}</p></blockquote>",
     "<div>{}</div>", "<table><tr><td>{}</td></tr></table>", "<h3>{}</h3>", "{}"]
)  # fmt: skip


def blocks_of(inline: st.SearchStrategy[str], block: st.SearchStrategy[str]):
    word_markup = st.tuples(WORDS, inline)
    return st.lists(st.tuples(st.lists(word_markup, min_size=1, max_size=8), block),
                    min_size=1, max_size=8)  # fmt: skip


def words_read(manuscript: Manuscript) -> list[str]:
    pieces = []
    for section in manuscript.sections:
        pieces += [section.heading or "", *section.blocks]
    return " ".join(pieces).split()


def words_spoken(manuscript: Manuscript) -> list[str]:
    document = segment(manuscript, 60, Normalizer("en"))
    return " ".join(p.spoken for p in document.paragraphs).split()


def clean(words: list[str]) -> list[str]:
    return ["".join(ch for ch in word if ch.isalpha()) for word in words]


@settings(max_examples=150, deadline=None)
@given(blocks_of(MD_INLINE, MD_BLOCK))
def test_markdown_keeps_every_word_and_no_markup(blocks):
    source = (
        "\n\n".join(
            template.format(" ".join(markup.format(word) for word, markup in words))
            for words, template in blocks
        )
        + "\n\n[ref]: https://example.com/ref\n"
    )
    expected = [word for words, _ in blocks for word, _ in words]
    manuscript = parse_markdown(source, ReadOptions())
    read_words = words_read(manuscript)
    assert read_words == expected
    assert not MARKUP.intersection("".join(read_words))
    assert clean(words_spoken(manuscript)) == expected


@settings(max_examples=150, deadline=None)
@given(blocks_of(HTML_INLINE, HTML_BLOCK))
def test_html_keeps_every_word_of_the_article_and_no_markup(blocks):
    body = "\n".join(
        template.format(" ".join(markup.format(word) for word, markup in words))
        for words, template in blocks
    )
    page = (
        "<html><head><title>Page</title><script>var hidden = 1;</script></head><body>"
        f"<nav><a href='/'>Home</a></nav><article>{body}</article><footer>Footer</footer>"
        "</body></html>"
    )
    expected = [word for words, _ in blocks for word, _ in words]
    manuscript = parse_html(page.encode(), "page", None, ReadOptions())
    read_words = words_read(manuscript)
    assert read_words == expected
    assert not MARKUP.intersection("".join(read_words))
    assert clean(words_spoken(manuscript)) == expected

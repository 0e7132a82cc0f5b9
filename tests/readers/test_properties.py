"""Properties: whatever the markup, readers keep every word of the body, in order, and no markup.

Words are drawn from letters without "v" or capital Roman digits, so that no word is something
the normalizer expands ("vs", "XI" as a heading); each is wrapped in random inline markup, and
runs of them in random blocks.
"""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from audio_edition.document import Manuscript
from audio_edition.readers import ReadOptions
from audio_edition.readers.html import parse_html
from audio_edition.readers.html_blocks import html_sections, soup_of
from audio_edition.readers.markdown import parse_markdown
from audio_edition.text.normalize import Normalizer
from audio_edition.text.segment import segment

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


MD_CONTAINER = st.sampled_from(["> ", "- ", "* ", "+ ", "1. "])
HTML_LEVEL = st.sampled_from(
    [("<div>", "</div>"), ("<section>", "</section>"), ("<blockquote>", "</blockquote>"),
     ("<ul><li>", "</li></ul>"), ("<ol><li>", "</li></ol>"), ("<span>", "</span>"),
     ("<em>", "</em>"), ("<strong>", "</strong>"), ("<table><tr><td>", "</td></tr></table>"),
     ("<article>", "</article>"), ("<header>", "</header>"), ("<figure>", "</figure>"),
     ("<h3>", "</h3>")]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(MD_CONTAINER, st.lists(WORDS, min_size=1, max_size=3)), min_size=1,
                max_size=40))  # fmt: skip
def test_markdown_nested_to_any_depth_keeps_every_word_and_what_follows(levels):
    """Quotes and list items, each inside the one before, a line a level: past markdown-it's
    nesting limit too."""
    lines, inside = [], ""
    for marker, words in levels:
        lines.append(inside + marker + " ".join(words))
        inside += marker if marker == "> " else " " * len(marker)
    source = "\n".join(lines) + "\n\nAfter it.\n"
    expected = [word for _, words in levels for word in words] + ["After", "it."]
    assert words_read(parse_markdown(source, ReadOptions())) == expected


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(HTML_LEVEL, st.lists(WORDS, max_size=2), st.lists(WORDS, max_size=2)),
             min_size=1, max_size=10),
    st.integers(min_value=1, max_value=100),
)  # fmt: skip
def test_html_nested_to_any_depth_keeps_every_word_in_order(levels, repeat):
    """Elements each inside the one before, words before and after each: thousands deep.

    No `<p>` or `<a>`, and no heading inside a heading: the parser closes those where a block,
    another link or another heading opens inside them, and the words after them can then fall
    outside the article (as in a browser; lxml closes `<h3>` in `<h3><article><h3>`).
    """
    levels = levels * repeat
    assume(sum(start == "<h3>" for (start, _), _, _ in levels) <= 1)
    opening = "".join(f"{start}{' '.join(before)} " for (start, _), before, _ in levels)
    closing = "".join(f" {' '.join(after)}{end}" for (_, end), _, after in reversed(levels))
    page = f"<html><body><article>{opening}Deepest{closing}</article></body></html>".encode()
    expected = [
        *(word for _, before, _ in levels for word in before),
        "Deepest",
        *(word for _, _, after in reversed(levels) for word in after),
    ]
    assert words_read(parse_html(page, "page", None, ReadOptions())) == expected
    chapter = html_sections(soup_of(page.decode()).body, ReadOptions(), "chapter", page=False)
    assert words_read(Manuscript(None, None, None, tuple(chapter))) == expected

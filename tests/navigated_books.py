"""EPUBs written by hand for the tests of chapters from a book's navigation, front and back
matter and notes: an EPUB 3 with a nested nav and landmarks, an EPUB 2 with an NCX and a guide."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.books import png

_XHTML = (
    '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/'
    'xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en"><head><title>{title}'
    "</title></head><body{body}>{content}</body></html>"
)
_CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:'
    'container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/'
    'oebps-package+xml"/></rootfiles></container>'
)

NOVEL_DOCUMENTS = {  # name: (the body's attributes, its content), in spine order
    "cover.xhtml": (' epub:type="cover"', '<img src="cover.png" alt="A lighthouse"/>'),
    "title.xhtml": (' epub:type="titlepage"', "<h1>The Keeper's Year</h1><p>by Ada Writer</p>"),
    "copyright.xhtml": (
        "",
        '<section epub:type="copyright-page"><p>Copyright 2024 Ada Writer. All rights '
        "reserved.</p></section>",
    ),
    "contents.xhtml": ("", "<h1>Contents</h1><p>Part One. Chapter 1. Part Two.</p>"),
    "part1.xhtml": ("", "<h1>Part One: Winter</h1><p>The winter was long.</p>"),
    "ch1.xhtml": (
        "",
        '<h2>Chapter 1: Ice</h2><p>The lamp<a epub:type="noteref" id="r1" href="notes.xhtml#n1">'
        "1</a> burned all night.</p><p>Then the wind rose.</p>"
        '<section id="storm"><h3>The Storm</h3><p>Waves<sup><a href="#fn3" id="r3">3</a></sup> '
        'broke on the rocks.</p><aside epub:type="footnote" id="fn3"><p>Ten metres high.</p>'
        "</aside></section>",
    ),
    "ch1b.xhtml": ("", "<p>By morning the sea was still.</p>"),
    "ch2.xhtml": (
        "",
        '<h2>Chapter 2: Light</h2><p>The ships<sup><a href="#fn2" id="r2">2</a></sup> came '
        'back.</p><aside epub:type="footnote" id="fn2"><p><a href="#r2">2</a> Twelve of them.'
        "</p></aside>",
    ),
    "notes.xhtml": (
        ' epub:type="backmatter"',
        '<section epub:type="endnotes"><h1>Notes</h1><ol><li id="n1"><p>Made of brass. '
        '<a href="ch1.xhtml#r1" epub:type="backlink">\u21a9</a></p></li></ol></section>',
    ),
    "index.xhtml": (
        "",
        '<section epub:type="index"><h1>Index</h1><p>lamp, 3; ships, 7</p></section>',
    ),
}
NOVEL_NAV = (
    '<nav epub:type="toc"><ol>'
    '<li><a href="part1.xhtml">Part One: Winter</a><ol>'
    '<li><a href="ch1.xhtml">Chapter 1: Ice</a><ol>'
    '<li><a href="ch1.xhtml#storm">The Storm</a></li></ol></li></ol></li>'
    '<li><span>Part Two: Summer</span><ol><li><a href="ch2.xhtml">Chapter 2: Light</a></li>'
    "</ol></li>"
    '<li><a href="notes.xhtml">Notes</a></li><li><a href="index.xhtml">Index</a></li></ol></nav>'
    '<nav epub:type="landmarks"><ol><li><a epub:type="cover" href="cover.xhtml">Cover</a></li>'
    '<li><a epub:type="toc" href="contents.xhtml">Contents</a></li>'
    '<li><a epub:type="bodymatter" href="part1.xhtml">Start</a></li></ol></nav>'
)


def write_novel(path: Path, **changed: tuple[str, str]) -> Path:
    """An EPUB 3: a cover, a title page, a copyright page (marked on its section), a contents
    page (marked by the landmarks), two parts with nested chapters (one starting in the middle
    of a document, one document with no entry), an endnote, three footnotes and an index
    (`changed`: documents to write otherwise, by name without ".xhtml")."""
    documents = {**NOVEL_DOCUMENTS, **{f"{name}.xhtml": doc for name, doc in changed.items()}}
    items = "".join(
        f'<item id="d{n}" href="{doc}" media-type="application/xhtml+xml"/>'
        for n, doc in enumerate(documents)
    )
    spine = "".join(f'<itemref idref="d{n}"/>' for n in range(len(documents)))
    opf = (
        '<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
        'version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">novel-1</dc:identifier><dc:title>The Keeper\'s Year</dc:title>'
        "<dc:creator>Ada Writer</dc:creator><dc:language>en</dc:language>"
        '<meta property="dcterms:modified">2024-01-01T00:00:00Z</meta></metadata><manifest>'
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        '<item id="cover" href="cover.png" media-type="image/png" properties="cover-image"/>'
        f"{items}</manifest><spine>{spine}</spine></package>"
    )
    files = {
        "OEBPS/content.opf": opf,
        "OEBPS/nav.xhtml": _XHTML.format(title="Navigation", body="", content=NOVEL_NAV),
    }
    for doc, (body, content) in documents.items():
        files[f"OEBPS/{doc}"] = _XHTML.format(title=doc, body=body, content=content)
    return _write(path, files, {"OEBPS/cover.png": png()})


EPUB2_DOCUMENTS = {
    "toc.html": "<h1>Table of Contents</h1><p>Chapter One. Chapter Two.</p>",
    "copyright.html": "<h1>Copyright</h1><p>Copyright 1999 Bo Author.</p>",
    "ch1.html": '<h1>Chapter One</h1><p>It began<a id="r1" href="notes.html#n1"><sup>1</sup></a>'
    " at dawn.</p>",
    "ch2.html": '<h1>Chapter Two</h1><p>Noon came.</p><h2 id="later">Later</h2><p>Dusk fell.</p>',
    "notes.html": '<h1>Notes</h1><p id="n1"><a href="ch1.html#r1">1</a> A note from 1999.</p>',
    "idx.html": "<h1>Words</h1><p>dawn, 1; dusk, 2</p>",
}
_NCX_POINTS = (
    '<navPoint id="p1"><navLabel><text>Chapter One</text></navLabel><content src="text/ch1.html"/>'
    "</navPoint>"
    '<navPoint id="p2"><navLabel><text>Chapter Two</text></navLabel><content src="text/ch2.html"/>'
    '<navPoint id="p3"><navLabel><text>Later On</text></navLabel>'
    '<content src="text/ch2.html#later"/></navPoint></navPoint>'
    '<navPoint id="p4"><navLabel><text>Words</text></navLabel><content src="text/idx.html"/>'
    "</navPoint>"
)


def write_epub2(path: Path) -> Path:
    """An EPUB 2 with no epub:type: an NCX (nested, one entry into the middle of a document),
    a guide naming the index, and a contents page and a copyright page known by their titles;
    a note in the EPUB 2 way (a superscript link, the note linking back)."""
    items = "".join(
        f'<item id="d{n}" href="text/{doc}" media-type="application/xhtml+xml"/>'
        for n, doc in enumerate(EPUB2_DOCUMENTS)
    )
    spine = "".join(f'<itemref idref="d{n}"/>' for n in range(len(EPUB2_DOCUMENTS)))
    opf = (
        '<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
        'version="2.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">old-1</dc:identifier><dc:title>Old Book</dc:title>'
        "<dc:language>en</dc:language></metadata><manifest>"
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
        f'{items}</manifest><spine toc="ncx">{spine}</spine>'
        '<guide><reference type="index" title="Words" href="text/idx.html"/></guide></package>'
    )
    ncx = (
        '<?xml version="1.0" encoding="utf-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" '
        'version="2005-1"><head><meta name="dtb:uid" content="old-1"/></head><docTitle><text>Old '
        f"Book</text></docTitle><navMap>{_NCX_POINTS}</navMap></ncx>"
    )
    files = {"OEBPS/content.opf": opf, "OEBPS/toc.ncx": ncx}
    for doc, content in EPUB2_DOCUMENTS.items():
        html = f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{doc}</title></head><body>'
        files[f"OEBPS/text/{doc}"] = f"{html}{content}</body></html>"
    return _write(path, files, {})


def _write(path: Path, files: dict[str, str], binaries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", _CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        for name, text in files.items():
            book.writestr(name, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
        for name, data in binaries.items():
            book.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return path

"""The show a site folder holds, and every check made before publish narrates anything: its
base URL, Apple Podcasts' rules for its category and image, the site folder and the files the
episodes take in it, and the options they are narrated with."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from audio_edition.errors import OptionError, UsageError
from audio_edition.many.batch import DocumentResult
from audio_edition.many.batch_inputs import FoundDocuments, find_documents
from audio_edition.narration.plan import Options

INDEX_FILE = "index.html"
"""The show's page in the site folder."""
TRANSCRIPTS = ("vtt", "srt")
"""The subtitle formats every episode gets, as its transcripts."""
IMAGE_SIZES = range(1400, 3001)
"""Apple Podcasts' bounds for a show's square image, in pixels."""
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing",
                 "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health",
                         "Nutrition", "Sexuality"),
    "History": (),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": ("Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies",
                "Home & Garden", "Video Games"),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": ("Business News", "Daily News", "Entertainment News", "News Commentary",
             "Politics", "Sports News", "Tech News"),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism",
                                "Religion", "Spirituality"),
    "Science": ("Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
                "Natural Sciences", "Nature", "Physics", "Social Sciences"),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel",
                          "Relationships"),
    "Sports": ("Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf",
               "Hockey", "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball",
               "Wilderness", "Wrestling"),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews",
                  "TV Reviews"),
}  # fmt: skip
"""Apple Podcasts' categories and each one's subcategories (podcasters.apple.com, the list
since 2019); a show takes one, or one and a subcategory after a "/" ("Arts/Books")."""
_IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


@dataclass(frozen=True)
class Channel:
    """The show, as the feed describes it."""

    title: str
    base_url: str
    """Where the site folder is served, ending with "/"."""
    description: str
    language: str
    author: str | None = None
    image: Path | None = None
    """A square JPEG or PNG, 1400-3000 px, RGB (see check_image)."""
    category: str = "Arts"
    explicit: bool = False


def check_base_url(url: str) -> str:
    """The base URL with its path percent-encoded and a final "/", or an OptionError unless it
    is http(s) with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise OptionError("base_url", f" must be an http:// or https:// URL, not {url!r}")
    if parts.query or parts.fragment:
        raise OptionError("base_url", f" must be a folder's URL, with no ? or #: not {url!r}")
    path = quote(parts.path, safe="/%:@!$&'()*+,;=~-._")
    return urlunsplit(parts._replace(path=path if path.endswith("/") else path + "/"))


def check_category(category: str) -> str:
    """The category, or an OptionError unless it is one of Apple's, alone or with one of its
    subcategories after a "/"."""
    top, *subs = (part.strip() for part in category.split("/"))
    if top not in APPLE_CATEGORIES:
        raise OptionError(
            "category",
            f" {category!r} is not an Apple Podcasts category; use one of "
            f"{', '.join(APPLE_CATEGORIES)} (with a subcategory after '/', e.g. Arts/Books)",
        )
    valid = APPLE_CATEGORIES[top]
    if len(subs) > 1 or (subs and subs[0] not in valid):
        takes = f"takes one subcategory of {', '.join(valid)}" if valid else "has no subcategories"
        raise OptionError("category", f" {category!r} is not an Apple Podcasts category; "
                          f"{top} {takes}")  # fmt: skip
    return category


def check_image(path: Path) -> tuple[str, str]:
    """The image's MIME type and file extension, or an OptionError saying what Apple's rules
    (JPEG or PNG, square, 1400-3000 px, RGB) it breaks."""
    from PIL import Image, UnidentifiedImageError

    try:
        # Only the header is read (the image is never decoded): Pillow's warning over its
        # MAX_IMAGE_PIXELS is moot, as the size is refused below; over twice that it raises
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind, mode, (width, height) = image.format, image.mode, image.size
    except FileNotFoundError:
        raise OptionError("image", f" {path}: no such file") from None
    except (UnidentifiedImageError, OSError):
        raise OptionError("image", f" {path} is not a JPEG or PNG image") from None
    except Image.DecompressionBombError:
        pixels = 2 * (Image.MAX_IMAGE_PIXELS or 0)
        raise OptionError("image", f" {path} is over {pixels:,} pixels; it must be 1400 to "
                          "3000 px") from None  # fmt: skip
    if kind not in _IMAGE_TYPES:
        raise OptionError("image", f" {path} is {kind}; it must be JPEG or PNG")
    if width != height:
        raise OptionError("image", f" {path} is {width}x{height}; it must be square")
    if width not in IMAGE_SIZES:
        raise OptionError("image", f" {path} is {width}x{height}; it must be 1400 to 3000 px")
    if mode != "RGB":
        raise OptionError("image", f" {path} is in {mode} color; it must be RGB")
    return _IMAGE_TYPES[kind]


def check_site(site: Path, inputs: Sequence[str]) -> None:
    """A UsageError when the site folder is one of the input folders."""
    if any(Path(given).is_dir() and Path(given).resolve() == site.resolve() for given in inputs):
        raise UsageError(f"the site folder {site} cannot be an input folder too")


def episode_options(options: Options, show_title: str) -> Options:
    """The options every episode is narrated with: the show's title as the album (each
    episode keeps its own title), a manifest and the transcripts. An OptionError for an
    audio embedded in a page, as each episode's MP3 is its enclosure."""
    output = options.output
    if output.embed_audio:
        raise OptionError("embed_audio", ": each episode's MP3 is its enclosure", "publish cannot ")
    subtitles = tuple(dict.fromkeys((*output.subtitles, *TRANSCRIPTS)))
    output = dataclasses.replace(output, title=None, album=show_title, manifest=True,
                                 subtitles=subtitles)  # fmt: skip
    return dataclasses.replace(options, output=output)


def find_episodes(inputs: Sequence[str], site: Path, read_along: bool) -> FoundDocuments:
    """The documents the inputs name, each with its episode's file in the site folder (its
    read-along page with `read_along`, else its MP3); a UsageError when one would take the
    show's page."""
    found = find_documents(inputs, site, ".html" if read_along else ".mp3")
    for item in found.items:
        if item.destination.resolve() == (site / INDEX_FILE).resolve():
            raise UsageError(f"{item.source} would be narrated into "
                             f"{item.destination}, the show's page; rename it")  # fmt: skip
    return found


def show_language(results: Sequence[DocumentResult]) -> str:
    """A show's language when none is given: its first document's, else English."""
    languages = (result.document.language for result in results if result.document)
    return next((language for language in languages if language), "en")

"""`audio-edition publish`: documents narrated into a podcast feed and its site folder."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from audio_edition.cli.batch import exit_code, narrate_all
from audio_edition.cli.options import (
    Work,
    add_field,
    add_inputs,
    add_narration_options,
    language,
    narration_args,
)
from audio_edition.errors import shown
from audio_edition.many.show import (
    Channel,
    check_base_url,
    check_category,
    check_image,
    check_site,
    episode_options,
    find_episodes,
    show_language,
)
from audio_edition.narration.plan import Options, OutputOptions, check_cast, check_options

log = logging.getLogger(__name__)

HELP = "narrate documents into a podcast feed any podcast app subscribes to"
DESCRIPTION = (
    "Narrate every document the inputs name into OUTPUT-DIR as batch does (only new or "
    "changed ones), each with WebVTT and SRT transcripts, its manifest and JSON chapters, then "
    "write OUTPUT-DIR/feed.xml (RSS 2.0 with the iTunes and Podcasting 2.0 namespaces) and "
    "OUTPUT-DIR/index.html, for OUTPUT-DIR served at --base-url."
)


@dataclass(frozen=True)
class PublishArgs:
    """publish's command line."""

    inputs: list[str]
    output_dir: Path
    base_url: str
    title: str | None
    description: str | None
    image: Path | None
    language: str | None
    category: str
    explicit: bool
    read_along: bool
    options: Options
    work: Work


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser, "posts/**/*.md", "SITE", "the site folder: episodes, feed and index page")
    parser.add_argument(
        "--base-url", required=True, metavar="URL",
        help="where the site folder is served (http:// or https://)",
    )  # fmt: skip
    parser.add_argument("--title", help="the show's title (default: the folder's name)")
    parser.add_argument("--description", help="the show's description (default: its title)")
    parser.add_argument(
        "--image", type=Path, metavar="FILE",
        help="the show's image: JPEG or PNG, square, 1400-3000 px, RGB (Apple's rules)",
    )  # fmt: skip
    parser.add_argument(
        "--language", metavar="TAG", type=language,
        help="the show's language (default: the first document's, else en)",
    )  # fmt: skip
    add_field(
        parser, Channel, "category", "--category", metavar="NAME",
        help="an Apple Podcasts category, maybe with one of its subcategories after '/', "
        "e.g. Arts/Books",
    )  # fmt: skip
    add_field(parser, Channel, "explicit", "--explicit", action="store_true",
              help="mark the show explicit (default: not)")  # fmt: skip
    parser.add_argument(
        "--read-along", action="store_true",
        help="also make each episode's read-along page (EPISODE.html) and link it",
    )  # fmt: skip
    add_field(parser, OutputOptions, "force", "-f", "--force", action="store_true",
              help="narrate every document again")  # fmt: skip
    add_narration_options(parser)


def run(namespace: argparse.Namespace) -> int:
    from audio_edition.many.publish import FEED_FILE, load_feed_state, publish

    args = narration_args(PublishArgs, namespace)
    site, title = args.output_dir, args.title or args.output_dir.resolve().name
    base_url, category = check_base_url(args.base_url), check_category(args.category)
    options = episode_options(args.options, title)
    check_site(site, args.inputs)
    if args.image is not None:
        check_image(args.image)
    else:
        log.warning("without --image the feed has no itunes:image, which Apple Podcasts needs")
    state = load_feed_state(site)
    check_options(options)
    check_cast(options)
    found = find_episodes(args.inputs, site, args.read_along)
    results = narrate_all(args.inputs, found, site, options, args.work)
    channel = Channel(
        title=title, base_url=base_url, description=args.description or title,
        language=args.language or show_language(results), author=options.output.author,
        image=args.image, category=category, explicit=args.explicit,
    )  # fmt: skip
    episodes = publish(results, site, channel, state)
    if not args.work.quiet:
        print(f"wrote {shown(site / FEED_FILE)} ({len(episodes)} episodes)", file=sys.stderr)
    return exit_code(results)

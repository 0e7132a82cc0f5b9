"""Publishing the studio's folder as a podcast, as `audio-edition publish FOLDER --output-dir
FOLDER/output/site` would: every document narrated into the site (only new or changed ones),
then its feed.xml and index.html (audio_edition.many.publish)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from audio_edition.errors import UsageError
from audio_edition.many.batch import DocumentStatus, run_batch
from audio_edition.many.batch_inputs import BatchItem
from audio_edition.many.publish import FEED_FILE, load_feed_state, publish
from audio_edition.many.show import (
    INDEX_FILE,
    Channel,
    check_base_url,
    check_category,
    check_image,
    episode_options,
    find_episodes,
    show_language,
)
from audio_edition.narration.plan import Options, check_cast, check_options
from audio_edition.speak.cache import ClipCache
from audio_edition.speak.synthesis import LocalPool
from audio_edition.studio.documents import NARRATION_FIELDS, narration_options
from audio_edition.studio.folder import OUTPUT_FOLDER, Folder
from audio_edition.studio.jobs import Job, Task

SITE_FOLDER = "site"
"""The site is written to FOLDER/output/site, and served at /files/site/."""
_TEXTS = ("base_url", "title", "description", "category", "image")
_SWITCHES = ("explicit", "read_along", "force")


def publish_task(folder: Folder, body: Mapping[str, Any], base: Options) -> Task:
    """The task a publish request (`body`: see docs/studio.md) asks for; every UsageError of
    its fields now. Its view gains "feed", "page" (their paths in the studio), "episodes"
    and "failed" (each document that failed, with its error)."""
    unknown = sorted(set(body) - {*_TEXTS, *_SWITCHES, *NARRATION_FIELDS})
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r}; use {', '.join(_TEXTS + _SWITCHES)}, "
                         f"{', '.join(NARRATION_FIELDS)}")  # fmt: skip
    for name in _TEXTS:
        if body.get(name) is not None and not isinstance(body[name], str):
            raise UsageError(f"{name} must be text")
    for name in _SWITCHES:
        if not isinstance(body.get(name, False), bool):
            raise UsageError(f"{name} must be true or false")
    if not body.get("base_url"):
        raise UsageError("base_url is needed: where the site folder will be served")
    site = folder.inside(f"{OUTPUT_FOLDER}/{SITE_FOLDER}")  # never through a link out
    title = body.get("title") or folder.root.name
    image = folder.inside(body["image"]) if body.get("image") else None
    if image is not None:
        check_image(image)
    channel = Channel(title=title, base_url=check_base_url(body["base_url"]),
                      description=body.get("description") or title, language="",
                      category=check_category(body.get("category") or "Arts"),
                      image=image, explicit=body.get("explicit", False))  # fmt: skip
    chosen, _ = narration_options({k: body[k] for k in NARRATION_FIELDS if k in body}, base)
    output = dataclasses.replace(chosen.output, force=body.get("force", False))
    options = episode_options(dataclasses.replace(chosen, output=output), title)
    check_options(options)
    check_cast(options)
    read_along = body.get("read_along", False)

    def task(job: Job, pool: LocalPool, cache: ClipCache | None) -> None:
        state = load_feed_state(site)
        items = _episodes(folder, site, read_along)
        results = run_batch(items, site, options, pool, cache,
                            lambda done: job.advance(done / max(1, len(items))))  # fmt: skip
        shown = dataclasses.replace(channel, language=show_language(results),
                                    author=options.output.author)  # fmt: skip
        episodes = publish(results, site, shown, state)
        editions = [result.edition for result in results if result.edition is not None]
        failed = [{"document": result.item.source.relative_to(folder.root).as_posix(),
                   "error": result.error} for result in results
                  if result.status == DocumentStatus.FAILED]  # fmt: skip
        job.update(synthesized=sum(edition.synthesized for edition in editions),
                   cached=sum(edition.cached for edition in editions), shown={
                       "feed": f"/files/{SITE_FOLDER}/{FEED_FILE}",
                       "page": f"/files/{SITE_FOLDER}/{INDEX_FILE}",
                       "episodes": len(episodes), "failed": failed})  # fmt: skip

    return task


def _episodes(folder: Folder, site: Path, read_along: bool) -> list[BatchItem]:
    """The folder's documents (searched as the studio lists them: its output folder left
    out), each with its episode's file in the site, the folder's tree mirrored."""
    found = find_episodes([str(folder.root)], folder.output, read_along)
    items = [BatchItem(item.source, site / item.destination.relative_to(folder.output))
             for item in found.items]  # fmt: skip
    if not items:
        raise UsageError(f"no documents in {folder.root} to publish")
    return items

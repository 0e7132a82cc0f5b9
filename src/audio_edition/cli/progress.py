"""Progress on standard error: a tqdm bar on a terminal, else a line every few seconds."""

from __future__ import annotations

import sys
import time
from typing import Any

from audio_edition.clock import short_clock
from audio_edition.narration.render import Progress

PROGRESS_LOG_SECONDS = 5.0
"""How often a progress line is printed when standard error is not a terminal."""


def paragraphs_shown(quiet: bool) -> ParagraphBar | ParagraphLog | None:
    """How a narration's progress is shown: nothing when quiet, a bar on a terminal, else
    lines."""
    if quiet:
        return None
    return ParagraphBar() if sys.stderr.isatty() else ParagraphLog()


def documents_shown(total: int, quiet: bool) -> DocumentBar | DocumentLog | None:
    """How a batch's progress (documents done of `total`) is shown, as paragraphs_shown."""
    if quiet:
        return None
    return DocumentBar(total) if sys.stderr.isatty() else DocumentLog(total)


class ParagraphBar:
    """A tqdm bar: paragraphs done of total, audio minutes made, time left."""

    def __init__(self) -> None:
        self._bar: Any = None

    def update(self, progress: Progress) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=progress.paragraphs_total, unit="paragraph", file=sys.stderr,
                dynamic_ncols=True, leave=False, postfix="0.0 min of audio",
            )  # fmt: skip
        self._bar.set_postfix_str(f"{progress.audio_seconds / 60:.1f} min of audio", refresh=False)
        self._bar.update(progress.paragraphs_done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class DocumentBar:
    """A tqdm bar: documents done (a fraction for the one being spoken) of total."""

    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True,
                         leave=False, bar_format="{l_bar}{bar}| {n:.1f}/{total} documents "
                         "[{elapsed}<{remaining}]")  # fmt: skip

    def update(self, done: float) -> None:
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        self._bar.close()


class _Log:
    """Progress where standard error is not a terminal (a log, a pipe): a line at most every
    PROGRESS_LOG_SECONDS, so a long run is never silent."""

    def __init__(self) -> None:
        self._started = self._shown = time.monotonic()

    def show(self, done: float, total: float, text: str) -> None:
        """Print `text` with the time taken and left, if the last line is old enough."""
        now = time.monotonic()
        if now - self._shown < PROGRESS_LOG_SECONDS:
            return
        self._shown, elapsed = now, now - self._started
        left = f", about {short_clock(elapsed * (total - done) / done)} left" if done else ""
        print(f"audio-edition: {text} in {short_clock(elapsed)}{left}", file=sys.stderr,
              flush=True)  # fmt: skip

    def close(self) -> None:
        """Nothing to clear: the lines stay in the log."""


class ParagraphLog(_Log):
    """A narration's progress lines: paragraphs done of total, audio minutes made."""

    def update(self, progress: Progress) -> None:
        self.show(
            progress.paragraphs_done, progress.paragraphs_total,
            f"{progress.paragraphs_done}/{progress.paragraphs_total} paragraphs, "
            f"{progress.audio_seconds / 60:.1f} min of audio",
        )  # fmt: skip


class DocumentLog(_Log):
    """A batch's progress lines: documents done of total."""

    def __init__(self, total: int) -> None:
        super().__init__()
        self._total = total

    def update(self, done: float) -> None:
        self.show(done, self._total, f"{done:.1f}/{self._total} documents")

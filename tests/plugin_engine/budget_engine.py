"""A third-party engine for tests: the fake engine's tones, noting the thread budget it was given.

tests/speak/test_thread_budget.py registers it as the engine "budget" (an entry point in a
dist-info folder on the path) and reads back, from the folder named by BUDGET_ENGINE_RECORD,
what each worker process's engine was given: one file per process, named by its id, holding
the budget.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from audio_edition.engines import VoiceSettings
from audio_edition.engines.fake import FakeEngine

RECORD_VARIABLE = "BUDGET_ENGINE_RECORD"


class BudgetEngine(FakeEngine):
    """The fake engine, writing down its thread budget."""

    name: ClassVar[str] = "budget"

    def __init__(self, settings: VoiceSettings) -> None:
        super().__init__(settings)
        record = Path(os.environ[RECORD_VARIABLE]) / str(os.getpid())
        record.write_text(str(settings.threads), encoding="utf-8")

"""Small engines for the tests, speaking the protocol of drafting/engines/base.py.

``QuoteEngine`` drafts one true/false and one single-choice question per paragraph from its
first sentence, so saving, review and jobs can be tested without the real engines.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter

from drafting.engines.base import DraftBatch, DraftChoice, DraftQuestion


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]


class QuoteEngine:
    name = "quote"

    def draft(self, passages, *, progress=None, should_stop=None) -> DraftBatch:
        batch = DraftBatch(dropped=Counter())
        for done, passage in enumerate(passages, start=1):
            if should_stop is not None and should_stop():
                break
            if passage.kind == "paragraph":
                batch.drafts.extend(self.drafts_for(passage))
            else:
                batch.dropped["not a paragraph"] += 1
            if progress is not None:
                progress(done, len(passages))
        return batch

    def drafts_for(self, passage) -> list[DraftQuestion]:
        quote = first_sentence(passage.text)
        common = {"explanation": f"The source says: {quote}", "passage_position": passage.position, "quote": quote}
        return [
            DraftQuestion(
                kind="true_false",
                prompt=f"True or false? {quote}",
                cognitive_level="remember",
                rule="true_false.paraphrase",
                choices=[DraftChoice("True", True, "The passage says so."), DraftChoice("False", False, "It does.")],
                **common,
            ),
            DraftQuestion(
                kind="single",
                prompt=f"Which sentence opens passage {passage.position}?",
                cognitive_level="remember",
                rule="single.opening",
                choices=[
                    DraftChoice(quote[:200], True, "Word for word from the passage."),
                    DraftChoice("Something the source never says.", False, "Not in the passage."),
                ],
                **common,
            ),
        ]


class BrokenEngine(QuoteEngine):
    """Fails halfway through, as an engine with a bug (or a model service gone away) would."""

    name = "broken"

    def draft(self, passages, *, progress=None, should_stop=None) -> DraftBatch:
        if progress is not None:
            progress(1, len(passages))
        raise RuntimeError("model service answered 500")


class GatedEngine(QuoteEngine):
    """Drafts one passage each time the test opens the gate, so a test can look at a job mid-way."""

    name = "gated"
    gate = threading.Semaphore(0)
    reached = threading.Semaphore(0)

    def draft(self, passages, *, progress=None, should_stop=None) -> DraftBatch:
        def gated_progress(done, total):
            if progress is not None:
                progress(done, total)
            type(self).reached.release()
            type(self).gate.acquire(timeout=10)

        return super().draft(passages, progress=gated_progress, should_stop=should_stop)


class PacedOfflineEngine:
    """The real offline engine, with a pause after each passage so a browser test can watch the progress bar."""

    name = "paced"
    pause_seconds = 0.12

    def draft(self, passages, *, progress=None, should_stop=None) -> DraftBatch:
        from drafting.engines.offline import OfflineEngine

        def paced(done, total):
            time.sleep(self.pause_seconds)
            if progress is not None:
                progress(done, total)

        return OfflineEngine().draft(passages, progress=paced, should_stop=should_stop)


def database_worker(*, batch: bool, worker_id: str):
    """One worker of the database-backed tasks backend, as `manage.py db_worker` makes it, for one task."""
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=0 if batch else 0.1,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


TEST_ENGINES = {
    "quote": "tests.drafting_engines.QuoteEngine",
    "broken": "tests.drafting_engines.BrokenEngine",
    "gated": "tests.drafting_engines.GatedEngine",
    "paced": "tests.drafting_engines.PacedOfflineEngine",
}

"""What every drafting engine takes and gives.

An engine reads a source's passages and proposes draft questions. Every draft cites one
passage and a quote that stands verbatim in it; drafts that fail validation are dropped
and counted by reason, never saved. Saving, review and the background task live outside
the engines, so an engine is plain Python over plain data and easy to test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class PassageText:
    """One passage as the engine sees it: its position in the source (the reader's `#p<n>`), kind and text."""

    position: int
    kind: str  # a content.models.PassageKind value
    text: str


@dataclass
class DraftChoice:
    text: str
    is_correct: bool
    feedback: str


@dataclass
class DraftQuestion:
    """A proposed question, in the fields of quiz.models.Question and Choice."""

    kind: str  # a quiz.models.QuestionKind value
    prompt: str
    explanation: str
    passage_position: int
    quote: str  # verbatim in the cited passage
    cognitive_level: str  # a quiz.models.CognitiveLevel value
    rule: str  # which rule of the engine produced it, e.g. "numeric.quantity"
    choices: list[DraftChoice] = field(default_factory=list)
    accepted_answers: list[str] = field(default_factory=list)
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = Decimal("0")
    numeric_min: Decimal | None = None
    numeric_max: Decimal | None = None
    numeric_unit: str = ""
    centrality: float = 0.0  # how central the fact is to the source; higher ranks first


@dataclass
class DraftBatch:
    """What an engine returns: the drafts that passed validation, and the dropped ones counted by reason."""

    drafts: list[DraftQuestion] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)


ProgressCallback = Callable[[int, int], None]  # (passages done, passages in all)
StopCheck = Callable[[], bool]  # True when the teacher cancelled: stop soon and return what you have


class Engine(Protocol):
    name: str  # "offline" or "model"

    @property
    def sends_text_to(self) -> str:
        """The host of a third party the passages are sent to, or "" when they stay on this server."""
        ...

    def draft(
        self,
        passages: Sequence[PassageText],
        *,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
    ) -> DraftBatch: ...

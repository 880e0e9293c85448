"""Checks that every citation still stands: the quote verbatim in its passage.

A citation is *broken* when its quote no longer stands word for word in the
passage, and *stale* when the quote still stands but the passage text changed
since the quote was last checked (the fingerprint differs): the context that
proves the answer may have changed, so a teacher should re-read it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from content.models import Passage, Source, text_fingerprint
from content.splitting import SplitPassage
from quiz.models import Question

BROKEN = "broken"
STALE = "stale"

# Characters people type differently from how a web page prints them.
_LOOKALIKES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\xa0": " "})


@dataclass(frozen=True)
class CitationProblem:
    question: Question
    kind: str  # BROKEN or STALE

    @property
    def reason(self) -> str:
        if self.kind == BROKEN:
            return "the quote is not verbatim in the cited passage"
        return "the passage changed since the quote was checked; re-check it"


def citation_problems(questions=None) -> list[CitationProblem]:
    """Every broken or stale citation among ``questions`` (default: the whole bank), in one query."""
    questions = Question.objects.all() if questions is None else questions
    problems = []
    for question in questions.select_related("passage__source").order_by("passage__source__title", "key"):
        if not question.quote or question.quote not in question.passage.text:
            problems.append(CitationProblem(question, BROKEN))
        elif question.cited_fingerprint and question.cited_fingerprint != text_fingerprint(question.passage.text):
            problems.append(CitationProblem(question, STALE))
    return problems


def broken_by_passage_edit(passage: Passage, new_text: str) -> list[Question]:
    """The questions citing ``passage`` whose quote ``new_text`` would no longer contain."""
    return [question for question in passage.questions.order_by("key") if question.quote not in new_text]


def broken_by_resplit(source: Source, new_passages: list[SplitPassage]) -> list[tuple[Question, str]]:
    """The questions a re-split of ``source`` into ``new_passages`` would break, with why."""
    broken = []
    questions = Question.objects.filter(passage__source=source).select_related("passage").order_by("key")
    for question in questions:
        position = question.passage.position
        if position > len(new_passages):
            broken.append((question, f"paragraph {position} would no longer exist"))
        elif question.quote not in new_passages[position - 1].text:
            broken.append((question, f"paragraph {position} would no longer contain its quote"))
    return broken


def mark_rechecked(questions: Iterable[Question]) -> int:
    """Record that each question's quote was re-read against its passage's current text.

    Only questions whose quote still stands verbatim are marked; returns how many.
    """
    marked = []
    for question in questions:
        if question.quote and question.quote in question.passage.text:
            question.cited_fingerprint = text_fingerprint(question.passage.text)
            marked.append(question)
    Question.objects.bulk_update(marked, ["cited_fingerprint"])
    return len(marked)


def _normalised_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` lower-cased, with look-alike characters unified and spaces collapsed,
    and for each kept character its index in ``text``."""
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        folded = char.translate(_LOOKALIKES).lower()
        if len(folded) != 1:
            folded = char
        if folded.isspace():
            if not chars or chars[-1] == " ":
                continue
            folded = " "
        chars.append(folded)
        positions.append(index)
    return "".join(chars), positions


def quote_suggestion(passage_text: str, quote: str) -> str | None:
    """The passage's own wording of ``quote`` when they differ only in case, spacing,
    curly quotes or dashes; None when the passage holds nothing close."""
    quote_normalised, _ = _normalised_with_positions(quote.strip())
    passage_normalised, positions = _normalised_with_positions(passage_text)
    if not quote_normalised.strip():
        return None
    start = passage_normalised.find(quote_normalised.strip())
    if start < 0:
        return None
    end = start + len(quote_normalised.strip()) - 1
    suggestion = passage_text[positions[start] : positions[end] + 1]
    return suggestion if suggestion != quote else None

"""Checks that every citation still stands: the quote verbatim in its passage."""

from dataclasses import dataclass

from content.models import text_fingerprint
from quiz.models import Question


@dataclass(frozen=True)
class BrokenCitation:
    question: Question
    reason: str


def broken_citations(questions=None) -> list[BrokenCitation]:
    questions = Question.objects.all() if questions is None else questions
    broken = []
    for question in questions.select_related("passage__source").order_by("key"):
        if not question.quote or question.quote not in question.passage.text:
            broken.append(BrokenCitation(question, "the quote is not verbatim in the cited passage"))
        elif question.cited_fingerprint and question.cited_fingerprint != text_fingerprint(question.passage.text):
            broken.append(BrokenCitation(question, "the passage changed since the quote was checked; re-check it"))
    return broken

"""A student's own progress: what they know now, passage by passage, and what they missed."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from content.models import Passage
from quiz.models import Response


def latest_responses(student) -> QuerySet:
    """The student's most recent answer to each question they have answered.

    "No newer answer to the same question" as NOT EXISTS, so knowing a passage
    reflects what the student knows now, not their first stumble.
    """
    mine = Response.objects.filter(attempt__student=student)
    newer = mine.filter(question_id=OuterRef("question_id")).filter(
        Q(answered_at__gt=OuterRef("answered_at")) | Q(answered_at=OuterRef("answered_at"), pk__gt=OuterRef("pk"))
    )
    return mine.filter(~Exists(newer))


@dataclass
class PassageMastery:
    passage: Passage
    question_total: int
    answered: int = 0
    mastery: float | None = None  # mean fraction of the latest answers, as a percentage

    @property
    def level(self) -> str:
        if self.mastery is None:
            return "not tried yet"
        if self.mastery >= 80:
            return "known"
        if self.mastery >= 50:
            return "shaky"
        return "to revisit"


def passage_mastery(student) -> list[PassageMastery]:
    """Every passage that published questions cite, with how well the student knows it. Two queries."""
    per_passage = {
        row["question__passage_id"]: row
        for row in latest_responses(student)
        .order_by()
        .values("question__passage_id")
        .annotate(answered=Count("question_id", distinct=True), mastery=models.Avg("fraction"))
    }
    passages = (
        Passage.objects.filter(questions__is_published=True)
        .select_related("source")
        .annotate(question_total=Count("questions", filter=Q(questions__is_published=True), distinct=True))
        .order_by("source__title", "position")
    )
    result = []
    for passage in passages:
        row = per_passage.get(passage.pk)
        item = PassageMastery(passage=passage, question_total=passage.question_total)
        if row:
            item.answered = row["answered"]
            item.mastery = float(row["mastery"]) * 100
        result.append(item)
    return result


def missed_questions(student) -> QuerySet:
    """The student's latest answers that were not fully right, newest first."""
    return (
        latest_responses(student)
        .filter(is_correct=False)
        .select_related("attempt__quiz")
        .order_by("-answered_at", "-pk")
    )

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


def classes_with_status(student, now=None) -> list:
    """The student's classes (``Classroom.objects.joined_by``), each assignment carrying
    ``my_status`` (done, late, overdue, joined after due date, in progress or not started, as
    the teacher's matrix says it) and ``my_due_at`` (their extension, or the class's date).
    Four queries."""
    from django.db.models import OuterRef, Subquery
    from django.utils import timezone

    from quiz.models import Classroom, Membership
    from quiz.reporting.attempts import ALL_DATES
    from quiz.reporting.dashboard import Cell, extended_due_dates, matrix_cells

    joined_at = Membership.objects.filter(classroom=OuterRef("pk"), user=student).values("joined_at")[:1]
    joined = list(Classroom.objects.joined_by(student).annotate(my_joined_at=Subquery(joined_at)))
    assignments = [a for classroom in joined for a in classroom.assignments.all()]
    cells = matrix_cells(student_ids=[student.pk], quiz_ids=sorted({a.quiz_id for a in assignments}), dates=ALL_DATES)
    extended = extended_due_dates(student_ids=[student.pk], assignments=assignments)
    now = now or timezone.now()
    for classroom in joined:
        for assignment in classroom.assignments.all():
            assignment.my_due_at = extended.get((student.pk, assignment.pk), assignment.due_at)
            cell = cells.get((student.pk, assignment.quiz_id), Cell())
            assignment.my_status = cell.status(assignment.my_due_at, now, classroom.my_joined_at)
    return joined

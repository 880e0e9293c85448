"""The SQL behind the teacher's class dashboard and gradebook.

A class can hold thousands of students: every figure here is an aggregate
computed by the database (one query each), and the matrix is read one page of
students at a time.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Max, Min, OuterRef, Q, QuerySet, Subquery

from quiz.models import Assignment, Attempt, Classroom, Extension, Membership
from quiz.reporting.attempts import AttemptChoice, DateRange, chosen_attempts, finished_attempts, percent_expression


def roster(classroom: Classroom) -> QuerySet:
    """The class's students, in a stable order for paging."""
    joined = Membership.objects.filter(classroom=classroom, user=OuterRef("pk")).values("joined_at")[:1]
    return (
        classroom.students.order_by("username", "pk")
        .only("id", "username", "first_name", "last_name")
        .annotate(joined_at=Subquery(joined))
    )


def extended_due_dates(*, student_ids: list[int], assignments: list) -> dict[tuple[int, int], datetime]:
    """(student, assignment) → the student's extended due date. One query."""
    if not student_ids or not assignments:
        return {}
    rows = Extension.objects.filter(student_id__in=student_ids, assignment__in=assignments)
    return {
        (row.student_id, row.assignment_id): row.due_at for row in rows.only("student_id", "assignment_id", "due_at")
    }


def roster_ids(classroom: Classroom) -> QuerySet:
    return Membership.objects.filter(classroom=classroom).values("user_id")


@dataclass
class Cell:
    """One student's record on one assigned quiz."""

    attempts: int = 0
    finished: int = 0
    best_percent: float | None = None
    first_finished_at: datetime | None = None
    last_started_at: datetime | None = None

    def status(self, due_at: datetime | None, now: datetime, joined_at: datetime | None = None) -> str:
        """done, late (first finished after the due date), in progress, overdue, joined after
        due date (the student joined the class once the date had passed), or not started.

        ``due_at`` is the student's own: their extension when they have one.
        """
        if self.finished:
            if due_at is not None and self.first_finished_at and self.first_finished_at > due_at:
                return "late"
            return "done"
        if due_at is not None and now > due_at:
            if joined_at is not None and joined_at > due_at:
                return "joined after due date"
            return "overdue"
        if self.attempts:
            return "in progress"
        return "not started"


def matrix_cells(*, student_ids: list[int], quiz_ids: list[int], dates: DateRange) -> dict[tuple[int, int], Cell]:
    """(student, quiz) → Cell for one page of students: a single GROUP BY query."""
    if not student_ids or not quiz_ids:
        return {}
    finished = Q(finished_at__isnull=False)
    rows = (
        dates.apply(Attempt.objects.filter(student_id__in=student_ids, quiz_id__in=quiz_ids))
        .order_by()
        .values("student_id", "quiz_id")
        .annotate(
            attempt_total=Count("id"),
            finished_total=Count("id", filter=finished),
            best=Max(percent_expression(), filter=finished),
            first_finished=Min("finished_at"),
            last_started=Max("started_at"),
        )
    )
    return {
        (row["student_id"], row["quiz_id"]): Cell(
            attempts=row["attempt_total"],
            finished=row["finished_total"],
            best_percent=row["best"],
            first_finished_at=row["first_finished"],
            last_started_at=row["last_started"],
        )
        for row in rows
    }


@dataclass
class QuizSummary:
    """How the whole class did on one assigned quiz."""

    assignment: Assignment
    class_size: int
    started: int = 0
    completed: int = 0
    average_best: float | None = None

    @property
    def quiz(self):
        return self.assignment.quiz

    @property
    def completion_rate(self) -> float | None:
        return None if not self.class_size else 100 * self.completed / self.class_size

    def overdue(self, now: datetime) -> int:
        due = self.assignment.due_at
        return self.class_size - self.completed if due is not None and now > due else 0


def quiz_summaries(
    *, classroom: Classroom, assignments: list[Assignment], class_size: int, dates: DateRange
) -> list[QuizSummary]:
    """Completion and average best score per assigned quiz, over the whole class. Two queries."""
    quiz_ids = [assignment.quiz_id for assignment in assignments]
    summaries = {a.quiz_id: QuizSummary(assignment=a, class_size=class_size) for a in assignments}
    if not quiz_ids:
        return []
    students = roster_ids(classroom)
    counts = (
        dates.apply(Attempt.objects.filter(student_id__in=students, quiz_id__in=quiz_ids))
        .order_by()
        .values("quiz_id")
        .annotate(
            started=Count("student_id", distinct=True),
            completed=Count("student_id", distinct=True, filter=Q(finished_at__isnull=False)),
        )
    )
    for row in counts:
        summaries[row["quiz_id"]].started = row["started"]
        summaries[row["quiz_id"]].completed = row["completed"]
    best = chosen_attempts(
        finished_attempts(
            quiz_ids=quiz_ids,
            student_ids=students,
            dates=dates,
        ),
        AttemptChoice.HIGHEST,
    )
    for row in best.values("quiz_id").annotate(average=Avg("percent")).order_by():
        summaries[row["quiz_id"]].average_best = row["average"]
    return [summaries[quiz_id] for quiz_id in quiz_ids]


def gradebook_rows(*, classroom: Classroom, quiz_ids: list[int]):
    """(student, {quiz id: best percent}) for every student, streamed in roster order.

    Two queries whatever the class size: the roster, and the best finished
    percentage per (student, quiz) ordered the same way, merged as they stream.
    """
    User = get_user_model()
    students = User.objects.filter(pk__in=roster_ids(classroom)).order_by("username", "pk")
    best = (
        Attempt.objects.finished()
        .filter(student_id__in=roster_ids(classroom), quiz_id__in=quiz_ids)
        .order_by()
        .values("student__username", "student_id", "quiz_id")
        .annotate(best=Max(percent_expression()))
        .order_by("student__username", "student_id")
        .values_list("student_id", "quiz_id", "best")
    )
    scores = iter(best.iterator(chunk_size=2000)) if quiz_ids else iter(())
    pending = next(scores, None)
    for student in students.iterator(chunk_size=2000):
        row: dict[int, float] = {}
        while pending is not None and pending[0] == student.pk:
            row[pending[1]] = pending[2]
            pending = next(scores, None)
        yield student, row

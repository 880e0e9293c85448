"""Which attempts a figure covers: the one date-range filter, and the choice of attempts per student.

The dashboard, the statistics page, and their CSV exports all narrow attempts here,
so "started from … until …" and "first / highest / last / all attempts" mean the same everywhere.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, NullIf

from quiz.models import Attempt


@dataclass(frozen=True)
class DateRange:
    """Attempts started in [started_from, started_before); either end may be open."""

    started_from: datetime | None = None
    started_before: datetime | None = None

    def apply(self, attempts: QuerySet) -> QuerySet:
        if self.started_from is not None:
            attempts = attempts.filter(started_at__gte=self.started_from)
        if self.started_before is not None:
            attempts = attempts.filter(started_at__lt=self.started_before)
        return attempts


ALL_DATES = DateRange()


class AttemptChoice(models.TextChoices):
    """Which attempts of each student the statistics use (Moodle's "Attempts to analyse")."""

    FIRST = "first", "First attempt"
    HIGHEST = "highest", "Highest-scoring attempt"
    LAST = "last", "Last attempt"
    ALL = "all", "All attempts"


def percent_expression(prefix: str = "") -> models.Expression:
    """An attempt's score as a percentage of its maximum, computed in SQL."""
    return (
        Cast(F(f"{prefix}score"), FloatField())
        * Value(100.0)
        / NullIf(Cast(F(f"{prefix}max_score"), FloatField()), Value(0.0))
    )


def finished_attempts(*, quiz_ids, student_ids, dates: DateRange = ALL_DATES) -> QuerySet:
    """Finished attempts at these quizzes by these students, started within ``dates``.

    ``student_ids`` is a values queryset, so the class roster stays a subquery.
    """
    attempts = Attempt.objects.finished().filter(quiz_id__in=quiz_ids, student_id__in=student_ids)
    return dates.apply(attempts).order_by()


def chosen_attempts(attempts: QuerySet, which: str) -> QuerySet:
    """One attempt per student and quiz (first, highest or last), or all of them.

    Chosen with NOT EXISTS against the same set: "no earlier attempt", "no later
    attempt", "no better attempt (ties: the earlier one)". That stays one query
    and uses the (quiz, student) index, whatever the number of attempts.
    """
    if which == AttemptChoice.ALL:
        return attempts
    peers = attempts.filter(student_id=OuterRef("student_id"), quiz_id=OuterRef("quiz_id"))
    if which == AttemptChoice.FIRST:
        better = peers.filter(number__lt=OuterRef("number"))
    elif which == AttemptChoice.LAST:
        better = peers.filter(number__gt=OuterRef("number"))
    else:
        better = peers.annotate(peer_percent=percent_expression()).filter(
            Q(peer_percent__gt=OuterRef("percent")) | Q(peer_percent=OuterRef("percent"), number__lt=OuterRef("number"))
        )
    return attempts.annotate(percent=percent_expression()).filter(~Exists(better))

"""Near misses: the wrong answers students typed most often, per question, for a teacher to judge.

A teacher who sees "Yandex Alice" typed by a third of the class can accept it with one
click; the regrade preview then shows whose scores would change before anything does.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Min, QuerySet, Window
from django.db.models.functions import Lower, RowNumber, Trim

from quiz.models import Question, QuestionKind, Response
from quiz.ownership import questions_changeable_by

NEAR_MISSES_SHOWN = 5
TYPED_KINDS = (QuestionKind.NUMERIC, QuestionKind.SHORT_TEXT)


@dataclass(frozen=True)
class NearMiss:
    answer: str  # as one student typed it (the first in alphabetical order among the same words)
    times: int


def near_misses(attempts: QuerySet, questions: list[Question], *, shown: int = NEAR_MISSES_SHOWN) -> dict:
    """Per typed question: the ``shown`` most frequent wrong answers, case and outer spaces folded. One query.

    Ranked in the database (ROW_NUMBER per question), so the rows that reach Python are
    at most ``shown`` per question, however many students answered.
    """
    typed_ids = [question.pk for question in questions if question.kind in TYPED_KINDS]
    if not typed_ids:
        return {}
    rows = (
        Response.objects.filter(attempt__in=attempts.values("pk"), question_id__in=typed_ids, is_correct=False)
        .exclude(answer_text="")
        .annotate(folded=Lower(Trim("answer_text")))
        .values("question_id", "folded")
        .annotate(times=Count("*"), example=Min("answer_text"))
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("question_id")], order_by=[F("times").desc(), F("folded").asc()])
        )
        .filter(rank__lte=shown)
        .order_by("question_id", "rank")
        .values_list("question_id", "example", "times")
    )
    found: dict[int, list[NearMiss]] = {}
    for question_id, example, times in rows:
        found.setdefault(question_id, []).append(NearMiss(answer=example.strip(), times=times))
    return found


def add_near_misses(report, attempts: QuerySet) -> None:
    """Give each question of a statistics report its near misses (part of the cached report)."""
    found = near_misses(attempts, [row.question for row in report.questions])
    for row in report.questions:
        row.near_misses = found.get(row.question.pk, [])
    report.has_near_misses = bool(found)


def mark_acceptable(report, user) -> None:
    """Say, for this viewer, which questions' near misses they may accept: those whose key they may change
    (their own, while no other teacher's class uses them; any, for a superuser). One query."""
    typed = [row.question.pk for row in report.questions if row.question.kind == QuestionKind.SHORT_TEXT]
    changeable = set(questions_changeable_by(user, Question.objects.filter(pk__in=typed)).values_list("pk", flat=True))
    for row in report.questions:
        row.may_accept_answers = row.question.pk in changeable

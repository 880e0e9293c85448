"""Regrading: apply a corrected answer key to answers already given.

Editing a question never changes past scores by itself (each response keeps
its points and a snapshot of what was asked). When a teacher fixes a wrong key,
``regrade_plan`` shows which attempts would score differently and by how much;
``regrade_apply`` makes exactly those changes, and logs every old and new score.
Each answer is re-scored from what the student gave (``selected_choice_ids`` /
``answer_text``), against the choices that attempt showed, with the same rules
as live scoring (``Question.grade``).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.utils import timezone

from quiz.models import Attempt, Question, RegradeLog, Response, SubmittedAnswer
from quiz.signals import attempt_graded

CENT = Decimal("0.01")


@dataclass
class ResponseChange:
    response: Response
    question: Question
    new_fraction: Decimal
    new_points: Decimal
    new_note: str = ""

    @property
    def old_points(self) -> Decimal:
        return self.response.points_awarded

    @property
    def delta(self) -> Decimal:
        return self.new_points - self.old_points


@dataclass
class AttemptChange:
    attempt: Attempt
    changes: list[ResponseChange] = field(default_factory=list)

    @property
    def old_score(self) -> Decimal:
        return self.attempt.score

    @property
    def delta(self) -> Decimal:
        return sum((change.delta for change in self.changes), Decimal("0"))

    @property
    def new_score(self) -> Decimal:
        return max(Decimal("0"), self.old_score + self.delta)


def regrade_plan(questions, *, students=None) -> list[AttemptChange]:
    """The attempts whose score a regrade of ``questions`` would change, in three queries.

    ``students`` (ids, or a subquery of them) limits it to those students' attempts: a
    teacher regrades their own classes, never another teacher's; None means everyone's.
    """
    by_id = {question.pk: question for question in questions.prefetch_related("choices")}
    # A mark a teacher set by hand stands: the key may say otherwise, the teacher judged this answer.
    responses = Response.objects.filter(question__in=list(by_id), marked_by_hand=False)
    if students is not None:
        responses = responses.filter(attempt__student__in=students)
    responses = responses.select_related("attempt__quiz", "attempt__student").order_by(
        "attempt__quiz__title", "attempt__student__username", "attempt__number", "question_id"
    )
    plan: dict[int, AttemptChange] = {}
    for response in responses:
        question = by_id[response.question_id]
        answer = SubmittedAnswer(
            choice_ids=frozenset(int(pk) for pk in response.selected_choice_ids), text=response.answer_text
        )
        mark = question.mark(answer, response.attempt.shown_choices(question.pk, question.choices.all()))
        fraction = mark.fraction
        points = Decimal(response.question_snapshot.get("points", question.points))
        new_points = (fraction * points).quantize(CENT)
        if new_points == response.points_awarded and fraction == response.fraction:
            continue
        change = ResponseChange(
            response=response, question=question, new_fraction=fraction, new_points=new_points, new_note=mark.note
        )
        plan.setdefault(response.attempt_id, AttemptChange(attempt=response.attempt)).changes.append(change)
    return list(plan.values())


def _snapshot_with_new_key(change: ResponseChange, now) -> dict:
    """The response's snapshot with the corrected key; what was asked and answered stays as it was."""
    snapshot = dict(change.response.question_snapshot)
    question = change.question
    choices = change.response.attempt.shown_choices(question.pk, question.choices.all())
    correct_ids = {choice.pk for choice in choices if choice.is_correct}
    snapshot.setdefault(
        "key_before_regrade",
        {
            "correct_answer": snapshot.get("correct_answer", ""),
            "correct_choice_ids": [c["id"] for c in snapshot.get("choices", []) if c.get("is_correct")],
        },
    )
    snapshot["choices"] = [{**c, "is_correct": c["id"] in correct_ids} for c in snapshot.get("choices", [])]
    snapshot["correct_answer"] = question.correct_answer_display(choices)
    snapshot["regraded_at"] = now.isoformat()
    return snapshot


def regrade_apply(*, questions, by, students=None, reason: str = "", now=None) -> list[RegradeLog]:
    """Re-score every answer to ``questions`` with their current key; return the logs written.

    The plan is recomputed inside the transaction, on attempts locked against an
    answer being recorded at the same moment, so what is applied is what the
    current key says, even if the page the teacher confirmed is a little old.
    """
    now = now or timezone.now()
    with transaction.atomic():
        plan = regrade_plan(questions, students=students)
        locked = Attempt.objects.select_for_update().in_bulk([change.attempt.pk for change in plan])
        responses, attempts, logs = [], [], []
        for attempt_change in plan:
            attempt = locked[attempt_change.attempt.pk]
            for change in attempt_change.changes:
                old_score = attempt.score
                attempt.score = max(Decimal("0"), attempt.score + change.delta)
                response = change.response
                response.question_snapshot = _snapshot_with_new_key(change, now)
                response.fraction = change.new_fraction
                response.points_awarded = change.new_points
                response.is_correct = change.new_fraction == 1
                response.grading_note = change.new_note
                responses.append(response)
                logs.append(
                    RegradeLog(
                        attempt=attempt,
                        question=change.question,
                        old_score=old_score,
                        new_score=attempt.score,
                        regraded_by=by,
                        regraded_at=now,
                        reason=reason[:300],
                    )
                )
            attempts.append(attempt)
        Response.objects.bulk_update(
            responses, ["question_snapshot", "fraction", "points_awarded", "is_correct", "grading_note"]
        )
        Attempt.objects.bulk_update(attempts, ["score"])
        for attempt in attempts:
            if attempt.finished_at is not None:
                transaction.on_commit(partial(attempt_graded.send, sender=Attempt, attempt=attempt))
        return RegradeLog.objects.bulk_create(logs)

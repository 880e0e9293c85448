"""The answer path's hand-written SQL stores and reads exactly what the ORM would."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum, signals
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, Question, Response, SubmittedAnswer
from quiz.services import response_record
from tests.factories import AttemptFactory, QuestionFactory, QuizFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def multiple_choice_attempt(student):
    questions = [QuestionFactory(kind="multiple") for _ in range(3)]
    return AttemptFactory(quiz=QuizFactory(questions=questions), student=student)


def choices_of(attempt, question_id):
    question = Question.objects.select_related("passage__source").get(pk=question_id)
    by_id = {choice.pk: choice for choice in question.choices.all()}
    return question, [by_id[pk] for pk in attempt.choice_order[str(question_id)]]


def test_a_recorded_answer_reads_back_exactly_as_given(multiple_choice_attempt):
    attempt = multiple_choice_attempt
    question, choices = choices_of(attempt, attempt.question_ids[0])
    picked = frozenset(choice.pk for choice in choices if choice.text in ("GPUs", "Wheat"))
    moment = attempt.started_at + timedelta(seconds=42, microseconds=123456)
    recorded, created = response_record(
        attempt=attempt, question=question, choices=choices, answer=SubmittedAnswer(choice_ids=picked), now=moment
    )
    stored = Response.objects.get(pk=recorded.pk)
    assert created and stored.attempt_id == attempt.pk and stored.question_id == question.pk
    assert stored.selected_choice_ids == sorted(picked)
    assert stored.answered_at == moment and stored.seconds_taken == 42
    assert stored.fraction == recorded.fraction and stored.points_awarded == recorded.points_awarded
    assert stored.question_snapshot["prompt"] == question.prompt
    assert [c["id"] for c in stored.question_snapshot["choices"]] == [c.pk for c in choices]


def test_recording_an_answer_sends_the_model_signals_as_save_does(multiple_choice_attempt):
    attempt = multiple_choice_attempt
    question, choices = choices_of(attempt, attempt.question_ids[0])
    heard = []

    def before(sender, instance, **kwargs):
        heard.append(("pre_save", instance.pk))

    def after(sender, instance, created, **kwargs):
        heard.append(("post_save", instance.pk, created))

    signals.pre_save.connect(before, sender=Response)
    signals.post_save.connect(after, sender=Response)
    try:
        recorded, _ = response_record(
            attempt=attempt, question=question, choices=choices, answer=SubmittedAnswer(choice_ids=frozenset())
        )
    finally:
        signals.pre_save.disconnect(before, sender=Response)
        signals.post_save.disconnect(after, sender=Response)
    assert heard == [("pre_save", None), ("post_save", recorded.pk, True)]


def test_the_attempt_score_is_the_sum_of_its_partial_credits_to_the_cent(multiple_choice_attempt):
    attempt = multiple_choice_attempt
    for question_id in attempt.question_ids:
        question, choices = choices_of(attempt, question_id)
        # One of two right answers and no wrong one: a partial credit with cents.
        first_right = next(choice.pk for choice in choices if choice.is_correct)
        response_record(
            attempt=attempt,
            question=question,
            choices=choices,
            answer=SubmittedAnswer(choice_ids=frozenset({first_right})),
        )
    stored = Attempt.objects.get(pk=attempt.pk)
    total = Response.objects.filter(attempt=attempt).aggregate(total=Sum("points_awarded"))["total"]
    assert Decimal("0") < stored.score == total < Decimal("3")
    assert stored.answered_count == 3 and stored.finished_at is not None


def test_the_attempt_page_reads_every_column_of_the_attempt(client, student):
    quiz = QuizFactory(questions=2, time_limit_minutes=30, shuffle_choices=True)
    attempt = AttemptFactory(quiz=quiz, student=student)
    client.force_login(student)
    page = client.get(reverse("attempt_question", args=[attempt.public_id]), **HTMX)
    shown = page.context["attempt"]
    assert shown.question_ids == attempt.question_ids and shown.choice_order == attempt.choice_order
    assert shown.deadline == attempt.deadline and shown.deadline > timezone.now()
    assert shown.public_id == attempt.public_id and shown.quiz == quiz

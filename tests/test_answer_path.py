"""The answer path stores an answer exactly as given and adds it to its attempt to the cent."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from quiz.models import Attempt, Question, Response, SubmittedAnswer
from quiz.services import response_record
from tests.factories import AttemptFactory, QuestionFactory, QuizFactory


@pytest.fixture
def multiple_choice_attempt(student):
    questions = [QuestionFactory(kind="multiple") for _ in range(3)]
    return AttemptFactory(quiz=QuizFactory(questions=questions), student=student)


def choices_of(attempt, question_id):
    question = Question.objects.select_related("passage__source").get(pk=question_id)
    return question, attempt.shown_choices(question_id, question.choices.all())


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

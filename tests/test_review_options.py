"""What the results page shows, and when: the quiz's review options (as Moodle has them).

A graded quiz keeps its answer key until the student has no attempts left or the quiz has closed;
a practice quiz may show everything right after each attempt.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.models import FeedbackMode, Quiz, ReviewMoment
from quiz.services import attempt_finish, attempt_start
from tests.conftest import logged_in_client
from tests.factories import QuestionFactory, QuizFactory, sit_quiz

pytestmark = pytest.mark.django_db

# What only the key, the explanations or the citations print on the results page.
KEY = "tag-right"  # the "Right answer" tag on the right choice
KEY_LINE = "The right answer: <strong>"
EXPLANATION = "Sanctions cut the direct supply of GPUs."
CITATION = "/sources/"


def results_page(student, attempt) -> str:
    return logged_in_client(student).get(reverse("attempt_results", args=[attempt.public_id])).content.decode()


@pytest.fixture
def graded_quiz():
    """Feedback at the end, two attempts allowed, review options left at their defaults."""
    questions = QuestionFactory.create_batch(3)
    return QuizFactory(questions=questions, feedback_mode=FeedbackMode.AT_END, attempts_allowed=2)


def test_an_empty_first_attempt_reveals_no_answer_key(graded_quiz, student):
    attempt = attempt_finish(attempt=attempt_start(quiz=graded_quiz, student=student))

    page = results_page(student, attempt)

    assert "Your results" in page
    assert KEY not in page and KEY_LINE not in page
    assert EXPLANATION not in page and CITATION not in page
    assert "once you have no attempts left or the quiz has closed" in page


def test_answered_questions_show_right_or_wrong_but_not_the_key_before_the_last_attempt(graded_quiz, student):
    attempt = sit_quiz(graded_quiz, student, [True, False, None], finish=True)

    page = results_page(student, attempt)

    assert "Correct" in page and "Wrong" in page
    assert KEY not in page and EXPLANATION not in page


def test_the_key_is_shown_once_the_last_allowed_attempt_is_finished(graded_quiz, student):
    sit_quiz(graded_quiz, student, [None, None, None], finish=True)
    last = sit_quiz(graded_quiz, student, [True, False, None], finish=True)

    page = results_page(student, last)

    assert KEY in page and EXPLANATION in page and CITATION in page


def test_an_earlier_attempt_stays_closed_while_the_last_one_is_in_progress(graded_quiz, student):
    first = attempt_finish(attempt=attempt_start(quiz=graded_quiz, student=student))
    attempt_start(quiz=graded_quiz, student=student)

    assert KEY not in results_page(student, first)


def test_the_key_is_shown_after_the_quiz_closes(graded_quiz, student):
    attempt = sit_quiz(graded_quiz, student, [True, None, None], finish=True)
    Quiz.objects.filter(pk=graded_quiz.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    assert KEY in results_page(student, attempt)


def test_a_key_kept_until_the_close_is_not_shown_after_the_last_attempt(graded_quiz, student):
    Quiz.objects.filter(pk=graded_quiz.pk).update(
        review_key=ReviewMoment.AFTER_CLOSE, review_feedback=ReviewMoment.AFTER_CLOSE, attempts_allowed=1
    )
    attempt = sit_quiz(graded_quiz, student, [True, None, None], finish=True)

    page = results_page(student, attempt)

    assert KEY not in page and EXPLANATION not in page
    assert "after the quiz closes" in page


def test_answers_can_be_kept_back_too(graded_quiz, student):
    Quiz.objects.filter(pk=graded_quiz.pk).update(review_answers=ReviewMoment.NEVER)
    attempt = sit_quiz(graded_quiz, student, [True, False, None], finish=True)

    page = results_page(student, attempt)

    assert "Correct" not in page and "Your answer" not in page


def test_a_practice_quiz_shows_everything_right_after_each_attempt(student):
    quiz = QuizFactory(
        questions=2,
        review_answers=ReviewMoment.AFTER_ATTEMPT,
        review_key=ReviewMoment.AFTER_ATTEMPT,
        review_feedback=ReviewMoment.AFTER_ATTEMPT,
    )
    attempt = attempt_finish(attempt=attempt_start(quiz=quiz, student=student))

    page = results_page(student, attempt)

    assert KEY_LINE in page and EXPLANATION in page and CITATION in page


def test_new_quizzes_default_to_the_safe_review(db):
    quiz = Quiz.objects.create(slug="new", title="New")

    assert (quiz.review_answers, quiz.review_key, quiz.review_feedback) == (
        ReviewMoment.AFTER_ATTEMPT,
        ReviewMoment.NO_ATTEMPTS_LEFT,
        ReviewMoment.NO_ATTEMPTS_LEFT,
    )


def test_the_shipped_practice_quizzes_keep_their_generous_review(loaded_bank):
    shipped = Quiz.objects.all()

    assert shipped.exists()
    for quiz in shipped:
        assert quiz.attempts_allowed is None
        assert quiz.review_key == quiz.review_feedback == ReviewMoment.AFTER_ATTEMPT

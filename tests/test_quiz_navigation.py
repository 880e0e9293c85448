"""Moving through an attempt: the navigator, skipping, flagging for later, the summary before
finishing, a second tab, the timer's grace period, and how answers are shown."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, Question, Response
from tests.conftest import HTMX
from tests.factories import AttemptFactory, QuestionFactory, QuizFactory


@pytest.fixture
def attempt(student):
    return AttemptFactory(quiz=QuizFactory(questions=4), student=student)


def answer_url(attempt, position):
    return reverse("attempt_answer", args=[attempt.public_id, position])


def right_choice(attempt, position) -> dict:
    question = Question.objects.get(pk=attempt.question_ids[position - 1])
    return {"choice": str(question.choices.get(is_correct=True).pk)}


def wrong_choice(attempt, position) -> dict:
    question = Question.objects.get(pk=attempt.question_ids[position - 1])
    return {"choice": str(question.choices.filter(is_correct=False).first().pk)}


# --- navigator, skip, flag -------------------------------------------------------


def test_question_page_has_a_navigator_saying_what_is_answered_flagged_and_on_screen(student_client, attempt):
    student_client.post(answer_url(attempt, 1), right_choice(attempt, 1))
    student_client.post(reverse("attempt_flag", args=[attempt.public_id, 3]))
    page = student_client.get(answer_url(attempt, 3)).content.decode()
    nav = page[page.index('<nav id="question-nav"') : page.index("</nav>", page.index('<nav id="question-nav"'))]
    assert 'aria-label="Question 1, answered"' in nav
    assert 'aria-label="Question 2, not answered"' in nav
    assert re.search(r'aria-label="Question 3, not answered, flagged"\s*aria-current="step">3<', nav)
    for position in range(1, 5):
        assert f'href="{answer_url(attempt, position)}"' in nav


def test_skip_goes_to_the_next_unanswered_question_and_comes_round_again(student_client, attempt):
    url = reverse("attempt_question", args=[attempt.public_id])
    page = student_client.get(url + "?after=1").content.decode()
    assert "Question 2 of 4" in page
    assert f'href="{url}?after=2"' in page and "Skip for now" in page
    student_client.post(answer_url(attempt, 2), right_choice(attempt, 2))
    student_client.post(answer_url(attempt, 3), right_choice(attempt, 3))
    student_client.post(answer_url(attempt, 4), right_choice(attempt, 4))
    # Past the last question the skipped first one comes back.
    assert "Question 1 of 4" in student_client.get(url + "?after=4").content.decode()
    assert "Question 1 of 4" in student_client.get(url + "?after=nonsense").content.decode()


def test_flag_for_later_is_kept_on_the_attempt_and_works_without_javascript(student_client, attempt):
    flag_url = reverse("attempt_flag", args=[attempt.public_id, 2])
    response = student_client.post(flag_url)
    assert response.status_code == 302 and response["Location"] == answer_url(attempt, 2)
    attempt.refresh_from_db()
    assert attempt.flagged_question_ids == [attempt.question_ids[1]]
    assert 'aria-pressed="true"' in student_client.get(answer_url(attempt, 2)).content.decode()
    student_client.post(flag_url)
    attempt.refresh_from_db()
    assert attempt.flagged_question_ids == []


def test_flag_with_htmx_answers_the_button_and_the_navigator_out_of_band(student_client, attempt):
    response = student_client.post(reverse("attempt_flag", args=[attempt.public_id, 2]), **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="flag-form"')
    assert "Flagged for later" in html
    assert 'id="question-nav" class="question-nav" aria-labelledby="question-nav-heading" hx-swap-oob="true"' in html


def test_nobody_else_can_flag_a_students_question(client, attempt, other_student):
    client.force_login(other_student)
    assert client.post(reverse("attempt_flag", args=[attempt.public_id, 1])).status_code == 404
    assert client.post(reverse("attempt_flag", args=[attempt.public_id, 9])).status_code == 404


# --- summary before finishing ----------------------------------------------------


def test_the_question_page_has_no_one_click_submit(student_client, attempt):
    page = student_client.get(reverse("attempt_question", args=[attempt.public_id])).content.decode()
    assert f'action="{reverse("attempt_submit", args=[attempt.public_id])}"' not in page
    assert f'href="{reverse("attempt_summary", args=[attempt.public_id])}"' in page


def test_summary_lists_answered_unanswered_and_flagged_questions_with_links_back(student_client, attempt):
    student_client.post(answer_url(attempt, 1), right_choice(attempt, 1))
    student_client.post(reverse("attempt_flag", args=[attempt.public_id, 3]))
    page = student_client.get(reverse("attempt_summary", args=[attempt.public_id])).content.decode()
    assert "You have answered <strong>1 of 4</strong> questions and flagged <strong>1</strong>" in page
    assert page.count("<strong>Not answered</strong>") == 3
    assert "Flagged" in page
    for position in range(1, 5):
        assert f'href="{answer_url(attempt, position)}"' in page
    assert "Questions you leave unanswered score 0" in page
    assert f'action="{reverse("attempt_submit", args=[attempt.public_id])}"' in page
    assert "Submit all and finish" in page
    assert not Attempt.objects.get(pk=attempt.pk).is_finished


def test_summary_of_a_finished_attempt_leads_to_the_results(student_client, attempt):
    student_client.post(reverse("attempt_submit", args=[attempt.public_id]))
    response = student_client.get(reverse("attempt_summary", args=[attempt.public_id]))
    assert response["Location"] == reverse("attempt_results", args=[attempt.public_id])


def test_summary_is_the_students_own(client, attempt, other_student):
    client.force_login(other_student)
    assert client.get(reverse("attempt_summary", args=[attempt.public_id])).status_code == 404


# --- a second tab ------------------------------------------------------------------


def test_a_different_answer_from_a_second_tab_is_told_which_answer_was_kept(student_client, attempt):
    student_client.post(answer_url(attempt, 1), right_choice(attempt, 1), **HTMX)
    html = student_client.post(answer_url(attempt, 1), wrong_choice(attempt, 1), **HTMX).content.decode()
    kept = Response.objects.get(attempt=attempt).answer_display
    assert f"You already answered this in another tab or window: your answer there, “{kept}”, is the one kept." in html
    # The same answer sent twice (a double click) is no news.
    again = student_client.post(answer_url(attempt, 1), right_choice(attempt, 1), **HTMX).content.decode()
    assert "another tab" not in again


def test_without_javascript_the_second_tab_message_follows_the_redirect(student_client, attempt):
    student_client.post(answer_url(attempt, 1), right_choice(attempt, 1))
    page = student_client.post(answer_url(attempt, 1), wrong_choice(attempt, 1), follow=True).content.decode()
    assert "You already answered this question in another tab or window" in page


# --- timer grace period ------------------------------------------------------------


@pytest.mark.parametrize(("seconds_late", "kept"), [(5, True), (15, False)])
def test_an_answer_arriving_just_after_the_deadline_is_kept_within_the_grace_period(
    student_client, attempt, seconds_late, kept
):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=seconds_late))
    response = student_client.post(answer_url(attempt, 1), right_choice(attempt, 1), **HTMX)
    assert Response.objects.filter(attempt=attempt).exists() is kept
    assert response.status_code == (200 if kept else 409)


def test_a_timed_question_page_carries_the_timer_and_the_time_up_form(student_client, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(minutes=5))
    page = student_client.get(answer_url(attempt, 1)).content.decode()
    assert 'class="timer" data-deadline=' in page
    assert f'id="time-up-form" method="post" action="{reverse("attempt_submit", args=[attempt.public_id])}"' in page
    assert 'id="timer-warning"' in page


# --- how answers are shown ---------------------------------------------------------


def test_multiple_choice_says_before_answering_that_wrong_ticks_cancel_right_ones(student_client, student):
    attempt = AttemptFactory(quiz=QuizFactory(questions=[QuestionFactory(kind="multiple")]), student=student)
    page = student_client.get(answer_url(attempt, 1)).content.decode()
    assert "Each wrong tick cancels a right one" in page
    assert 'aria-describedby="multiple-hint"' in page


@pytest.mark.parametrize(
    ("typed", "unit", "shown"),
    [
        ("28nm", "nm", "28nm"),
        ("28 nm", "nm", "28 nm"),
        ("28", "nm", "28 nm"),
        ("80%", "percent", "80%"),
        ("80 percent", "percent", "80 percent"),
        ("80", "percent", "80 percent"),
        ("28th place", "place", "28th place"),
        ("28", "", "28"),
    ],
)
def test_the_unit_is_added_to_an_answer_only_when_the_student_did_not_write_it(typed, unit, shown):
    template = Template("{% load quiz_tags %}{{ typed|with_unit:unit }}")
    assert template.render(Context({"typed": typed, "unit": unit})) == shown


def test_numeric_feedback_shows_no_doubled_unit(student_client, student):
    question = QuestionFactory(numeric=True, numeric_unit="nm", numeric_answer=Decimal("28"))
    attempt = AttemptFactory(quiz=QuizFactory(questions=[question]), student=student)
    html = student_client.post(answer_url(attempt, 1), {"answer": "28nm"}, **HTMX).content.decode()
    assert "<strong>28nm</strong>" in html and "28nm nm" not in html


@pytest.mark.parametrize(
    ("value", "tolerance", "unit", "shown"),
    [
        ("9000", "500", "GPUs", "9,000 (± 500) GPUs"),
        ("500000", "25000", "GPUs", "500,000 (± 25,000) GPUs"),
        ("2022", None, "", "2022"),
        ("25", None, "place", "25th place"),
        ("22", None, "place", "22nd place"),
        ("11", None, "place", "11th place"),
        ("84", None, "percent", "84 percent"),
    ],
)
def test_right_numeric_answers_read_the_same_way_whatever_their_size(value, tolerance, unit, shown):
    question = Question(
        kind="numeric",
        numeric_answer=Decimal(value),
        numeric_tolerance=Decimal(tolerance) if tolerance else None,
        numeric_unit=unit,
    )
    assert question.correct_answer_display() == shown


def test_short_text_feedback_shows_the_main_answer_and_the_others_as_also_accepted(student_client, student):
    question = QuestionFactory(short_text=True, accepted_answers=["GPUs", "GPU", "graphics processors"])
    attempt = AttemptFactory(quiz=QuizFactory(questions=[question]), student=student)
    html = student_client.post(answer_url(attempt, 1), {"answer": "Wheat"}, **HTMX).content.decode()
    assert "The right answer: <strong>GPUs</strong>" in html
    assert '<details class="also-accepted"><summary>Also accepted</summary><p>GPU, graphics processors</p>' in html


def test_the_verdict_says_wrong_in_the_feedback_and_in_the_results(student_client, attempt):
    feedback = student_client.post(answer_url(attempt, 1), wrong_choice(attempt, 1), **HTMX).content.decode()
    student_client.post(reverse("attempt_submit", args=[attempt.public_id]))
    results = student_client.get(reverse("attempt_results", args=[attempt.public_id])).content.decode()
    for page in (feedback, results):
        assert re.search(r"✗</span> Wrong\s", page)
        assert "Not quite" not in page


def test_question_form_view_runs_a_bounded_number_of_queries(db, client, student, django_assert_num_queries):
    attempt = AttemptFactory(quiz=QuizFactory(questions=30), student=student)
    client.force_login(student)
    client.get(answer_url(attempt, 2), **HTMX)  # the question into the bank cache
    # session, user, attempt+bank stamp, this question's response (none), the answered
    # question ids for the navigator
    with django_assert_num_queries(5):
        client.get(answer_url(attempt, 2), **HTMX)

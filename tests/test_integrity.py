"""Attempt integrity: one answer per question, closed attempts stay closed, scores add up.

The thread tests need real transactions (``transaction=True``): every thread has
its own database connection, as two gunicorn workers would. They are meaningful on
PostgreSQL (row locks, READ COMMITTED); on SQLite writers queue behind the
database lock, and the same assertions must still hold.
"""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, connections
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, Choice, FeedbackMode, Question, Response, ReviewMoment, SubmittedAnswer
from quiz.services import AttemptRefused, attempt_finish, attempt_start, response_record
from tests.conftest import HTMX, logged_in_client, shown_choices
from tests.factories import QuestionFactory, QuizFactory, UserFactory


def answer_url(attempt: Attempt, position: int) -> str:
    return reverse("attempt_answer", args=[attempt.public_id, position])


def right_choice(attempt: Attempt, position: int) -> Choice:
    return next(choice for choice in shown_choices(attempt, position) if choice.is_correct)


def wrong_choice(attempt: Attempt, position: int) -> Choice:
    return next(choice for choice in shown_choices(attempt, position) if not choice.is_correct)


def recomputed_score(attempt: Attempt) -> Decimal:
    return Response.objects.filter(attempt=attempt).aggregate(total=Sum("points_awarded"))["total"] or Decimal("0")


def run_at_once(*jobs):
    """Run each job in its own thread (own DB connection), released together by a barrier."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except BaseException as error:  # reported in the main thread, where pytest sees it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


# ---------------------------------------------------------------- one answer per question


@pytest.mark.django_db
def test_a_replayed_post_gets_the_recorded_result_and_stores_nothing_new(student_client, student):
    quiz = QuizFactory(questions=2)
    attempt = attempt_start(quiz=quiz, student=student)
    first, second = right_choice(attempt, 1), wrong_choice(attempt, 1)

    accepted = student_client.post(answer_url(attempt, 1), {"choice": first.pk}, **HTMX)
    replayed = student_client.post(answer_url(attempt, 1), {"choice": second.pk}, **HTMX)

    assert accepted.status_code == replayed.status_code == 200
    assert "Correct" in replayed.content.decode()
    assert Response.objects.filter(attempt=attempt).count() == 1
    attempt.refresh_from_db()
    assert attempt.answered_count == 1
    assert attempt.score == Decimal("1")


@pytest.mark.django_db
def test_a_replayed_post_without_htmx_redirects_to_the_recorded_answer(student_client, student):
    quiz = QuizFactory(questions=2)
    attempt = attempt_start(quiz=quiz, student=student)
    for choice in (wrong_choice(attempt, 1), right_choice(attempt, 1)):
        response = student_client.post(answer_url(attempt, 1), {"choice": choice.pk})
        assert response.status_code == 302
        assert response["Location"] == answer_url(attempt, 1)
    recorded = Response.objects.get(attempt=attempt)
    assert recorded.is_correct is False
    page = student_client.get(answer_url(attempt, 1)).content.decode()
    assert "Wrong" in page


@pytest.mark.django_db
def test_recording_the_same_question_twice_returns_the_first_response(student):
    quiz = QuizFactory(questions=2)
    attempt = attempt_start(quiz=quiz, student=student)
    question = Question.objects.get(pk=attempt.question_ids[0])
    choices = shown_choices(attempt, 1)

    first, created = response_record(
        attempt=attempt,
        question=question,
        choices=choices,
        answer=SubmittedAnswer(choice_ids=frozenset({choices[0].pk})),
    )
    # A stale copy of the attempt, as a second worker would hold it: the database refuses the duplicate.
    stale = Attempt.objects.get(pk=attempt.pk)
    Attempt.objects.filter(pk=attempt.pk).update(answered_count=0)
    stale.answered_count = 0
    again, created_again = response_record(
        attempt=stale, question=question, choices=choices, answer=SubmittedAnswer(choice_ids=frozenset({choices[1].pk}))
    )

    assert created is True and created_again is False
    assert again.pk == first.pk
    assert again.selected_choice_ids == [choices[0].pk]


@pytest.mark.django_db
def test_a_question_that_is_not_part_of_the_attempt_is_refused(student):
    quiz = QuizFactory(questions=1)
    attempt = attempt_start(quiz=quiz, student=student)
    stranger = QuestionFactory()
    with pytest.raises(AttemptRefused, match="not part of this attempt"):
        response_record(
            attempt=attempt,
            question=stranger,
            choices=list(stranger.choices.all()),
            answer=SubmittedAnswer(choice_ids=frozenset({stranger.choices.first().pk})),
        )
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_choice_of_another_question_is_refused_with_a_message(student_client, student):
    quiz = QuizFactory(questions=2)
    attempt = attempt_start(quiz=quiz, student=student)
    other_questions_choice = right_choice(attempt, 2)

    response = student_client.post(answer_url(attempt, 1), {"choice": other_questions_choice.pk}, **HTMX)

    assert response.status_code == 422
    assert "not one of this question" in response.content.decode()
    assert not Response.objects.exists()


# ---------------------------------------------------------------- finished and expired attempts


@pytest.mark.django_db
def test_an_answer_after_the_attempt_is_finished_is_refused_with_a_message(student_client, student):
    quiz = QuizFactory(questions=2)
    attempt = attempt_start(quiz=quiz, student=student)
    student_client.post(reverse("attempt_submit", args=[attempt.public_id]))

    for headers in ({}, HTMX):
        response = student_client.post(answer_url(attempt, 1), {"choice": right_choice(attempt, 1).pk}, **headers)
        assert response.status_code == 409
        assert "This attempt is finished" in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_an_empty_answer_after_the_attempt_is_finished_gets_the_finished_message(student_client, student):
    quiz = QuizFactory(questions=2)
    attempt = attempt_start(quiz=quiz, student=student)
    attempt_finish(attempt=attempt)

    response = student_client.post(answer_url(attempt, 1), {}, **HTMX)

    assert response.status_code == 409
    assert "This attempt is finished" in response.content.decode()


@pytest.mark.django_db
def test_an_answer_after_the_deadline_is_refused_and_the_attempt_finished_with_what_was_answered(
    student_client, student
):
    quiz = QuizFactory(questions=3, time_limit_minutes=5)
    attempt = attempt_start(quiz=quiz, student=student)
    student_client.post(answer_url(attempt, 1), {"choice": right_choice(attempt, 1).pk})
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=now - timedelta(minutes=6), deadline=now - timedelta(minutes=1)
    )

    late = student_client.post(answer_url(attempt, 2), {"choice": right_choice(attempt, 2).pk}, **HTMX)

    assert late.status_code == 409
    assert "Time is up" in late.content.decode()
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert attempt.finished_at == attempt.deadline
    assert attempt.score == Decimal("1")
    assert Response.objects.filter(attempt=attempt).count() == 1


@pytest.mark.django_db
def test_opening_an_expired_attempt_finishes_it_and_shows_the_results(student_client, student):
    quiz = QuizFactory(questions=3, time_limit_minutes=5)
    attempt = attempt_start(quiz=quiz, student=student)
    student_client.post(answer_url(attempt, 1), {"choice": right_choice(attempt, 1).pk})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    response = student_client.get(reverse("attempt_question", args=[attempt.public_id]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("attempt_results", args=[attempt.public_id])
    assert "Time is up" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == Decimal("1") and attempt.answered_count == 1


@pytest.mark.django_db
def test_an_answer_after_the_quiz_closed_is_refused_and_the_attempt_finished(student_client, student):
    quiz = QuizFactory(questions=2)
    attempt = attempt_start(quiz=quiz, student=student)
    type(quiz).objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    response = student_client.post(answer_url(attempt, 1), {"choice": right_choice(attempt, 1).pk}, **HTMX)

    assert response.status_code == 409
    assert "closed" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_time_limit_never_runs_past_the_quiz_closing_time(student):
    closes_at = timezone.now() + timedelta(minutes=10)
    quiz = QuizFactory(questions=1, time_limit_minutes=30, closes_at=closes_at)
    attempt = attempt_start(quiz=quiz, student=student)
    assert attempt.deadline == closes_at


# ---------------------------------------------------------------- attempts allowed, open and close dates


@pytest.mark.django_db
def test_starting_beyond_the_attempts_allowed_is_refused_with_a_message(student_client, student):
    quiz = QuizFactory(questions=1, attempts_allowed=2)
    for _ in range(2):
        attempt_finish(attempt=attempt_start(quiz=quiz, student=student))

    response = student_client.post(reverse("quiz_start", args=[quiz.slug]), follow=True)

    assert "You have used all 2 attempts allowed" in response.content.decode()
    assert Attempt.objects.filter(quiz=quiz, student=student).count() == 2


@pytest.mark.django_db
def test_a_deleted_attempt_does_not_block_the_next_one(student):
    quiz = QuizFactory(questions=1)
    first = attempt_finish(attempt=attempt_start(quiz=quiz, student=student))
    attempt_finish(attempt=attempt_start(quiz=quiz, student=student))
    first.delete()

    third = attempt_start(quiz=quiz, student=student)

    assert third.number == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "window, message",
    [
        ({"opens_at": timedelta(hours=1)}, "not open"),
        ({"closes_at": -timedelta(hours=1), "opens_at": -timedelta(hours=2)}, "not open"),
    ],
)
def test_a_quiz_outside_its_open_dates_cannot_be_started(student_client, student, window, message):
    now = timezone.now()
    quiz = QuizFactory(questions=1, **{field: now + offset for field, offset in window.items()})

    response = student_client.post(reverse("quiz_start", args=[quiz.slug]), follow=True)

    assert message in response.content.decode()
    assert not Attempt.objects.exists()


@pytest.mark.django_db
def test_resuming_an_attempt_after_the_quiz_closed_finishes_it_instead(student):
    quiz = QuizFactory(questions=2)
    attempt = attempt_start(quiz=quiz, student=student)
    type(quiz).objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    quiz.refresh_from_db()

    with pytest.raises(AttemptRefused, match="not open"):
        attempt_start(quiz=quiz, student=student)
    attempt.refresh_from_db()
    assert attempt.is_finished


# ---------------------------------------------------------------- nothing lost


@pytest.mark.django_db(transaction=True)
def test_an_acknowledged_answer_is_committed_before_the_response(student):
    quiz = QuizFactory(questions=2)
    attempt = attempt_start(quiz=quiz, student=student)
    client = logged_in_client(student)

    acknowledged = client.post(answer_url(attempt, 1), {"choice": right_choice(attempt, 1).pk}, **HTMX)
    assert acknowledged.status_code == 200

    # Another connection (another worker, or the server after a restart) sees it at once.
    def count_from_another_connection():
        return Response.objects.filter(attempt_id=attempt.pk).count()

    assert run_at_once(count_from_another_connection) == [1]
    assert not connection.in_atomic_block


# ---------------------------------------------------------------- real concurrency


@pytest.mark.django_db(transaction=True)
def test_a_double_click_from_many_tabs_at_once_stores_one_response(student):
    quiz = QuizFactory(questions=3)
    attempt = attempt_start(quiz=quiz, student=student)
    choices = shown_choices(attempt, 1)
    clients = [logged_in_client(student) for _ in range(6)]

    def post_from(client, choice):
        return lambda: client.post(answer_url(attempt, 1), {"choice": choice.pk}, **HTMX)

    replies = run_at_once(*(post_from(client, choices[i % 2]) for i, client in enumerate(clients)))

    assert [reply.status_code for reply in replies] == [200] * 6
    recorded = Response.objects.get(attempt=attempt)
    verdict = "Correct" if recorded.is_correct else "Wrong"
    # Every tab, the losers included, shows the one answer that was recorded.
    assert all(verdict in reply.content.decode() for reply in replies)
    attempt.refresh_from_db()
    assert attempt.answered_count == 1
    assert attempt.score == recomputed_score(attempt) == recorded.points_awarded


@pytest.mark.django_db(transaction=True)
def test_two_tabs_pressing_start_at_once_get_one_attempt(student):
    quiz = QuizFactory(questions=2, attempts_allowed=1)
    clients = [logged_in_client(student) for _ in range(4)]

    replies = run_at_once(*(lambda c=c: c.post(reverse("quiz_start", args=[quiz.slug])) for c in clients))

    attempt = Attempt.objects.get(quiz=quiz, student=student)
    assert {reply["Location"] for reply in replies} == {reverse("attempt_question", args=[attempt.public_id])}


@pytest.mark.django_db(transaction=True)
def test_the_last_two_questions_answered_at_once_finish_the_attempt_once_with_both_points(student):
    quiz = QuizFactory(questions=2)
    attempt = attempt_start(quiz=quiz, student=student)
    clients = [logged_in_client(student) for _ in range(2)]

    replies = run_at_once(
        *(
            lambda c=c, p=p: c.post(answer_url(attempt, p), {"choice": right_choice(attempt, p).pk}, **HTMX)
            for c, p in zip(clients, (1, 2), strict=True)
        )
    )

    assert [reply.status_code for reply in replies] == [200, 200]
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert attempt.answered_count == 2
    assert attempt.score == recomputed_score(attempt) == Decimal("2")


@pytest.mark.django_db(transaction=True)
def test_submitting_while_an_answer_is_being_saved_keeps_the_score_equal_to_the_responses(student):
    """The answer's transaction has updated the attempt but not committed when "Submit" arrives.

    The submit must wait for it and count its points, or refuse it; it must never
    settle a score that leaves out a response the database keeps.
    """
    quiz = QuizFactory(questions=3)
    attempt = attempt_start(quiz=quiz, student=student)
    question = Question.objects.get(pk=attempt.question_ids[0])
    choices = shown_choices(attempt, 1)
    attempt_updated = threading.Event()

    def hold_after_attempt_update(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith('UPDATE "QUIZ_ATTEMPT"'):
            attempt_updated.set()
            # Long enough for the submit to read the responses and queue behind our row lock.
            threading.Event().wait(0.5)
        return result

    def answer():
        mine = Attempt.objects.select_related("quiz").get(pk=attempt.pk)
        with connection.execute_wrapper(hold_after_attempt_update):
            try:
                return response_record(
                    attempt=mine,
                    question=question,
                    choices=choices,
                    answer=SubmittedAnswer(choice_ids=frozenset({right_choice(attempt, 1).pk})),
                )
            except AttemptRefused:
                return None

    def submit():
        assert attempt_updated.wait(10)
        mine = Attempt.objects.select_related("quiz").get(pk=attempt.pk)
        return attempt_finish(attempt=mine)

    run_at_once(answer, submit)

    attempt.refresh_from_db()
    assert attempt.is_finished
    assert attempt.score == recomputed_score(attempt)
    assert attempt.answered_count == Response.objects.filter(attempt=attempt).count()


@pytest.mark.django_db(transaction=True)
def test_many_students_answering_whole_quizzes_at_once_keep_exact_scores():
    quiz = QuizFactory(questions=4, feedback_mode=FeedbackMode.AT_END)
    students = UserFactory.create_batch(6)
    attempts = [attempt_start(quiz=quiz, student=student) for student in students]

    def take(student, attempt):
        def run():
            client = logged_in_client(student)
            for position in range(1, 5):
                choice = right_choice(attempt, position) if position % 2 else wrong_choice(attempt, position)
                for _ in range(2):  # every answer sent twice, as an impatient double click
                    reply = client.post(answer_url(attempt, position), {"choice": choice.pk}, **HTMX)
                    assert reply.status_code == 200, reply.content
            close_old_connections()

        return run

    run_at_once(*(take(student, attempt) for student, attempt in zip(students, attempts, strict=True)))

    for attempt in Attempt.objects.filter(quiz=quiz):
        assert attempt.is_finished
        assert attempt.answered_count == 4
        assert Response.objects.filter(attempt=attempt).count() == 4
        assert attempt.score == recomputed_score(attempt) == Decimal("2")


# ---------------------------------------------------------------- no answer key before answering


@pytest.fixture
def marked_quiz(db):
    """One question of each kind whose answer key, feedback and explanation carry findable marks."""
    from content.models import Passage

    questions = [
        QuestionFactory(kind=kind, explanation="EXPLANATION-MARK", choices=choices)
        for kind, choices in [
            ("single", [("Pick A", True), ("Pick B", False), ("Pick C", False)]),
            ("multiple", [("Tick A", True), ("Tick B", True), ("Tick C", False)]),
            ("true_false", None),
        ]
    ]
    questions.append(QuestionFactory(numeric=True, numeric_answer=Decimal("917.3"), explanation="EXPLANATION-MARK"))
    questions.append(QuestionFactory(short_text=True, accepted_answers=["zanzibarite"], explanation="EXPLANATION-MARK"))
    for question in questions:
        question.choices.update(feedback="FEEDBACK-MARK")
    assert Passage.objects.filter(text__contains=questions[0].quote).exists()
    return questions


ANSWER_KEY_MARKS = [
    "FEEDBACK-MARK",
    "EXPLANATION-MARK",
    "917.3",
    "zanzibarite",
    "Right answer",
    "is-correct",
    "<blockquote",
]


def assert_no_answer_key(html: str, where: str) -> None:
    for mark in ANSWER_KEY_MARKS:
        assert mark not in html, f"{mark!r} shown on {where}"


@pytest.mark.django_db
@pytest.mark.parametrize("feedback_mode", [FeedbackMode.IMMEDIATE, FeedbackMode.AT_END])
def test_the_answer_key_never_reaches_the_browser_before_the_student_answers(
    student_client, student, marked_quiz, feedback_mode
):
    # Review as a practice quiz has it: the key shows on the results page right after the attempt
    # (tests/test_review_options.py holds it back for graded quizzes).
    quiz = QuizFactory(
        questions=marked_quiz,
        feedback_mode=feedback_mode,
        review_key=ReviewMoment.AFTER_ATTEMPT,
        review_feedback=ReviewMoment.AFTER_ATTEMPT,
    )
    attempt = attempt_start(quiz=quiz, student=student)
    for position in range(1, len(marked_quiz) + 1):
        url = answer_url(attempt, position)
        question_url = reverse("attempt_question", args=[attempt.public_id])
        for where, response in [
            ("next question page", student_client.get(question_url)),
            ("next question fragment", student_client.get(question_url, **HTMX)),
            ("question page", student_client.get(url)),
            ("question fragment", student_client.get(url, **HTMX)),
            ("refused answer fragment", student_client.post(url, {}, **HTMX)),
            ("refused answer page", student_client.post(url, {})),
            ("quiz page", student_client.get(reverse("quiz_detail", args=[quiz.slug]))),
            (
                "results before the end",
                student_client.get(reverse("attempt_results", args=[attempt.public_id]), follow=True),
            ),
        ]:
            assert_no_answer_key(response.content.decode(), f"{where} of question {position}")
        question = Question.objects.get(pk=attempt.question_ids[position - 1])
        body = (
            {"answer": "1"}
            if not question.has_choices
            else (
                {"choices": [shown_choices(attempt, position)[0].pk]}
                if question.kind == "multiple"
                else {"choice": shown_choices(attempt, position)[0].pk}
            )
        )
        answered = student_client.post(url, body, **HTMX).content.decode()
        if feedback_mode == FeedbackMode.IMMEDIATE:
            assert "EXPLANATION-MARK" in answered  # the marks are real: they show once answered
        else:
            assert_no_answer_key(answered, f"saved answer of question {position}")
    results = student_client.get(reverse("attempt_results", args=[attempt.public_id])).content.decode()
    assert "EXPLANATION-MARK" in results and "917.3" in results and "zanzibarite" in results

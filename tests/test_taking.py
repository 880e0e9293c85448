"""A student takes a quiz: start, one question per screen, feedback, results, progress."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from quiz.forms import MAX_TEXT_ANSWER
from quiz.models import Attempt, Question, Quiz, Response, ReviewMoment
from quiz.scoring import MAX_NUMERIC_INPUT
from tests.conftest import HTMX
from tests.factories import AttemptFactory, QuestionFactory, QuizFactory, UserFactory


def answer_url(attempt, position):
    return reverse("attempt_answer", args=[attempt.public_id, position])


def right_answer_data(question: Question) -> dict:
    if question.kind == "multiple":
        return {"choices": [str(c.pk) for c in question.choices.filter(is_correct=True)]}
    if question.has_choices:
        return {"choice": str(question.choices.get(is_correct=True).pk)}
    if question.kind == "numeric":
        return {"answer": f"{question.numeric_answer.normalize():f}"}
    return {"answer": question.accepted_answers[0]}


def wrong_answer_data(question: Question) -> dict:
    if question.has_choices:
        wrong = question.choices.filter(is_correct=False).first()
        return {"choices" if question.kind == "multiple" else "choice": str(wrong.pk)}
    return {"answer": "12345" if question.kind == "numeric" else "Reykjavik"}


@pytest.fixture
def quiz(db):
    return QuizFactory(
        questions=[
            QuestionFactory(),
            QuestionFactory(kind="multiple"),
            QuestionFactory(numeric=True),
            QuestionFactory(short_text=True),
            QuestionFactory(kind="true_false"),
        ]
    )


@pytest.fixture
def attempt(quiz, student):
    return AttemptFactory(quiz=quiz, student=student)


# --- home and quiz pages -------------------------------------------------------


def test_home_lists_published_quizzes_only(client, quiz):
    hidden = QuizFactory(is_published=False, title="Draft quiz")
    page = client.get("/")
    assert quiz.title in page.content.decode()
    assert hidden.title not in page.content.decode()


def test_home_shows_my_attempts_and_best_score(student_client, quiz, student):
    AttemptFactory(quiz=quiz, student=student, score=Decimal("3"), finished_at="2026-01-01T10:00Z")
    page = student_client.get("/").content.decode()
    assert "1 attempt" in page
    # Five one-point questions: 3 points is 60%, said as a percentage with the points beside it.
    assert "best score <strong>60%</strong> (3 of 5 points)" in page


def test_home_says_so_when_there_are_no_quizzes(client, db):
    assert "No quizzes yet" in client.get("/").content.decode()


def test_unpublished_quiz_page_is_404(client, db):
    draft = QuizFactory(is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_anonymous_visitor_is_asked_to_log_in_to_start(client, quiz):
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert "Log in to start" in page
    response = client.post(reverse("quiz_start", args=[quiz.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Attempt.objects.count() == 0


# --- starting and resuming ----------------------------------------------------


def test_starting_creates_an_attempt_with_a_snapshot_of_the_order(student_client, quiz, student):
    response = student_client.post(reverse("quiz_start", args=[quiz.slug]))
    attempt = Attempt.objects.get(student=student)
    assert response["Location"] == reverse("attempt_question", args=[attempt.public_id])
    assert sorted(attempt.question_ids) == sorted(quiz.questions.values_list("pk", flat=True))
    assert attempt.max_score == 5
    for question in quiz.questions.filter(kind__in=["single", "multiple", "true_false"]):
        assert sorted(attempt.choice_order[str(question.pk)]) == sorted(question.choices.values_list("pk", flat=True))


def test_starting_again_resumes_the_attempt_in_progress(student_client, quiz, student):
    student_client.post(reverse("quiz_start", args=[quiz.slug]))
    student_client.post(reverse("quiz_start", args=[quiz.slug]))
    assert Attempt.objects.filter(student=student).count() == 1


def test_shuffled_quiz_keeps_its_order_for_the_whole_attempt(student_client, loaded_bank, student):
    quiz = Quiz.objects.get(slug="whole-article")
    student_client.post(reverse("quiz_start", args=[quiz.slug]))
    attempt = Attempt.objects.get(student=student)
    heading = re.compile(r'<h1 id="question-heading"[^>]*>(.*?)</h1>', re.S)
    choices = re.compile(r'name="choices?"\s+value="(\d+)"')
    first = student_client.get(answer_url(attempt, 1)).content.decode()
    again = student_client.get(answer_url(attempt, 1)).content.decode()
    assert heading.search(first).group(1) == heading.search(again).group(1)
    assert choices.findall(first) == choices.findall(again)
    in_bank_order = list(quiz.quiz_questions.order_by("position").values_list("question_id", flat=True))
    assert attempt.question_ids != in_bank_order  # 27! orders: equal only by a vanishing chance


def test_unpublished_questions_are_left_out_of_new_attempts(student_client, quiz, student):
    hidden = quiz.questions.first()
    hidden.is_published = False
    hidden.save()
    student_client.post(reverse("quiz_start", args=[quiz.slug]))
    assert hidden.pk not in Attempt.objects.get(student=student).question_ids


# --- one question per screen ----------------------------------------------------


def test_question_page_shows_progress_and_the_form_but_no_answer_key(student_client, attempt):
    page = student_client.get(reverse("attempt_question", args=[attempt.public_id]))
    html = page.content.decode()
    question = Question.objects.get(pk=attempt.question_ids[0])
    assert page.status_code == 200
    assert "Question 1 of 5" in html
    assert question.prompt in html
    assert f'action="{answer_url(attempt, 1)}"' in html and f'hx-post="{answer_url(attempt, 1)}"' in html
    for choice in question.choices.all():
        assert choice.feedback not in html
    assert question.explanation not in html
    assert question.quote not in html


def test_question_fragment_is_the_panel_only_after_its_title(student_client, attempt):
    fragment = student_client.get(reverse("attempt_question", args=[attempt.public_id]), **HTMX)
    html = fragment.content.decode()
    # htmx moves a <title> at the fragment's root into document.title.
    title, panel = re.match(r"\s*<title>(.*?)</title>\s*(.*)", html, re.S).groups()
    assert title == f"Question 1 of 5 · {attempt.quiz.title} · Source Quiz"
    assert panel.startswith('<section id="question-panel"')
    assert "<html" not in html
    assert fragment["HX-Push-Url"] == answer_url(attempt, 1)


# --- answering: htmx and plain forms --------------------------------------------


def test_answer_with_htmx_swaps_in_cited_feedback(student_client, attempt):
    question = Question.objects.get(pk=attempt.question_ids[0])
    fragment = student_client.post(answer_url(attempt, 1), right_answer_data(question), **HTMX)
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert re.sub(r"^\s*<title>.*?</title>\s*", "", html).startswith('<section id="question-panel"')
    assert "Correct" in html
    assert question.explanation in html
    assert question.quote in html
    address, _, anchor = question.citation_url().partition("#")
    # The citation, with the way back to this question for the reader.
    back = f"&back={answer_url(attempt, 1).replace('/', '%2F')}&back_label=question+1#{anchor}"
    assert (address + back).replace("&", "&amp;") in html
    for choice in question.choices.all():
        assert choice.feedback in html
    # Replaced, not pushed: one history entry per question, not its form and its feedback.
    assert fragment["HX-Replace-Url"] == answer_url(attempt, 1)
    assert "HX-Push-Url" not in fragment
    assert "Next question" in html


def test_answer_without_javascript_redirects_to_the_feedback_page(student_client, attempt):
    question = Question.objects.get(pk=attempt.question_ids[0])
    response = student_client.post(answer_url(attempt, 1), wrong_answer_data(question))
    assert response.status_code == 302 and response["Location"] == answer_url(attempt, 1)
    page = student_client.get(response["Location"]).content.decode()
    assert "Wrong" in page
    assert question.correct_answer_display() in page
    assert "<html" in page


def test_refreshing_or_resubmitting_never_records_an_answer_twice(student_client, attempt):
    question = Question.objects.get(pk=attempt.question_ids[0])
    student_client.post(answer_url(attempt, 1), wrong_answer_data(question))
    again = student_client.post(answer_url(attempt, 1), right_answer_data(question), **HTMX)
    assert again.status_code == 200
    assert "Wrong" in again.content.decode()  # the recorded answer stands
    assert Response.objects.filter(attempt=attempt).count() == 1
    attempt.refresh_from_db()
    assert attempt.score == 0 and attempt.answered_count == 1


def test_empty_answer_gets_a_clear_message_and_stores_nothing(student_client, attempt):
    fragment = student_client.post(answer_url(attempt, 1), {}, **HTMX)
    assert fragment.status_code == 422
    assert "Pick one answer." in fragment.content.decode()
    assert not Response.objects.exists()


def test_a_choice_of_another_question_is_refused(student_client, attempt):
    other = QuestionFactory()
    fragment = student_client.post(answer_url(attempt, 1), {"choice": other.choices.first().pk}, **HTMX)
    assert fragment.status_code == 422
    assert "not one of this question" in fragment.content.decode()
    assert not Response.objects.exists()


def test_a_number_that_is_not_one_gets_a_clear_message(student_client, attempt):
    position = next(i for i, pk in enumerate(attempt.question_ids, 1) if Question.objects.get(pk=pk).kind == "numeric")
    fragment = student_client.post(answer_url(attempt, position), {"answer": "a lot"}, **HTMX)
    assert fragment.status_code == 422
    assert "Type a number" in fragment.content.decode()
    assert 'value="a lot"' in fragment.content.decode()


def test_a_question_number_outside_the_attempt_is_404(student_client, attempt):
    assert student_client.get(answer_url(attempt, 6)).status_code == 404
    assert student_client.post(answer_url(attempt, 0), {"choice": "1"}).status_code == 404


def test_student_cannot_open_or_answer_another_students_attempt(client, attempt, other_student):
    client.force_login(other_student)
    assert client.get(reverse("attempt_question", args=[attempt.public_id])).status_code == 404
    question = Question.objects.get(pk=attempt.question_ids[0])
    assert client.post(answer_url(attempt, 1), right_answer_data(question)).status_code == 404
    assert client.get(reverse("attempt_results", args=[attempt.public_id])).status_code == 404
    assert not Response.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in_from_an_attempt(client, attempt):
    response = client.get(reverse("attempt_question", args=[attempt.public_id]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- a whole quiz, results and progress ---------------------------------------------


def test_whole_quiz_ends_on_results_with_score_and_review(student_client, attempt):
    # A practice quiz: explanations right after the attempt (tests/test_review_options.py has the others).
    Quiz.objects.filter(pk=attempt.quiz_id).update(review_feedback=ReviewMoment.AFTER_ATTEMPT)
    for position, question_id in enumerate(attempt.question_ids, start=1):
        question = Question.objects.get(pk=question_id)
        data = right_answer_data(question) if position != 2 else wrong_answer_data(question)
        assert student_client.post(answer_url(attempt, position), data, **HTMX).status_code == 200
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert attempt.score == 4 and attempt.max_score == 5 and attempt.percent == 80

    last = student_client.get(answer_url(attempt, 5)).content.decode()
    assert "See your results" in last
    next_after_last = student_client.get(reverse("attempt_question", args=[attempt.public_id]), **HTMX)
    assert next_after_last["HX-Redirect"] == reverse("attempt_results", args=[attempt.public_id])

    results = student_client.get(reverse("attempt_results", args=[attempt.public_id])).content.decode()
    assert "80%" in results and "Passed" in results
    for question in Question.objects.filter(pk__in=attempt.question_ids):
        assert escape(question.prompt) in results
        assert escape(question.explanation) in results

    progress = student_client.get(reverse("my_progress")).content.decode()
    assert attempt.quiz.title in progress and "(80%)" in progress


def test_results_are_withheld_until_the_attempt_is_finished(student_client, attempt):
    response = student_client.get(reverse("attempt_results", args=[attempt.public_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("attempt_question", args=[attempt.public_id])


def test_submitting_early_scores_unanswered_questions_zero(student_client, attempt):
    question = Question.objects.get(pk=attempt.question_ids[0])
    student_client.post(answer_url(attempt, 1), right_answer_data(question))
    student_client.post(reverse("attempt_submit", args=[attempt.public_id]))
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == 1
    results = student_client.get(reverse("attempt_results", args=[attempt.public_id])).content.decode()
    assert results.count("Not answered") == 4


def test_answers_after_the_attempt_is_finished_are_refused(student_client, attempt):
    student_client.post(reverse("attempt_submit", args=[attempt.public_id]))
    question = Question.objects.get(pk=attempt.question_ids[0])
    response = student_client.post(answer_url(attempt, 1), right_answer_data(question), **HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "finished" in html
    # Nothing left to fill in: the panel leads to the results instead.
    assert "answer-form" not in html
    assert reverse("attempt_results", args=[attempt.public_id]) in html
    assert not Response.objects.exists()


def test_results_keep_what_was_asked_after_the_question_is_edited(student_client, attempt):
    question = Question.objects.get(pk=attempt.question_ids[0])
    student_client.post(answer_url(attempt, 1), right_answer_data(question))
    original_prompt = question.prompt
    question.prompt = "A reworded prompt"
    question.save()
    student_client.post(reverse("attempt_submit", args=[attempt.public_id]))
    results = student_client.get(reverse("attempt_results", args=[attempt.public_id])).content.decode()
    assert original_prompt in results


def test_feedback_at_the_end_hides_correctness_until_results(student_client, student):
    quiz = QuizFactory(questions=2, feedback_mode="at_end")
    attempt = AttemptFactory(quiz=quiz, student=student)
    question = Question.objects.get(pk=attempt.question_ids[0])
    html = student_client.post(answer_url(attempt, 1), right_answer_data(question), **HTMX).content.decode()
    assert "Answer saved" in html
    assert "Correct" not in html and question.explanation not in html


# --- query counts --------------------------------------------------------------


@pytest.mark.parametrize("question_count", [3, 30])
def test_answer_view_runs_a_bounded_number_of_queries(db, client, django_assert_num_queries, question_count):
    student = UserFactory()
    attempt = AttemptFactory(quiz=QuizFactory(questions=question_count), student=student)
    client.force_login(student)
    question = Question.objects.get(pk=attempt.question_ids[0])
    data = right_answer_data(question)
    client.get(answer_url(attempt, 1), **HTMX)  # the question page puts the question in the bank cache
    # session, user, attempt+bank stamp, savepoint, insert response, update attempt,
    # release savepoint: the quiz, the question and its choices come from the cache, and no SELECT
    # looks for an earlier answer (the unique constraint does)
    with django_assert_num_queries(7):
        response = client.post(answer_url(attempt, 1), data, **HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize("question_count", [3, 30])
def test_question_view_runs_a_bounded_number_of_queries(db, client, django_assert_num_queries, question_count):
    student = UserFactory()
    attempt = AttemptFactory(quiz=QuizFactory(questions=question_count), student=student)
    client.force_login(student)
    url = reverse("attempt_question", args=[attempt.public_id])
    # session, user, attempt+bank stamp, then (not cached yet) its quiz, answered question ids,
    # question+passage+source, its choices
    with django_assert_num_queries(7):
        client.get(url, **HTMX)
    # the same, with the quiz, the question and its choices from the bank cache
    with django_assert_num_queries(4):
        response = client.get(url, **HTMX)
    assert response.status_code == 200


def test_results_view_query_count_does_not_grow_with_quiz_length(db, client, django_assert_max_num_queries):
    student = UserFactory()
    attempt = AttemptFactory(quiz=QuizFactory(questions=25), student=student)
    client.force_login(student)
    for position, question_id in enumerate(attempt.question_ids[:20], start=1):
        client.post(answer_url(attempt, position), right_answer_data(Question.objects.get(pk=question_id)))
    client.post(reverse("attempt_submit", args=[attempt.public_id]))
    # session, user, attempt+quiz, the student's attempts (for the review options), responses,
    # unanswered questions+passages, their choices, and the navigation's count of practice cards due
    with django_assert_max_num_queries(8):
        assert client.get(reverse("attempt_results", args=[attempt.public_id])).status_code == 200


@pytest.mark.parametrize(("trait", "limit"), [("numeric", MAX_NUMERIC_INPUT), ("short_text", MAX_TEXT_ANSWER)])
def test_the_answer_box_allows_as_many_characters_as_the_form_accepts(student_client, student, trait, limit):
    attempt = AttemptFactory(quiz=QuizFactory(questions=[QuestionFactory(**{trait: True})]), student=student)
    html = student_client.get(answer_url(attempt, 1)).content.decode()
    assert f'maxlength="{limit}"' in html

"""Teachers judging typed answers: near misses on the statistics page, accepting one, setting a mark by hand."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from quiz.admin.regrade import regrade_plan
from quiz.models import Assignment, Question, RegradeLog, Response, SubmittedAnswer
from quiz.services import attempt_start, response_record
from tests.conftest import logged_in_client
from tests.factories import ClassroomFactory, QuestionFactory, QuizFactory, TeacherFactory, UserFactory

TYPED = ["Dmitry", "dmitry ", "Dmitry", "Medvedev", "Grigorenko", "Dmitry"]


def answer(quiz, student, texts: dict) -> None:
    """``student`` answers ``quiz``'s questions with the typed ``texts`` (question → text)."""
    attempt = attempt_start(quiz=quiz, student=student)
    for question_id in attempt.question_ids:
        question = Question.objects.select_related("passage__source").get(pk=question_id)
        response_record(attempt=attempt, question=question, choices=[], answer=SubmittedAnswer(text=texts[question]))


@pytest.fixture
def overseer(teacher):
    return QuestionFactory(
        key="overseer",
        kind="short_text",
        prompt="Who oversees the new AI centre? (The surname is enough.)",
        accepted_answers=["Grigorenko"],
        author=teacher,
    )


@pytest.fixture
def gpus(teacher):
    return QuestionFactory(
        key="gpus", numeric=True, numeric_answer=Decimal(9000), numeric_unit="GPUs", prompt="How many GPUs?"
    )


@pytest.fixture
def typed_quiz(overseer, gpus):
    return QuizFactory(questions=[overseer, gpus], slug="typed", shuffle_questions=False)


@pytest.fixture
def answered_class(teacher, typed_quiz, overseer, gpus):
    classroom = ClassroomFactory(teacher=teacher, name="Room 4")
    Assignment.objects.create(classroom=classroom, quiz=typed_quiz)
    for number, text in enumerate(TYPED):
        student = UserFactory(username=f"s{number}")
        classroom.students.add(student)
        answer(typed_quiz, student, {overseer: text, gpus: "9" if number < 4 else "9000"})
    return classroom


def stats_page(client, quiz):
    return client.get(reverse("quiz_statistics", args=[quiz.slug]))


# ---------------------------------------------------------------- near misses on the statistics page


def test_statistics_list_the_most_frequent_wrong_typed_answers_per_question(
    teacher_client, answered_class, typed_quiz, overseer, gpus
):
    page = stats_page(teacher_client, typed_quiz)
    rows = {row.question: row for row in page.context["report"].questions}
    assert [(miss.answer, miss.times) for miss in rows[overseer].near_misses] == [("Dmitry", 4), ("Medvedev", 1)]
    assert [(miss.answer, miss.times) for miss in rows[gpus].near_misses] == [("9", 4)]
    html = page.content.decode()
    assert "Wrong typed answers" in html
    assert html.count("Accept this answer") == 2  # short text only: a number's range is edited in the admin
    assert "Edit the accepted range" in html


def test_near_misses_cost_one_query_whatever_the_number_of_answers(
    teacher_client, answered_class, typed_quiz, overseer, gpus, django_assert_num_queries
):
    # session, user, Teachers group check, quiz, the teacher's classes with it; what the report
    # depends on: bank stamp, the analysed attempts (count, last, total), the quiz's questions, its
    # last regrade; then the report: quiz questions, their choices, attempts per total, responses
    # per (question, mark, total, choices picked), answer times per question, and the ranked wrong
    # typed answers (near misses); last, for this viewer, which typed questions' keys they may change
    with django_assert_num_queries(16):
        stats_page(teacher_client, typed_quiz)
    for number in range(6, 16):
        student = UserFactory(username=f"s{number}")
        answered_class.students.add(student)
        answer(typed_quiz, student, {overseer: f"Guess {number}", gpus: str(number)})
    with django_assert_num_queries(16):
        page = stats_page(teacher_client, typed_quiz)
    rows = {row.question: row for row in page.context["report"].questions}
    assert len(rows[overseer].near_misses) == 5
    # Nothing changed since: the near misses come from the cached report with the rest (the viewer's
    # right to accept them is asked each time, one query).
    with django_assert_num_queries(10):
        again = stats_page(teacher_client, typed_quiz)
    cached = {row.question: row for row in again.context["report"].questions}
    assert cached[overseer].near_misses[0].answer == "Dmitry"


# ---------------------------------------------------------------- accepting a near miss


def accept(client, question, typed, back="/teach/"):
    return client.post(reverse("accept_typed_answer", args=[question.pk]), {"answer": typed, "next": back})


def test_the_author_accepts_a_near_miss_and_regrades_their_students(
    teacher, teacher_client, answered_class, typed_quiz, overseer
):
    response = accept(teacher_client, overseer, "Dmitry")
    regrade_url = reverse("admin:quiz_question_regrade") + f"?ids={overseer.pk}"
    assert response.status_code == 302 and response.url == regrade_url
    overseer.refresh_from_db()
    assert overseer.accepted_answers == ["Grigorenko", "Dmitry"]
    preview = teacher_client.get(regrade_url)
    assert preview.status_code == 200
    assert len(preview.context["plan"]) == 4  # the four "Dmitry"s would now score
    teacher_client.post(reverse("admin:quiz_question_regrade"), {"ids": str(overseer.pk), "confirm": "yes"})
    assert Response.objects.filter(question=overseer, is_correct=True).count() == 5
    assert RegradeLog.objects.filter(question=overseer, regraded_by=teacher).count() == 4


def test_an_answer_already_accepted_changes_nothing(teacher_client, answered_class, overseer):
    response = accept(teacher_client, overseer, "grigorenko")
    assert response.status_code == 302 and response.url == "/teach/"
    overseer.refresh_from_db()
    assert overseer.accepted_answers == ["Grigorenko"]


def test_an_empty_answer_to_accept_is_refused_with_a_sentence(teacher_client, overseer):
    response = accept(teacher_client, overseer, "   ")
    assert response.status_code == 422
    assert "Choose the answer to accept." in response.content.decode()


def test_only_the_questions_author_or_a_superuser_may_accept_answers(
    answered_class, typed_quiz, overseer, superuser_client
):
    colleague = TeacherFactory(username="colleague")
    their_class = ClassroomFactory(teacher=colleague)
    Assignment.objects.create(classroom=their_class, quiz=typed_quiz)
    their_class.students.add(answered_class.students.first())
    client = logged_in_client(colleague)
    page = stats_page(client, typed_quiz).content.decode()
    assert "Accept this answer" not in page
    assert "Only the question's author can accept answers" in page
    refused = accept(client, overseer, "Dmitry")
    assert refused.status_code == 403
    assert escape("Only the question's author can change the answers it accepts") in refused.content.decode()
    overseer.refresh_from_db()
    assert overseer.accepted_answers == ["Grigorenko"]
    assert accept(superuser_client, overseer, "Dmitry").status_code == 302
    overseer.refresh_from_db()
    assert overseer.accepted_answers == ["Grigorenko", "Dmitry"]


def test_a_student_or_visitor_cannot_accept_answers(student_client, overseer):
    assert accept(Client(), overseer, "Dmitry").status_code == 302  # to the log-in page
    assert accept(student_client, overseer, "Dmitry").status_code == 403
    overseer.refresh_from_db()
    assert overseer.accepted_answers == ["Grigorenko"]


# ---------------------------------------------------------------- a mark set by hand


def mark_url(classroom, response):
    return reverse("response_mark", args=[classroom.pk, response.attempt.student_id, response.pk])


def test_a_teacher_sets_one_answers_mark_with_a_comment_logged_like_a_regrade(
    teacher, teacher_client, answered_class, overseer
):
    response = Response.objects.get(question=overseer, attempt__student__username="s3")  # "Medvedev"
    score_before = response.attempt.score
    assert teacher_client.get(mark_url(answered_class, response)).status_code == 200
    done = teacher_client.post(
        mark_url(answered_class, response), {"points": "0.5", "comment": "Right idea, wrong man"}
    )
    assert done.status_code == 302
    response.refresh_from_db()
    response.attempt.refresh_from_db()
    assert (response.points_awarded, response.fraction, response.is_correct) == (Decimal("0.5"), Decimal("0.5"), False)
    assert response.grading_note == "Mark set by your teacher: Right idea, wrong man"
    assert response.attempt.score == score_before + Decimal("0.5")
    log = RegradeLog.objects.get(attempt=response.attempt)
    assert (log.old_score, log.new_score, log.regraded_by, log.reason) == (
        score_before,
        score_before + Decimal("0.5"),
        teacher,
        "Mark set by hand: Right idea, wrong man",
    )
    student_page = logged_in_client(response.attempt.student).get(
        reverse("attempt_results", args=[response.attempt.public_id])
    )
    assert "Mark set by your teacher: Right idea, wrong man" in student_page.content.decode()


def test_a_regrade_leaves_a_mark_set_by_hand_alone(teacher, teacher_client, answered_class, overseer):
    response = Response.objects.get(question=overseer, attempt__student__username="s3")
    teacher_client.post(mark_url(answered_class, response), {"points": "1", "comment": "Accepting this one"})
    overseer.accepted_answers = ["Dmitry"]  # the key changes: "Medvedev" is still wrong by it
    overseer.save()
    changed = {
        change.response.pk
        for attempt in regrade_plan(Question.objects.filter(pk=overseer.pk))
        for change in attempt.changes
    }
    assert response.pk not in changed


@pytest.mark.parametrize(
    "data, sentence",
    [
        ({"points": "2", "comment": "Generous"}, "This question is worth 1 point(s) at most."),
        ({"points": "-1", "comment": "Harsh"}, "Points cannot be negative."),
        ({"points": "1", "comment": ""}, "Say why, in a few words: the student reads it with the mark."),
        ({"points": "lots", "comment": "Hm"}, "Enter a number."),
    ],
)
def test_a_mark_out_of_range_or_without_a_comment_is_refused_with_a_sentence(
    teacher_client, answered_class, overseer, data, sentence
):
    response = Response.objects.get(question=overseer, attempt__student__username="s3")
    page = teacher_client.post(mark_url(answered_class, response), data)
    assert page.status_code == 422
    assert escape(sentence) in page.content.decode()
    response.refresh_from_db()
    assert response.points_awarded == 0 and not RegradeLog.objects.exists()


def test_another_teacher_cannot_set_a_mark_of_a_student_not_theirs(answered_class, overseer):
    response = Response.objects.get(question=overseer, attempt__student__username="s3")
    colleague = TeacherFactory(username="colleague")
    their_class = ClassroomFactory(teacher=colleague)
    client = logged_in_client(colleague)
    assert client.post(mark_url(answered_class, response), {"points": "1", "comment": "x"}).status_code == 404
    # Even through their own class's id, a student who is not in it is a 404.
    url = reverse("response_mark", args=[their_class.pk, response.attempt.student_id, response.pk])
    assert client.post(url, {"points": "1", "comment": "x"}).status_code == 404
    response.refresh_from_db()
    assert response.points_awarded == 0


def test_a_mark_set_by_hand_on_a_finished_attempt_is_announced_like_a_regrade(
    teacher_client, answered_class, overseer, django_capture_on_commit_callbacks
):
    from quiz.signals import attempt_graded

    heard = []

    def listen(sender, attempt, **kwargs):
        heard.append(attempt.pk)

    attempt_graded.connect(listen)
    try:
        response = Response.objects.get(question=overseer, attempt__student__username="s3")
        assert response.attempt.is_finished
        with django_capture_on_commit_callbacks(execute=True):
            teacher_client.post(mark_url(answered_class, response), {"points": "1", "comment": "Fair enough"})
    finally:
        attempt_graded.disconnect(listen)
    assert heard == [response.attempt_id]


def test_the_author_cannot_change_what_another_teachers_class_is_graded_on(
    answered_class, typed_quiz, overseer, teacher_client
):
    """Accepting a near miss changes the answer key: the ownership rule holds here as in the admin."""
    colleague = TeacherFactory(username="colleague")
    their_class = ClassroomFactory(teacher=colleague)
    Assignment.objects.create(classroom=their_class, quiz=typed_quiz)

    page = stats_page(teacher_client, typed_quiz).content.decode()
    refused = accept(teacher_client, overseer, "Dmitry")

    assert "Accept this answer" not in page
    assert refused.status_code == 403
    overseer.refresh_from_db()
    assert overseer.accepted_answers == ["Grigorenko"]

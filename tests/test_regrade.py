"""Regrading after a teacher fixes an answer key: shown first, applied on confirmation, logged."""

from decimal import Decimal

import pytest
from django.urls import reverse

from quiz.admin.regrade import regrade_apply, regrade_plan
from quiz.models import Choice, Question, QuestionKind, RegradeLog, SubmittedAnswer
from quiz.services import attempt_start, response_record
from tests.conftest import MODEL_BACKEND
from tests.factories import ClassroomFactory, QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db

REGRADE_URL = reverse("admin:quiz_question_regrade")


def answer(attempt, question, *, picks=(), text=""):
    choices = list(question.choices.order_by("position"))
    chosen = frozenset(choices[i].pk for i in picks)
    response, _ = response_record(
        attempt=attempt, question=question, choices=choices, answer=SubmittedAnswer(choice_ids=chosen, text=text)
    )
    attempt.refresh_from_db()
    return response


@pytest.fixture
def wrong_key(teacher):
    """A two-question quiz whose first question's key marks the wrong choice correct.

    alice picked the truly right choice (scored 0), bob the keyed one (scored 1);
    both got the second question right.
    """
    flawed = QuestionFactory(choices=[("84 percent", False), ("48 percent", True), ("22 percent", False)])
    sound = QuestionFactory()
    quiz = QuizFactory(questions=[flawed, sound])
    attempts = {}
    classroom = ClassroomFactory(teacher=teacher)  # a teacher regrades their own students
    for name, pick in (("alice", 0), ("bob", 1)):
        student = UserFactory(username=name)
        classroom.students.add(student)
        attempt = attempt_start(quiz=quiz, student=student)
        answer(attempt, flawed, picks=[pick])
        answer(attempt, sound, picks=[0])
        attempts[name] = attempt
    return flawed, attempts


def fix_key(question):
    Choice.objects.filter(question=question).update(is_correct=False)
    Choice.objects.filter(question=question, text="84 percent").update(is_correct=True)


def test_plan_shows_which_attempts_change_and_by_how_much(wrong_key):
    flawed, attempts = wrong_key
    assert regrade_plan(Question.objects.filter(pk=flawed.pk)) == []
    fix_key(flawed)
    plan = {change.attempt.student.username: change for change in regrade_plan(Question.objects.filter(pk=flawed.pk))}
    assert (plan["alice"].old_score, plan["alice"].new_score, plan["alice"].delta) == (1, 2, 1)
    assert (plan["bob"].old_score, plan["bob"].new_score, plan["bob"].delta) == (2, 1, -1)
    attempts["alice"].refresh_from_db()
    assert attempts["alice"].score == 1  # a plan changes nothing


def test_apply_updates_scores_and_logs_old_and_new(wrong_key, teacher):
    flawed, attempts = wrong_key
    fix_key(flawed)
    logs = regrade_apply(questions=Question.objects.filter(pk=flawed.pk), by=teacher, reason="Key fixed")
    assert {(log.attempt.student.username, log.old_score, log.new_score) for log in logs} == {
        ("alice", Decimal("1"), Decimal("2")),
        ("bob", Decimal("2"), Decimal("1")),
    }
    assert all(log.regraded_by == teacher and log.reason == "Key fixed" for log in RegradeLog.objects.all())
    alice = attempts["alice"]
    alice.refresh_from_db()
    assert alice.score == 2
    response = alice.responses.get(question=flawed)
    assert response.is_correct and response.points_awarded == 1 and response.fraction == 1
    # What was asked and answered stays; the key shown with it is the corrected one, and the old one is kept.
    shown = response.question_snapshot
    assert [c["text"] for c in shown["choices"]] == ["84 percent", "48 percent", "22 percent"]
    assert shown["correct_answer"] == "84 percent"
    assert shown["key_before_regrade"]["correct_answer"] == "48 percent"
    # A second run finds nothing left to change.
    assert regrade_apply(questions=Question.objects.filter(pk=flawed.pk), by=teacher) == []


def test_multiple_choice_regrade_uses_the_partial_credit_rule(teacher):
    question = QuestionFactory(
        kind=QuestionKind.MULTIPLE, choices=[("A", True), ("B", False), ("C", True), ("D", False)]
    )
    attempt = attempt_start(quiz=QuizFactory(questions=[question]), student=UserFactory())
    answer(attempt, question, picks=[0, 1])  # one hit, one false pick: 1/2 - 1/2 = 0
    assert attempt.score == 0
    Choice.objects.filter(question=question, text="B").update(is_correct=True)  # now A, B, C right; D wrong
    regrade_apply(questions=Question.objects.filter(pk=question.pk), by=teacher)
    attempt.refresh_from_db()
    assert attempt.score == Decimal("0.67")  # 2 hits of 3, no false pick


def test_numeric_regrade_rescored_from_the_text_the_student_typed(teacher):
    question = QuestionFactory(numeric=True)
    attempt = attempt_start(quiz=QuizFactory(questions=[question]), student=UserFactory())
    answer(attempt, question, text="85")
    assert attempt.score == 0
    Question.objects.filter(pk=question.pk).update(numeric_tolerance=Decimal("1"))
    regrade_apply(questions=Question.objects.filter(pk=question.pk), by=teacher)
    attempt.refresh_from_db()
    assert attempt.score == 1


def test_choices_added_after_the_attempt_do_not_count(teacher):
    question = QuestionFactory(kind=QuestionKind.MULTIPLE, choices=[("A", True), ("B", False)])
    attempt = attempt_start(quiz=QuizFactory(questions=[question]), student=UserFactory())
    answer(attempt, question, picks=[0])
    Choice.objects.create(question=question, position=3, text="C", is_correct=True)
    # Were C counted, A alone would be 1 hit of 2 correct: half the points.
    assert regrade_plan(Question.objects.filter(pk=question.pk)) == []


def test_plan_is_three_queries_however_many_answers(wrong_key, django_assert_num_queries):
    flawed, _ = wrong_key
    for _ in range(5):
        attempt = attempt_start(quiz=flawed.quizzes.get(), student=UserFactory())
        answer(attempt, flawed, picks=[0])
    fix_key(flawed)
    # the questions, their choices, the responses with attempt, quiz and student
    with django_assert_num_queries(3):
        assert len(regrade_plan(Question.objects.filter(pk=flawed.pk))) == 7


# ---------------------------------------------------------------- the regrade page


def test_regrade_page_shows_the_changes_without_applying_them(teacher_client, wrong_key):
    flawed, attempts = wrong_key
    fix_key(flawed)
    page = teacher_client.get(REGRADE_URL + f"?ids={flawed.pk}").content.decode()
    assert "2 attempts would change score" in page
    assert "alice" in page and "+1" in page and "-1" in page
    attempts["alice"].refresh_from_db()
    assert attempts["alice"].score == 1 and not RegradeLog.objects.exists()


def test_regrade_without_confirmation_changes_nothing(teacher_client, wrong_key):
    flawed, attempts = wrong_key
    fix_key(flawed)
    response = teacher_client.post(REGRADE_URL, {"ids": str(flawed.pk)}, follow=True)
    assert "Nothing was changed: confirm the regrade to apply it." in response.content.decode()
    assert not RegradeLog.objects.exists()


def test_confirmed_regrade_applies_and_logs(teacher_client, teacher, wrong_key):
    flawed, attempts = wrong_key
    fix_key(flawed)
    response = teacher_client.post(
        REGRADE_URL, {"ids": str(flawed.pk), "confirm": "yes", "reason": "Wrong choice keyed"}, follow=True
    )
    assert "Regraded: 2 attempt(s) changed score" in response.content.decode()
    assert RegradeLog.objects.filter(regraded_by=teacher, reason="Wrong choice keyed").count() == 2
    attempts["bob"].refresh_from_db()
    assert attempts["bob"].score == 1


def test_regrade_action_opens_the_page_for_the_selected_questions(teacher_client, wrong_key):
    flawed, _ = wrong_key
    response = teacher_client.post(
        reverse("admin:quiz_question_changelist"), {"action": "regrade", "_selected_action": [flawed.pk]}
    )
    assert response.status_code == 302 and response["Location"] == f"{REGRADE_URL}?ids={flawed.pk}"


def test_regrade_page_with_no_question_says_what_to_do(teacher_client):
    response = teacher_client.get(REGRADE_URL + "?ids=abc", follow=True)
    assert "Choose the questions to regrade first" in response.content.decode()


def test_regrade_page_is_for_teachers_only(client, student, wrong_key):
    flawed, _ = wrong_key
    url = REGRADE_URL + f"?ids={flawed.pk}"
    assert client.get(url).status_code == 302
    client.force_login(student, backend=MODEL_BACKEND)
    assert client.get(url).status_code == 302
    assert client.post(REGRADE_URL, {"ids": str(flawed.pk), "confirm": "yes"}).status_code == 302
    staff = UserFactory(username="clerk", is_staff=True)
    client.force_login(staff, backend=MODEL_BACKEND)
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 403
    assert not RegradeLog.objects.exists()


def test_regrade_log_is_read_only_for_teachers(teacher_client, teacher, wrong_key):
    flawed, _ = wrong_key
    fix_key(flawed)
    log = regrade_apply(questions=Question.objects.filter(pk=flawed.pk), by=teacher)[0]
    ClassroomFactory(teacher=teacher).students.add(log.attempt.student)
    url = reverse("admin:quiz_regradelog_change", args=[log.pk])
    assert teacher_client.get(url).status_code == 200
    assert teacher_client.post(url, {"new_score": "99"}).status_code == 403
    assert teacher_client.get(reverse("admin:quiz_regradelog_add")).status_code == 403

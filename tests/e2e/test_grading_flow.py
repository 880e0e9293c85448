"""Typed answers in a real browser, as a student writes them and as a teacher judges them.

A student types "100 thousand people", "Yandex Alice" and "Dmitriy Grigorenko" and gets
credit (and "100.000" gets a question back, not a wrong mark); a teacher finds "Mintrud"
among the wrong typed answers on the statistics page, accepts it and regrades.
"""

import re

import pytest
from playwright.sync_api import expect

from quiz.models import Assignment, Question, Quiz, QuizQuestion, RegradeLog, Response, SubmittedAnswer
from quiz.services import attempt_start, response_record
from tests.e2e.steps import PASSWORD, log_in
from tests.factories import ClassroomFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.e2e


def typed_quiz(slug: str, keys: list[str]) -> Quiz:
    quiz = Quiz.objects.create(
        slug=slug, title="Typed answers", is_published=True, shuffle_questions=False, shuffle_choices=False
    )
    for position, key in enumerate(keys, start=1):
        QuizQuestion.objects.create(quiz=quiz, question=Question.objects.get(key=key), position=position)
    return quiz


def test_a_student_gets_credit_for_answers_written_as_people_write_them(
    page, new_context, live_server, bank, screenshot
):
    typed_quiz("typed", ["summary-it-specialists-fled", "alice-assistant-name", "ai-center-overseer"])
    UserFactory(username="student-sam", password=PASSWORD)
    log_in(page, live_server.url, "student-sam")
    page.goto(f"{live_server.url}/quizzes/typed/")
    page.get_by_role("button", name="Start").click()

    answer = page.locator("#answer-input")
    answer.fill("100.000")
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator("#answer-error")).to_contain_text("Did you mean 100,000?")
    expect(answer).to_have_value("100.000")  # kept, to correct rather than retype
    screenshot(page, "grading-number-refused")
    assert not Response.objects.exists()  # an unreadable number is not a wrong answer

    answer.fill("100 thousand people")
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator(".verdict")).to_contain_text("Correct")
    screenshot(page, "grading-100-thousand-people")

    for typed in ("Yandex Alice", "Dmitriy Grigorenko"):
        page.get_by_role("link", name="Next question").click()
        page.locator("#answer-input").fill(typed)
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator(".verdict")).to_contain_text("Correct")
    screenshot(page, "grading-dmitriy-grigorenko")
    assert list(Response.objects.order_by("answered_at").values_list("answer_text", "is_correct")) == [
        ("100 thousand people", True),
        ("Yandex Alice", True),
        ("Dmitriy Grigorenko", True),
    ]


def test_a_teacher_accepts_a_near_miss_from_the_statistics_and_regrades(
    page, new_context, live_server, bank, screenshot
):
    teacher = TeacherFactory(username="teacher-tess", password=PASSWORD)
    question = Question.objects.get(key="labor-ministry")
    question.author = teacher  # only the question's author changes what it accepts
    question.save()
    quiz = typed_quiz("ministries", ["labor-ministry"])
    classroom = ClassroomFactory(name="Year 11 Current Affairs", teacher=teacher)
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    for number, typed in enumerate(["Mintrud", "Mintrud", "mintrud", "Health", "Labour"]):
        student = UserFactory(username=f"student-{number}")
        classroom.students.add(student)
        attempt = attempt_start(quiz=quiz, student=student)
        response_record(attempt=attempt, question=question, choices=[], answer=SubmittedAnswer(text=typed))

    log_in(page, live_server.url, "teacher-tess")
    page.goto(f"{live_server.url}/teach/quizzes/ministries/statistics/")
    near_misses = page.locator(".near-misses")
    expect(near_misses).to_contain_text("Mintrud")
    expect(near_misses.locator("tr", has_text="Mintrud")).to_contain_text("3")
    near_misses.scroll_into_view_if_needed()
    screenshot(page, "grading-near-misses")

    near_misses.get_by_role("button", name=re.compile("Accept this answer.*Mintrud")).click()
    expect(page.locator(".messagelist")).to_contain_text("“Mintrud” is now an accepted answer")
    expect(page.get_by_role("heading", name="3 attempts would change score")).to_be_visible()
    screenshot(page, "grading-accept-regrade-preview")
    page.get_by_label("Reason (kept in the regrade log)").fill("Mintrud is the ministry's own short name")
    page.get_by_label("I have checked the changes above: apply them.").check()
    page.get_by_role("button", name="Regrade 3 attempts").click()
    expect(page.locator(".messagelist")).to_contain_text("Regraded: 3 attempt(s) changed score")

    assert Response.objects.filter(question=question, is_correct=True).count() == 4
    assert RegradeLog.objects.filter(regraded_by=teacher, reason__startswith="Mintrud").count() == 3


def test_a_teacher_sets_one_answers_mark_by_hand_with_a_comment(page, new_context, live_server, bank, screenshot):
    teacher = TeacherFactory(username="teacher-tess", password=PASSWORD)
    quiz = typed_quiz("ministries", ["labor-ministry"])
    classroom = ClassroomFactory(name="Year 11 Current Affairs", teacher=teacher)
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    student = UserFactory(username="student-sam")
    classroom.students.add(student)
    attempt = attempt_start(quiz=quiz, student=student)
    question = Question.objects.get(key="labor-ministry")
    response_record(attempt=attempt, question=question, choices=[], answer=SubmittedAnswer(text="Ministry of Work"))

    log_in(page, live_server.url, "teacher-tess")
    page.goto(f"{live_server.url}/teach/classes/{classroom.pk}/students/{student.pk}/")
    page.get_by_role("link", name=re.compile("Change this mark")).click()
    page.get_by_label(re.compile("Points")).fill("0.5")
    page.get_by_label(re.compile("Comment")).fill("Right idea: the ministry's name is Labour, not Work")
    screenshot(page, "grading-mark-by-hand")
    page.get_by_role("button", name="Save the mark").click()
    expect(page.locator(".messages, .messagelist, [role=status]").first).to_contain_text("Mark changed")
    expect(page.locator(".grading-note")).to_contain_text("Mark set by your teacher: Right idea")
    assert RegradeLog.objects.get(regraded_by=teacher).reason.startswith("Mark set by hand: Right idea")

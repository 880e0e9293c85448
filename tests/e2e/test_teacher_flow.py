"""A teacher's path in a real browser: log into the admin, write a question whose
quote is wrong, read the error, fix it, publish it, put it in a quiz of a class, and
find it in the quiz's statistics once a student has answered it."""

import re

import pytest
from playwright.sync_api import expect

from content.models import Passage
from quiz.models import Assignment, Question, Quiz, QuizQuestion
from tests.e2e.steps import PASSWORD, answer_with_mouse, current_attempt, log_in, plan_answer
from tests.factories import ClassroomFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.e2e

PROMPT = "Who has been tasked with overseeing the new Artificial Intelligence Development Center?"
RIGHT_QUOTE = "Deputy Prime Minister Dmitry Grigorenko has been tasked with overseeing this initiative"
# One letter off, as happens when a quote is typed from memory instead of copied.
WRONG_QUOTE = "Deputy Prime Minister Dmitri Grigorenko has been tasked with overseeing this initiative"
CHOICES = [("Dmitry Grigorenko", True), ("Vladimir Putin", False), ("The central bank's governor", False)]


@pytest.fixture
def spot_check(bank):
    """A teacher, their class with one student, and a two-question quiz assigned to it."""
    teacher = TeacherFactory(username="teacher-tess", password=PASSWORD)
    classroom = ClassroomFactory(name="Year 11 Current Affairs", teacher=teacher)
    classroom.students.add(UserFactory(username="student-sam", password=PASSWORD))
    quiz = Quiz.objects.create(
        slug="spot-check",
        title="Spot check",
        is_published=True,
        shuffle_questions=False,
        shuffle_choices=False,
        owner=teacher,  # hers to change: she adds her new question to it
    )
    for position, key in enumerate(["summary-hardware-import-drop", "summary-it-specialists-fled"], start=1):
        QuizQuestion.objects.create(quiz=quiz, question=Question.objects.get(key=key), position=position)
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    return quiz


def select_in_changelist(page, question: Question, action_label: str) -> None:
    page.get_by_role("checkbox", name=re.compile(re.escape(str(question)[:40]))).check()
    page.locator("select[name=action]").select_option(label=action_label)
    page.locator(".actions button[name=index]").click()


def test_teacher_writes_fixes_publishes_a_question_and_finds_it_in_the_statistics(
    page, new_context, live_server, spot_check
):
    base = live_server.url
    passage = Passage.objects.get(text__contains=RIGHT_QUOTE)

    page.goto(f"{base}/admin/")
    page.get_by_label("Username").fill("teacher-tess")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Questions").first.click()
    page.get_by_role("link", name=re.compile("Add question")).click()

    page.locator("#id_kind").select_option("single")
    page.locator("#id_prompt").fill(PROMPT)
    page.locator("#id_is_published").uncheck()
    page.locator("#id_passage").select_option(str(passage.pk))
    # The chosen passage's text shows under the list, to copy the quote from.
    expect(page.locator(".cited-passage-text")).to_contain_text(RIGHT_QUOTE)
    page.locator("#id_quote").fill(WRONG_QUOTE)
    page.locator("#id_explanation").fill("The article names the Deputy Prime Minister as the one in charge.")
    for index, (text, is_correct) in enumerate(CHOICES):
        page.locator(f"#id_choices-{index}-position").fill(str(index + 1))
        page.locator(f"#id_choices-{index}-text").fill(text)
        page.locator(f"#id_choices-{index}-is_correct").set_checked(is_correct)
    page.get_by_role("button", name="Save", exact=True).click()

    # Refused, with the reason beside the quote, and nothing typed is lost.
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".field-quote .errorlist")).to_contain_text(f"¶{passage.position}")
    expect(page.locator("#id_prompt")).to_have_value(PROMPT)
    expect(page.locator("#id_choices-0-text")).to_have_value(CHOICES[0][0])
    assert not Question.objects.filter(prompt=PROMPT).exists()

    page.locator("#id_quote").fill(RIGHT_QUOTE)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    question = Question.objects.get(prompt=PROMPT)
    assert not question.is_published and question.quote == RIGHT_QUOTE

    page.locator("#searchbar").fill("Grigorenko")
    page.locator("#searchbar").press("Enter")
    select_in_changelist(page, question, "Publish selected questions")
    expect(page.locator(".messagelist")).to_contain_text("Published 1 question(s).")
    select_in_changelist(page, question, "Add selected questions to a quiz…")
    page.get_by_label("Quiz").select_option(label="Spot check")
    page.get_by_role("button", name="Add to the quiz").click()
    expect(page.locator(".messagelist")).to_contain_text("Added 1 question(s) to “Spot check”.")

    # A student of the class takes the quiz, the new question last, and gets it right.
    student_page = new_context().new_page()
    log_in(student_page, base, "student-sam")
    student_page.goto(f"{base}/quizzes/spot-check/")
    student_page.get_by_role("button", name="Start the quiz").click()
    attempt = current_attempt("student-sam", "spot-check")
    assert attempt.question_ids[-1] == question.pk
    for position in range(1, attempt.question_count + 1):
        answer_with_mouse(student_page, plan_answer(attempt, position, right=True))
        expect(student_page.locator("#feedback .verdict")).to_contain_text("Correct")
        if position == attempt.question_count:
            expect(student_page.locator("#feedback .citation")).to_contain_text(RIGHT_QUOTE)
            student_page.get_by_role("link", name="See your results").click()
        else:
            student_page.get_by_role("link", name=re.compile("Next question")).click()
    expect(student_page.locator(".score-number")).to_have_text("100%")

    page.goto(f"{base}/teach/")
    summary = page.locator(".summary-table").get_by_role("row", name=re.compile("Spot check"))
    expect(summary).to_contain_text("1 / 1")
    summary.get_by_role("link", name=re.compile("Statistics")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistics: Spot check")
    row = page.locator(".question-stats tbody tr", has_text=PROMPT[:60])
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("100%")  # facility: everyone got it right
    expect(row.get_by_role("link", name=re.compile("Who has been tasked"))).to_have_attribute(
        "href", re.compile(rf"/admin/quiz/question/{question.pk}/change/")
    )


def test_assigning_a_quiz_on_the_dashboard_moves_the_focus_to_the_news(page, live_server, spot_check):
    log_in(page, live_server.url, "teacher-tess")
    page.goto(f"{live_server.url}/teach/")
    page.locator(".assign-form select[name=quiz]").select_option(label="Talent and the Brain Drain")
    page.get_by_role("button", name="Assign", exact=True).click()
    # The button that had the focus was swapped away: the focus goes to the message.
    news = page.locator("#dashboard").get_by_role("status")
    expect(news).to_contain_text("Assigned “Talent and the Brain Drain”")
    expect(news).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text("Assigned")
    expect(page.locator(".summary-table")).to_contain_text("Talent and the Brain Drain")


def scrolls_sideways(page) -> int:
    """How far the window scrolls sideways: a wide table inside its own scroll box does not count."""
    return page.evaluate(
        "() => { window.scrollTo(10000, window.scrollY); const x = window.scrollX;"
        " window.scrollTo(0, window.scrollY); return x; }"
    )


def test_authoring_pages_fit_a_phone(page, live_server, bank):
    TeacherFactory(username="teacher-tess", password=PASSWORD)
    question = Question.objects.get(key="summary-it-specialists-fled")
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("teacher-tess")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    for path in (
        "/admin/quiz/question/",
        f"/admin/quiz/question/{question.pk}/change/",
        "/admin/quiz/question/import/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert scrolls_sideways(page) == 0, f"{path} scrolls sideways on a phone"

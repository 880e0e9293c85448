"""A student's whole path in a real browser, keyboard only: sign up, join a class,
take its quiz, read the cited passage, finish, see the results and the progress
page; and coming back to an attempt after closing the tab."""

import re

import pytest
from playwright.sync_api import expect

from quiz.models import Assignment, Attempt, Quiz
from tests.e2e.steps import (
    PASSWORD,
    answer_with_keyboard,
    answer_with_mouse,
    current_attempt,
    expect_cited_feedback,
    log_in,
    plan_answer,
    sign_up,
    tab_to,
)
from tests.factories import ClassroomFactory, UserFactory

pytestmark = pytest.mark.e2e

QUIZ_SLUG = "talent-and-brain-drain"
QUIZ_TITLE = "Talent and the Brain Drain"


def start_quiz_with_keyboard(page, base_url=None):
    if base_url:
        page.goto(f"{base_url}/")
        tab_to(page, page.get_by_role("link", name=QUIZ_TITLE))
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ_TITLE)
    tab_to(page, page.get_by_role("button", name=re.compile("Start the quiz|Resume attempt")))
    page.keyboard.press("Enter")
    expect(page.locator("#progress-label")).to_have_text(re.compile(r"Question \d+ of \d+"))


def join_class_with_keyboard(page, code: str) -> None:
    tab_to(page, page.get_by_label("Class code"))
    page.keyboard.press("Control+A")
    page.keyboard.type(code)
    tab_to(page, page.get_by_role("button", name="Join"))
    page.keyboard.press("Enter")


def test_student_signs_up_joins_a_class_and_takes_its_quiz_with_the_keyboard_only(page, live_server, bank):
    base = live_server.url
    classroom = ClassroomFactory(name="Year 11 Current Affairs")
    Assignment.objects.create(classroom=classroom, quiz=Quiz.objects.get(slug=QUIZ_SLUG))
    sign_up(page, base, "keyboard-kim")
    my_classes = page.locator("#my-classes")
    expect(my_classes).to_contain_text("not in a class yet")

    # A mistyped code is refused in words, and the focus goes to the message.
    join_class_with_keyboard(page, "NOPE-2345")
    expect(my_classes.get_by_role("alert")).to_contain_text("No class has this code")
    expect(my_classes.get_by_role("alert")).to_be_focused()
    # Codes are copied from a board: case, spaces and dashes do not matter.
    join_class_with_keyboard(page, f"{classroom.join_code[:4]}-{classroom.join_code[4:]}".lower())
    expect(my_classes.get_by_role("status")).to_contain_text("You joined “Year 11 Current Affairs”")
    expect(my_classes.get_by_role("status")).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text("You joined")
    assert classroom.students.filter(username="keyboard-kim").exists()

    tab_to(page, my_classes.get_by_role("link", name=QUIZ_TITLE))
    page.keyboard.press("Enter")
    start_quiz_with_keyboard(page)
    attempt = current_attempt("keyboard-kim", QUIZ_SLUG)
    total = attempt.question_count
    expected_points = 0
    followed_citation = False

    for position in range(1, total + 1):
        expect(page.locator("#progress-label")).to_have_text(f"Question {position} of {total}")
        expect(page.locator("#question-panel progress")).to_have_attribute("value", str(position))
        # Every third answer wrong on purpose, so both verdicts are seen and scored.
        answer = plan_answer(attempt, position, right=position % 3 != 0)
        expected_points += answer.points
        answer_with_keyboard(page, answer)

        # The feedback replaces the form in place; the focus moves to it and the
        # verdict is read out through the live region.
        expect(page.locator("#feedback")).to_be_focused()
        expect_cited_feedback(page, answer)
        expect(page.locator("#announcer")).to_contain_text("Correct" if answer.right else "Wrong")
        expect(page).to_have_url(re.compile(rf"/attempts/{attempt.public_id}/questions/{position}/$"))

        if not followed_citation and answer.question.kind == "single":
            followed_citation = True
            tab_to(page, page.locator("#feedback").get_by_role("link", name=re.compile("Read it in the source")))
            page.keyboard.press("Enter")
            mark = page.locator("mark#cited-quote")
            expect(mark).to_have_text(answer.question.quote)
            expect(mark).to_be_in_viewport()
            expect(mark).to_be_focused()
            expect(page.locator(f"#p{answer.question.passage.position}")).to_have_class(re.compile("is-cited"))
            expect(page.get_by_role("status")).to_contain_text("highlighted")
            page.go_back()
            expect(page.locator("#feedback")).to_be_visible()

        if position < total:
            tab_to(page, page.get_by_role("link", name=re.compile("Next question")))
            page.keyboard.press("Enter")
            expect(page.locator("#question-heading")).to_be_focused()
        else:
            tab_to(page, page.get_by_role("link", name="See your results"))
            page.keyboard.press("Enter")

    assert followed_citation, "The quiz had no single-choice question to follow a citation from."
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == expected_points

    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".score-number")).to_have_text(f"{attempt.percent}%")
    points = f"{expected_points.normalize():f} of {attempt.max_score.normalize():f} points"
    expect(page.locator(".score-card")).to_contain_text(points)
    expect(page.locator(".review-item")).to_have_count(total)
    expect(page.locator(".review-item .verdict-right")).to_have_count(total - total // 3)

    tab_to(page, page.get_by_role("link", name="My progress").last)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    row = page.get_by_role("row", name=re.compile(QUIZ_TITLE))
    expect(row).to_contain_text(f"({attempt.percent}%)")
    expect(row.get_by_role("link", name=re.compile("Passed|Not passed"))).to_have_attribute(
        "href", f"/attempts/{attempt.public_id}/results/"
    )


def test_a_new_student_sees_friendly_empty_progress(page, live_server, bank):
    sign_up(page, live_server.url, "new-nina")
    page.goto(f"{live_server.url}/me/")
    expect(page.get_by_role("heading", name="No attempts yet")).to_be_visible()
    expect(page.get_by_role("link", name="quizzes page")).to_have_attribute("href", "/")


def test_closing_the_tab_and_coming_back_resumes_the_attempt(page, context, live_server, bank):
    base = live_server.url
    UserFactory(username="resuming-ravi", password=PASSWORD)
    log_in(page, base, "resuming-ravi")
    start_quiz_with_keyboard(page, base)
    attempt = current_attempt("resuming-ravi", QUIZ_SLUG)
    for position in (1, 2):
        answer_with_mouse(page, plan_answer(attempt, position, right=True))
        expect(page.locator("#feedback")).to_be_visible()
        page.get_by_role("link", name=re.compile("Next question")).click()
    expect(page.locator("#progress-label")).to_have_text(f"Question 3 of {attempt.question_count}")
    # Half-typed or half-picked work on question 3 was never sent; only saved answers count.
    page.close()

    page = context.new_page()
    page.goto(f"{base}/")
    card = page.locator(".card", has=page.get_by_role("link", name=QUIZ_TITLE))
    expect(card).to_contain_text("in progress")
    card.get_by_role("link", name=QUIZ_TITLE).click()
    expect(page.get_by_role("row", name=re.compile(f"2 of {attempt.question_count} answered"))).to_be_visible()
    page.get_by_role("button", name="Resume attempt").click()
    expect(page.locator("#progress-label")).to_have_text(f"Question 3 of {attempt.question_count}")
    assert Attempt.objects.filter(student__username="resuming-ravi").count() == 1

    # The answers already given stay given: going to question 1 shows its feedback.
    page.goto(f"{base}/attempts/{attempt.public_id}/questions/1/")
    expect(page.locator("#feedback .verdict")).to_contain_text("Correct")


def test_a_slow_answer_shows_the_loading_indicator_until_the_feedback_arrives(page, live_server, bank):
    base = live_server.url
    UserFactory(username="patient-pat", password=PASSWORD)
    log_in(page, base, "patient-pat")
    start_quiz_with_keyboard(page, base)
    attempt = current_attempt("patient-pat", QUIZ_SLUG)
    indicator = page.locator("#loading")
    expect(indicator).to_be_hidden()

    # Hold the answer's request in the browser, as a slow network would.
    held = []
    page.route(
        re.compile(r"/questions/1/$"),
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    answer_with_mouse(page, plan_answer(attempt, 1, right=True))
    expect(indicator).to_be_visible()
    expect(indicator).to_have_css("opacity", "1")  # faded in after a quarter second
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(20)
    assert held and not attempt.responses.exists()

    held[0].continue_()
    expect(page.locator("#feedback")).to_be_focused()
    expect(indicator).to_be_hidden()
    assert attempt.responses.count() == 1

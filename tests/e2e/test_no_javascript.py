"""The same student path with JavaScript switched off: every form posts and redirects,
every link is a real link, and the reader scrolls to the cited passage by its anchor."""

import re

import pytest
from playwright.sync_api import expect

from quiz.models import Assignment, Attempt, Quiz
from tests.e2e.steps import (
    EMPTY_ANSWER_MESSAGE,
    answer_with_mouse,
    current_attempt,
    expect_cited_feedback,
    log_in,
    plan_answer,
    sign_up,
)
from tests.factories import ClassroomFactory

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(java_script_enabled=False)]

QUIZ_SLUG = "hardware-and-sanctions"
QUIZ_TITLE = "Chips, Sanctions and Smuggling"


def test_whole_quiz_works_without_javascript(page, live_server, bank):
    base = live_server.url
    sign_up(page, base, "no-script-noor")
    # The page's own scripts never ran: htmx would have defined itself.
    assert page.evaluate("() => typeof window.htmx") == "undefined"

    classroom = ClassroomFactory(name="Evening Class")
    Assignment.objects.create(classroom=classroom, quiz=Quiz.objects.get(slug=QUIZ_SLUG))
    page.get_by_label("Class code").fill("WRONG-CODE")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("alert")).to_contain_text("No class has this code")
    page.get_by_label("Class code").fill(classroom.join_code)
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("status")).to_contain_text("You joined “Evening Class”")
    page.locator("#my-classes").get_by_role("link", name=QUIZ_TITLE).click()
    page.get_by_role("button", name="Start the quiz").click()
    attempt = current_attempt("no-script-noor", QUIZ_SLUG)
    total = attempt.question_count

    # An empty answer is refused with a sentence, and nothing is stored.
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_role("alert")).to_have_text(EMPTY_ANSWER_MESSAGE)
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.public_id}/questions/1/$"))
    assert not attempt.responses.exists()

    followed_citation = False
    for position in range(1, total + 1):
        expect(page.locator("#progress-label")).to_have_text(f"Question {position} of {total}")
        answer = plan_answer(attempt, position, right=position % 2 == 1)
        answer_with_mouse(page, answer)
        # Post/redirect/get: the feedback has its own address, safe to refresh.
        expect(page).to_have_url(re.compile(rf"/attempts/{attempt.public_id}/questions/{position}/$"))
        expect_cited_feedback(page, answer)
        if not followed_citation:
            followed_citation = True
            page.reload()
            expect_cited_feedback(page, answer)
            page.locator("#feedback").get_by_role("link", name=re.compile("Read it in the source")).click()
            mark = page.locator("mark#cited-quote")
            expect(mark).to_have_text(answer.question.quote)
            expect(page).to_have_url(re.compile(rf"#p{answer.question.passage.position}$"))
            expect(mark).to_be_in_viewport()
            page.go_back()
        if position < total:
            page.get_by_role("link", name=re.compile("Next question")).click()
        else:
            page.get_by_role("link", name="See your results").click()

    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.answered_count == total
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".score-number")).to_have_text(f"{attempt.percent}%")
    expect(page.locator(".review-item")).to_have_count(total)

    page.get_by_role("link", name="My progress").first.click()
    expect(page.get_by_role("row", name=re.compile(QUIZ_TITLE))).to_contain_text(f"({attempt.percent}%)")

    page.get_by_role("button", name=re.compile("Log out")).click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def start_as_new_student(page, base: str, username: str) -> Attempt:
    sign_up(page, base, username)
    page.goto(f"{base}/quizzes/{QUIZ_SLUG}/")
    page.get_by_role("button", name="Start the quiz").click()
    return current_attempt(username, QUIZ_SLUG)


def test_submitting_early_without_javascript_scores_the_rest_zero(page, live_server, bank):
    attempt = start_as_new_student(page, live_server.url, "early-eli")
    answer_with_mouse(page, plan_answer(attempt, 1, right=True))
    page.get_by_role("link", name="Review and finish").first.click()
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".review-item .verdict", has_text="Not answered")).to_have_count(attempt.question_count - 1)
    assert Attempt.objects.get(pk=attempt.pk).is_finished


def test_teacher_dashboard_filters_and_statistics_work_without_javascript(page, live_server, demo_class):
    base = live_server.url
    log_in(page, base, "teacher", "teach-the-source-2026")
    page.get_by_role("link", name="Teach").click()
    page.locator("#filter-quiz").select_option(label="Talent and the Brain Drain")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"/teach/\?.*quiz=\d+"))
    expect(page.locator(".matrix thead th")).to_have_count(2)  # the student column and the chosen quiz

    page.locator(".summary-table").get_by_role("link", name=re.compile("Statistics")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistics: Talent and the Brain Drain")
    page.locator("#stats-attempts").select_option("all")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"attempts=all"))
    expect(page.get_by_text(re.compile(r"\d+ attempts? analysed \(all"))).to_be_visible()


def test_skip_flag_navigator_and_summary_work_without_javascript(page, live_server, bank):
    attempt = start_as_new_student(page, live_server.url, "no-script-nav")
    page.get_by_role("link", name="Skip for now").click()
    expect(page.locator("#progress-label")).to_have_text(f"Question 2 of {attempt.question_count}")
    page.get_by_role("button", name="Flag for later").click()
    expect(page.get_by_role("button", name="Flagged for later")).to_be_visible()
    navigator = page.get_by_role("navigation", name="Questions")
    navigator.get_by_role("link", name="Question 1, not answered").click()
    expect(page.locator("#progress-label")).to_have_text(f"Question 1 of {attempt.question_count}")
    answer_with_mouse(page, plan_answer(attempt, 1, right=True))
    expect(page.locator("#feedback")).to_be_visible()
    page.get_by_role("link", name="Review and finish").first.click()
    expect(page.locator(".lead")).to_contain_text(f"1 of {attempt.question_count}")
    expect(page.locator(".lead")).to_contain_text("flagged 1")
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")

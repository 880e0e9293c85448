"""Taking a quiz as a browser sees it: Back and Forward, htmx's history restore, the
summary before finishing, a phone's screen, going offline, the timer, drafts, focus."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quiz.models import Attempt, Classroom, Response
from tests.e2e.steps import PASSWORD, answer_with_mouse, current_attempt, log_in, plan_answer
from tests.factories import ClassroomFactory, QuizFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.e2e

QUIZ_SLUG = "talent-and-brain-drain"  # 12 questions of every kind, with long feedback
PHONE = {"width": 360, "height": 740}


def start(page, base: str, slug: str, username: str) -> Attempt:
    UserFactory(username=username, password=PASSWORD)
    log_in(page, base, username)
    page.goto(f"{base}/quizzes/{slug}/")
    page.get_by_role("button", name=re.compile("Start the quiz|Resume attempt")).click()
    expect(page.locator("#progress-label")).to_have_text(re.compile(r"Question 1 of \d+"))
    return current_attempt(username, slug)


def answer_and_next(page, attempt: Attempt, position: int) -> None:
    answer_with_mouse(page, plan_answer(attempt, position, right=True))
    expect(page.locator("#feedback")).to_be_visible()
    page.get_by_role("link", name=re.compile("Next question")).click()
    expect(page.locator("#progress-label")).to_have_text(f"Question {position + 1} of {attempt.question_count}")


def expect_whole_page(page) -> None:
    """Header, navigation and our stylesheet: not a bare fragment."""
    expect(page.locator(".site-header")).to_have_count(1)
    expect(page.locator(".site-header")).to_be_visible()
    assert page.evaluate("() => getComputedStyle(document.body).display") == "flex"  # app.css applied


def expect_question_matches_url(page) -> None:
    match = re.search(r"/questions/(\d+)/$", page.url)
    if match:
        expect(page.locator("#progress-label")).to_have_text(re.compile(rf"^Question {match.group(1)} of"))


def test_back_and_forward_through_a_quiz_always_show_whole_pages(page, live_server, bank):
    attempt = start(page, live_server.url, QUIZ_SLUG, "back-bea")
    for position in (1, 2):
        answer_and_next(page, attempt, position)
    answer_with_mouse(page, plan_answer(attempt, 3, right=False))
    page.get_by_role("link", name="My progress").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    for _ in range(4):
        page.go_back()
        expect_whole_page(page)
        expect_question_matches_url(page)
    for _ in range(4):
        page.go_forward()
        expect_whole_page(page)
        expect_question_matches_url(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")


def test_back_past_htmxs_history_cache_restores_the_whole_right_page(page, live_server, bank):
    attempt = start(page, live_server.url, QUIZ_SLUG, "restore-rai")
    for position in (1, 2, 3):
        answer_and_next(page, attempt, position)
    for expected in (3, 2):
        # As if ten more questions had pushed these pages out of htmx's cache: htmx then
        # asks the server with HX-History-Restore-Request and swaps the answer into <body>.
        page.evaluate("() => sessionStorage.removeItem('htmx-history-cache')")
        with page.expect_request(lambda r: r.headers.get("hx-history-restore-request") == "true"):
            page.go_back()
        expect(page).to_have_url(re.compile(rf"/questions/{expected}/$"))
        expect_whole_page(page)
        expect(page.locator("#progress-label")).to_have_text(f"Question {expected} of {attempt.question_count}")
        expect(page.locator("#feedback")).to_be_visible()


def test_form_errors_in_debug_mode_stay_in_the_page(page, live_server, settings):
    settings.DEBUG = True  # loads django-htmx's debug script, which replaces the page on 400 and 404
    UserFactory(username="debug-dee", password=PASSWORD)
    log_in(page, live_server.url, "debug-dee")
    page.goto(f"{live_server.url}/")
    page.get_by_label("Class code").fill("NOPE-2345")
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#my-classes").get_by_role("alert")).to_contain_text("No class has this code")
    expect_whole_page(page)

    teacher = TeacherFactory(username="debug-dan", password=PASSWORD)
    classroom = ClassroomFactory(teacher=teacher, name="Debug class")
    page.get_by_role("button", name=re.compile("Log out")).click()
    log_in(page, live_server.url, "debug-dan")
    page.goto(f"{live_server.url}/teach/?classroom={classroom.pk}")
    # Set without a change event, which would send the filter form at each field.
    page.get_by_label("Started from").evaluate("input => input.value = '2026-03-02'")
    page.get_by_label("Started until").evaluate("input => input.value = '2026-03-01'")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#dashboard")).to_contain_text("end date is before the start date")
    expect_whole_page(page)
    assert Classroom.objects.count() == 1


def test_finishing_goes_through_a_summary_with_links_back(page, live_server, screenshot):
    quiz = QuizFactory(questions=5, title="Five questions")
    attempt = start(page, live_server.url, quiz.slug, "summary-sam")
    answer_with_mouse(page, plan_answer(attempt, 1, right=True))
    page.get_by_role("link", name=re.compile("Next question")).click()
    page.get_by_role("link", name="Skip for now").click()
    expect(page.locator("#progress-label")).to_have_text("Question 3 of 5")
    page.get_by_role("button", name="Flag for later").click()
    expect(page.get_by_role("button", name="Flagged for later")).to_have_attribute("aria-pressed", "true")
    navigator = page.get_by_role("navigation", name="Questions")
    expect(navigator.get_by_role("link", name="Question 3, not answered, flagged")).to_be_visible()
    expect(navigator.get_by_role("link", name="Question 1, answered")).to_be_visible()
    screenshot(page, "navigator")

    page.get_by_role("link", name="Review and finish").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review and finish")
    expect(page.locator(".lead")).to_contain_text("You have answered 1 of 5 questions and flagged 1")
    screenshot(page, "summary")
    page.get_by_role("link", name="Answer it (question 2)").click()
    expect(page.locator("#progress-label")).to_have_text("Question 2 of 5")
    page.go_back()
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    assert Attempt.objects.get(pk=attempt.pk).is_finished
    assert Attempt.objects.get(pk=attempt.pk).flagged_question_ids == [attempt.question_ids[2]]

    # On paper: no navigation or buttons, and whose results these are.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".actions").first).to_be_hidden()
    expect(page.locator(".print-only")).to_be_visible()
    expect(page.locator(".print-only")).to_contain_text("summary-sam · Five questions, attempt #1")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 3


def test_on_a_phone_the_verdict_comes_into_view_and_next_question_stays_in_reach(page, live_server, bank, screenshot):
    page.set_viewport_size(PHONE)
    attempt = start(page, live_server.url, QUIZ_SLUG, "phone-pia")
    for position in range(1, 7):
        if position == 1:
            screenshot(page, "question")
            page.set_viewport_size(PHONE)
        answer_with_mouse(page, plan_answer(attempt, position, right=position % 2 == 0))
        verdict = page.locator("#verdict")
        expect(verdict).to_be_visible()
        expect(verdict).to_be_in_viewport()
        box = verdict.bounding_box()
        assert 0 <= box["y"] < PHONE["height"] / 2, (position, box)
        next_link = page.get_by_role("link", name=re.compile("Next question"))
        expect(next_link).to_be_in_viewport()
        if position == 2:
            screenshot(page, "feedback")
            page.set_viewport_size(PHONE)
        next_link.click()


def test_offline_the_answer_is_kept_said_to_be_unsent_and_sent_on_reconnecting(page, context, live_server):
    quiz = QuizFactory(questions=3)
    attempt = start(page, live_server.url, quiz.slug, "offline-otto")
    answer = plan_answer(attempt, 1, right=True)
    page.locator(f"input[value='{answer.choice_ids[0]}']").check()
    context.set_offline(True)
    page.get_by_role("button", name="Check answer").click()
    note = page.locator(".offline-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Your answer was not sent")
    expect(page.locator(f"input[value='{answer.choice_ids[0]}']")).to_be_checked()
    expect(page.get_by_role("button", name="Check answer")).to_be_enabled()
    context.set_offline(False)
    expect(page.locator("#verdict")).to_contain_text("Correct")
    assert Response.objects.filter(attempt=attempt).count() == 1


def test_the_timer_warns_at_one_minute_and_at_zero_sends_the_typed_answer_and_finishes(page, live_server):
    quiz = QuizFactory(questions=3, time_limit_minutes=10)
    attempt = start(page, live_server.url, quiz.slug, "timer-tim")
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=62))
    page.reload()
    expect(page.get_by_role("alert").filter(has_text="One minute left")).to_be_visible(timeout=8_000)

    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=4))
    page.reload()
    answer = plan_answer(attempt, 1, right=True)
    page.locator(f"input[value='{answer.choice_ids[0]}']").check()  # picked, never sent
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results", timeout=15_000)
    recorded = Response.objects.get(attempt=attempt)
    assert recorded.selected_choice_ids == answer.choice_ids
    assert Attempt.objects.get(pk=attempt.pk).is_finished


def test_focus_title_history_drafts_and_a_busy_button_while_answering(page, live_server):
    quiz = QuizFactory(questions=3, title="Small quiz")
    attempt = start(page, live_server.url, quiz.slug, "detail-dora")
    # The question has the focus after a full page load: one Tab reaches the first answer.
    expect(page.locator("#question-heading")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#question-panel input[name=choice]").first).to_be_focused()
    assert page.title() == "Question 1 of 3 · Small quiz · Source Quiz"

    # A picked but unsent answer survives a reload.
    first = plan_answer(attempt, 1, right=True)
    page.locator(f"input[value='{first.choice_ids[0]}']").check()
    page.reload()
    expect(page.locator(f"input[value='{first.choice_ids[0]}']")).to_be_checked()

    # While the answer is in flight the button and the choices are disabled.
    page.evaluate(
        """() => document.body.addEventListener('htmx:beforeSend', () => {
            window.busy = [document.querySelector('.answer-form button[type=submit]').matches(':disabled'),
                           document.querySelector('#question-panel fieldset.choices input').matches(':disabled')];
        }, {once: true})"""
    )
    length = page.evaluate("() => history.length")
    page.get_by_role("button", name="Check answer").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#feedback")).to_be_focused()
    assert page.evaluate("() => window.busy") == [True, True]
    # The focus ring on the feedback is the focus colour, not a pale wash.
    assert page.evaluate("() => getComputedStyle(document.querySelector('#feedback')).outlineColor") == (
        "rgb(179, 89, 0)"
    )
    # The feedback replaces its question's history entry; the next question adds one.
    assert page.evaluate("() => history.length") == length
    page.get_by_role("link", name=re.compile("Next question")).click()
    expect(page.locator("#progress-label")).to_have_text("Question 2 of 3")
    assert page.title() == "Question 2 of 3 · Small quiz · Source Quiz"
    assert page.evaluate("() => history.length") == length + 1
    answer_with_mouse(page, plan_answer(attempt, 2, right=True))
    expect(page.locator("#feedback")).to_be_visible()
    assert page.evaluate("() => history.length") == length + 1
    page.go_back()
    expect(page.locator("#progress-label")).to_have_text("Question 1 of 3")


def test_the_gradebook_prints_without_navigation_and_with_whose_it_is(page, live_server, demo_class):
    log_in(page, live_server.url, "teacher", "teach-the-source-2026")
    page.goto(f"{live_server.url}/teach/?classroom={demo_class.pk}")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".filters")).to_be_hidden()
    expect(page.locator(".assign-panel")).to_be_hidden()
    expect(page.locator("#class-heading + .print-only")).to_contain_text("Gradebook · ")
    expect(page.locator(".matrix")).to_be_visible()
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    print(f"gradebook of {demo_class.students.count()} students: {pages} A4 pages")
    assert pages <= 6

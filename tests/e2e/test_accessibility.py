"""axe-core on every main page, in light and dark mode, with screenshots at phone and
desktop widths; the keyboard focus is always visible; errors and results are announced."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    EMPTY_ANSWER_MESSAGE,
    PASSWORD,
    answer_with_mouse,
    current_attempt,
    log_in,
    plan_answer,
    tab_to,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

QUIZ_SLUG = "china-censorship-and-the-state"


@pytest.fixture
def check(page, axe_violations, screenshot):
    """Check the page as it stands with axe, save its screenshots, and note whether it
    fits a 360-pixel phone; collect the findings for one assertion at the end."""
    findings: dict[str, list] = {}

    def run(name: str) -> None:
        findings[name] = axe_violations(page)
        overflow = screenshot(page, name).phone_overflow
        if overflow > 0:
            findings[name].append({"id": "scrolls-sideways-on-a-phone", "pixels": overflow})

    run.findings = findings
    return run


def assert_no_serious_violations(findings: dict[str, list]) -> None:
    failing = {name: problems for name, problems in findings.items() if problems}
    assert not failing, "Serious or critical accessibility problems:\n" + json.dumps(failing, indent=2)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_main_student_pages_have_no_serious_accessibility_violations(page, live_server, bank, check, scheme):
    base = live_server.url
    suffix = "" if scheme == "light" else "-dark"
    page.emulate_media(color_scheme=scheme)

    page.goto(f"{base}/accounts/login/")
    check(f"login{suffix}")
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Username").fill("axe-ada")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password confirmation").fill("different")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".field.has-error").first).to_be_visible()
    check(f"signup-errors{suffix}")

    UserFactory(username="axe-ada", password=PASSWORD)
    log_in(page, base, "axe-ada")
    page.goto(f"{base}/me/")
    check(f"progress-empty{suffix}")
    page.goto(f"{base}/")
    check(f"home{suffix}")
    page.goto(f"{base}/quizzes/{QUIZ_SLUG}/")
    check(f"quiz{suffix}")

    page.get_by_role("button", name="Start the quiz").click()
    attempt = current_attempt("axe-ada", QUIZ_SLUG)
    check(f"question{suffix}")
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(f"question-error{suffix}")

    answer_with_mouse(page, plan_answer(attempt, 1, right=True))
    expect(page.locator("#feedback")).to_be_focused()
    check(f"feedback-right{suffix}")
    page.get_by_role("link", name=re.compile("Next question")).click()
    wrong = plan_answer(attempt, 2, right=False)
    answer_with_mouse(page, wrong)
    expect(page.locator("#feedback .verdict-wrong")).to_be_visible()
    check(f"feedback-wrong{suffix}")

    page.locator("#feedback").get_by_role("link", name=re.compile("Read it in the source")).click()
    expect(page.locator("mark#cited-quote")).to_be_focused()
    check(f"reader{suffix}")
    page.go_back()

    page.get_by_role("link", name="Review and finish").first.click()
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    check(f"results{suffix}")
    page.goto(f"{base}/me/")
    check(f"progress{suffix}")

    assert_no_serious_violations(check.findings)


def test_focus_is_visible_on_everything_the_keyboard_reaches(page, live_server, bank):
    base = live_server.url
    UserFactory(username="focus-fay", password=PASSWORD)
    log_in(page, base, "focus-fay")
    page.goto(f"{base}/quizzes/{QUIZ_SLUG}/")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator("#progress-label")).to_be_visible()
    page.keyboard.press("Tab")
    reached = []
    for _ in range(40):
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
                return {tag: el.tagName, text: (el.innerText || el.value || "").trim().slice(0, 40),
                        visible: ring || style.boxShadow !== "none"};
            }"""
        )
        if focused["tag"] == "BODY" or focused in reached:
            break
        reached.append(focused)
        page.keyboard.press("Tab")
    # the choices' group, the button, skip, the navigator, review and finish
    assert len(reached) >= 6, reached
    assert [item for item in reached if not item["visible"]] == [], reached


def test_the_skip_link_jumps_over_the_navigation(page, live_server, bank):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop is inside the main content, not the navigation.
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_a_refused_answer_moves_the_focus_to_the_message_and_announces_it(page, live_server, bank):
    base = live_server.url
    UserFactory(username="empty-eve", password=PASSWORD)
    log_in(page, base, "empty-eve")
    page.goto(f"{base}/quizzes/{QUIZ_SLUG}/")
    page.get_by_role("button", name="Start the quiz").click()
    tab_to(page, page.get_by_role("button", name="Check answer"))
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(EMPTY_ANSWER_MESSAGE)
    expect(alert).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(alert.inner_text().strip())
    # Still on question 1, nothing stored, the form still there to answer.
    expect(page.locator("#progress-label")).to_have_text(re.compile(r"Question 1 of"))
    assert not current_attempt("empty-eve", QUIZ_SLUG).responses.exists()


def test_the_axe_check_does_catch_a_violation(page, live_server, bank, axe_violations):
    # Guards the harness itself: an empty list must mean "checked and clean", not "not run".
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
            const button = document.createElement("button");
            document.querySelector("main").append(button);  // a button with no name
        }"""
    )
    assert [violation["id"] for violation in axe_violations(page)] == ["button-name"]


def test_teacher_pages_have_no_serious_accessibility_violations(page, live_server, demo_class, check):
    # Both colour schemes in one test: the demo class takes seconds to build.
    base = live_server.url
    log_in(page, base, "teacher", "teach-the-source-2026")
    for scheme, suffix in (("light", ""), ("dark", "-dark")):
        page.emulate_media(color_scheme=scheme)
        page.goto(f"{base}/teach/")
        expect(page.get_by_role("heading", name=demo_class.name)).to_be_visible()
        check(f"dashboard{suffix}")
        page.locator(".summary-table").get_by_role("link", name=re.compile("Statistics")).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Statistics")
        check(f"statistics{suffix}")
        page.go_back()
        page.locator(".matrix tbody th a").first.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check(f"student-detail{suffix}")
    assert_no_serious_violations(check.findings)


def test_an_empty_home_page_is_friendly_and_accessible(page, live_server, check):
    # No bank loaded: a fresh site, before any teacher has published a quiz.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="No quizzes yet")).to_be_visible()
    check("home-empty")
    assert_no_serious_violations(check.findings)

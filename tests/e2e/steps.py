"""What a person does in the browser, step by step, shared by the browser tests.

Answers are looked up in the database the live server reads, so a test can answer a
shuffled quiz right or wrong on purpose, the way a student who read (or skimmed)
the article would.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from playwright.sync_api import Locator, Page, expect

from quiz.models import Attempt, Question

PASSWORD = "a-long-and-unusual-passphrase-42"
MAX_TABS = 80
# What the answer form says when sent empty, whatever the kind of question.
EMPTY_ANSWER_MESSAGE = re.compile(r"Pick one answer|Tick at least one|Type (a number|your answer)")


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Press Tab until ``target`` has the focus, proving it is reachable by keyboard alone."""
    handle = target.element_handle()
    for _ in range(MAX_TABS):
        if page.evaluate("element => document.activeElement === element", handle):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{target} never received the focus after {MAX_TABS} presses of Tab.")


def sign_up(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name=re.compile("Log out"))).to_be_visible()


def log_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=re.compile("Log out"))).to_be_visible()


def current_attempt(username: str, quiz_slug: str) -> Attempt:
    return Attempt.objects.get(student__username=username, quiz__slug=quiz_slug, finished_at__isnull=True)


@dataclass
class Answer:
    """One answer to give: choice ids to pick, or text to type."""

    question: Question
    right: bool
    choice_ids: list[int]
    text: str = ""

    @property
    def points(self) -> Decimal:
        return Decimal(self.question.points) if self.right else Decimal(0)


def plan_answer(attempt: Attempt, position: int, *, right: bool) -> Answer:
    question = Question.objects.prefetch_related("choices").get(pk=attempt.question_ids[position - 1])
    choices = list(question.choices.all())
    if question.has_choices:
        # A wrong answer is one wrong pick and no right one: no partial credit, whatever the kind.
        picked = [c.pk for c in choices if c.is_correct] if right else [next(c.pk for c in choices if not c.is_correct)]
        return Answer(question, right, picked)
    if question.kind == "numeric":
        text = f"{question.numeric_answer.normalize():f}" if right else "987654321"
    else:
        text = question.accepted_answers[0] if right else "Reykjavik"
    return Answer(question, right, [], text)


def answer_with_keyboard(page: Page, answer: Answer) -> None:
    """Give ``answer`` with Tab, the arrow keys, Space and Enter only."""
    form = page.locator("#question-panel form.answer-form")
    if answer.question.kind == "multiple":
        for pk in answer.choice_ids:
            tab_to(page, form.locator(f"input[value='{pk}']"))
            page.keyboard.press("Space")
    elif answer.question.has_choices:
        radios = form.locator("input[name=choice]")
        values = [int(value) for value in radios.evaluate_all("inputs => inputs.map(i => i.value)")]
        # Tab lands on the group's first radio; the arrow keys move and select.
        tab_to(page, radios.first)
        steps = values.index(answer.choice_ids[0])
        if steps == 0:
            page.keyboard.press("Space")
        for _ in range(steps):
            page.keyboard.press("ArrowDown")
        expect(form.locator(f"input[value='{answer.choice_ids[0]}']")).to_be_checked()
    else:
        tab_to(page, form.locator("#answer-input"))
        page.keyboard.type(answer.text)
    tab_to(page, form.get_by_role("button", name="Check answer"))
    page.keyboard.press("Enter")


def answer_with_mouse(page: Page, answer: Answer) -> None:
    form = page.locator("#question-panel form.answer-form")
    if answer.question.has_choices:
        for pk in answer.choice_ids:
            form.locator(f"input[value='{pk}']").check()
    else:
        form.locator("#answer-input").fill(answer.text)
    form.get_by_role("button", name="Check answer").click()


def expect_cited_feedback(page: Page, answer: Answer) -> None:
    """The verdict in words (not colour alone), the explanation, and the quote with its link."""
    feedback = page.locator("#feedback")
    verdict = feedback.locator(".verdict")
    expect(verdict).to_contain_text("Correct" if answer.right else "Wrong")
    expect(verdict.locator("[aria-hidden=true]")).to_have_text("✓" if answer.right else "✗")
    expect(feedback.locator(".explanation")).to_contain_text(answer.question.explanation[:60])
    expect(feedback.locator(".citation blockquote")).to_contain_text(answer.question.quote)
    link = feedback.get_by_role("link", name=re.compile("Read it in the source"))
    anchor = f"#p{answer.question.passage.position}"
    expect(link).to_have_attribute("href", re.compile(rf"^/sources/[\w-]+/\?quote=.+{anchor}$"))

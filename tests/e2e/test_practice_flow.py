"""Practice in a real browser: take a quiz and miss five questions, see them due a day later
(the demo clock), practise them with cited feedback, and watch recall per passage change."""

import re

import pytest
from playwright.sync_api import expect

from practice import services
from practice.models import Card
from quiz.models import Question
from tests.e2e.steps import Answer, answer_with_mouse, current_attempt, expect_cited_feedback, plan_answer, sign_up

pytestmark = pytest.mark.e2e

QUIZ_SLUG = "talent-and-brain-drain"
MISSED = 5


def answer_for(question: Question) -> Answer:
    """The right answer to a practice card's question, whatever order its choices are shown in."""
    choices = list(question.choices.all())
    if question.has_choices:
        return Answer(question, True, [c.pk for c in choices if c.is_correct])
    if question.kind == "numeric":
        return Answer(question, True, [], f"{question.numeric_answer.normalize():f}")
    return Answer(question, True, [], question.accepted_answers[0])


def recall_of(page, position: int) -> str:
    row = page.locator("#recall tr", has=page.get_by_role("link", name=f"¶{position}", exact=True))
    return row.locator("td").first.inner_text().strip()


def test_a_student_misses_five_questions_then_practises_them_with_cited_feedback(
    page, live_server, bank, screenshot, axe_violations
):
    base = live_server.url
    sign_up(page, base, "pia")
    page.goto(f"{base}/quizzes/{QUIZ_SLUG}/")
    page.get_by_role("button", name=re.compile("Start the quiz")).click()
    attempt = current_attempt("pia", QUIZ_SLUG)
    missed = []
    for position in range(1, attempt.question_count + 1):
        answer = plan_answer(attempt, position, right=position > MISSED)
        if not answer.right:
            missed.append(answer.question)
        answer_with_mouse(page, answer)
        expect(page.locator("#feedback .verdict")).to_be_visible()
        if position < attempt.question_count:
            page.get_by_role("link", name=re.compile("Next question")).click()
    expect(page.get_by_role("link", name=re.compile("See your results"))).to_be_visible()

    student = attempt.student
    assert Card.objects.filter(student=student).count() == attempt.question_count
    # The demo clock: a day goes by (manage.py practice_clock pia --days 1).
    services.schedule_shift(student=student, days=1)
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name=f"{MISSED} questions to review")).to_be_visible()
    assert axe_violations(page) == []
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name=f"{MISSED} to review")).to_be_visible()

    page.goto(f"{base}/me/")
    passage = missed[0].passage.position
    before = recall_of(page, passage)
    assert before != "100%"

    page.get_by_role("navigation", name="Main").get_by_role("link", name=f"{MISSED} to review").click()
    practised = set()
    for number in range(MISSED):
        form = page.locator("#question-panel form.answer-form")
        expect(form).to_be_visible()
        card_id = int(re.search(r"/practice/cards/(\d+)/", form.get_attribute("action")).group(1))
        question = Card.objects.select_related("question__passage").get(pk=card_id).question
        assert question in missed and question.pk not in practised
        practised.add(question.pk)
        if number == 0:
            screenshot(page, "practice-question")
            assert axe_violations(page) == []
        answer = answer_for(question)
        answer_with_mouse(page, answer)
        expect_cited_feedback(page, answer)
        expect(page.locator("#feedback .verdict")).to_contain_text("next review in")
        if number == 0:
            screenshot(page, "practice-feedback")
            assert axe_violations(page) == []
        page.get_by_role("link", name=re.compile("Next card")).click()
    expect(page.get_by_role("heading", name=re.compile("Nothing to review"))).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice")).to_be_visible()

    page.goto(f"{base}/me/")
    after = recall_of(page, passage)
    assert after != before and after.endswith("%")
    page.locator("#recall").scroll_into_view_if_needed()
    assert axe_violations(page) == []
    screenshot(page, "practice-me")


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_practice_works_without_javascript(page, live_server, bank):
    from django.contrib.auth import get_user_model

    from quiz.models import Quiz
    from tests.factories import sit_quiz

    base = live_server.url
    sign_up(page, base, "no-script-nia")
    assert page.evaluate("() => typeof window.htmx") == "undefined"
    student = get_user_model().objects.get(username="no-script-nia")
    sit_quiz(Quiz.objects.get(slug=QUIZ_SLUG), student, [False, False, True], finish=True)
    services.schedule_shift(student=student, days=1)

    page.goto(f"{base}/")
    page.get_by_role("link", name="Review now").click()
    for _ in range(2):
        form = page.locator("#question-panel form.answer-form")
        card_id = int(re.search(r"/practice/cards/(\d+)/", form.get_attribute("action")).group(1))
        answer = answer_for(Card.objects.select_related("question__passage").get(pk=card_id).question)
        answer_with_mouse(page, answer)
        # post/redirect/get: the feedback has its own address, safe to refresh
        expect(page).to_have_url(re.compile(rf"/practice/cards/{card_id}/reviews/2/$"))
        expect_cited_feedback(page, answer)
        page.reload()
        expect_cited_feedback(page, answer)
        page.get_by_role("link", name=re.compile("Next card")).click()
    expect(page.get_by_role("heading", name=re.compile("Nothing to review"))).to_be_visible()

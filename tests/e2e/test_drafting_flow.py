"""A new teacher in a real browser: bring in a news page saved as HTML and a PDF report, fix the
passages, draft, follow the background job, review (accept 10, edit 2, reject 3 with reasons),
make a quiz, assign it to a class; then a student plays it and follows a citation into the new source.
"""

import re
import threading

import pytest
from django.db import connection
from playwright.sync_api import expect

from content.models import Source
from drafting.models import Draft, DraftingJob, JobStatus, ReviewState
from quiz.models import Quiz
from tests.drafting_engines import TEST_ENGINES, database_worker
from tests.e2e.conftest import SCREENSHOT_DIR
from tests.e2e.news_article import NEWS_HTML, report_pdf
from tests.e2e.steps import PASSWORD, answer_with_mouse, current_attempt, expect_cited_feedback, log_in, plan_answer
from tests.factories import ClassroomFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.e2e

REJECT_REASONS = ["Gives the answer away in the stem", "Asks about the byline, not the story", "Too trivial"]


@pytest.fixture
def drafting_class(live_server, settings):
    settings.DRAFTING_ENGINES = TEST_ENGINES
    settings.DRAFTING_ENGINE = "offline"
    settings.DRAFTING_INLINE_PASSAGES = 25  # the article drafts at once; the report goes to the worker
    teacher = TeacherFactory(username="teacher-tess", password=PASSWORD)
    classroom = ClassroomFactory(name="Year 9 Geography", teacher=teacher)
    classroom.students.add(UserFactory(username="student-sam", password=PASSWORD))
    return classroom


def keep_screenshots(screenshot, page, name, axe_check=None):
    """Save the page at both widths (whole pages, and the first screenful as the docs show it) into the
    test output, and check that it fits a phone without scrolling sideways."""
    shots = screenshot(page, name)
    assert shots.phone_overflow <= 0, f"{name} scrolls sideways on a phone"
    if axe_check is not None:
        axe_check(name)
    original = page.viewport_size
    for width_name, size in {"phone": (360, 800), "desktop": (1280, 1000)}.items():
        page.set_viewport_size({"width": size[0], "height": size[1]})
        path = SCREENSHOT_DIR / f"{name}-first-{width_name}.png"
        page.screenshot(path=path, animations="disabled", caret="hide")
    if original:
        page.set_viewport_size(original)


def block(page, text):
    return page.locator("li.block", has_text=text)


def start_worker() -> threading.Thread:
    """One database-backed worker, as `manage.py db_worker` runs it, for one task."""

    def run():
        try:
            database_worker(batch=False, worker_id="browser-test").run()
        finally:
            connection.close()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    return worker


def test_a_new_teacher_turns_a_news_page_and_a_pdf_into_a_cited_quiz_for_a_class(
    page, new_context, live_server, drafting_class, settings, screenshot, axe_violations
):
    base = live_server.url
    findings: dict[str, list] = {}

    def axe_check(name: str) -> None:
        findings[name] = axe_violations(page)

    log_in(page, base, "teacher-tess")

    # 1. The news page, saved from the browser.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sources").click()
    page.get_by_role("link", name="Bring a source in").click()
    keep_screenshots(screenshot, page, "intake-upload", axe_check)
    page.get_by_label("Upload a file").set_input_files(
        {"name": "ferries.html", "mimeType": "text/html", "buffer": NEWS_HTML.encode()}
    )
    page.get_by_role("button", name="Read it and show the passages").click()
    expect(page.get_by_role("heading", name="Check the passages")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Norway's electric ferries cut emissions on busy fjord routes")
    expect(page.get_by_label("Author")).to_have_value("Ingrid Solberg")
    expect(page.get_by_label("Publisher")).to_have_value("Harbour Gazette")
    expect(page.get_by_label("Published on")).to_have_value("2024-05-14")
    expect(page.locator("#blocks")).not_to_contain_text("Injected by a script")
    expect(page.locator("#blocks")).not_to_contain_text("Most read")
    keep_screenshots(screenshot, page, "intake-preview", axe_check)

    # Fix the split: drop the byline, the advert and the photo caption; split a paragraph in two.
    for furniture in ["By Ingrid Solberg", "Advertisement", "Photo: Harbour Gazette"]:
        block(page, furniture).get_by_role("button", name=re.compile("^Drop")).click()
        expect(block(page, furniture)).to_have_class(re.compile("is-dropped"))
    hydrogen = block(page, "The next step is hydrogen.")
    hydrogen.locator("summary").click()
    where = hydrogen.locator("select[name=at] option", has_text="The MF Hydra, which began").get_attribute("value")
    hydrogen.get_by_label("Split before").select_option(where)
    hydrogen.get_by_role("button", name="Split").click()
    expect(block(page, "The next step is hydrogen.").locator(".block-text")).to_have_text("The next step is hydrogen.")
    page.get_by_role("button", name="Save and draft questions").click()

    expect(page.get_by_role("heading", name="Review the drafts")).to_be_visible()
    article = Source.objects.get(title__startswith="Norway's electric ferries")
    assert article.owner.username == "teacher-tess"
    texts = list(article.passages.values_list("text", flat=True))
    assert "Advertisement" not in texts and not any(t.startswith("By Ingrid") for t in texts)
    assert "The next step is hydrogen." in texts
    assert Draft.objects.filter(source=article).count() >= 15

    # 2. The PDF report goes to the background worker, and the page follows it.
    settings.DRAFTING_ENGINE = "paced"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sources").click()
    page.get_by_role("link", name="Bring a source in").click()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "ferry-report.pdf", "mimeType": "application/pdf", "buffer": report_pdf(6)}
    )
    page.get_by_role("button", name="Read it and show the passages").click()
    expect(page.get_by_label("Title")).to_have_value("Battery ferries in numbers")
    worker = start_worker()
    page.get_by_role("button", name="Save and draft questions").click()
    expect(page.get_by_role("heading", name="Drafting questions")).to_be_visible()
    expect(page.locator("#job-status")).to_contain_text(re.compile(r"Drafting: ([4-9]|1\d) of \d+ passages"))
    keep_screenshots(screenshot, page, "drafting-progress", axe_check)
    expect(page.locator("#job-progress")).to_contain_text(re.compile(r"Done: \d+ drafts? to review"), timeout=30_000)
    worker.join(timeout=10)
    report_job = DraftingJob.objects.get(source__title="Battery ferries in numbers")
    assert report_job.status == JobStatus.DONE and report_job.task_id
    assert report_job.passages_done == report_job.passages_total

    # 3. Review the article's drafts: reject 3 with reasons, edit 2, accept 10 (one with the keyboard).
    page.goto(f"{base}/teach/sources/{article.slug}/drafts/")
    keep_screenshots(screenshot, page, "drafting-review", axe_check)
    pending = page.locator("li.draft-pending")
    for reason in REJECT_REASONS:
        card = pending.first
        card.get_by_label(re.compile("Why reject draft")).fill(reason)
        card.get_by_role("button", name=re.compile("^Reject")).click()
        expect(page.locator("li.draft-rejected", has_text=reason)).to_be_visible()
    empty_reason = pending.first
    empty_reason.get_by_role("button", name=re.compile("^Reject")).click()
    expect(empty_reason.get_by_role("alert")).to_contain_text("Say why you reject this draft")

    edited = list(Draft.objects.filter(source=article, state=ReviewState.PENDING).order_by("pk")[:2])
    for number, draft in enumerate(edited, start=1):
        page.locator(f"#draft-{draft.pk}").get_by_role("link", name=re.compile("^Edit")).click()
        prompt = page.locator("#id_prompt")
        prompt.fill(f"Checked by the teacher ({number}): {draft.question.prompt}")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
        page.goto(f"{base}/teach/sources/{article.slug}/drafts/?state=pending")
        expect(page.locator(f"#draft-{draft.pk}")).to_contain_text(f"Checked by the teacher ({number})")
        page.locator(f"#draft-{draft.pk}").get_by_role("button", name=re.compile("^Accept")).click()
        expect(page.locator(f"#draft-{draft.pk}")).to_have_class(re.compile("draft-accepted"))

    page.goto(f"{base}/teach/sources/{article.slug}/drafts/?state=pending")
    first = page.locator("li.draft-pending").first.get_by_role("button", name=re.compile("^Accept"))
    first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#draft-counts")).to_contain_text("Accepted 3")
    page.goto(f"{base}/teach/sources/{article.slug}/drafts/?state=pending")
    for checkbox in page.locator("li.draft-pending input[type=checkbox]").all()[:7]:
        checkbox.check()
    page.get_by_role("button", name="Accept ticked").click()
    expect(page.locator(".messages")).to_contain_text("7 drafts accepted.")
    counts = Draft.objects.filter(source=article).counts_by_state()
    assert (counts[ReviewState.ACCEPTED], counts[ReviewState.REJECTED]) == (10, 3)
    assert set(Draft.objects.filter(state=ReviewState.REJECTED).values_list("reject_reason", flat=True)) == set(
        REJECT_REASONS
    )
    expect(page.get_by_role("heading", name="Acceptance by rule")).to_be_visible()

    # 4. A quiz of the ten accepted drafts, assigned to the class on the dashboard.
    page.get_by_label(re.compile("Make a quiz from the 10 accepted")).fill("Electric ferries")
    page.get_by_role("button", name="Make the quiz").click()
    expect(page.locator(".messages")).to_contain_text("Quiz “Electric ferries” is ready with 10 questions.")
    page.locator(".assign-form select[name=quiz]").select_option(label="Electric ferries")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#dashboard").get_by_role("status")).to_contain_text("Assigned “Electric ferries”")
    quiz = Quiz.objects.get(title="Electric ferries")
    assert quiz.owner.username == "teacher-tess"

    # 5. The student plays it: cited feedback, and the citation opens the new source at the quote.
    student = new_context().new_page()
    log_in(student, base, "student-sam")
    student.get_by_role("link", name="Electric ferries").first.click()
    student.get_by_role("button", name=re.compile("Start the quiz")).click()
    attempt = current_attempt("student-sam", quiz.slug)
    answer = plan_answer(attempt, 1, right=True)
    answer_with_mouse(student, answer)
    expect_cited_feedback(student, answer)
    student.locator("#feedback").get_by_role("link", name=re.compile("Read it in the source")).click()
    expect(student).to_have_url(re.compile(rf"/sources/{article.slug}/\?quote=.+#p{answer.question.passage.position}$"))
    expect(student.locator("#cited-quote")).to_have_text(answer.question.quote)
    assert len(findings) == 4 and not any(findings.values()), findings


def test_with_javascript_off_a_teacher_previews_fixes_saves_and_reviews(browser, live_server, drafting_class):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "teacher-tess")
    page.goto(f"{base}/teach/sources/new/")
    page.get_by_label("Or paste the text").fill(
        "Ferries in numbers\n\nAdvertisement\n\n"
        "Norway runs more than 70 battery-powered car ferries. The first, the Ampere, entered service in 2015.\n\n"
        "Emissions on the converted routes fell by 95 percent, the roads administration estimates.\n"
    )
    page.get_by_role("button", name="Read it and show the passages").click()
    block(page, "Advertisement").get_by_role("button", name=re.compile("^Drop")).click()
    expect(block(page, "Advertisement")).to_have_class(re.compile("is-dropped"))
    page.get_by_role("button", name="Save and draft questions").click()
    expect(page.get_by_role("heading", name="Review the drafts")).to_be_visible()
    cards = page.locator("li.draft-pending")
    first_id = cards.first.get_attribute("id")
    cards.first.get_by_role("button", name=re.compile("^Accept")).click()
    expect(page.locator(f"#{first_id}")).to_have_class(re.compile("draft-accepted"))
    second = page.locator("li.draft-pending").first
    second_id = second.get_attribute("id")
    second.get_by_role("button", name=re.compile("^Reject")).click()
    expect(page.locator(f"#{second_id}").get_by_role("alert")).to_contain_text("Say why you reject this draft")
    page.locator(f"#{second_id}").get_by_label(re.compile("Why reject draft")).fill("Not about the story")
    page.locator(f"#{second_id}").get_by_role("button", name=re.compile("^Reject")).click()
    expect(page.locator(f"#{second_id}")).to_contain_text("Rejected: Not about the story")
    context.close()

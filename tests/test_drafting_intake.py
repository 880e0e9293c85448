"""Bringing a source in: upload or paste, preview and fix the passages, save; nothing is saved on an error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.models import Passage, Source
from drafting.intake import SESSION_KEY
from quiz.models import Question
from tests.conftest import logged_in_client
from tests.documents import make_docx, make_encrypted_pdf, make_pdf
from tests.drafting_engines import TEST_ENGINES
from tests.factories import TeacherFactory
from tests.test_drafting_extraction import NEWS_PAGE

ARTICLE = (
    "Chips under sanctions\n\nTable of Contents\n\n"
    "Russian imports of GPUs have plummeted by 84 percent compared to pre-war levels. "
    "Companies rely on intermediaries.\n\n"
    "Advertisement\n\n"
    "Engineers still train mid-sized models on older chips. The largest projects have stalled.\n\n"
    "Officials expect the shortage to last until 2027.\n"
)


@pytest.fixture(autouse=True)
def small_engines(settings):
    settings.DRAFTING_ENGINES = TEST_ENGINES
    settings.DRAFTING_ENGINE = "quote"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def upload(client, name, data):
    return client.post(reverse("source_new"), {"file": SimpleUploadedFile(name, data)})


def preview_token(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def nothing_saved():
    return not Source.objects.exists() and not Passage.objects.exists() and not Question.objects.exists()


def test_the_intake_pages_are_for_teachers_only(client, student):
    url = reverse("source_new")
    assert client.get(url).status_code == 302  # to the log-in page
    assert logged_in_client(student).get(url).status_code == 403


def test_pasted_text_is_previewed_then_saved_as_the_teachers_source(teacher_client, teacher):
    response = teacher_client.post(reverse("source_new"), {"text": ARTICLE})
    token = preview_token(response)
    assert nothing_saved()
    page = teacher_client.get(reverse("intake_preview", args=[token]))
    assert page.status_code == 200
    assert '<p class="block-text">Table of Contents' not in page.content.decode()  # navigation lines are dropped
    assert '<p class="block-text">Advertisement</p>' in page.content.decode()
    response = teacher_client.post(
        reverse("intake_save", args=[token]), {"title": "Chips under sanctions", "author": "Ada Reporter"}
    )
    source = Source.objects.get()
    assert response.status_code == 302
    assert (source.owner, source.author) == (teacher, "Ada Reporter")
    assert [p.kind for p in source.passages.all()] == ["title", "paragraph", "heading", "paragraph", "paragraph"]
    assert SESSION_KEY not in teacher_client.session or token not in teacher_client.session[SESSION_KEY]


def test_the_teacher_drops_merges_and_splits_blocks_before_saving(teacher_client):
    token = preview_token(teacher_client.post(reverse("source_new"), {"text": ARTICLE}))
    block_url = lambda index: reverse("intake_block", args=[token, index])  # noqa: E731
    # 0 title, 1 paragraph, 2 "Advertisement", 3 paragraph, 4 paragraph
    assert teacher_client.post(block_url(2), {"action": "drop"}).status_code == 302
    assert teacher_client.post(block_url(3), {"action": "merge"}).status_code == 302
    text = "Russian imports of GPUs have plummeted by 84 percent compared to pre-war levels. Companies"
    split_at = len(text) - len("Companies")
    response = teacher_client.post(block_url(1), {"action": "split", "at": split_at}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="blocks"' in response.content.decode()
    teacher_client.post(reverse("intake_save", args=[token]), {"title": "Chips"})
    assert list(Source.objects.get().passages.values_list("kind", "text")) == [
        ("title", "Chips under sanctions"),
        ("paragraph", "Russian imports of GPUs have plummeted by 84 percent compared to pre-war levels."),
        ("paragraph", "Companies rely on intermediaries."),
        (
            "paragraph",
            "Engineers still train mid-sized models on older chips. The largest projects have stalled. "
            "Officials expect the shortage to last until 2027.",
        ),
    ]


def test_a_split_at_a_place_that_is_no_sentence_start_answers_422_with_a_sentence(teacher_client):
    token = preview_token(teacher_client.post(reverse("source_new"), {"text": ARTICLE}))
    response = teacher_client.post(
        reverse("intake_block", args=[token, 1]), {"action": "split", "at": "3"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "Choose one of the listed sentences" in response.content.decode()


def test_an_html_page_is_prefilled_from_its_metadata_and_never_shown_as_html(teacher_client):
    page = NEWS_PAGE.replace(b"<h2>Workarounds</h2>", b"<h2>Workarounds &lt;b&gt;bold&lt;/b&gt;</h2>")
    token = preview_token(upload(teacher_client, "chips.html", page))
    body = teacher_client.get(reverse("intake_preview", args=[token])).content.decode()
    assert 'value="Ada Reporter"' in body
    assert 'value="The Daily Example"' in body
    assert 'value="2025-03-04"' in body
    assert 'value="https://news.example.org/chips"' in body
    assert "Workarounds &lt;b&gt;bold&lt;/b&gt;" in body
    assert "<b>bold</b>" not in body
    assert "tracking" not in body


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", make_pdf([[("heading", "Report"), ("paragraph", "Imports fell by 84 percent last year.")]])),
        ("notes.docx", make_docx([("title", "Notes"), ("paragraph", "Imports fell by 84 percent last year.")])),
        ("notes.md", b"# Notes\n\nImports fell by 84 percent last year.\n"),
    ],
)
def test_each_format_reaches_the_preview(teacher_client, name, data):
    token = preview_token(upload(teacher_client, name, data))
    assert (
        "Imports fell by 84 percent last year."
        in teacher_client.get(reverse("intake_preview", args=[token])).content.decode()
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not a PDF"),
        ("locked.pdf", make_encrypted_pdf(), "protected by a password"),
        ("empty.docx", make_docx([]), "no text to read"),
        ("nothing.txt", b"", "is empty (0 bytes)"),
        ("big.txt", b"word " * (6 * 1024 * 1024 // 5), "the limit is 5 MB"),
        ("app.html", b"<html><body>" + b"<script>alert(1)</script>" * 40 + b"</body></html>", "no article text"),
    ],
)
def test_a_bad_file_gets_a_sentence_and_nothing_is_saved(teacher_client, name, data, message):
    response = upload(teacher_client, name, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert nothing_saved()
    assert not teacher_client.session.get(SESSION_KEY)


def test_a_preview_belongs_to_the_session_that_made_it(teacher_client):
    token = preview_token(teacher_client.post(reverse("source_new"), {"text": ARTICLE}))
    other = logged_in_client(TeacherFactory(username="otto"))
    assert other.get(reverse("intake_preview", args=[token])).status_code == 404
    assert other.post(reverse("intake_save", args=[token]), {"title": "Mine now"}).status_code == 404
    assert nothing_saved()


def test_saving_without_a_title_answers_422_and_saves_nothing(teacher_client):
    token = preview_token(teacher_client.post(reverse("source_new"), {"text": ARTICLE}))
    response = teacher_client.post(reverse("intake_save", args=[token]), {"title": ""})
    assert response.status_code == 422
    assert "Give the source a title." in response.content.decode()
    assert nothing_saved()


def test_save_and_draft_drafts_a_short_source_at_once(teacher_client, teacher):
    token = preview_token(teacher_client.post(reverse("source_new"), {"text": ARTICLE}))
    response = teacher_client.post(reverse("intake_save", args=[token]), {"title": "Chips", "draft": "1"})
    source = Source.objects.get()
    assert response["Location"] == reverse("source_drafts", args=[source.slug])
    questions = Question.objects.filter(passage__source=source)
    assert questions.count() == 6  # two for each of the three paragraphs
    assert not questions.filter(is_published=True).exists()
    assert set(questions.values_list("author", flat=True)) == {teacher.pk}


class ThirdPartyEngine:
    name = "hosted"
    sends_text_to = "api.example-llm.com"


def test_the_intake_pages_say_when_the_text_will_be_sent_to_a_third_party(teacher_client, settings):
    settings.DRAFTING_ENGINES = {"hosted": "tests.test_drafting_intake.ThirdPartyEngine"}
    settings.DRAFTING_ENGINE = "hosted"
    assert "Your text will be sent to api.example-llm.com" in teacher_client.get(reverse("source_new")).content.decode()


def test_the_intake_pages_say_so_when_the_model_engine_is_not_configured(teacher_client, settings, monkeypatch):
    monkeypatch.delenv("DRAFTING_MODEL_BASE_URL", raising=False)
    settings.DRAFTING_ENGINE = "model"
    body = teacher_client.get(reverse("source_new")).content.decode()
    assert "The model engine is not configured" in body
    assert "You can save sources, but not draft questions" in body


def test_the_offline_engine_sends_the_text_nowhere(teacher_client, settings):
    settings.DRAFTING_ENGINE = "offline"
    assert "your text is sent nowhere" in teacher_client.get(reverse("source_new")).content.decode()

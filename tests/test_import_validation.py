"""An import may set only what the admin's forms would accept: every field goes through the models' own validation.

Each refused file names the line at fault, writes nothing, and leaves every page of the site working.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.models import Passage, Source
from quiz.models import Choice, Question, Quiz, QuizQuestion
from tests.conftest import logged_in_client
from tests.factories import PASSAGE_TEXT, QuestionFactory, TeacherFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:quiz_question_import")
MODELS = (Question, Choice, Quiz, QuizQuestion, Source, Passage)


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


def post_bank(client, bank: dict):
    upload = SimpleUploadedFile("bank.json", json.dumps(bank, indent=1).encode())
    return client.post(IMPORT_URL, {"bank": upload, "format": "json"})


def a_source(**overrides) -> dict:
    source = {
        "slug": "notes",
        "title": "Notes",
        "url": "https://example.com/notes",
        "text": PASSAGE_TEXT,
        "passages": [{"position": 1, "kind": "paragraph", "text": PASSAGE_TEXT}],
    }
    return {**source, **overrides}


def a_question(**overrides) -> dict:
    question = {
        "key": "imported-one",
        "kind": "single",
        "prompt": "By how much did imports fall?",
        "explanation": "The text says so.",
        "source": "notes",
        "passage": 1,
        "quote": "plummeted by 84 percent",
        "choices": [{"text": "84 percent", "correct": True}, {"text": "48 percent", "correct": False}],
    }
    return {**question, **overrides}


def a_quiz(**overrides) -> dict:
    return {"slug": "week-1", "title": "Week 1", "questions": ["imported-one"], "published": True, **overrides}


def bank_with(*, source=None, question=None, quiz=None) -> dict:
    return {
        "version": 1,
        "sources": [a_source(**(source or {}))],
        "questions": [a_question(**(question or {}))],
        "quizzes": [a_quiz(**(quiz or {}))],
    }


@pytest.fixture
def importer(db):
    teacher = TeacherFactory(username="imogen")
    return teacher, logged_in_client(teacher)


BAD_FIELDS = [
    # Finding 1: slugs that are not URL-safe broke the home page, the admin and students' answers.
    ({"quiz": {"slug": "week 1 (draft)"}}, "slug"),
    ({"source": {"slug": "notes v2.txt"}, "question": {"source": "notes v2.txt"}}, "slug"),
    # Finding 9: impossible dates, integers beyond the column, URLs beyond their length, NUL bytes.
    ({"source": {"published_on": "2026-02-30"}}, "published_on"),
    ({"source": {"published_on": "last tuesday"}}, "published_on"),
    ({"source": {"passages": [{"position": 2147483648, "kind": "paragraph", "text": PASSAGE_TEXT}]}}, "position"),
    ({"quiz": {"time_limit_minutes": 10**12}}, "time_limit_minutes"),
    ({"source": {"url": "https://example.com/" + "a" * 200}}, "url"),
    ({"question": {"prompt": "By how much\u0000 did imports fall?"}}, "NUL"),
    ({"source": {"title": "Notes\u0000"}}, "NUL"),
    ({"quiz": {"description": "\u0000"}}, "NUL"),
    ({"question": {"unit": "x" * 31, "kind": "numeric", "numeric_answer": 84, "choices": []}}, "unit"),
    # Finding 10: only web addresses, never script.
    ({"source": {"url": "javascript:alert(document.cookie)"}}, "url"),
    ({"source": {"url": "ftp://example.com/notes"}}, "url"),
]


@pytest.mark.parametrize("change, field", BAD_FIELDS, ids=[f"{field}-{i}" for i, (_, field) in enumerate(BAD_FIELDS)])
def test_an_import_the_admin_forms_would_refuse_is_refused_with_its_line_and_writes_nothing(importer, change, field):
    _, client = importer
    before = counts()

    reply = post_bank(client, bank_with(**change))

    assert reply.status_code == 400
    page = reply.content.decode()
    assert "Nothing was imported" in page
    assert "Line " in page
    assert field in page
    assert counts() == before


def test_a_quiz_slug_with_spaces_never_reaches_the_home_page(importer, client):
    _, teacher_client = importer
    post_bank(teacher_client, bank_with(quiz={"slug": "week 1 (draft)"}))

    assert client.get(reverse("home")).status_code == 200
    assert teacher_client.get(reverse("admin:quiz_quiz_changelist")).status_code == 200


def test_a_valid_import_still_goes_through(importer):
    teacher, client = importer

    reply = post_bank(client, bank_with())

    assert reply.status_code == 302
    assert Quiz.objects.get(slug="week-1").owner == teacher
    assert Source.objects.get(slug="notes").owner == teacher


def test_the_importing_teacher_is_the_author_whatever_the_file_says(importer, superuser):
    teacher, client = importer

    post_bank(client, bank_with(question={"author": "root"}))

    assert Question.objects.get(key="imported-one").author == teacher


def test_a_superuser_import_keeps_the_author_the_file_names(superuser):
    author = TeacherFactory(username="writer")
    client = logged_in_client(superuser)

    post_bank(client, bank_with(question={"author": "writer"}))

    assert Question.objects.get(key="imported-one").author == author


def test_a_javascript_url_already_stored_is_not_rendered_as_a_link(client):
    question = QuestionFactory(passage__kind="title")
    Source.objects.filter(pk=question.passage.source_id).update(url="javascript:alert(1)")

    page = client.get(reverse("source_reader", args=[question.passage.source.slug])).content.decode()

    assert "javascript:" not in page


def test_an_http_source_url_is_rendered_as_the_original_link(client):
    question = QuestionFactory(passage__kind="title")
    Source.objects.filter(pk=question.passage.source_id).update(url="https://example.com/original")

    page = client.get(reverse("source_reader", args=[question.passage.source.slug])).content.decode()

    assert 'href="https://example.com/original"' in page

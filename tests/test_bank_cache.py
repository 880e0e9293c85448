"""The question bank cache: questions come from it, and any edit of the bank reaches every page at once."""

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.urls import reverse

from content.models import Passage, Source
from quiz.bank import cache as bank_cache
from quiz.models import BankStamp, Choice, Question, Quiz
from tests.conftest import HTMX
from tests.factories import AttemptFactory, PassageFactory, QuestionFactory, QuizFactory, UserFactory


def current_stamp() -> int | None:
    return BankStamp.objects.filter(pk=1).values_list("stamp", flat=True).first()


@pytest.fixture
def question(db):
    return QuestionFactory(prompt="How far did GPU imports fall?")


@pytest.fixture
def question_page(client, question):
    """A signed-in student's attempt at a one-question quiz, and the URL of its question."""
    student = UserFactory()
    attempt = AttemptFactory(quiz=QuizFactory(questions=[question]), student=student)
    client.force_login(student)
    return reverse("attempt_answer", args=[attempt.public_id, 1])


# --- the stamp moves with every kind of write -------------------------------------------


WRITES = {
    "question saved": lambda q: q.save(),
    "question updated in bulk": lambda q: Question.objects.filter(pk=q.pk).update(prompt="Changed"),
    "question created": lambda q: QuestionFactory(passage=q.passage),
    "question deleted": lambda q: QuestionFactory(passage=q.passage).delete(),
    "choice saved": lambda q: q.choices.first().save(),
    "choice updated with bulk_update": lambda q: Choice.objects.bulk_update(
        [Choice(pk=c.pk, text=c.text + "!") for c in q.choices.all()], ["text"]
    ),
    "choice added in bulk": lambda q: Choice.objects.bulk_create([Choice(question=q, text="Another", position=9)]),
    "choice deleted": lambda q: q.choices.last().delete(),
    "passage edited": lambda q: Passage.objects.filter(pk=q.passage_id).update(text=q.passage.text + " More."),
    "passage added": lambda q: PassageFactory(source=q.passage.source),
    "source renamed": lambda q: Source.objects.filter(pk=q.passage.source_id).update(title="Renamed"),
    "quiz created": lambda q: QuizFactory(),
    "quiz closed in bulk": lambda q: Quiz.objects.update(is_published=False),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_to_the_bank_renews_the_stamp(question, write):
    QuizFactory(questions=[question])
    before = current_stamp()
    write(question)
    assert current_stamp() not in (None, before)


def test_writes_outside_the_bank_leave_the_stamp_alone(client, question, student):
    quiz = QuizFactory(questions=[question])
    before = current_stamp()
    attempt = AttemptFactory(quiz=quiz, student=student)
    client.force_login(student)
    client.post(reverse("attempt_answer", args=[attempt.public_id, 1]), {"choice": str(question.choices.first().pk)})
    assert attempt.responses.count() == 1 and current_stamp() == before


def test_a_rolled_back_edit_leaves_no_stamp_for_a_later_edit_to_reuse(question):
    before = current_stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        question.save()
        rolled_back = current_stamp()
        raise RuntimeError("abandon the edit")
    assert current_stamp() == before
    question.save()
    assert current_stamp() not in (before, rolled_back)


# --- pages read through the cache, and never stale --------------------------------------


def test_question_page_shows_an_edit_made_by_a_queryset_update(client, question, question_page):
    assert "How far did GPU imports fall?" in client.get(question_page, **HTMX).content.decode()
    # No model signal is sent here: only the database sees the edit.
    Question.objects.filter(pk=question.pk).update(prompt="By what share did GPU imports drop?")
    html = client.get(question_page, **HTMX).content.decode()
    assert "By what share did GPU imports drop?" in html and "How far did" not in html


def test_question_page_shows_a_choice_edited_in_bulk(client, question, question_page):
    client.get(question_page, **HTMX)
    choice = question.choices.get(text="48 percent")
    Choice.objects.bulk_update([Choice(pk=choice.pk, text="Forty-eight percent")], ["text"])
    assert "Forty-eight percent" in client.get(question_page, **HTMX).content.decode()


def test_an_edit_through_another_worker_reaches_this_one(client, question, question_page, monkeypatch):
    """Each worker has its own memory cache; the stamp read with the attempt keeps them in step."""
    this_worker = LocMemCache("this-worker", {})
    monkeypatch.setattr(bank_cache, "cache", this_worker)
    client.get(question_page, **HTMX)
    assert this_worker.get(f"quiz:bank:{current_stamp()}:question:{question.pk}") is not None
    # Another worker saves the question: nothing is deleted from this worker's cache.
    question.prompt = "Edited elsewhere"
    question.save()
    assert "Edited elsewhere" in client.get(question_page, **HTMX).content.decode()


def test_feedback_cites_the_passage_as_it_stands_after_an_edit(client, question, question_page):
    client.get(question_page, **HTMX)
    Source.objects.filter(pk=question.passage.source_id).update(title="The Renamed Source")
    correct = question.choices.get(is_correct=True)
    html = client.post(question_page, {"choice": str(correct.pk)}, **HTMX).content.decode()
    assert "The Renamed Source" in html


def test_a_quiz_closed_by_a_queryset_update_refuses_the_next_answer_at_once(client, question, question_page):
    from datetime import timedelta

    from django.utils import timezone

    client.get(question_page, **HTMX)
    Quiz.objects.update(closes_at=timezone.now() - timedelta(seconds=1))
    correct = question.choices.get(is_correct=True)
    response = client.post(question_page, {"choice": str(correct.pk)}, **HTMX)
    assert response.status_code == 409 and "This quiz has closed" in response.content.decode()


def test_a_deleted_question_is_a_clear_404_not_a_cached_ghost(client, question, question_page):
    client.get(question_page, **HTMX)
    Question.objects.filter(pk=question.pk).delete()
    response = client.get(question_page, **HTMX)
    assert response.status_code == 404


def test_without_a_stamp_nothing_is_cached_and_pages_still_work(
    client, question, question_page, django_assert_num_queries
):
    BankStamp.objects.all().delete()
    client.get(question_page, **HTMX)
    # session, user, attempt+stamp, its quiz, its response, the question, its choices, and the
    # answered question ids for the navigator: every time
    with django_assert_num_queries(8):
        response = client.get(question_page, **HTMX)
    assert response.status_code == 200 and "How far did GPU imports fall?" in response.content.decode()


def test_cached_question_is_the_same_as_the_bank_one(question):
    stamp = current_stamp()
    first = bank_cache.question_with_choices(question.pk, stamp)
    second = bank_cache.question_with_choices(question.pk, stamp)
    assert second[0].prompt == first[0].prompt == question.prompt
    assert [c.text for c in second[1]] == [c.text for c in question.choices.order_by("position")]
    assert second[0].passage.source.slug == question.passage.source.slug


def test_every_bank_table_keeps_its_stamp_triggers_after_migrations(db):
    """SQLite rebuilds a table to alter a column, dropping its triggers; post_migrate puts them back."""
    from django.db import connection

    from quiz.bank.triggers import BANK_TABLES

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL alters tables in place")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl_name, COUNT(*) FROM sqlite_master WHERE type = 'trigger' GROUP BY tbl_name")
        triggers = dict(cursor.fetchall())
    assert {table: triggers.get(table) for table in BANK_TABLES} == dict.fromkeys(BANK_TABLES, 3)

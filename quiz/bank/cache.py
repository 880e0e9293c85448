"""Questions with their choices, passage and source, and quizzes, cached between requests and never stale.

Every question page and every answer needs the quiz, the question, its choices
and its citation, which change only when a teacher edits them. They are cached
under the bank stamp, a number that database triggers renew on any write to
quizzes, questions, choices, passages or sources (migrations 0004 and 0005). The stamp is read in
the same query that loads the attempt, so an edit made through any worker, by
any means, moves every worker to new cache keys at its next request, whatever
cache backend each has; old entries are simply never asked for again.
"""

from django.core.cache import cache
from django.db import connection
from django.db.models import BigIntegerField, Subquery

from quiz.models import BankStamp, Choice, Question, Quiz

# Entries of a replaced stamp are never read again; the timeout only bounds how long they linger.
TIMEOUT_SECONDS = 24 * 60 * 60
STAMP_FIELD = "bank_stamp"
# Only these databases have the triggers that renew the stamp.
STAMPED_VENDORS = {"sqlite", "postgresql"}


def stamp_subquery() -> Subquery:
    """The current stamp, to annotate a query with (NULL if the row is missing: then nothing is cached)."""
    return Subquery(BankStamp.objects.filter(pk=1).values("stamp")[:1], output_field=BigIntegerField())


def _cached(key: str, stamp: int | None, load):
    if stamp is None or connection.vendor not in STAMPED_VENDORS:
        return load()
    key = f"quiz:bank:{stamp}:{key}"
    found = cache.get(key)
    if found is None:
        found = load()
        if found is not None:
            cache.set(key, found, TIMEOUT_SECONDS)
    return found


def quiz(quiz_id: int, stamp: int | None) -> Quiz | None:
    """The quiz with its settings, as the last edit left it."""
    return _cached(f"quiz:{quiz_id}", stamp, lambda: Quiz.objects.filter(pk=quiz_id).first())


def _load(question_id: int) -> tuple[Question, list[Choice]] | None:
    question = (
        Question.objects.select_related("passage__source")
        .defer("passage__source__text", "passage__source__created_at", "passage__source__updated_at")
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        return None
    # Ordered here rather than by Choice's Meta ordering, which would join the
    # question, its passage and its source only to sort by them.
    return question, list(Choice.objects.filter(question_id=question_id).order_by("position", "id"))


def question_with_choices(question_id: int, stamp: int | None) -> tuple[Question, list[Choice]] | None:
    """The question (passage and source attached) and all its choices in the bank's order, or None."""
    return _cached(f"question:{question_id}", stamp, lambda: _load(question_id))

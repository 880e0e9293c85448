"""The shipped article, its passages and its question bank, as load_content loads them."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from content.models import Passage, Source
from content.splitting import split_passages
from quiz.models import Attempt, Choice, Question, QuestionKind, Quiz, QuizQuestion, Response, SubmittedAnswer
from quiz.services import attempt_start, response_record
from tests.factories import PassageFactory, QuestionFactory, UserFactory

FACT_PASSAGES = [3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]


def test_splitter_keeps_title_summary_points_headings_and_paragraphs():
    text = (
        "A title\n\nTable of Contents\nSummery\n  • First point.\n  • Second point.\n\n"
        "A heading\n\nA paragraph that says things.\n\xa0\nAnother one."
    )
    kinds = [(p.kind, p.text) for p in split_passages(text)]
    assert kinds == [
        ("title", "A title"),
        ("heading", "Summery"),
        ("summary_point", "First point."),
        ("summary_point", "Second point."),
        ("heading", "A heading"),
        ("paragraph", "A paragraph that says things."),
        ("paragraph", "Another one."),
    ]


def test_load_content_splits_the_article_into_sixteen_passages(loaded_bank):
    source = Source.objects.get(slug="russia-ai-chips")
    passages = list(source.passages.values_list("position", "kind"))
    assert len(passages) == 16
    assert passages[0] == (1, "title")
    assert [position for position, kind in passages if kind == "summary_point"] == [3, 4, 5]
    assert [position for position, kind in passages if kind == "paragraph"] == list(range(7, 17))
    # The article's words are kept as published, typos included.
    assert source.passages.get(position=2).text == "Summery"
    assert "Stanford University’s" in source.passages.get(position=8).text


def test_load_content_twice_gives_the_same_rows(db):
    call_command("load_content")
    counts = [model.objects.count() for model in (Source, Passage, Question, Choice, Quiz, QuizQuestion)]
    ids = sorted(Choice.objects.values_list("pk", flat=True))
    call_command("load_content")
    assert [model.objects.count() for model in (Source, Passage, Question, Choice, Quiz, QuizQuestion)] == counts
    assert sorted(Choice.objects.values_list("pk", flat=True)) == ids


def test_reloading_keeps_students_responses(loaded_bank):
    student = UserFactory()
    quiz = Quiz.objects.get(slug="whole-article")
    attempt = attempt_start(quiz=quiz, student=student)
    # A single-choice question, wherever the shuffle put it.
    question = Question.objects.filter(pk__in=attempt.question_ids, kind=QuestionKind.SINGLE).first()
    choices = list(question.choices.all())
    response_record(
        attempt=attempt,
        question=question,
        choices=choices,
        answer=SubmittedAnswer(choice_ids=frozenset({choices[0].pk})),
    )
    call_command("load_content")
    assert Response.objects.filter(attempt=attempt).count() == 1
    assert Attempt.objects.get(pk=attempt.pk).answered_count == 1


def test_every_question_quotes_its_passage_verbatim(loaded_bank):
    for question in Question.objects.select_related("passage"):
        assert question.quote in question.passage.text, question.key
        assert question.cited_fingerprint == question.passage.fingerprint


def test_bank_covers_every_fact_passage_at_least_twice(loaded_bank):
    per_passage = Counter(Question.objects.values_list("passage__position", flat=True))
    assert Question.objects.count() >= 45
    for position in FACT_PASSAGES:
        assert per_passage[position] >= 2, f"passage {position} has {per_passage[position]} questions"


def test_bank_has_at_least_five_questions_of_every_kind(loaded_bank):
    per_kind = Counter(Question.objects.values_list("kind", flat=True))
    for kind in QuestionKind.values:
        assert per_kind[kind] >= 5, kind


def test_choice_questions_have_a_sound_answer_key_and_feedback_on_every_choice(loaded_bank):
    for question in Question.objects.prefetch_related("choices"):
        choices = list(question.choices.all())
        right = [c for c in choices if c.is_correct]
        if question.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
            assert len(right) == 1, question.key
        elif question.kind == QuestionKind.MULTIPLE:
            assert len(right) >= 1 and len(right) < len(choices), question.key
        else:
            assert choices == [], question.key
        assert all(c.feedback.strip() for c in choices), question.key
        assert question.explanation.strip(), question.key


def test_whole_article_test_and_five_themed_quizzes_are_shipped(loaded_bank):
    whole = Quiz.objects.get(slug="whole-article")
    assert whole.feedback_mode == "at_end"
    assert set(whole.questions.values_list("passage__position", flat=True)) >= set(range(7, 17))
    themed = Quiz.objects.exclude(slug="whole-article").filter(is_published=True)
    assert themed.count() >= 5
    assert all(quiz.questions.count() >= 5 for quiz in themed)


def test_every_published_question_is_in_a_themed_quiz(loaded_bank):
    themed = Quiz.objects.exclude(slug="whole-article")
    outside = Question.objects.published().exclude(quizzes__in=themed).values_list("key", flat=True)
    assert list(outside) == []


@pytest.mark.django_db
def test_a_quote_not_in_its_passage_is_rejected():
    passage = PassageFactory(text="Microsoft alone purchased nearly 500,000 GPUs in 2024.")
    question = QuestionFactory.build(passage=passage, quote="Microsoft purchased 500,000 GPUs")
    with pytest.raises(ValidationError) as error:
        question.full_clean(exclude=["key"])
    assert "word for word" in str(error.value.message_dict["quote"])


@pytest.mark.django_db
def test_a_verbatim_quote_passes_validation_and_records_the_passage_fingerprint():
    passage = PassageFactory(text="Microsoft alone purchased nearly 500,000 GPUs in 2024.")
    question = QuestionFactory(passage=passage, quote="nearly 500,000 GPUs")
    question.full_clean()
    assert question.cited_fingerprint == passage.fingerprint


@pytest.mark.django_db
def test_short_text_question_needs_an_accepted_answer():
    question = QuestionFactory.build(kind="short_text", accepted_answers=["  "], passage=PassageFactory())
    with pytest.raises(ValidationError) as error:
        question.full_clean(exclude=["key"])
    assert "accepted_answers" in error.value.message_dict

"""Typed answers graded as people write them, against the shipped bank's own questions.

One table per kind of case: numbers that must read back, units, refusals (a sentence,
never a silent wrong mark), ranges, and short answers. The questions are built in memory
from the shipped bank file, so the tables test what students of the shipped quizzes meet.
"""

import functools
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from quiz.bank.json_format import parse_json
from quiz.models import Question, Response, SubmittedAnswer
from quiz.reading.numbers import NumberRefused

BANK = Path(settings.BASE_DIR) / "content" / "sources" / "russia-ai-chips" / "questions.json"


@functools.cache
def _records() -> dict:
    return {record.key: record for record in parse_json(BANK.read_text(), default_source="russia-ai-chips").questions}


def shipped(key: str) -> Question:
    """The shipped question ``key`` as an unsaved Question (grading needs no database)."""
    record = _records()[key]
    rules = record.text_rules
    return Question(
        key=key,
        kind=record.kind,
        prompt=record.prompt,
        quote=record.quote,
        numeric_answer=record.numeric_answer,
        numeric_tolerance=record.tolerance,
        numeric_min=record.numeric_min,
        numeric_max=record.numeric_max,
        numeric_unit=record.unit,
        accepted_answers=record.accepted_answers,
        match_whole_words=rules.get("whole_words", True),
        allow_typos=rules.get("typos", True),
        read_other_scripts=rules.get("other_scripts", True),
    )


def mark(key: str, typed: str):
    return shipped(key).mark(SubmittedAnswer(text=typed))


# ---------------------------------------------------------------- numbers that earn credit


@pytest.mark.parametrize(
    "key, typed",
    [
        # A multiplier followed by a unit.
        ("summary-it-specialists-fled", "100 thousand people"),
        ("summary-it-specialists-fled", "100k people"),
        ("summary-it-specialists-fled", "100,000 IT specialists"),
        ("it-exodus-2022", "100 thousand"),
        ("it-exodus-2022", "100k"),
        ("sberbank-gpus", "9k GPUs"),
        ("sberbank-gpus", "9k"),
        ("microsoft-gpus-2024", "0.5 million GPUs"),
        ("microsoft-gpus-2024", "0.5m"),
        ("it-worker-deficit-2030", "400k workers"),
        ("it-worker-deficit-2030", "400k IT workers"),
        ("it-worker-deficit-2030", "400,000 people"),
        # Thousands grouped with spaces, apostrophes, or two or more dots.
        ("it-exodus-2022", "100 000"),
        ("it-exodus-2022", "100\u202f000"),
        ("it-exodus-2022", "100'000"),
        ("sberbank-gpus", "9 000"),
        # Number words.
        ("summary-hardware-import-drop", "eighty-four"),
        ("summary-hardware-import-drop", "eighty four percent"),
        ("it-exodus-2022", "one hundred thousand"),
        ("it-exodus-2022", "a hundred thousand"),
        ("sberbank-gpus", "nine thousand"),
        ("microsoft-gpus-2024", "half a million"),
        ("it-exodus-2022", "hundred thousand"),
        ("sberbank-gpus", "9000 GPU's"),
        ("microsoft-gpus-2024", "five hundred thousand GPUs"),
        ("lm-arena-rank", "twenty-fifth"),
        ("lm-arena-rank", "25th"),
        ("lm-arena-rank", "25th place"),
        # The question's own unit and its synonyms.
        ("summary-hardware-import-drop", "84%"),
        ("summary-hardware-import-drop", "84 per cent"),
        ("summary-hardware-import-drop", "84 pct"),
        ("chip-node-target", "28 nm"),
        ("chip-node-target", "28 nanometres"),
        ("chip-node-target", "28-nanometer chips"),
        ("vibrancy-nations", "36 countries"),
        ("us-export-ban-year", "in 2022"),
        # Hedges, as the article itself hedges.
        ("sberbank-gpus", "about 9000"),
        ("sberbank-gpus", "around 9,000 GPUs"),
        ("sberbank-gpus", "approximately 9k"),
        ("summary-it-specialists-fled", "over 100,000"),
        ("summary-it-specialists-fled", "more than 100,000 people"),
        ("it-exodus-2022", "at least 100,000"),
        ("it-exodus-2022", "100,000+"),
        ("microsoft-gpus-2024", "~500k"),
        ("microsoft-gpus-2024", "nearly 500,000"),
        ("top-talent-emigrated", "up to 80 percent"),
    ],
)
def test_numbers_written_as_people_write_them_earn_credit(key, typed):
    assert mark(key, typed).fraction == 1


@pytest.mark.parametrize(
    "key, typed, note",
    [
        ("sberbank-gpus", "about 9000", "Accepted “about”: the source says “only about 9,000”."),
        ("microsoft-gpus-2024", "~500k", "Accepted “~”: the source says “nearly 500,000”."),
        ("summary-it-specialists-fled", "over 100,000", "Accepted “over”: the source says “over 100,000”."),
    ],
)
def test_a_hedged_number_is_accepted_with_a_note_quoting_the_article(key, typed, note):
    assert mark(key, typed).note == note


# ---------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    "typed, fraction",
    [("500,000", 1), ("450,000", 1), ("480k", 1), ("520,000", 0), ("500,001", 0), ("449,999", 0)],
)
def test_microsoft_gpus_accepts_only_up_to_the_articles_nearly_500000(typed, fraction):
    assert mark("microsoft-gpus-2024", typed).fraction == fraction


@pytest.mark.parametrize(
    "minimum, maximum, typed, fraction",
    [
        (Decimal(100000), None, "100,000", 1),
        (Decimal(100000), None, "250,000", 1),
        (Decimal(100000), None, "99,999", 0),
        (None, Decimal(500000), "10", 1),
        (None, Decimal(500000), "500,001", 0),
        (Decimal(450000), Decimal(500000), "475k", 1),
    ],
)
def test_one_sided_and_uneven_ranges_bound_the_accepted_values(minimum, maximum, typed, fraction):
    question = Question(kind="numeric", numeric_answer=Decimal(480000), numeric_min=minimum, numeric_max=maximum)
    assert question.mark(SubmittedAnswer(text=typed)).fraction == fraction


# ---------------------------------------------------------------- refused with a sentence, never mis-graded


@pytest.mark.parametrize(
    "key, typed, sentence",
    [
        ("it-exodus-2022", "100.000", "Did you mean 100,000?"),
        ("sberbank-gpus", "9.000", "Did you mean 9,000?"),
        ("sberbank-gpus", "9.500", "Did you mean 9,500?"),
        ("summary-hardware-import-drop", "84,5", "Did you mean 84.5?"),
        ("microsoft-gpus-2024", "0,5 million", "Did you mean 0.5 million?"),
        ("summary-hardware-import-drop", "84 nm", "This asks for a percentage, not nanometres."),
        ("lm-arena-rank", "25 percent", "This asks for a position in a ranking (such as 25th), not a percentage."),
        ("chip-node-target", "28%", "This asks for a size in nanometres, not a percentage."),
        ("chip-node-target", "28th", "This asks for a size in nanometres, not a position"),
        ("us-export-ban-year", "2022 GPUs", "This asks for a plain number, not GPUs."),
        ("sberbank-gpus", "9000 bananas", "We read the number but not “bananas”"),
        ("sberbank-gpus", "9000 or 10000", "Type one number"),
        ("sberbank-gpus", "between 8000 and 10000", "Type a number"),
        ("sberbank-gpus", "lots", "Type a number"),
        ("it-exodus-2022", "one two", "Type one number"),
    ],
)
def test_an_unreadable_or_wrong_unit_answer_is_refused_with_a_sentence(key, typed, sentence):
    with pytest.raises(NumberRefused, match=sentence.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        shipped(key).read_numeric_answer(typed)
    assert mark(key, typed).fraction == 0


# ---------------------------------------------------------------- short answers


@pytest.mark.parametrize(
    "key, typed",
    [
        ("alice-assistant-name", "Yandex Alice"),
        ("alice-assistant-name", "Yandex.Alice"),
        ("alice-assistant-name", "Алиса"),
        ("alice-assistant-name", "alice"),
        ("labor-ministry", "Ministry of Labor"),
        ("labor-ministry", "Labour and Social Protection"),
        ("ai-center-overseer", "Dmitri Grigorenko"),
        ("ai-center-overseer", "Dmitriy Grigorenko"),
        ("ai-center-overseer", "Dmitrii Grigorenko"),
        ("ai-center-overseer", "Deputy Prime Minister Grigorenko"),
        ("ai-center-overseer", "Grigorénko"),
        ("ai-center-overseer", "Григоренко"),
        ("tsmc-fabricated-designs", "Taiwan Semiconductor Manufacturing Company Limited"),
        ("tsmc-fabricated-designs", "TSMC in Taiwan"),
        ("who-wanted-to-rule", "President Putin"),
        ("who-wanted-to-rule", "Vladimir Vladimirovich Putin"),
        ("leaderboard-name", "Russian-language LM Arena"),
        ("title-rival-country", "the States"),
        ("title-rival-country", "U.S.A."),
        ("dependent-on-beijing", "Beijing, China"),
    ],
)
def test_reasonable_short_answers_earn_credit(key, typed):
    assert mark(key, typed).fraction == 1


@pytest.mark.parametrize(
    "key, typed, note",
    [
        ("ai-center-overseer", "Grigorenco", "Accepted — the spelling is Grigorenko."),
        ("ai-center-overseer", "Deputy PM Grigorneko", "Accepted — the spelling is Grigorenko."),
        ("who-wanted-to-rule", "Putn", "Accepted — the spelling is Putin."),
        ("alice-assistant-name", "Yandex Alice", ""),
    ],
)
def test_an_answer_with_a_slip_is_accepted_and_the_feedback_gives_the_spelling(key, typed, note):
    found = mark(key, typed)
    assert (found.fraction, found.note) == (1, note)


@pytest.mark.parametrize(
    "key, typed",
    [
        ("alice-assistant-name", "not Alice"),
        ("alice-assistant-name", "Alice or Siri"),
        ("alice-assistant-name", "Siri"),
        ("title-rival-country", "UK"),  # 2 letters: no slips allowed
        ("title-rival-country", "USB"),
        ("tsmc-fabricated-designs", "TSMX"),  # 4 letters: no slips allowed
        ("who-wanted-to-rule", "Medvedev"),
        ("ai-center-overseer", "Dmitry"),
        ("dependent-on-beijing", "not Beijing"),
    ],
)
def test_wrong_or_negated_short_answers_earn_nothing(key, typed):
    assert mark(key, typed).fraction == 0


@pytest.mark.parametrize(
    "rule, typed",
    [
        ("match_whole_words", "Deputy Prime Minister Grigorenko"),
        ("allow_typos", "Grigorenco"),
        ("read_other_scripts", "Григоренко"),
    ],
)
def test_each_matching_rule_can_be_turned_off_per_question(rule, typed):
    question = shipped("ai-center-overseer")
    assert question.mark(SubmittedAnswer(text=typed)).fraction == 1
    setattr(question, rule, False)
    assert question.mark(SubmittedAnswer(text=typed)).fraction == 0


# ---------------------------------------------------------------- through the answer form


HTMX = {"HTTP_HX_REQUEST": "true"}


def _attempt_at(student, **question_fields):
    from tests.factories import AttemptFactory, QuestionFactory, QuizFactory

    question = QuestionFactory(**question_fields)
    attempt = AttemptFactory(quiz=QuizFactory(questions=[question]), student=student)
    return attempt, question, reverse("attempt_answer", args=[attempt.public_id, 1])


@pytest.mark.parametrize(
    "typed, sentence",
    [
        ("100.000", "Did you mean 100,000?"),
        ("84 nm", "This asks for a percentage, not nanometres."),
        ("between 80 and 90", "Type a number"),
    ],
)
def test_a_refused_number_answers_422_with_the_sentence_and_keeps_what_was_typed(
    student_client, student, typed, sentence
):
    attempt, _, url = _attempt_at(student, numeric=True)
    for headers in (HTMX, {}):
        page = student_client.post(url, {"answer": typed}, **headers)
        assert page.status_code == 422
        html = page.content.decode()
        assert escape(sentence) in html
        assert f'value="{escape(typed)}"' in html
    # Not recorded, so not marked wrong: the student types it again.
    assert not Response.objects.filter(attempt=attempt).exists()


def test_a_slip_is_credited_and_the_feedback_gives_the_spelling(student_client, student):
    attempt, _, url = _attempt_at(
        student,
        kind="short_text",
        prompt="Who oversees the centre?",
        accepted_answers=["Dmitry Grigorenko", "Grigorenko"],
    )
    page = student_client.post(url, {"answer": "Grigorenco"}, **HTMX)
    assert page.status_code == 200
    response = Response.objects.get(attempt=attempt)
    assert (response.is_correct, response.grading_note) == (True, "Accepted — the spelling is Grigorenko.")
    assert "Accepted — the spelling is Grigorenko." in page.content.decode()


def test_a_hedged_number_is_credited_with_the_articles_own_words(student_client, student):
    attempt, _, url = _attempt_at(
        student,
        numeric=True,
        numeric_answer=Decimal(500000),
        numeric_min=Decimal(450000),
        numeric_max=Decimal(500000),
        numeric_unit="GPUs",
        prompt="About how many GPUs did Microsoft buy?",
        quote="Microsoft alone purchased nearly 500,000 GPUs in 2024",
    )
    page = student_client.post(url, {"answer": "about 0.5 million GPUs"}, **HTMX)
    assert Response.objects.get(attempt=attempt).is_correct
    assert escape("Accepted “about”: the source says “nearly 500,000”.") in page.content.decode()

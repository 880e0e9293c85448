from decimal import Decimal

import pytest

from quiz.models import SubmittedAnswer
from quiz.scoring import (
    normalise_text,
    parse_number,
    score_multiple_choice,
    score_numeric,
    score_short_text,
    score_single_choice,
)
from tests.factories import QuestionFactory


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("84", Decimal("84")),
        ("84%", Decimal("84")),
        ("84 %", Decimal("84")),
        ("84 percent", Decimal("84")),
        ("84 per cent", Decimal("84")),
        (" 84 ", Decimal("84")),
        ("84.0", Decimal("84.0")),
        ("100,000", Decimal("100000")),
        ("100 000", Decimal("100000")),
        ("9k", Decimal("9000")),
        ("0.5 million", Decimal("500000")),
        ("28 nm", Decimal("28")),
        ("-3", Decimal("-3")),
        ("８４", Decimal("84")),  # full-width digits, as some phone keyboards type them
    ],
)
def test_parse_number_reads_what_people_type(typed, expected):
    assert parse_number(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", "many", "84 84", "1,00", "84..", "NaN", "inf", "1e5", "9" * 101])
def test_parse_number_rejects_what_is_not_a_number(typed):
    assert parse_number(typed) is None


def test_numeric_answer_within_tolerance_scores_full_points():
    assert score_numeric("490,000", Decimal("500000"), Decimal("25000")) == 1
    assert score_numeric("525000", Decimal("500000"), Decimal("25000")) == 1
    assert score_numeric("526000", Decimal("500000"), Decimal("25000")) == 0


def test_numeric_answer_with_zero_tolerance_must_be_exact():
    assert score_numeric("84 percent", Decimal("84"), Decimal("0")) == 1
    assert score_numeric("83", Decimal("84"), Decimal("0")) == 0
    assert score_numeric("not a number", Decimal("84"), Decimal("0")) == 0


@pytest.mark.parametrize("typed", ["Yerevan", "yerevan", "  YEREVAN ", "Yerevan.", "yerevan!", "Ye-revan", "Ye revan"])
def test_short_text_ignores_case_space_and_punctuation(typed):
    assert score_short_text(typed, ["Yerevan"]) == 1


def test_short_text_accepts_any_listed_variant():
    accepted = ["UAE", "United Arab Emirates"]
    assert score_short_text("the united arab emirates", accepted) == 1
    assert score_short_text("U.A.E.", accepted) == 1
    assert score_short_text("united  arab emirates", accepted) == 1
    assert score_short_text("uae", accepted) == 1
    assert score_short_text("Kazakhstan", accepted) == 0
    assert score_short_text("", accepted) == 0
    assert score_short_text("...", accepted) == 0


def test_normalise_text_folds_curly_apostrophes_and_width():
    assert normalise_text("Stanford University’s") == normalise_text("stanford university's")
    assert normalise_text("ＴＳＭＣ") == "tsmc"
    assert normalise_text("  The  Kremlin ") == "kremlin"


def test_single_choice_needs_exactly_the_right_choice():
    assert score_single_choice({1}, {1}) == 1
    assert score_single_choice({2}, {1}) == 0
    assert score_single_choice({1, 2}, {1}) == 0
    assert score_single_choice(set(), {1}) == 0


@pytest.mark.parametrize(
    "selected, expected",
    [
        ({1, 2}, Decimal("1")),  # both right ones
        ({1}, Decimal("0.5")),  # half of the right ones
        ({1, 3}, Decimal("0")),  # 1/2 - 1/2
        ({1, 2, 3}, Decimal("0.5")),  # 1 - 1/2
        ({1, 2, 3, 4}, Decimal("0")),  # ticking everything earns nothing
        ({3, 4}, Decimal("0")),  # floored at zero, never negative
        (set(), Decimal("0")),
    ],
)
def test_multiple_choice_partial_credit_formula(selected, expected):
    # Two right (1, 2) and two wrong (3, 4): fraction = max(0, hits/2 - false_picks/2).
    assert score_multiple_choice(selected, {1, 2}, {1, 2, 3, 4}) == expected


def test_multiple_choice_with_three_right_of_five():
    # hits 2/3, one false pick of 2 wrong: 2/3 - 1/2 = 0.1667
    assert score_multiple_choice({1, 2, 4}, {1, 2, 3}, {1, 2, 3, 4, 5}) == Decimal("0.1667")


@pytest.mark.django_db
def test_question_grade_uses_the_rule_of_its_kind():
    single = QuestionFactory()
    right = single.choices.get(is_correct=True)
    assert single.grade(SubmittedAnswer(choice_ids=frozenset({right.pk}))) == 1

    numeric = QuestionFactory(numeric=True)
    assert numeric.grade(SubmittedAnswer(text="84%")) == 1
    assert numeric.grade(SubmittedAnswer(text="48")) == 0

    short = QuestionFactory(short_text=True)
    assert short.grade(SubmittedAnswer(text=" gpus. ")) == 1

    true_false = QuestionFactory(kind="true_false")
    false = true_false.choices.get(text="False")
    assert true_false.grade(SubmittedAnswer(choice_ids=frozenset({false.pk}))) == 0

"""Property tests: every common way of writing a number reads back to it; nothing else reads as one."""

import re
from decimal import Decimal

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from quiz.reading.number_words import NUMBER_WORDS, number_to_words
from quiz.reading.numbers import NumberRefused, read_number
from quiz.reading.text import match_text
from quiz.scoring import read_numeric_answer

counts = st.integers(min_value=0, max_value=999_999_999)
hedges = st.sampled_from(["", "about ", "around ", "nearly ", "approximately ", "~", "over "])
units = st.sampled_from(["", " GPUs", " people"])


def _grouped(value: int, separator: str) -> str:
    return f"{value:,}".replace(",", separator)


@given(value=counts, hedge=hedges, unit=units, separator=st.sampled_from([",", " ", "\u202f", "'"]))
@example(value=100_000, hedge="", unit=" people", separator=",")
def test_digits_with_any_usual_grouping_read_back(value, hedge, unit, separator):
    for written in (str(value), _grouped(value, separator)):
        read = read_number(f"{hedge}{written}{unit}")
        assert read.value == value
        assert read.unit == unit.strip().casefold()


@given(value=st.integers(min_value=1_000_000, max_value=999_999_999))
def test_two_or_more_dot_groups_read_as_thousands(value):
    assert read_number(_grouped(value, ".")).value == value


@given(value=st.integers(min_value=1_000, max_value=999_999).filter(lambda v: v % 1000 or v >= 1000))
def test_one_dot_group_is_refused_with_the_number_it_may_mean(value):
    with pytest.raises(NumberRefused, match=f"Did you mean {value:,}\\?"):
        read_number(_grouped(value, "."))


@given(
    thousands=st.integers(min_value=1, max_value=999_999),
    multiplier=st.sampled_from(["k", " thousand", "K"]),
    unit=units,
)
@example(thousands=100, multiplier=" thousand", unit=" people")
@example(thousands=9, multiplier="k", unit=" GPUs")
def test_thousands_with_a_multiplier_read_back_with_or_without_a_unit(thousands, multiplier, unit):
    assert read_number(f"{thousands}{multiplier}{unit}").value == thousands * 1000


@given(
    millions=st.decimals(min_value=Decimal("0.001"), max_value=Decimal("999"), places=3),
    multiplier=st.sampled_from(["m", " million", " mln", "M"]),
    unit=units,
)
@example(millions=Decimal("0.5"), multiplier=" million", unit=" GPUs")
def test_millions_with_a_multiplier_read_back(millions, multiplier, unit):
    written = f"{millions.normalize():f}"
    assert read_number(f"{written}{multiplier}{unit}").value == millions * 1_000_000


@given(value=st.integers(min_value=0, max_value=9_999_999), hedge=hedges, hyphens=st.booleans())
@example(value=84, hedge="", hyphens=True)
@example(value=100_000, hedge="", hyphens=False)
def test_number_words_read_back(value, hedge, hyphens):
    words = number_to_words(value)
    if not hyphens:
        words = words.replace("-", " ")
    assert read_number(f"{hedge}{words}").value == value


@given(percent=st.integers(min_value=0, max_value=100), style=st.sampled_from(["%", " %", " percent", " per cent"]))
def test_percentages_read_back_for_a_percentage_question(percent, style):
    read = read_numeric_answer(f"{percent}{style}", unit="percent", prompt="By how many percent?")
    assert read.value == percent


@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Nd", "No", "Nl", "Cs", "Cc"), blacklist_characters="½¼¾⅓⅔"),
        max_size=40,
    )
)
@example(text="NaN")
@example(text="inf")
@example(text="lots of GPUs")
def test_no_unrelated_string_reads_as_a_number(text):
    words = re.split(r"[^a-z]+", text.casefold())
    assume(not NUMBER_WORDS.intersection(words))
    with pytest.raises(NumberRefused):
        read_number(text)


@given(
    answer=st.sampled_from(["Grigorenko", "Yandex", "TSMC", "LM Arena", "United States"]),
    case=st.sampled_from([str.lower, str.upper, str.title, str]),
    around=st.sampled_from(["{}", " {} ", "{}.", "“{}”", "the {}", "{}!"]),
)
def test_an_accepted_answer_matches_whatever_its_case_punctuation_and_spacing(answer, case, around):
    assert match_text(around.format(case(answer)), [answer]) is not None

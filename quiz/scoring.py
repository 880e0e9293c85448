"""How answers are scored: one documented rule per kind of question.

Every function here is pure: it takes what the student gave and the answer key,
and returns the fraction of the question's points earned, between 0 and 1.
Scores are only ever computed on the server, from stored answers.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from quiz.reading.numbers import MAX_NUMBER_INPUT, NumberRefused, ReadNumber, read_number
from quiz.reading.text import DEFAULT_RULES, TextRules, match_text
from quiz.reading.units import check_unit

ZERO = Decimal("0")
ONE = Decimal("1")

MAX_NUMERIC_INPUT = MAX_NUMBER_INPUT
_ARTICLES = {"the", "a", "an"}
# The source's own words for a rounded or bounded figure: "nearly 500,000", "at least 100,000".
_QUOTED_HEDGE_RE = re.compile(
    r"\b(?:nearly|about|around|almost|approximately|roughly|over|more than|at least|up to|some|only about)"
    r"\s+[\d][\d,.]*(?:\s*(?:percent|per cent|%|thousand|million))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mark:
    """The fraction of a question's points an answer earns, and a note for the student's feedback."""

    fraction: Decimal
    note: str = ""


def normalise_text(text: str) -> str:
    """Fold case, width, punctuation and spacing: "  U.A.E.! " reads as "uae".

    Punctuation and symbols are dropped (so "U.A.E." is "uae" and "Ye-revan" is
    "yerevan"), runs of white space become one space, and a leading article goes.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(char for char in folded if not unicodedata.category(char).startswith(("P", "S")))
    words = kept.split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def read_numeric_answer(text: str, *, unit: str | None = "", prompt: str = "") -> ReadNumber:
    """A typed numeric answer read for a question asking for ``unit``; ``NumberRefused`` says why not.

    ``unit=None`` reads the number whatever words follow it (a question with no unit is ``""``).

    See ``quiz.reading.numbers`` (digits, words, multipliers, hedges) and
    ``quiz.reading.units`` (the question's own unit, its synonyms and the prompt's words).
    """
    read = read_number(text)
    if unit is not None:
        check_unit(read, unit=unit, prompt=prompt)
    return read


def parse_number(text: str) -> Decimal | None:
    """The value of a typed number, whatever unit follows it; None when it cannot be read."""
    try:
        return read_number(text).value
    except NumberRefused:
        return None


def score_single_choice(selected: set[int], correct: set[int]) -> Decimal:
    """Single choice and true/false: all the points for the one right choice, else none."""
    return ONE if len(selected) == 1 and selected == correct else ZERO


def score_multiple_choice(selected: set[int], correct: set[int], all_choices: set[int]) -> Decimal:
    """Multiple choice, partial credit.

    fraction = max(0, hits / C - false_picks / W)

    where C is the number of correct choices, W the number of wrong ones, hits the
    correct choices picked and false_picks the wrong ones picked. Picking every
    choice therefore earns 0, and guessing is never rewarded on average. (The same
    rule as Moodle's "all-or-nothing off" multiple-answer grading with equal
    weights: +100%/C per right choice, -100%/W per wrong one, floored at zero.)
    """
    if not correct:
        return ZERO
    wrong = all_choices - correct
    hits = len(selected & correct)
    false_picks = len(selected & wrong)
    fraction = Decimal(hits) / Decimal(len(correct))
    if wrong:
        fraction -= Decimal(false_picks) / Decimal(len(wrong))
    return max(ZERO, min(ONE, fraction)).quantize(Decimal("0.0001"))


def score_numeric(
    given: str,
    expected: Decimal,
    tolerance: Decimal,
    *,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
) -> Decimal:
    """Numeric: see ``mark_numeric``."""
    return mark_numeric(given, expected=expected, tolerance=tolerance, minimum=minimum, maximum=maximum).fraction


def numeric_range(
    expected: Decimal, tolerance: Decimal, minimum: Decimal | None, maximum: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """The accepted values: [minimum, maximum] when either is set (one may be open), else expected ± tolerance."""
    if minimum is not None or maximum is not None:
        return minimum, maximum
    return expected - tolerance, expected + tolerance


def mark_numeric(
    given: str,
    *,
    expected: Decimal,
    tolerance: Decimal = ZERO,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    unit: str | None = None,
    prompt: str = "",
    quote: str = "",
) -> Mark:
    """Numeric: right when the value read lies in the accepted range (see ``numeric_range``).

    An answer that cannot be read, or has a unit of another kind, earns nothing here;
    the answer form refuses it with the reason before it is ever recorded.
    A hedged answer ("about 9,000") is read as its number, and the note says how the
    source itself puts it (the hedge in the cited quote).
    """
    try:
        read = read_numeric_answer(given, unit=unit, prompt=prompt)
    except NumberRefused:
        return Mark(ZERO)
    low, high = numeric_range(expected, tolerance, minimum, maximum)
    if (low is not None and read.value < low) or (high is not None and read.value > high):
        return Mark(ZERO)
    if not read.hedge:
        return Mark(ONE)
    said = _QUOTED_HEDGE_RE.search(quote)
    if said is None:
        return Mark(ONE, f"Accepted with “{read.hedge}” before the number.")
    return Mark(ONE, f"Accepted “{read.hedge}”: the source says “{said[0]}”.")


def score_short_text(given: str, accepted: list[str], rules: TextRules = DEFAULT_RULES) -> Decimal:
    """Short text: see ``mark_short_text``."""
    return mark_short_text(given, accepted, rules).fraction


def mark_short_text(given: str, accepted: list[str], rules: TextRules = DEFAULT_RULES) -> Mark:
    """Short text: right when it matches an accepted answer under the question's rules (``quiz.reading.text``)."""
    found = match_text(given, accepted, rules)
    if found is None:
        return Mark(ZERO)
    return Mark(ONE, f"Accepted — the spelling is {found.accepted}." if found.typo else "")

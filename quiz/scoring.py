"""How answers are scored: one documented rule per kind of question.

Every function here is pure: it takes what the student gave and the answer key,
and returns the fraction of the question's points earned, between 0 and 1.
Scores are only ever computed on the server, from stored answers.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

ZERO = Decimal("0")
ONE = Decimal("1")

# "84", "84%", "84 percent", "100,000", "100 000", "9k", "0.5 million", "28 nm"
_NUMBER_RE = re.compile(
    r"^(?P<sign>[+-]?)(?P<digits>\d{1,3}(?:[ ,]\d{3})+|\d+)(?P<fraction>\.\d+)?"
    r"\s*(?P<unit>[a-z%][a-z% ]*)?$"
)
_MULTIPLIERS = {"k": Decimal(1000), "thousand": Decimal(1000), "m": Decimal(10**6), "million": Decimal(10**6)}
MAX_NUMERIC_INPUT = 40
_ARTICLES = {"the", "a", "an"}


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


def _answer_key(text: str) -> str:
    # Spacing never decides: "Sber bank" and "Sberbank" are the same answer.
    return normalise_text(text).replace(" ", "")


def parse_number(text: str) -> Decimal | None:
    """Read a number the way a person types it; None when it is not one.

    Units after the number are allowed ("84%", "84 percent", "28 nm") except the
    multipliers k/thousand/m/million, which scale it ("9k" is 9000).
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().casefold().replace("\u2009", " ")
    if not cleaned or len(cleaned) > MAX_NUMERIC_INPUT:
        return None
    match = _NUMBER_RE.match(cleaned)
    if not match:
        return None
    digits = match["digits"].replace(",", "").replace(" ", "")
    try:
        value = Decimal(match["sign"] + digits + (match["fraction"] or ""))
    except InvalidOperation:
        return None
    unit = (match["unit"] or "").strip()
    return value * _MULTIPLIERS.get(unit, ONE)


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


def score_numeric(given: str, expected: Decimal, tolerance: Decimal) -> Decimal:
    """Numeric: right when |given - expected| <= tolerance."""
    value = parse_number(given)
    if value is None:
        return ZERO
    return ONE if abs(value - expected) <= tolerance else ZERO


def score_short_text(given: str, accepted: list[str]) -> Decimal:
    """Short text: right when it equals an accepted answer once both are normalised (see normalise_text)."""
    answer = _answer_key(given)
    return ONE if answer and answer in {_answer_key(text) for text in accepted} else ZERO

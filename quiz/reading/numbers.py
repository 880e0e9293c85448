"""Numbers as people type them: "100,000", "100 000", "1.234.567", "100k", "0.5 million GPUs",
"about 9,000", "eighty-four percent", "half a million", "25th".

``read_number`` either returns what it read or raises ``NumberRefused`` with a sentence for
the student ("Did you mean 100,000?"): an answer is never silently read as another number.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from quiz.reading.number_words import NUMBER_WORDS, NotNumberWords, read_number_words

MAX_NUMBER_INPUT = 100
TYPE_A_NUMBER = "Type a number, such as 84 or 100,000."
TYPE_ONE_NUMBER = "Type one number, such as 84 or 100,000 (not a range or a list)."

# Words that soften or bound a figure, as the article itself does ("nearly 500,000").
HEDGES = (
    "approximately",
    "approx.",
    "approx",
    "about",
    "around",
    "roughly",
    "nearly",
    "almost",
    "close to",
    "circa",
    "ca.",
    "some",
    "just over",
    "just under",
    "over",
    "more than",
    "at least",
    "under",
    "less than",
    "up to",
    "~",
    "≈",
    "≥",
    "≤",
    ">",
    "<",
)
_HEDGE_RE = re.compile(
    r"^(?P<hedge>"
    + "|".join(re.escape(h) + (r"(?=[\s\d])" if h[-1].isalpha() or h[-1] == "." else "") for h in HEDGES)
    + r")\s*"
)
# "in 2022", "by 2030": said before a year, not a hedge.
_FILLER_RE = re.compile(r"^(?:in|by)\s+(?=\d)")

MULTIPLIERS = {
    "k": 10**3,
    "thousand": 10**3,
    "thousands": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "billions": 10**9,
}
_DIGITS_RE = re.compile(
    r"^(?P<sign>[+-]?)\s*(?P<number>"
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 100,000 and 1,234.5
    r"|\d{1,3}(?:[ ']\d{3})+(?:\.\d+)?"  # 100 000 and 100'000
    r"|\d{1,3}(?:\.\d{3}){2,}(?![\d.])"  # 1.234.567: two dot groups cannot be decimals
    r"|\d+(?:\.\d+)?|\.\d+"
    r")"
    r"(?:(?P<ordinal>st|nd|rd|th)\b|\s*(?P<multiplier>"
    + "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
    + r")\b)?"
    r"(?P<plus>\+)?"
)
_NUMBER_WORDS_ONLY = NUMBER_WORDS - {"a", "an", "and", "half"}
_UNIT_CHARS_RE = re.compile(r"^[a-z%$€'\- ]*$")


class NumberRefused(ValueError):
    """The typed answer cannot be read as one number; ``str()`` says why, for the student."""


@dataclass(frozen=True)
class ReadNumber:
    value: Decimal
    unit: str = ""  # the words after the number, lower case: "gpus", "%", "per cent"
    hedge: str = ""  # "about", "over", "~" as typed; empty when none
    ordinal: bool = False  # "25th", "twenty-fifth"


def clean_typed(text: str) -> str:
    """Case, width, odd spaces and minus signs folded: what the reader and the unit check see."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u2212", "-").replace("’", "'")
    return " ".join(folded.split())


def read_number(text: str) -> ReadNumber:
    """The number in ``text``, with its unit words and hedge; ``NumberRefused`` when there is none."""
    typed = clean_typed(text)
    if not typed:
        raise NumberRefused(TYPE_A_NUMBER)
    if len(typed) > MAX_NUMBER_INPUT:
        raise NumberRefused("That is too long for a number.")
    if typed[-1] in ".!":
        typed = typed[:-1].rstrip()
    hedge = ""
    if found := _HEDGE_RE.match(typed):
        hedge, typed = found["hedge"], typed[found.end() :]
    elif found := _FILLER_RE.match(typed):
        typed = typed[found.end() :]
    read = _read_digits(typed) or _read_words(typed)
    value, rest, ordinal, plus = read
    rest = rest.strip()
    if re.search(r"(?:^|[\s/-])[\d.]", rest) or _NUMBER_WORDS_ONLY & set(rest.replace("-", " ").split()):
        raise NumberRefused(TYPE_ONE_NUMBER)
    if any(char.isdigit() for char in rest):
        raise NumberRefused(TYPE_A_NUMBER)
    if not _UNIT_CHARS_RE.match(rest):
        raise NumberRefused(TYPE_A_NUMBER)
    return ReadNumber(value=value, unit=rest, hedge=hedge or ("over" if plus else ""), ordinal=ordinal)


def _read_digits(typed: str) -> tuple[Decimal, str, bool, bool] | None:
    match = _DIGITS_RE.match(typed)
    if match is None:
        return None
    number, rest = match["number"], typed[match.end() :]
    if comma_decimals := re.match(r",(\d+)\s*([a-z]*)", rest):
        decimals, word = comma_decimals[1], comma_decimals[2]
        meant = f"{number}.{decimals}" + (f" {word}" if word in MULTIPLIERS else "")
        raise NumberRefused(f"Did you mean {meant}? Use a dot for decimals (84.5) and commas for thousands (100,000).")
    whole, _, decimals = number.partition(".")
    if (
        number.count(".") == 1
        and len(decimals) == 3
        and whole.isdigit()
        and whole != "0"
        and len(whole) <= 3
        and not match["multiplier"]
    ):
        # "100.000": a hundred to three decimals, or a hundred thousand written the European way?
        thousands = f"{int(whole + decimals):,}"
        raise NumberRefused(
            f"Did you mean {thousands}? A dot marks decimals here: type {thousands} or {whole}{decimals}, "
            f"or {whole}.{decimals.rstrip('0') or '0'} if you meant a decimal."
        )
    if number.count(".") >= 2:
        number = number.replace(".", "")
    try:
        value = Decimal(number.replace(",", "").replace(" ", "").replace("'", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None
    if match["multiplier"]:
        value *= MULTIPLIERS[match["multiplier"]]
    if match["sign"] == "-":
        value = -value
    return value, rest, bool(match["ordinal"]), bool(match["plus"])


def _read_words(typed: str) -> tuple[Decimal, str, bool, bool]:
    """The longest run of number words at the start that makes one number; the rest is the unit."""
    words = typed.replace("-", " ").split()
    run = 0
    while run < len(words) and words[run].rstrip("+") in NUMBER_WORDS:
        run += 1
    for length in range(run, 0, -1):
        try:
            value, ordinal = read_number_words([word.rstrip("+") for word in words[:length]])
        except NotNumberWords:
            continue
        return value, " ".join(words[length:]), ordinal, words[length - 1].endswith("+")
    raise NumberRefused(TYPE_A_NUMBER)

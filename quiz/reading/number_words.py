"""English number words: "eighty-four", "one hundred thousand", "half a million", "twenty-fifth".

A small reader rather than a package: the ones on offer either read only cardinals
without "half a million" (word2number, unmaintained since 2017) or find numbers inside
running text (text2num's alpha2digit), where we need to know exactly which words were
read as the number and which are left for the unit.
"""

from decimal import Decimal

_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_ORDINALS = {
    "first": "one",
    "second": "two",
    "third": "three",
    "fourth": "four",
    "fifth": "five",
    "sixth": "six",
    "seventh": "seven",
    "eighth": "eight",
    "ninth": "nine",
    "tenth": "ten",
    "eleventh": "eleven",
    "twelfth": "twelve",
    **{name[:-1] + "ieth": name for name in _TENS},  # twentieth … ninetieth
    **{name + "th": name for name in _TEENS if name not in ("ten", "eleven", "twelve")},
    "hundredth": "hundred",
    "thousandth": "thousand",
    "millionth": "million",
}
NUMBER_WORDS = {"zero", "a", "an", "and", "half", "hundred", *_UNITS, *_TEENS, *_TENS, *SCALES, *_ORDINALS}


class NotNumberWords(ValueError):
    """The words do not make one number."""


def read_number_words(words: list[str]) -> tuple[Decimal, bool]:
    """The value of ``words`` (already split on spaces and hyphens), and whether it was an ordinal.

    Strict on purpose: "one two", "four hundred hundred" or "thousand million" are not numbers,
    so a student's slip is refused with a sentence rather than read as something else.
    """
    if not words:
        raise NotNumberWords("no words")
    ordinal = words[-1] in _ORDINALS
    if ordinal:
        words = [*words[:-1], _ORDINALS[words[-1]]]
    if words == ["zero"]:
        return Decimal(0), ordinal
    if words[0] == "half":
        # "half a million": only with "a" and a scale, and nothing after.
        if len(words) == 3 and words[1] in ("a", "an") and words[2] in SCALES:
            return Decimal(SCALES[words[2]]) / 2, ordinal
        raise NotNumberWords("half of what?")
    reader = _Reader()
    for index, word in enumerate(words):
        reader.read(word, words[index + 1] if index + 1 < len(words) else None)
    if reader.last == "and":
        raise NotNumberWords("ends with “and”")
    return Decimal(reader.total + reader.group), ordinal


class _Reader:
    """Reads number words left to right: ``group`` is the part below the last scale word."""

    def __init__(self) -> None:
        self.total, self.group = 0, 0
        self.last: str | None = None
        self.last_scale: int | None = None

    def read(self, word: str, following: str | None) -> None:
        if word in ("a", "an"):
            if self.last is not None or following not in ("hundred", *SCALES):
                raise NotNumberWords("“a” only before hundred, thousand or million")
            self.group, self.last = 1, "unit"
        elif word == "and":
            if self.last not in ("hundred", "scale") or following is None:
                raise NotNumberWords("“and” only after hundred or a scale")
            self.last = "and"
        elif word in _UNITS:
            self._add(_UNITS[word], "unit", after=(None, "tens", "hundred", "scale", "and"))
        elif word in _TEENS:
            self._add(_TEENS[word], "teen", after=(None, "hundred", "scale", "and"))
        elif word in _TENS:
            self._add(_TENS[word], "tens", after=(None, "hundred", "scale", "and"))
        elif word == "hundred":
            self._hundred()
        elif word in SCALES:
            scale = SCALES[word]
            if not self.group or (self.last_scale is not None and scale >= self.last_scale):
                raise NotNumberWords("scales go down: a million, then thousands")
            self.total, self.group, self.last, self.last_scale = self.total + self.group * scale, 0, "scale", scale
        else:
            raise NotNumberWords(f"“{word}” is not a number word")

    def _hundred(self) -> None:
        if self.last is None:
            self.group, self.last = 100, "hundred"  # "hundred thousand", as people say it
            return
        if self.last not in ("unit", "teen", "tens") or self.group >= 100:
            raise NotNumberWords("hundred after a number below one hundred")
        self.group, self.last = self.group * 100, "hundred"

    def _add(self, value: int, kind: str, *, after: tuple) -> None:
        if self.last not in after:
            raise NotNumberWords("two numbers in a row")
        self.group, self.last = self.group + value, kind


def number_to_words(value: int) -> str:
    """The words for a whole number from 0 to 999,999,999 ("84" → "eighty-four"); the inverse of the reader."""
    if value == 0:
        return "zero"
    parts = []
    for name, scale in sorted(SCALES.items(), key=lambda item: -item[1]):
        if value >= scale:
            parts.append(f"{_below_thousand(value // scale)} {name}")
            value %= scale
    if value:
        parts.append(_below_thousand(value))
    return " ".join(parts)


def _below_thousand(value: int) -> str:
    names = {number: name for name, number in {**_UNITS, **_TEENS, **_TENS}.items()}
    words = []
    if value >= 100:
        words.append(f"{names[value // 100]} hundred")
        value %= 100
    if value >= 20:
        tens, units = divmod(value, 10)
        words.append(names[tens * 10] + (f"-{names[units]}" if units else ""))
    elif value:
        words.append(names[value])
    return " ".join(words)

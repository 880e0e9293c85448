"""The bank as plain records, read from a file and not yet written: what both formats parse into.

``json_format`` and ``gift`` turn a file into a ``ParsedBank``; ``importer`` checks it
against the database and writes it. A problem anywhere is a ``BankFormatError``
that lists every (line, message) pair, so nothing is half-imported.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

KEY_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
MAX_ERRORS_SHOWN = 20


class BankFormatError(Exception):
    """The file cannot be imported; ``problems`` are (line, message) pairs."""

    def __init__(self, problems: list[tuple[int | None, str]]):
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        shown = [f"Line {line}: {message}" if line else message for line, message in self.problems[:MAX_ERRORS_SHOWN]]
        more = len(self.problems) - MAX_ERRORS_SHOWN
        if more > 0:
            shown.append(f"…and {more} more problem(s).")
        return (
            "Nothing was imported. " + " ".join(shown)
            if len(shown) == 1
            else "Nothing was imported.\n" + "\n".join(shown)
        )


@dataclass
class SourceRecord:
    line: int
    slug: str
    title: str
    text: str
    passages: list[tuple[int, str, str]]  # (position, kind, text)
    publisher: str = ""
    url: str = ""
    published_on: date | str | None = None  # as written in the file until validated


@dataclass
class QuestionRecord:
    line: int
    key: str
    kind: str
    prompt: str
    explanation: str
    source: str
    passage: int
    quote: str
    points: int = 1
    cognitive_level: str = "remember"
    choices: list[tuple[str, bool, str]] = field(default_factory=list)  # (text, correct, feedback)
    numeric_answer: Decimal | None = None
    tolerance: Decimal = Decimal("0")
    numeric_min: Decimal | None = None
    numeric_max: Decimal | None = None
    unit: str = ""
    accepted_answers: list[str] = field(default_factory=list)
    text_rules: dict[str, bool] = field(default_factory=dict)  # whole_words / typos / other_scripts
    published: bool = True
    author: str | None = None
    author_given: bool = False


@dataclass
class QuizRecord:
    line: int
    slug: str
    title: str
    questions: list[str] | str  # keys in order, or "all" (every question in the file)
    description: str = ""
    settings: dict = field(default_factory=dict)


@dataclass
class ParsedBank:
    sources: list[SourceRecord] = field(default_factory=list)
    questions: list[QuestionRecord] = field(default_factory=list)
    quizzes: list[QuizRecord] = field(default_factory=list)


def plain_number(value: Decimal | None):
    """A Decimal as the plainest JSON number that reads back as the same value."""
    if value is None:
        return None
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


# A short-text question's matching rules as the bank files name them, and the model fields they set.
TEXT_RULE_FIELDS = {"whole_words": "match_whole_words", "typos": "allow_typos", "other_scripts": "read_other_scripts"}


def text_rules_data(question) -> dict[str, bool]:
    return {name: getattr(question, field_name) for name, field_name in TEXT_RULE_FIELDS.items()}

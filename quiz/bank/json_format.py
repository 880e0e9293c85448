"""Our JSON bank format: reading it into records, with the line of every problem, and exporting.

The format is the one the shipped banks use (content/sources/*/questions.json),
plus what a lossless round trip needs: each question's ``source`` slug,
``published`` and ``author``; each quiz's availability; and the cited sources
themselves with their passages, so a fresh database can take the file on its own.

``json`` itself reports where a file stops being JSON; past that, each object
remembers the line it starts on, so a missing field or a wrong value is
reported as "Line 42: …" too.
"""

import bisect
import json
import json.decoder
import json.scanner
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from content.models import PassageKind, Source
from quiz.bank.records import (
    KEY_PATTERN,
    BankFormatError,
    ParsedBank,
    QuestionRecord,
    QuizRecord,
    SourceRecord,
    plain_number,
    text_rules_data,
)
from quiz.models import Choice, CognitiveLevel, FeedbackMode, Question, QuestionKind, Quiz, ReviewMoment

FORMAT_VERSION = 1


class _Located(dict):
    """A JSON object that remembers the line it starts on."""

    line = 0


def load_located(text: str):
    """``json.loads`` whose objects carry ``.line``, so errors can point into the file.

    The pure-Python scanner is used because only it calls back ``parse_object``.
    """
    newlines = [index for index, char in enumerate(text) if char == "\n"]
    decoder = json.JSONDecoder()

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        start = s_and_end[1] - 1
        pairs, end = json.decoder.JSONObject(s_and_end, strict, scan_once, None, list, memo)
        located = _Located(pairs)
        located.line = bisect.bisect_right(newlines, start) + 1
        return located, end

    # Undocumented hooks of the pure-Python decoder, which typeshed does not describe.
    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as problem:
        raise BankFormatError(
            [(problem.lineno, f"this is not valid JSON ({problem.msg}, column {problem.colno}).")]
        ) from None
    except RecursionError:
        raise BankFormatError([(None, "The file is nested too deeply to be a question bank.")]) from None


def _line_of(data) -> int:
    return getattr(data, "line", 0)


class _Reader:
    """Reads typed fields out of one JSON object, collecting errors with its line."""

    def __init__(self, data, what: str, problems: list):
        self.data = data if isinstance(data, dict) else {}
        self.line: int = getattr(data, "line", 0)
        self.what = what
        self.problems = problems
        if not isinstance(data, dict):
            self.error(f"{what} should be an object {{…}}.")

    def error(self, message: str) -> None:
        self.problems.append((self.line, message))

    def text(self, name: str, *, required=True, default="", max_length=None) -> str:
        value = self.data.get(name, None)
        if value is None:
            if required:
                self.error(f"{self.what} has no “{name}”.")
            return default
        if not isinstance(value, str):
            self.error(f"{self.what}: “{name}” should be text.")
            return default
        if required and not value.strip():
            self.error(f"{self.what}: “{name}” is empty.")
        if max_length and len(value) > max_length:
            self.error(f"{self.what}: “{name}” is longer than {max_length} characters.")
        return value

    def integer(self, name: str, *, default=None, minimum=None, maximum=None, required=False):
        value = self.data.get(name, None)
        if value is None:
            if required:
                self.error(f"{self.what} has no “{name}”.")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(f"{self.what}: “{name}” should be a whole number.")
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            self.error(f"{self.what}: “{name}” should be {bounds} (it is {value}).")
            return default
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.error(f"{self.what}: “{name}” should be true or false.")
            return default
        return value

    def decimal(self, name: str, default=None) -> Decimal | None:
        value = self.data.get(name, None)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.error(f"{self.what}: “{name}” should be a number.")
            return default
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.error(f"{self.what}: “{name}” should be a number (it is {value!r}).")
            return default
        if not number.is_finite() or abs(number) >= Decimal(10) ** 16:
            self.error(f"{self.what}: “{name}” is out of range.")
            return default
        return number

    def choice(self, name: str, options, default: str) -> str:
        value = self.data.get(name, default)
        if value not in options:
            self.error(f"{self.what}: “{name}” should be one of {', '.join(options)} (it is {value!r}).")
            return default
        return value

    def listing(self, name: str) -> list:
        value = self.data.get(name, [])
        if not isinstance(value, list):
            self.error(f"{self.what}: “{name}” should be a list […].")
            return []
        return value

    def moment(self, name: str) -> datetime | None:
        value = self.data.get(name, None)
        if value is None:
            return None
        try:
            moment = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:  # well formed but impossible, like 2026-02-30
            moment = None
        if moment is None:
            self.error(f"{self.what}: “{name}” should be a date and time like 2026-09-01T08:00:00+00:00.")
            return None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def parse_json(text: str, *, default_source: str | None = None) -> ParsedBank:
    """Read a JSON bank into records, or raise BankFormatError listing every problem found."""
    top = load_located(text)
    problems: list[tuple[int | None, str]] = []
    if not isinstance(top, dict):
        raise BankFormatError([(1, "a question bank is a JSON object with a “questions” list.")])
    version = top.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise BankFormatError([(_line_of(top), f"this file is format version {version!r}; this site reads version 1.")])
    bank = ParsedBank()
    for item in _Reader(top, "The bank", problems).listing("sources"):
        bank.sources.append(_source_record(item, problems))
    if default_source is None and len(bank.sources) == 1:
        default_source = bank.sources[0].slug
    for index, item in enumerate(_Reader(top, "The bank", problems).listing("questions"), start=1):
        bank.questions.append(_question_record(item, index, default_source, problems))
    for index, item in enumerate(_Reader(top, "The bank", problems).listing("quizzes"), start=1):
        bank.quizzes.append(_quiz_record(item, index, problems))
    if not (bank.questions or bank.quizzes or bank.sources):
        problems.append((_line_of(top), "the file has no questions, quizzes or sources."))
    if problems:
        raise BankFormatError(problems)
    return bank


def _source_record(item, problems) -> SourceRecord:
    reader = _Reader(item, "A source", problems)
    slug = reader.text("slug", max_length=100)
    reader.what = f"Source “{slug}”"
    passages = []
    for entry in reader.listing("passages"):
        passage = _Reader(entry, f"A passage of “{slug}”", problems)
        position = passage.integer("position", minimum=1, required=True)
        kind = passage.choice("kind", PassageKind.values, PassageKind.PARAGRAPH)
        passages.append((position or 0, kind, passage.text("text")))
    positions = [position for position, _, _ in passages]
    if len(set(positions)) != len(positions):
        reader.error("two of its passages have the same position.")
    published_on = reader.data.get("published_on")
    return SourceRecord(
        line=reader.line,
        slug=slug,
        title=reader.text("title", max_length=300),
        text=reader.text("text"),
        passages=passages,
        publisher=reader.text("publisher", required=False, max_length=200),
        url=reader.text("url", required=False),
        # Kept as written: the model's own validation parses it (and names an impossible date).
        published_on=published_on if isinstance(published_on, str) else None,
    )


def _question_record(item, index: int, default_source: str | None, problems) -> QuestionRecord:
    reader = _Reader(item, f"Question {index}", problems)
    key = reader.text("key", max_length=100)
    if key:
        reader.what = f"Question “{key}”"
        if not KEY_PATTERN.match(key):
            reader.error(f"{reader.what}: a key uses only letters, digits, hyphens and underscores.")
    kind = reader.choice("kind", QuestionKind.values, QuestionKind.SINGLE)
    source = reader.text("source", required=False) or default_source or ""
    if not source:
        reader.error(f'{reader.what} does not say which source it cites (add "source": "<slug>").')
    choices = []
    for entry in reader.listing("choices"):
        choice = _Reader(entry, f"A choice of {reader.what}", problems)
        choices.append(
            (
                choice.text("text", max_length=500),
                choice.boolean("correct", False),
                choice.text("feedback", required=False),
            )
        )
    accepted = reader.listing("accepted_answers")
    if any(not isinstance(answer, str) for answer in accepted):
        reader.error(f"{reader.what}: every accepted answer should be text.")
        accepted = [str(answer) for answer in accepted]
    author = reader.data.get("author")
    return QuestionRecord(
        line=reader.line,
        key=key,
        kind=kind,
        prompt=reader.text("prompt"),
        explanation=reader.text("explanation"),
        source=source,
        passage=reader.integer("passage", minimum=1, required=True) or 0,
        quote=reader.text("quote"),
        points=reader.integer("points", default=1, minimum=1, maximum=100),
        cognitive_level=reader.choice("cognitive_level", CognitiveLevel.values, CognitiveLevel.REMEMBER),
        choices=choices,
        numeric_answer=reader.decimal("numeric_answer"),
        tolerance=reader.decimal("tolerance", Decimal("0")) or Decimal("0"),
        numeric_min=reader.decimal("numeric_min"),
        numeric_max=reader.decimal("numeric_max"),
        text_rules={name: reader.boolean(name, True) for name in ("whole_words", "typos", "other_scripts")},
        unit=reader.text("unit", required=False, max_length=30),
        accepted_answers=accepted,
        published=reader.boolean("published", True),
        author=author if isinstance(author, str) else None,
        author_given="author" in reader.data,
    )


def _quiz_record(item, index: int, problems) -> QuizRecord:
    reader = _Reader(item, f"Quiz {index}", problems)
    slug = reader.text("slug", max_length=100)
    if slug:
        reader.what = f"Quiz “{slug}”"
    keys = reader.data.get("questions", [])
    if keys != "all" and not (isinstance(keys, list) and all(isinstance(k, str) for k in keys)):
        reader.error(f'{reader.what}: “questions” should be a list of question keys, or "all".')
        keys = []
    settings = {
        "pass_mark": reader.integer("pass_mark", default=60, minimum=0, maximum=100),
        "shuffle_questions": reader.boolean("shuffle_questions", True),
        "shuffle_choices": reader.boolean("shuffle_choices", True),
        "feedback_mode": reader.choice("feedback_mode", FeedbackMode.values, FeedbackMode.IMMEDIATE),
        "time_limit_minutes": reader.integer("time_limit_minutes", minimum=1),
        "attempts_allowed": reader.integer("attempts_allowed", minimum=1, maximum=32767),
        "review_answers": reader.choice("review_answers", ReviewMoment.values, Quiz.review_answers.field.default),
        "review_key": reader.choice("review_key", ReviewMoment.values, Quiz.review_key.field.default),
        "review_feedback": reader.choice("review_feedback", ReviewMoment.values, Quiz.review_feedback.field.default),
        "is_published": reader.boolean("published", True),
        "opens_at": reader.moment("opens_at"),
        "closes_at": reader.moment("closes_at"),
    }
    if settings["opens_at"] and settings["closes_at"] and settings["closes_at"] <= settings["opens_at"]:
        reader.error(f"{reader.what} closes before it opens.")
    return QuizRecord(
        line=reader.line,
        slug=slug,
        title=reader.text("title", max_length=200),
        description=reader.text("description", required=False),
        questions=keys,
        settings=settings,
    )


# ---------------------------------------------------------------- export


def question_data(question: Question, choices: list[Choice]) -> dict:
    data = {
        "key": question.key,
        "kind": question.kind,
        "prompt": question.prompt,
        "source": question.passage.source.slug,
        "passage": question.passage.position,
        "quote": question.quote,
        "explanation": question.explanation,
        "points": question.points,
        "cognitive_level": question.cognitive_level,
    }
    if question.has_choices:
        data["choices"] = [{"text": c.text, "correct": c.is_correct, "feedback": c.feedback} for c in choices]
    elif question.kind == QuestionKind.NUMERIC:
        data["numeric_answer"] = plain_number(question.numeric_answer)
        data["tolerance"] = plain_number(question.numeric_tolerance)
        if question.numeric_min is not None:
            data["numeric_min"] = plain_number(question.numeric_min)
        if question.numeric_max is not None:
            data["numeric_max"] = plain_number(question.numeric_max)
        data["unit"] = question.numeric_unit
    else:
        data["accepted_answers"] = list(question.accepted_answers)
        data.update(text_rules_data(question))
    data["published"] = question.is_published
    data["author"] = question.author.get_username() if question.author else None
    return data


def export_bank(questions=None) -> dict:
    """The bank as a JSON-ready dict: ``questions`` (default: all, with every quiz), and their sources."""
    whole_bank = questions is None
    questions = Question.objects.all() if whole_bank else questions
    questions = list(questions.select_related("passage__source", "author").prefetch_related("choices").order_by("key"))
    sources = {question.passage.source_id for question in questions}
    source_rows = Source.objects.filter(pk__in=sources).prefetch_related("passages").order_by("slug")
    bank = {
        "version": FORMAT_VERSION,
        "sources": [
            {
                "slug": source.slug,
                "title": source.title,
                "publisher": source.publisher,
                "url": source.url,
                "published_on": source.published_on.isoformat() if source.published_on else None,
                "text": source.text,
                "passages": [{"position": p.position, "kind": p.kind, "text": p.text} for p in source.passages.all()],
            }
            for source in source_rows
        ],
        "questions": [question_data(q, list(q.choices.all())) for q in questions],
        "quizzes": [],
    }
    if whole_bank:
        quizzes = Quiz.objects.prefetch_related("quiz_questions__question").order_by("slug")
        bank["quizzes"] = [
            {
                "slug": quiz.slug,
                "title": quiz.title,
                "description": quiz.description,
                "questions": [link.question.key for link in quiz.quiz_questions.all()],
                "pass_mark": quiz.pass_mark,
                "shuffle_questions": quiz.shuffle_questions,
                "shuffle_choices": quiz.shuffle_choices,
                "feedback_mode": quiz.feedback_mode,
                "time_limit_minutes": quiz.time_limit_minutes,
                "attempts_allowed": quiz.attempts_allowed,
                "review_answers": quiz.review_answers,
                "review_key": quiz.review_key,
                "review_feedback": quiz.review_feedback,
                "published": quiz.is_published,
                "opens_at": quiz.opens_at.isoformat() if quiz.opens_at else None,
                "closes_at": quiz.closes_at.isoformat() if quiz.closes_at else None,
            }
            for quiz in quizzes
        ]
    return bank


def dumps(bank: dict) -> str:
    return json.dumps(bank, indent=2, ensure_ascii=False) + "\n"

"""Every field an import can set, checked by the models' own ``full_clean()`` before anything is written.

The admin's forms validate through the same model fields (slugs, web addresses, dates,
integer ranges, lengths), so a file cannot store what a form would refuse, and the two
paths cannot drift apart. Each problem carries the line of the record it came from.
NUL characters are refused in every text, as the site refuses them in every request.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Model

from content.models import Passage, Source
from quiz.bank.records import TEXT_RULE_FIELDS
from quiz.models import Choice, Question, QuestionKind, Quiz

if TYPE_CHECKING:
    from quiz.bank.records import ParsedBank, QuestionRecord, QuizRecord, SourceRecord

# The names the file uses, where they differ from the model's.
FILE_NAMES = {
    "is_published": "published",
    "numeric_tolerance": "tolerance",
    "numeric_unit": "unit",
    "is_correct": "correct",
}
# Rules the importer states in its own words (with a hint of the right quote, say), so the
# model's message would only repeat them.
CHECKED_BY_THE_IMPORTER = {"quote", "numeric_answer", "numeric_tolerance", "accepted_answers", "passage"}

Problem = tuple[int | None, str]


def _nul_problems(instance: Model, where: str, line: int | None) -> list[Problem]:
    problems = []
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            name = FILE_NAMES.get(field.name, field.name)
            problems.append((line, f"{where}: “{name}” contains a NUL character, which no text may hold."))
    return problems


def _clean(instance: Model, where: str, line: int | None, *, exclude: list[str]) -> list[Problem]:
    """The model's own validation of ``instance``, as line-numbered problems (it keeps the cleaned values)."""
    problems = _nul_problems(instance, where, line)
    try:
        # Unique keys and slugs are how an import updates what exists, and the database's
        # check constraints are repeated in clean(): neither is asked here.
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as invalid:
        for name, messages in invalid.message_dict.items():
            if name in CHECKED_BY_THE_IMPORTER:
                continue
            label = "" if name == "__all__" else f"“{FILE_NAMES.get(name, name)}”: "
            problems += [(line, f"{where}: {label}{message}") for message in messages]
    return problems


def source_fields(record: "SourceRecord") -> dict:
    """What a new source is made of: the same values are validated here and written by the importer."""
    return {
        "slug": record.slug,
        "title": record.title,
        "text": record.text,
        "publisher": record.publisher,
        "url": record.url,
        "published_on": record.published_on,
    }


def question_fields(record: "QuestionRecord") -> dict:
    """A question's values from its record (all but its passage and author), validated and then written."""
    numeric, short_text = record.kind == QuestionKind.NUMERIC, record.kind == QuestionKind.SHORT_TEXT
    return {
        "kind": record.kind,
        "prompt": record.prompt,
        "explanation": record.explanation,
        "quote": record.quote,
        "points": record.points,
        "cognitive_level": record.cognitive_level,
        "numeric_answer": record.numeric_answer if numeric else None,
        "numeric_tolerance": record.tolerance if numeric else Decimal("0"),
        "numeric_min": record.numeric_min if numeric else None,
        "numeric_max": record.numeric_max if numeric else None,
        "numeric_unit": record.unit if numeric else "",
        "accepted_answers": record.accepted_answers if short_text else [],
        **{field_name: record.text_rules.get(name, True) for name, field_name in TEXT_RULE_FIELDS.items()},
        "is_published": record.published,
    }


def quiz_fields(record: "QuizRecord") -> dict:
    """A quiz's values from its record (all but its slug, owner and questions), validated and then written."""
    return {"title": record.title, "description": record.description, **record.settings}


def field_problems(bank: "ParsedBank") -> list[Problem]:
    """Every field the file sets, validated as the admin's forms do; cleaned values go back into the records."""
    problems: list[Problem] = []
    for record in bank.sources:
        where = f"Source “{record.slug}”"
        source = Source(**source_fields(record))
        problems += _clean(source, where, record.line, exclude=["owner"])
        record.published_on = source.published_on
        for position, kind, text in record.passages:
            passage = Passage(position=position, kind=kind, text=text)
            problems += _clean(passage, f"{where}, passage {position}", record.line, exclude=["source"])
    for question_record in bank.questions:
        where = f"Question “{question_record.key}”"
        question = Question(key=question_record.key, **question_fields(question_record))
        problems += _clean(question, where, question_record.line, exclude=["passage", "author", "cited_fingerprint"])
        for position, (text, correct, feedback) in enumerate(question_record.choices, start=1):
            choice = Choice(position=position, text=text, is_correct=correct, feedback=feedback)
            problems += _clean(choice, f"{where}, choice {position}", question_record.line, exclude=["question"])
    for quiz_record in bank.quizzes:
        quiz = Quiz(slug=quiz_record.slug, **quiz_fields(quiz_record))
        problems += _clean(quiz, f"Quiz “{quiz_record.slug}”", quiz_record.line, exclude=["owner"])
    return problems

"""Draft questions from a file and print them, saving nothing: for scripting and for judging the engines.

manage.py draft_questions article.html
manage.py draft_questions report.pdf --engine model --format text
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from drafting.engines import ENGINE_NAMES, EngineUnavailable, get_engine
from drafting.engines.base import DraftBatch, DraftQuestion, PassageText
from drafting.engines.model import ModelUnavailable
from drafting.extraction import IntakeError, extract_file


class Command(BaseCommand):
    help = "Read a file as the upload page does, draft questions from it and print them (nothing is saved)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a .txt, .md, .html, .pdf or .docx file")
        parser.add_argument("--engine", choices=ENGINE_NAMES, default="offline")
        parser.add_argument("--format", choices=("json", "text"), default="json", dest="output_format")

    def handle(self, *args: Any, path: str, engine: str, output_format: str, **options: Any) -> None:
        passages = read_passages(Path(path))
        try:
            batch = get_engine(engine).draft(passages)
        except (EngineUnavailable, ModelUnavailable) as error:
            raise CommandError(str(error)) from error
        if output_format == "json":
            self.stdout.write(json.dumps(batch_as_json(path, engine, passages, batch), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(batch_as_text(batch))


def read_passages(path: Path) -> list[PassageText]:
    """The passages the upload would make of this file, or CommandError with the upload page's message."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error
    try:
        extracted = extract_file(path.name, data)
    except IntakeError as error:
        raise CommandError(str(error)) from error
    return [PassageText(position, block.kind, block.text) for position, block in enumerate(extracted.blocks, start=1)]


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def draft_as_json(draft: DraftQuestion) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "kind": draft.kind,
        "prompt": draft.prompt,
        "passage": draft.passage_position,
        "quote": draft.quote,
        "level": draft.cognitive_level,
        "rule": draft.rule,
        "explanation": draft.explanation,
    }
    if draft.choices:
        shown["choices"] = [
            {"text": choice.text, "correct": choice.is_correct, "feedback": choice.feedback} for choice in draft.choices
        ]
    if draft.kind == "short_text":
        shown["accepted_answers"] = draft.accepted_answers
    if draft.kind == "numeric":
        shown["numeric"] = {
            "value": _number(draft.numeric_answer),
            "tolerance": _number(draft.numeric_tolerance),
            "min": _number(draft.numeric_min),
            "max": _number(draft.numeric_max),
            "unit": draft.numeric_unit,
        }
    return shown


def batch_as_json(path: str, engine: str, passages: list[PassageText], batch: DraftBatch) -> dict[str, Any]:
    return {
        "source": path,
        "engine": engine,
        "passages": len(passages),
        "drafts": [draft_as_json(draft) for draft in batch.drafts],
        "dropped": dict(sorted(batch.dropped.items())),
    }


def batch_as_text(batch: DraftBatch) -> str:
    lines = []
    for number, draft in enumerate(batch.drafts, start=1):
        lines.append(f"{number}. [{draft.kind}, passage {draft.passage_position}, {draft.rule}] {draft.prompt}")
        for choice in draft.choices:
            lines.append(f"   {'*' if choice.is_correct else '-'} {choice.text}")
        if draft.accepted_answers:
            lines.append(f"   = {' / '.join(draft.accepted_answers)}")
        if draft.kind == "numeric":
            answer = draft_as_json(draft)["numeric"]
            lines.append(f"   = {answer['value']} (min {answer['min']}, max {answer['max']}, ± {answer['tolerance']})")
        lines.append(f"   quote: “{draft.quote}”")
    dropped = ", ".join(f"{reason} {count}" for reason, count in sorted(batch.dropped.items()))
    lines.append(f"{len(batch.drafts)} drafts; dropped: {dropped or 'none'}")
    return "\n".join(lines)

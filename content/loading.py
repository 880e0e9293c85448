"""Load the shipped sources and their question banks into the database, idempotently.

Running it again updates rows in place by stable keys (source slug, passage
position, question key, choice position, quiz slug): it never duplicates and never
deletes anything that students' responses point at.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from content.models import Passage, Source
from content.splitting import split_passages

SOURCES_DIR = Path(__file__).resolve().parent / "sources"


class BankError(Exception):
    """The shipped data is inconsistent; the message says where."""


@dataclass
class LoadReport:
    sources: int = 0
    passages: int = 0
    questions_created: int = 0
    questions_updated: int = 0
    quizzes: int = 0
    notes: list[str] = field(default_factory=list)


def sync_passages(source: Source) -> list[Passage]:
    """Make the source's passages match its text, position by position.

    Passages past the new end are removed only when no question cites them;
    otherwise they are kept and reported, so no citation silently disappears.
    """
    split = split_passages(source.text)
    existing = {passage.position: passage for passage in source.passages.all()}
    passages = []
    for position, piece in enumerate(split, start=1):
        passage = existing.pop(position, None)
        if passage is None:
            passage = Passage.objects.create(source=source, position=position, kind=piece.kind, text=piece.text)
        elif (passage.kind, passage.text) != (piece.kind, piece.text):
            passage.kind, passage.text = piece.kind, piece.text
            passage.save(update_fields=["kind", "text"])
        passages.append(passage)
    for leftover in existing.values():
        if not leftover.questions.exists():
            leftover.delete()
    return passages


def load_source_dir(directory: Path, report: LoadReport) -> None:
    from quiz.loading import load_question_bank

    meta = json.loads((directory / "source.json").read_text(encoding="utf-8"))
    text = (directory / meta["text_file"]).read_text(encoding="utf-8")
    source, _ = Source.objects.update_or_create(
        slug=meta["slug"],
        defaults={
            "title": meta["title"],
            "publisher": meta.get("publisher", ""),
            "url": meta.get("url", ""),
            "published_on": meta.get("published_on"),
            "text": text,
        },
    )
    passages = sync_passages(source)
    report.sources += 1
    report.passages += len(passages)
    questions_file = meta.get("questions_file")
    if questions_file and (directory / questions_file).exists():
        bank = json.loads((directory / questions_file).read_text(encoding="utf-8"))
        load_question_bank(bank, source=source, report=report)


@transaction.atomic
def load_all(sources_dir: Path = SOURCES_DIR) -> LoadReport:
    report = LoadReport()
    for directory in sorted(path for path in sources_dir.iterdir() if (path / "source.json").exists()):
        load_source_dir(directory, report)
    return report


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))

"""Load the shipped sources (content/sources/<slug>/) into the database, idempotently.

Running it again updates rows in place by stable keys (source slug, passage
position): it never duplicates a passage and never deletes one a question cites.
The question banks beside the sources are the quiz app's to import
(``quiz.bank.shipped``); this module only says where each one is.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from content.models import Passage, Source
from content.splitting import split_passages

SOURCES_DIR = Path(__file__).resolve().parent / "sources"


@dataclass(frozen=True)
class LoadedSource:
    source: Source
    passages: int
    questions_file: Path | None  # the source's question bank, when it ships one


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


def load_source_dir(directory: Path) -> LoadedSource:
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
    questions_file = directory / meta["questions_file"] if meta.get("questions_file") else None
    if questions_file is not None and not questions_file.exists():
        questions_file = None
    return LoadedSource(source=source, passages=len(passages), questions_file=questions_file)


def load_sources(sources_dir: Path = SOURCES_DIR) -> list[LoadedSource]:
    """Every shipped source, in slug-directory order (the caller holds the transaction)."""
    directories = sorted(path for path in sources_dir.iterdir() if (path / "source.json").exists())
    return [load_source_dir(directory) for directory in directories]

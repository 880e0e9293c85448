"""``load_content``: the shipped sources and their question banks, through the one importer.

Sources and passages are content's (``content.loading``); each source's
``questions.json`` then goes through ``importer.import_text``, exactly as a file
uploaded in the admin does, so the shipped bank obeys the same checks and a
second run reports every question unchanged.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from content.loading import SOURCES_DIR, load_sources
from quiz.bank import importer


@dataclass
class LoadReport:
    sources: int = 0
    passages: int = 0
    questions_created: int = 0
    questions_updated: int = 0
    questions_unchanged: int = 0
    quizzes: int = 0

    def summary(self) -> str:
        return (
            f"Loaded {self.sources} source(s), {self.passages} passages, {self.questions_created} new, "
            f"{self.questions_updated} updated and {self.questions_unchanged} unchanged questions, "
            f"{self.quizzes} quizzes."
        )


@transaction.atomic
def load_all(sources_dir: Path = SOURCES_DIR) -> LoadReport:
    """Load every shipped source and its bank, all or nothing (a ``BankFormatError`` says where)."""
    report = LoadReport()
    for loaded in load_sources(sources_dir):
        report.sources += 1
        report.passages += loaded.passages
        if loaded.questions_file is None:
            continue
        text = loaded.questions_file.read_text(encoding="utf-8")
        imported = importer.import_text(text, fmt="json", default_source=loaded.source.slug)
        report.questions_created += imported.created
        report.questions_updated += imported.updated
        report.questions_unchanged += imported.unchanged
        report.quizzes += imported.quizzes
    return report

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quiz.bank import importer
from quiz.bank.records import BankFormatError


class Command(BaseCommand):
    help = (
        "Import a question bank (our JSON format or GIFT): all of it, or nothing when any line is wrong. "
        "Questions are matched by key and updated; none is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=["auto", "json", "gift"], default="auto")
        parser.add_argument(
            "--source", help="Slug of the source cited by JSON questions that do not name one (as in shipped banks)."
        )

    def handle(self, *args, path: str, format: str, source: str | None, **options):
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"No file at {path}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text.") from None
        if format == "auto":
            format = importer.guess_format(path, text)
        try:
            report = importer.import_text(text, fmt=format, default_source=source)
        except BankFormatError as problem:
            raise CommandError(f"{path}: {problem}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {path}: {report.summary()}."))

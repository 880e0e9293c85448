import sys

from django.core.management.base import BaseCommand

from quiz.bank import gift, json_format
from quiz.models import Question


class Command(BaseCommand):
    help = "Write the whole question bank (with its quizzes and sources) as our JSON format, or as GIFT."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "gift"], default="json")
        parser.add_argument("--output", "-o", help="File to write; standard output when left out.")

    def handle(self, *args, format: str, output: str | None, **options):
        if format == "gift":
            text = gift.export_gift(Question.objects.all())
        else:
            text = json_format.dumps(json_format.export_bank())
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(self.style.SUCCESS(f"Wrote {Question.objects.count()} questions to {output}."))
        else:
            sys.stdout.write(text)

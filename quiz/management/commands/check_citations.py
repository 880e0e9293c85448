from django.core.management.base import BaseCommand, CommandError

from quiz.bank.citations import BROKEN, STALE, citation_problems
from quiz.models import Question


class Command(BaseCommand):
    help = (
        "Fail when any published question's quote is not verbatim in the passage it cites; "
        "list citations whose passage changed since they were checked."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--strict", action="store_true", help="Also fail when a passage changed since its citations were checked."
        )
        parser.add_argument("--all", action="store_true", help="Check unpublished questions too.")

    def handle(self, *args, strict: bool, all: bool, **options):
        questions = Question.objects.all() if all else Question.objects.published()
        problems = citation_problems(questions)
        for problem in problems:
            passage = problem.question.passage
            label = "BROKEN" if problem.kind == BROKEN else "re-check"
            self.stdout.write(
                f"{label}: {problem.question.key}: {problem.reason} ({passage.source.slug} ¶{passage.position})"
            )
        broken = [p for p in problems if p.kind == BROKEN]
        stale = [p for p in problems if p.kind == STALE]
        scope = "question(s)" if all else "published question(s)"
        if broken:
            raise CommandError(f"{len(broken)} {scope} cite a quote that is not in their passage.")
        if strict and stale:
            raise CommandError(f"{len(stale)} {scope} cite a passage that changed since it was checked.")
        self.stdout.write(
            self.style.SUCCESS(f"All {questions.count()} {scope.replace('(s)', 's')}' quotes are verbatim.")
        )

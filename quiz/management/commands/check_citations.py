from django.core.management.base import BaseCommand, CommandError

from quiz.citations import broken_citations
from quiz.models import Question


class Command(BaseCommand):
    help = "Fail when any published question's quote is not verbatim in the passage it cites."

    def handle(self, *args, **options):
        published = Question.objects.published()
        broken = broken_citations(published)
        hard = [item for item in broken if "not verbatim" in item.reason]
        for item in broken:
            passage = item.question.passage
            self.stdout.write(f"{item.question.key}: {item.reason} ({passage.source.slug} ¶{passage.position})")
        if hard:
            raise CommandError(f"{len(hard)} published question(s) cite a quote that is not in their passage.")
        self.stdout.write(self.style.SUCCESS(f"All {published.count()} published citations are verbatim."))

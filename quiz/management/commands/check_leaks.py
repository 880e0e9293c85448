from django.core.management.base import BaseCommand, CommandError

from quiz.bank.leaks import leaks_by_quiz
from quiz.models import Quiz


class Command(BaseCommand):
    help = (
        "Fail when a question of a published quiz gives away another's answer in its prompt or choices, "
        "or in its explanation or feedback when the quiz shows feedback after each question."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Check unpublished quizzes too.")

    def handle(self, *args, all: bool, **options):
        quizzes = Quiz.objects.all() if all else Quiz.objects.published()
        total = 0
        for quiz, leaks in leaks_by_quiz(quizzes.order_by("slug")):
            total += len(leaks)
            for leak in leaks:
                self.stdout.write(f"LEAK in {quiz.slug}: {leak.describe()}")
        if total:
            raise CommandError(f"{total} leak(s): a question gives away another's answer in the same quiz.")
        self.stdout.write(
            self.style.SUCCESS(f"No question gives away another's answer in {quizzes.count()} quiz(zes).")
        )

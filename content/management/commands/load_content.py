from django.core.management.base import BaseCommand, CommandError

from content.loading import BankError, load_all


class Command(BaseCommand):
    help = "Load every shipped source and its question bank (safe to run again: updates in place)."

    def handle(self, *args, **options):
        try:
            report = load_all()
        except BankError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {report.sources} source(s), {report.passages} passages, "
                f"{report.questions_created} new and {report.questions_updated} updated questions, "
                f"{report.quizzes} quizzes."
            )
        )

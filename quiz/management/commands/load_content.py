from django.core.management.base import BaseCommand, CommandError

from quiz.bank.records import BankFormatError
from quiz.bank.shipped import load_all


class Command(BaseCommand):
    help = "Load every shipped source and its question bank (safe to run again: updates in place)."

    def handle(self, *args, **options):
        try:
            report = load_all()
        except BankFormatError as error:
            raise CommandError(f"{error.args[0] if error.args else error}") from error
        self.stdout.write(self.style.SUCCESS(report.summary()))

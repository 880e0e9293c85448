from django.core.management.base import BaseCommand

from quiz.bank.figures import bank_figures


class Command(BaseCommand):
    help = "Print the bank's mix of cognitive levels, where its answer keys stand, and its quizzes' leak counts."

    def handle(self, *args, **options):
        for line in bank_figures().lines():
            self.stdout.write(line)

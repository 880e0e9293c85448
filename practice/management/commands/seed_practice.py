import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from practice import services
from practice.models import Card, Review


class Command(BaseCommand):
    help = (
        "Give the demo students the practice they would have done since their quizzes (FSRS-scheduled reviews), "
        "leaving cards due today. Run after seed_demo. DEBUG only."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_practice writes made-up review history; it refuses to run with DEBUG off.")
        now = timezone.now()
        rng = random.Random(2026)
        students = get_user_model().objects.filter(practice_cards__isnull=False, is_staff=False).distinct()
        made = 0
        for student in students.order_by("username"):
            if Review.objects.filter(card__student=student, response__isnull=True).exists():
                continue  # already practised: run twice, change nothing
            made += services.history_simulate(student=student, now=now, ability=rng.gauss(0, 1), rng=rng)
        cards = Card.objects.filter(student__in=students)
        due = cards.filter(due__lte=now).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Practice: {cards.count()} cards for {students.count()} students, {made} practice reviews added, "
                f"{due} cards due now. Students see them at /practice/."
            )
        )

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from practice import services


class Command(BaseCommand):
    help = (
        "Demo clock: move one student's practice schedule and history DAYS into the past, as if that time "
        "had gone by, so cards come due now. DEBUG only."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=float, default=1.0)

    def handle(self, *args, username: str, days: float, **options):
        if not settings.DEBUG:
            raise CommandError("practice_clock rewrites review times; it refuses to run with DEBUG off.")
        if not 0 < days <= 365:
            raise CommandError("Give --days between 0 and 365.")
        student = get_user_model().objects.filter(username=username).first()
        if student is None:
            raise CommandError(f"No user is called {username!r}.")
        moved = services.schedule_shift(student=student, days=days)
        self.stdout.write(self.style.SUCCESS(f"{moved} cards of {username} moved {days:g} days into the past."))

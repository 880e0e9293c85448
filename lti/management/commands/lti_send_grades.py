from django.core.management.base import BaseCommand

from lti.tasks import send_due_grades


class Command(BaseCommand):
    help = "Send every grade waiting for its LMS whose next try is due (the worker also retries on its own)."

    def handle(self, *args, **options) -> None:
        delivered = send_due_grades()
        self.stdout.write(f"{delivered} grade(s) delivered.")

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_ACCOUNTS = [
    # (username, password, is_teacher)
    ("teacher", "teach-the-source-2026", True),
    ("student1", "learn-the-source-2026", False),
    ("student2", "learn-the-source-2026", False),
]


class Command(BaseCommand):
    help = "Create demo accounts (a teacher and two students) and print their passwords. DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with published passwords; it refuses to run with DEBUG off.")
        User = get_user_model()
        for username, password, is_teacher in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = is_teacher
            user.save()
            if is_teacher:
                from quiz.roles import make_teacher

                make_teacher(user)
            role = "teacher" if is_teacher else "student"
            self.stdout.write(f"  {role:8} {username:10} password: {password}")
        self.stdout.write(self.style.SUCCESS("Demo accounts ready."))

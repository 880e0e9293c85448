from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import make_teacher, remove_teacher


class Command(BaseCommand):
    help = "Make an existing user a teacher (staff, in the Teachers group), or take the role away with --remove."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--remove", action="store_true", help="Remove the user from the teachers instead.")

    def handle(self, *args, username: str, remove: bool, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user is called {username!r}; they must sign up first.") from None
        if remove:
            remove_teacher(user)
            self.stdout.write(self.style.SUCCESS(f"{username} is no longer a teacher."))
        else:
            make_teacher(user)
            self.stdout.write(self.style.SUCCESS(f"{username} is now a teacher and can sign in at /admin/."))

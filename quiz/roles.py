"""Who is a teacher: a staff user in the Teachers group."""

from django.contrib.auth.models import Group

TEACHERS_GROUP = "Teachers"


def make_teacher(user) -> None:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    group, _ = Group.objects.get_or_create(name=TEACHERS_GROUP)
    user.groups.add(group)


def is_teacher(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or (user.is_staff and user.groups.filter(name=TEACHERS_GROUP).exists())
    )

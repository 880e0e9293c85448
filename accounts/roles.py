"""Who is a teacher (a staff user in the Teachers group), and the guard of teachers' pages.

The group's permissions are exactly what authoring needs: the question bank,
quizzes, sources and classes in full; students' attempts and responses only to
read (a regrade, logged, is the one way their scores change); nothing on users,
so a teacher can neither reset a password nor touch another staff account.
The data migration ``quiz/migrations/0002_teachers_group.py`` creates the group
with a frozen copy of this list; a test keeps the two equal.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.http.response import HttpResponseBase
from django.shortcuts import render

from config.requests import HtmxHttpRequest

TEACHERS_GROUP = "Teachers"

AUTHORING_MODELS = {
    "content": ["source", "passage"],
    "quiz": ["question", "choice", "quiz", "quizquestion", "classroom", "assignment"],
}
READ_ONLY_MODELS = {"quiz": ["attempt", "response", "regradelog"]}
# Logging a regrade is how a teacher applies a corrected answer key to past attempts.
EXTRA_PERMISSIONS = ["quiz.add_regradelog"]


def teacher_permission_names() -> set[str]:
    """Every permission of the Teachers group, as ``app_label.codename``."""
    names = {
        f"{app}.{action}_{model}"
        for app, models in AUTHORING_MODELS.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    }
    names |= {f"{app}.view_{model}" for app, models in READ_ONLY_MODELS.items() for model in models}
    return names | set(EXTRA_PERMISSIONS)


def teacher_permissions():
    condition = Q(pk__in=[])
    for name in teacher_permission_names():
        app_label, codename = name.split(".")
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(condition)


def teachers_group() -> Group:
    group, created = Group.objects.get_or_create(name=TEACHERS_GROUP)
    if created:
        group.permissions.set(teacher_permissions())
    return group


def make_teacher(user) -> None:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(teachers_group())


def remove_teacher(user) -> None:
    """Take the teacher role away; a superuser keeps staff status, others lose it."""
    user.groups.remove(*Group.objects.filter(name=TEACHERS_GROUP))
    if not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


def is_teacher(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or (user.is_staff and user.groups.filter(name=TEACHERS_GROUP).exists())
    )


def teacher_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Anonymous visitors log in first; signed-in non-teachers get a 403 that says why."""

    @wraps(view)
    @login_required
    def guarded(request: HtmxHttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not is_teacher(request.user):
            # A fragment for an htmx swap, the whole page otherwise and for htmx's history restore
            # (the rule of quiz.views.shapes, which the teachers' views wrap around this guard).
            fragment = request.htmx and not request.htmx.history_restore_request
            template = "teach/forbidden.html#message" if fragment else "teach/forbidden.html"
            return render(request, template, status=403)
        return view(request, *args, **kwargs)

    return guarded

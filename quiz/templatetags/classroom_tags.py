"""Template helpers for classes and dashboards."""

from django import template
from django.db.models import F, Prefetch

from quiz.models import Assignment, Classroom

register = template.Library()


@register.simple_tag
def classrooms_joined(user):
    """The classes a student belongs to, with their assigned quizzes: two queries."""
    if not user.is_authenticated:
        return []
    assignments = (
        Assignment.objects.filter(quiz__is_published=True)
        .select_related("quiz")
        .order_by(F("due_at").asc(nulls_last=True), "quiz__title")
    )
    return list(
        Classroom.objects.filter(students=user)
        .select_related("teacher")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
        .order_by("name")
    )


@register.filter
def percent(value) -> str:
    """83.4 → "83%"; nothing yet → an en dash."""
    return "–" if value is None else f"{value:.0f}%"


@register.filter
def whole(value) -> str:
    """A statistic rounded to a whole number (never "-0"); undefined → an en dash."""
    return "–" if value is None else str(int(round(value)) or 0)


@register.filter
def decimal2(value) -> str:
    """A statistic to two decimals; undefined → an en dash."""
    return "–" if value is None else f"{value:.2f}"


@register.filter
def seconds(value) -> str:
    """72 → "1 min 12 s"."""
    if value is None:
        return "–"
    value = round(value)
    return f"{value // 60} min {value % 60} s" if value >= 60 else f"{value} s"

"""Practice pieces that other pages include: the due count, the student's recall, a class's recall.

Tags rather than context from those pages' views, so the pages stay as they are
with one line added; each piece runs its own constant number of queries.
"""

from django import template
from django.utils import timezone

from practice import services

register = template.Library()


def _due_count(context) -> int:
    """Counted once per request: the navigation and the home page share one query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_practice_due_count"):
        request._practice_due_count = services.due_count(student=user, now=timezone.now())
    return request._practice_due_count


@register.inclusion_tag("practice/includes/due_link.html", takes_context=True)
def practice_due_link(context, oob: bool = False) -> dict:
    """The navigation's link; ``oob`` for an htmx fragment that refreshes it out of band."""
    request = context.get("request")
    return {
        "due_count": _due_count(context),
        "current": request.resolver_match.url_name if request else "",
        "oob": oob,
    }


@register.inclusion_tag("practice/includes/due_banner.html", takes_context=True)
def practice_due_banner(context) -> dict:
    return {"due_count": _due_count(context)}


@register.inclusion_tag("practice/includes/my_recall.html", takes_context=True)
def my_recall(context) -> dict:
    student, now = context["request"].user, timezone.now()
    return {
        "recall": services.my_recall(student=student, now=now),
        "week": services.due_this_week(student=student, now=now),
    }


@register.inclusion_tag("practice/includes/class_practice.html", takes_context=True)
def class_practice(context, classroom) -> dict:
    now = timezone.now()
    return {
        "classroom": classroom,
        "csrf_token": context.get("csrf_token"),
        "paused": services.practice_is_paused(classroom),
        "recall": services.class_recall(classroom=classroom, now=now),
        "forgotten": services.most_forgotten(classroom=classroom),
    }

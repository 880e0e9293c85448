"""A student's own progress: scores over time, what they know of each passage, what they missed."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from config.requests import HtmxHttpRequest
from quiz.models import Attempt
from quiz.reporting import charts
from quiz.reporting.progress import missed_questions, passage_mastery
from quiz.views.shapes import render_shaped, two_shaped, wants_fragment

MISSED_PER_PAGE = 10


@login_required
@require_safe
@two_shaped
def my_progress(request: HtmxHttpRequest) -> HttpResponse:
    """Only ever the signed-in student's own data: every query filters on request.user."""
    attempts = list(Attempt.objects.for_student(request.user).select_related("quiz").order_by("-started_at"))
    missed = Paginator(missed_questions(request.user), MISSED_PER_PAGE).get_page(request.GET.get("missed_page"))
    context: dict[str, object] = {"attempts": attempts, "missed": missed}
    if wants_fragment(request) and request.GET.get("missed_page"):
        return render(request, "quiz/progress.html#missed", context)
    mastery = passage_mastery(request.user)
    context.update(
        score_chart=_score_chart(attempts),
        mastery=mastery,
        mastery_tried=sum(1 for item in mastery if item.mastery is not None),
    )
    return render_shaped(request, "quiz/progress.html", "progress", context)


def _score_chart(attempts: list[Attempt]) -> str:
    finished = sorted((a for a in attempts if a.finished_at is not None), key=lambda a: a.finished_at or a.started_at)
    if not finished:
        return ""
    points = [(f"{a.finished_at:%-d %b}", float(a.percent)) for a in finished]
    best = max(finished, key=lambda a: a.percent)
    description = (
        f"{len(finished)} finished attempt{'s' if len(finished) != 1 else ''} from {finished[0].finished_at:%-d %b %Y} "
        f"to {finished[-1].finished_at:%-d %b %Y}. Latest: {finished[-1].percent}% on {finished[-1].quiz.title}. "
        f"Best: {best.percent}% on {best.quiz.title}."
    )
    return charts.line_chart(points, chart_id="my-scores", title="My scores over time", description=description)

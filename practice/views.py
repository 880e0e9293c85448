"""Practice pages: one due card per screen with cited feedback, and a teacher's switch per class.

Each view serves its full page and, for htmx, the ``#panel`` fragment, and sends
``Vary: HX-Request``; without JavaScript the forms post and redirect (post/redirect/get).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import push_url

from accounts.roles import teacher_required
from config.requests import HtmxHttpRequest
from practice import services
from practice.models import Card, Review
from quiz.forms import AnswerForm
from quiz.models import Classroom


def _scope(request: HttpRequest) -> services.Scope:
    passage = request.GET.get("passage", "")
    return services.Scope(
        source=request.GET.get("source", "")[:100],
        quiz=request.GET.get("quiz", "")[:100],
        passage=int(passage) if passage.isdigit() else None,
    )


def _with_scope(url: str, scope: services.Scope) -> str:
    query = scope.query()
    return f"{url}?{urlencode(query)}" if query else url


def _is_fragment(request: HtmxHttpRequest) -> bool:
    # htmx's history restore wants the whole page, like any visit without htmx.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _render(request: HtmxHttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
    fragment = _is_fragment(request)
    response = render(
        request, "practice/session.html#panel" if fragment else "practice/session.html", context, status=status
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _card_or_404(request: HttpRequest, card_id: int) -> Card:
    """The signed-in student's own card, or 404 (also for another student's card id)."""
    card = services.card_for(student=request.user, card_id=card_id)
    if card is None:
        raise Http404("No practice card of yours has this id.")
    return card


def _card_context(request, card: Card, scope: services.Scope, *, form=None, review=None) -> dict:
    found = services.card_question(card)
    if found is None:
        raise Http404("This question is no longer in the bank.")
    question, choices = found
    url = _with_scope(reverse("practice_card", args=[card.pk]), scope)
    return {
        "card": card,
        "question": question,
        "choices": choices,
        "form": form if form is not None else (None if review else AnswerForm(question=question, choices=choices)),
        "selected": form.data.getlist("choices") or [form.data.get("choice", "")] if form is not None else [],
        "review": review,
        "card_url": url,
        "next_url": _with_scope(reverse("practice_session"), scope),
        "scope": scope,
        "guessed": bool(form is not None and form.data.get("guessed")),
    }


@login_required
@require_safe
def practice_session(request: HtmxHttpRequest) -> HttpResponse:
    """The next due card of the session, or, when none is left, the weakest passages to practise ahead."""
    now = timezone.now()
    scope = _scope(request)
    card = services.next_card(student=request.user, now=now, scope=scope)
    if card is not None:
        context = _card_context(request, card, scope) | {"refresh_nav": _is_fragment(request)}
        response = _render(request, context)
        return push_url(response, context["card_url"]) if request.htmx else response
    paused = services.practice_paused_for(request.user)
    context = {
        "scope": scope,
        "paused": paused,
        "weakest": [] if paused else services.weakest_passages(student=request.user, now=now),
        "next_url": _with_scope(reverse("practice_session"), scope),
        "refresh_nav": _is_fragment(request),
    }
    return _render(request, context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def practice_card(request: HtmxHttpRequest, card_id: int) -> HttpResponse:
    """One card: its question (GET), or its answer recorded and rated (POST), then the cited feedback."""
    card = _card_or_404(request, card_id)
    scope = _scope(request)
    if getattr(card, "is_paused", False):
        return _render(request, {"scope": scope, "paused": True, "next_url": reverse("practice_session")}, status=409)
    if request.method in ("GET", "HEAD"):
        return _render(request, _card_context(request, card, scope))
    found = services.card_question(card)
    if found is None:
        raise Http404("This question is no longer in the bank.")
    question, choices = found
    shown_reps = request.POST.get("reps", "")
    if shown_reps.isdigit() and int(shown_reps) < card.reps:
        # This tab showed the card before another tab answered it: show what was recorded.
        recorded = Review.objects.filter(card=card, number=int(shown_reps) + 1).first()
        if recorded is not None and recorded.question_snapshot:  # a practice answer, not a quiz's
            return _reviewed(request, card, recorded, scope)
    form = AnswerForm(request.POST, question=question, choices=choices)
    if not form.is_valid():
        return _render(request, _card_context(request, card, scope, form=form), status=422)
    review, _created = services.review_record(
        card=card,
        question=question,
        choices=choices,
        answer=form.submitted_answer(),
        guessed=bool(request.POST.get("guessed")),
        now=timezone.now(),
    )
    return _reviewed(request, card, review, scope)


def _reviewed(request: HtmxHttpRequest, card: Card, review: Review, scope: services.Scope) -> HttpResponse:
    url = _with_scope(reverse("practice_review", args=[card.pk, review.number]), scope)
    if not request.htmx:
        return redirect(url)
    return push_url(_render(request, _card_context(request, card, scope, review=review)), url)


@login_required
@require_safe
def practice_review(request: HtmxHttpRequest, card_id: int, number: int) -> HttpResponse:
    """The feedback on one practice answer, so refresh and back land on it again."""
    card = _card_or_404(request, card_id)
    review = Review.objects.filter(card=card, number=number).exclude(question_snapshot={}).first()
    if review is None:
        raise Http404("This card has no such practice answer.")
    return _render(request, _card_context(request, card, _scope(request), review=review))


@teacher_required
@require_POST
def practice_pause(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Turn practice off, or on again, for the students of one of the teacher's classes."""
    # Another teacher's class is a 404, like any unknown id.
    classroom = get_object_or_404(Classroom.objects.taught_by(request.user), pk=classroom_id)
    paused = request.POST.get("paused") == "on"
    services.practice_pause_set(classroom=classroom, teacher=request.user, paused=paused, now=timezone.now())
    messages.success(request, f"Practice is {'off' if paused else 'on'} for {classroom.name}.")
    return redirect(f"{reverse('teach_dashboard')}?{urlencode({'classroom': classroom.pk})}")

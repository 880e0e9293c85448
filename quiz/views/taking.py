"""The student's path through a quiz: start, one question per screen, feedback, results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, push_url

from config.requests import HtmxHttpRequest
from quiz.bank import cache as bank_cache
from quiz.forms import AnswerForm, JoinClassForm
from quiz.models import Attempt, Choice, Classroom, FeedbackMode, Question, Quiz, Response
from quiz.services import (
    AttemptRefused,
    attempt_finish,
    attempt_refusal,
    attempt_start,
    attempt_time_is_up,
    response_record,
)


def _get_attempt_for(request: HtmxHttpRequest, public_id) -> Attempt:
    """The signed-in student's own attempt, or 404 (also for other students' ids).

    The bank stamp comes in the same query, so the quiz and the questions can come
    from the cache: no join, and no query for them.
    """
    attempts = Attempt.objects.annotate(**{bank_cache.STAMP_FIELD: bank_cache.stamp_subquery()})
    attempt = get_object_or_404(attempts, public_id=public_id, student=request.user)
    quiz = bank_cache.quiz(attempt.quiz_id, getattr(attempt, bank_cache.STAMP_FIELD))
    if quiz is not None:  # the attempt's foreign key says it exists
        attempt.quiz = quiz
    return attempt


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    quizzes = Quiz.objects.published().annotate(question_total=Count("quiz_questions", distinct=True))
    joined: list[Classroom] = []
    if request.user.is_authenticated:
        mine = Q(attempts__student=request.user)
        quizzes = quizzes.annotate(
            my_attempts=Count("attempts", filter=mine, distinct=True),
            my_best=Max("attempts__score", filter=mine & Q(attempts__finished_at__isnull=False)),
            my_in_progress=Count("attempts", filter=mine & Q(attempts__finished_at__isnull=True), distinct=True),
        )
        joined = list(Classroom.objects.joined_by(request.user))
    return render(request, "quiz/home.html", {"quizzes": quizzes, "joined": joined, "join_form": JoinClassForm()})


@require_safe
def quiz_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published(), slug=slug)
    attempts = []
    if request.user.is_authenticated:
        attempts = list(Attempt.objects.for_student(request.user).filter(quiz=quiz))
    question_total = quiz.quiz_questions.filter(question__is_published=True).count()
    in_progress = next((a for a in attempts if not a.is_finished), None)
    return render(
        request,
        "quiz/quiz_detail.html",
        {"quiz": quiz, "attempts": attempts, "in_progress": in_progress, "question_total": question_total},
    )


@login_required
@require_POST
def quiz_start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published(), slug=slug)
    try:
        attempt = attempt_start(quiz=quiz, student=request.user)
    except AttemptRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("quiz_detail", slug=quiz.slug)
    return redirect("attempt_question", public_id=attempt.public_id)


def _question_with_choices(attempt: Attempt, question_id: int) -> tuple[Question, list[Choice]]:
    found = bank_cache.question_with_choices(question_id, getattr(attempt, bank_cache.STAMP_FIELD, None))
    if found is None:
        raise Http404("This question is no longer in the bank.")
    question, all_choices = found
    return question, attempt.shown_choices(question.pk, all_choices)


def _render_panel(
    request, attempt, question, choices, *, form=None, response=None, refusal=None, status=200, question_url=None
) -> HttpResponse:
    position = attempt.position_of(question.pk)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "question": question,
        "choices": choices,
        "position": position,
        "form": form,
        "response": response,
        "refusal": refusal,
        "show_feedback": response is not None and attempt.quiz.feedback_mode == FeedbackMode.IMMEDIATE,
        "selected": form.selected_choice_ids() if form else [],
        "question_url": question_url or reverse("attempt_answer", args=[attempt.public_id, position]),
    }
    template = "quiz/take.html#panel" if request.htmx else "quiz/take.html"
    return render(request, template, context, status=status)


@login_required
@require_safe
def attempt_question(request: HtmxHttpRequest, public_id) -> HttpResponse:
    """The attempt's next unanswered question; the results once none is left."""
    attempt = _get_attempt_for(request, public_id)
    if not attempt.is_finished:
        refusal = attempt_refusal(attempt)
        if refusal:
            messages.info(request, refusal)
    if attempt.is_finished:
        return _redirect_to_results(request, attempt)
    # No ordering: Response's default one joins the attempt only to sort.
    answered = set(Response.objects.filter(attempt_id=attempt.pk).order_by().values_list("question_id", flat=True))
    next_id = next((pk for pk in attempt.question_ids if pk not in answered), None)
    if next_id is None:
        attempt_finish(attempt=attempt)
        return _redirect_to_results(request, attempt)
    question, choices = _question_with_choices(attempt, next_id)
    url = reverse("attempt_answer", args=[attempt.public_id, attempt.position_of(next_id)])
    form = AnswerForm(question=question, choices=choices)
    page = _render_panel(request, attempt, question, choices, form=form, question_url=url)
    if request.htmx:
        push_url(page, url)
    return page


def _redirect_to_results(request: HtmxHttpRequest, attempt: Attempt) -> HttpResponse:
    url = reverse("attempt_results", args=[attempt.public_id])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attempt_answer(request: HtmxHttpRequest, public_id, position: int) -> HttpResponse:
    """Question ``position`` of the attempt: its form, or its feedback once answered.

    POST records the answer (once; a repeat gets the recorded result back) and
    shows the feedback; without htmx it redirects here so refresh and back are safe.
    """
    attempt = _get_attempt_for(request, public_id)
    if not 1 <= position <= attempt.question_count:
        raise Http404("This attempt has no such question.")
    question, choices = _question_with_choices(attempt, attempt.question_ids[position - 1])
    if request.method in ("GET", "HEAD"):
        response = Response.objects.filter(attempt=attempt, question=question).first()
        if response is None and attempt.is_finished:
            return _redirect_to_results(request, attempt)
        form = None if response else AnswerForm(question=question, choices=choices)
        return _render_panel(request, attempt, question, choices, form=form, response=response)

    form = AnswerForm(request.POST, question=question, choices=choices)
    # A closed attempt is refused before the answer is read: "time is up" is the news,
    # not "pick one answer".
    refusal = attempt_refusal(attempt)
    if refusal is None and form.is_valid():
        try:
            # No look for an earlier answer first: the unique constraint finds a repeat,
            # and response_record then returns the answer already recorded.
            response, _created = response_record(
                attempt=attempt, question=question, choices=choices, answer=form.submitted_answer()
            )
        except AttemptRefused as refused:
            refusal = str(refused)
        else:
            return _answered(request, attempt, question, choices, response)
    # A repeat (double click, second tab, replayed POST) gets the recorded answer back,
    # whatever it sent this time and even if that answer closed the attempt.
    recorded = Response.objects.filter(attempt=attempt, question=question).first()
    if recorded is not None:
        return _answered(request, attempt, question, choices, recorded)
    if refusal is None:
        return _render_panel(request, attempt, question, choices, form=form, status=422)
    # The attempt is closed: say why and lead to the results, with no form left to fill.
    return _render_panel(request, attempt, question, choices, refusal=refusal, status=409)


def _answered(request, attempt, question, choices, response) -> HttpResponse:
    url = reverse("attempt_answer", args=[attempt.public_id, attempt.position_of(question.pk)])
    if not request.htmx:
        return redirect(url)
    return push_url(_render_panel(request, attempt, question, choices, response=response, question_url=url), url)


@login_required
@require_POST
def attempt_submit(request: HtmxHttpRequest, public_id) -> HttpResponse:
    """Finish the attempt now, leaving unanswered questions at zero."""
    attempt = _get_attempt_for(request, public_id)
    if not attempt.is_finished:
        attempt_finish(attempt=attempt)
    return _redirect_to_results(request, attempt)


@login_required
@require_safe
def attempt_results(request: HtmxHttpRequest, public_id) -> HttpResponse:
    attempt = _get_attempt_for(request, public_id)
    if not attempt.is_finished:
        if not attempt_time_is_up(attempt):
            messages.info(request, "Finish the quiz (or submit it) to see your results.")
            return redirect("attempt_question", public_id=attempt.public_id)
        attempt_finish(attempt=attempt)
    responses = {r.question_id: r for r in Response.objects.filter(attempt=attempt)}
    review = [
        {"position": index, "response": responses.get(question_id), "question_id": question_id}
        for index, question_id in enumerate(attempt.question_ids, start=1)
    ]
    unanswered_ids = [item["question_id"] for item in review if item["response"] is None]
    if unanswered_ids:
        # Unanswered questions have no snapshot: show them as they stand in the bank now.
        questions = Question.objects.select_related("passage__source").prefetch_related("choices")
        by_id = questions.in_bulk(unanswered_ids)
        for item in review:
            if item["response"] is None:
                item["question"] = by_id.get(item["question_id"])
    # The quiz's review options decide what this page shows now: a key seen here must not help another attempt.
    shows = attempt.quiz.review_for(request.user)
    return render(
        request, "quiz/results.html", {"attempt": attempt, "quiz": attempt.quiz, "review": review, "shows": shows}
    )

"""The student's path through a quiz: start, one question per screen, feedback, results."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, push_url, replace_url

from config.requests import HtmxHttpRequest
from quiz.bank import cache as bank_cache
from quiz.forms import AnswerForm, JoinClassForm
from quiz.models import Attempt, Choice, Classroom, FeedbackMode, Question, Quiz, Response, SubmittedAnswer
from quiz.reporting.progress import classes_with_status
from quiz.services import (
    AttemptRefused,
    attempt_finish,
    attempt_flag_toggle,
    attempt_refusal,
    attempt_start,
    attempt_time_is_up,
    response_record,
)
from quiz.views.shapes import two_shaped, wants_fragment


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
        finished = mine & Q(attempts__finished_at__isnull=False)
        quizzes = quizzes.annotate(
            my_attempts=Count("attempts", filter=mine, distinct=True),
            my_best=Max("attempts__score", filter=finished),
            my_best_of=Max("attempts__max_score", filter=finished),
            # A percentage, as every other page shows scores; the points stay in the text.
            my_best_percent=Max(
                ExpressionWrapper(F("attempts__score") * 100 / F("attempts__max_score"), output_field=DecimalField()),
                filter=finished & Q(attempts__max_score__gt=0),
            ),
            my_in_progress=Count("attempts", filter=mine & Q(attempts__finished_at__isnull=True), distinct=True),
        )
        joined = classes_with_status(request.user)
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


@dataclass(frozen=True)
class NavigatorItem:
    """One question in the navigator: its place, whether it is answered, flagged, on screen."""

    position: int
    answered: bool
    flagged: bool
    current: bool


def _answered_ids(attempt: Attempt) -> set[int]:
    # No ordering: Response's default one joins the attempt only to sort.
    return set(Response.objects.filter(attempt_id=attempt.pk).order_by().values_list("question_id", flat=True))


def _navigator(attempt: Attempt, answered: set[int], current_id: int | None = None) -> list[NavigatorItem]:
    return [
        NavigatorItem(position, pk in answered, attempt.is_flagged(pk), pk == current_id)
        for position, pk in enumerate(attempt.question_ids, start=1)
    ]


def _render_panel(
    request,
    attempt,
    question,
    choices,
    *,
    form=None,
    response=None,
    refusal=None,
    status=200,
    question_url=None,
    navigator=None,
    answered_elsewhere=False,
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
        "navigator": navigator,
        "flagged": attempt.is_flagged(question.pk),
        "answered_elsewhere": answered_elsewhere,
        # The reader's way back from "Read it in the source".
        "back_url": reverse("attempt_answer", args=[attempt.public_id, position]),
        "back_label": f"question {position}",
    }
    # The fragment starts with a <title>, which htmx puts in document.title.
    template = "quiz/take_fragment.html" if wants_fragment(request) else "quiz/take.html"
    return render(request, template, context, status=status)


def _next_unanswered(attempt: Attempt, answered: set[int], *, after: int = 0) -> int | None:
    """The first unanswered question after position ``after``, going round to the start:
    a skipped question comes back once the others have been seen."""
    order = attempt.question_ids[after:] + attempt.question_ids[:after]
    return next((pk for pk in order if pk not in answered), None)


def _open_attempt_for(request: HtmxHttpRequest, public_id) -> Attempt:
    """The student's attempt, closed here if its time ran out (saying so); check ``is_finished`` after."""
    attempt = _get_attempt_for(request, public_id)
    if not attempt.is_finished:
        refusal = attempt_refusal(attempt)
        if refusal:
            messages.info(request, refusal)
    return attempt


def _position_param(request: HttpRequest) -> int:
    try:
        return max(0, int(request.GET.get("after", "0")))
    except ValueError:
        return 0


@login_required
@require_safe
@two_shaped
def attempt_question(request: HtmxHttpRequest, public_id) -> HttpResponse:
    """The attempt's next unanswered question (after ``?after=N`` when skipping one); the results once none is left."""
    attempt = _open_attempt_for(request, public_id)
    if attempt.is_finished:
        return _redirect_to_results(request, attempt)
    answered = _answered_ids(attempt)
    next_id = _next_unanswered(attempt, answered, after=_position_param(request))
    if next_id is None:
        attempt_finish(attempt=attempt)
        return _redirect_to_results(request, attempt)
    question, choices = _question_with_choices(attempt, next_id)
    url = reverse("attempt_answer", args=[attempt.public_id, attempt.position_of(next_id)])
    form = AnswerForm(question=question, choices=choices)
    navigator = _navigator(attempt, answered, next_id)
    response = _render_panel(request, attempt, question, choices, form=form, question_url=url, navigator=navigator)
    if wants_fragment(request):
        push_url(response, url)
    return response


def _redirect_to_results(request: HtmxHttpRequest, attempt: Attempt) -> HttpResponse:
    url = reverse("attempt_results", args=[attempt.public_id])
    if wants_fragment(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@two_shaped
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
        if response is not None:
            return _render_panel(request, attempt, question, choices, response=response)
        form = AnswerForm(question=question, choices=choices)
        navigator = _navigator(attempt, _answered_ids(attempt), question.pk)
        return _render_panel(request, attempt, question, choices, form=form, navigator=navigator)

    form = AnswerForm(request.POST, question=question, choices=choices)
    # A closed attempt is refused before the answer is read: "time is up" is the news,
    # not "pick one answer".
    refusal = attempt_refusal(attempt)
    if refusal is None and form.is_valid():
        answer = form.submitted_answer()
        try:
            # No look for an earlier answer first: the unique constraint finds a repeat,
            # and response_record then returns the answer already recorded.
            response, created = response_record(attempt=attempt, question=question, choices=choices, answer=answer)
        except AttemptRefused as refused:
            refusal = str(refused)
        else:
            elsewhere = not created and not _same_answer(response, answer)
            return _answered(request, attempt, question, choices, response, answered_elsewhere=elsewhere)
    # A repeat (double click, second tab, replayed POST) gets the recorded answer back,
    # whatever it sent this time and even if that answer closed the attempt.
    recorded = Response.objects.filter(attempt=attempt, question=question).first()
    if recorded is not None:
        elsewhere = not form.is_valid() or not _same_answer(recorded, form.submitted_answer())
        return _answered(request, attempt, question, choices, recorded, answered_elsewhere=elsewhere)
    if refusal is None:
        return _render_panel(request, attempt, question, choices, form=form, status=422)
    # The attempt is closed: say why and lead to the results, with no form left to fill.
    return _render_panel(request, attempt, question, choices, refusal=refusal, status=409)


def _same_answer(response: Response, answer: SubmittedAnswer) -> bool:
    return sorted(answer.choice_ids) == sorted(response.selected_choice_ids) and answer.text == response.answer_text


ANSWERED_ELSEWHERE = "You already answered this question in another tab or window; that answer is the one kept."


def _answered(request, attempt, question, choices, response, *, answered_elsewhere=False) -> HttpResponse:
    url = reverse("attempt_answer", args=[attempt.public_id, attempt.position_of(question.pk)])
    if not request.htmx:
        if answered_elsewhere:
            messages.info(request, ANSWERED_ELSEWHERE)
        return redirect(url)
    panel = _render_panel(
        request, attempt, question, choices, response=response, question_url=url, answered_elsewhere=answered_elsewhere
    )
    # Replaced, not pushed: the feedback is the same screen as its question, so Back
    # goes to the previous question rather than to this one's form.
    return replace_url(panel, url)


@login_required
@require_POST
def attempt_flag(request: HtmxHttpRequest, public_id, position: int) -> HttpResponse:
    """Flag question ``position`` to come back to, or clear its flag; then back to that question."""
    attempt = _get_attempt_for(request, public_id)
    if not 1 <= position <= attempt.question_count:
        raise Http404("This attempt has no such question.")
    question_id = attempt.question_ids[position - 1]
    if not attempt.is_finished:
        attempt_flag_toggle(attempt=attempt, question_id=question_id)
    url = reverse("attempt_answer", args=[attempt.public_id, position])
    if not request.htmx:
        return redirect(url)
    context = {
        "attempt": attempt,
        "position": position,
        "flagged": attempt.is_flagged(question_id),
        "navigator": _navigator(attempt, _answered_ids(attempt), question_id),
    }
    # The flag button and, out of band, the navigator: the answer being typed is left alone.
    return render(request, "quiz/take.html#flag_update", context)


@login_required
@require_safe
def attempt_summary(request: HtmxHttpRequest, public_id) -> HttpResponse:
    """Before finishing: which questions are answered, unanswered or flagged, with links back."""
    attempt = _open_attempt_for(request, public_id)
    if attempt.is_finished:
        return redirect("attempt_results", public_id=attempt.public_id)
    navigator = _navigator(attempt, _answered_ids(attempt))
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "navigator": navigator,
        "answered_total": sum(item.answered for item in navigator),
        "flagged_total": sum(item.flagged for item in navigator),
    }
    return render(request, "quiz/summary.html", context)


@login_required
@require_POST
def attempt_submit(request: HtmxHttpRequest, public_id) -> HttpResponse:
    """Finish the attempt now (from the summary, or when the timer runs out), unanswered questions at zero."""
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

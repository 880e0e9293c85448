"""Authoring pages beside the question admin: preview, citation check, regrade, import and export.

Each is wired through ``QuestionAdmin.get_urls`` behind ``admin_site.admin_view``
(staff only, with the admin's login page), and checks its own permission.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_safe

from config.requests import HtmxHttpRequest
from quiz.admin.regrade import regrade_apply, regrade_plan
from quiz.bank import gift, importer, json_format
from quiz.bank.citations import BROKEN, STALE, citation_problems, mark_rechecked
from quiz.bank.leaks import leaks_by_quiz
from quiz.bank.records import BankFormatError
from quiz.forms import AnswerForm
from quiz.models import Attempt, FeedbackMode, Question, Quiz, students_taught_by
from quiz.ownership import questions_changeable_by
from quiz.services import graded_response

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _require(request: HtmxHttpRequest, *permissions: str) -> None:
    if not request.user.has_perms(permissions):
        raise PermissionDenied("You do not have permission to do this.")


def _admin_context(request: HtmxHttpRequest, title: str) -> dict:
    return {**admin.site.each_context(request), "title": title, "opts": Question._meta}


def redirect_with_query(viewname: str, **query) -> HttpResponseRedirect:
    return redirect(reverse(viewname) + "?" + urlencode(query))


@require_http_methods(["GET", "HEAD", "POST"])
def question_preview(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The question exactly as a student sees it; an answer shows the student's feedback.

    Nothing is saved: the attempt and response are built in memory and rendered
    with the student templates, so the preview cannot drift from the real thing.
    """
    _require(request, "quiz.view_question")
    question = get_object_or_404(Question.objects.select_related("passage__source"), pk=pk)
    choices = list(question.choices.all())
    preview_url = reverse("admin:quiz_question_preview", args=[question.pk])
    attempt = Attempt(
        quiz=Quiz(title="Preview", feedback_mode=FeedbackMode.IMMEDIATE),
        question_ids=[question.pk],
        max_score=question.points,
    )
    form: AnswerForm | None = AnswerForm(request.POST or None, question=question, choices=choices)
    response, status = None, 200
    if request.method == "POST" and form is not None:
        if form.is_valid():
            response = graded_response(
                attempt=attempt, question=question, choices=choices, answer=form.submitted_answer(), now=timezone.now()
            )
            form = None
        else:
            status = 422
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "question": question,
        "choices": choices,
        "position": 1,
        "form": form,
        "response": response,
        "show_feedback": response is not None,
        "selected": form.selected_choice_ids() if form else [],
        "question_url": preview_url,
        "preview_url": preview_url,
        "change_url": reverse("admin:quiz_question_change", args=[question.pk]),
    }
    template = "quiz/take.html#panel" if request.htmx else "admin/quiz/question/preview.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def citation_check(request: HtmxHttpRequest) -> HttpResponse:
    """Every broken citation in the bank, every one whose passage changed since it was checked,
    and every quiz where a question gives away another's answer."""
    _require(request, "quiz.view_question")
    if request.method == "POST":
        _require(request, "quiz.change_question")
        ids = [int(pk) for pk in request.POST.getlist("question") if pk.isdigit()]
        chosen = questions_changeable_by(request.user, Question.objects.filter(pk__in=ids)).select_related("passage")
        marked = mark_rechecked(chosen)
        if marked:
            messages.success(request, f"Marked {marked} citation(s) as re-checked against the current passage text.")
        else:
            messages.warning(request, "Tick the citations you have re-read first.")
        return redirect("admin:quiz_question_citations")
    problems = citation_problems()
    context = {
        **_admin_context(request, "Citation check"),
        "broken": [p for p in problems if p.kind == BROKEN],
        "stale": [p for p in problems if p.kind == STALE],
        "leaks_by_quiz": leaks_by_quiz(Quiz.objects.order_by("title")),
        "can_change": request.user.has_perm("quiz.change_question"),
    }
    return render(request, "admin/quiz/question/citation_check.html", context)


def regrade_scope(user):
    """Whose attempts ``user`` may regrade: a superuser everyone's (None), a teacher their own students'."""
    return None if user.is_superuser else students_taught_by(user)


def _question_ids(raw: str) -> list[int]:
    return [int(part) for part in raw.split(",") if part.strip().isdigit()]


@require_http_methods(["GET", "HEAD", "POST"])
def regrade(request: HtmxHttpRequest) -> HttpResponse:
    """What a regrade of the chosen questions would change; applied only when confirmed."""
    _require(request, "quiz.change_question", "quiz.add_regradelog")
    ids = _question_ids(request.POST.get("ids") or request.GET.get("ids", ""))
    questions = Question.objects.filter(pk__in=ids).order_by("key")
    if not ids or not questions.exists():
        messages.error(request, "Choose the questions to regrade first (tick them in the list, then “Regrade”).")
        return redirect("admin:quiz_question_changelist")
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, "Nothing was changed: confirm the regrade to apply it.")
            return redirect_with_query("admin:quiz_question_regrade", ids=",".join(map(str, ids)))
        logs = regrade_apply(
            questions=questions,
            by=request.user,
            students=regrade_scope(request.user),
            reason=request.POST.get("reason", "").strip(),
        )
        attempts = len({log.attempt_id for log in logs})
        messages.success(request, f"Regraded: {attempts} attempt(s) changed score; every change is in the regrade log.")
        return redirect("admin:quiz_question_changelist")
    plan = regrade_plan(questions, students=regrade_scope(request.user))
    context = {
        **_admin_context(request, "Regrade"),
        "questions": list(questions),
        "plan": plan,
        "ids": ",".join(str(q.pk) for q in questions),
    }
    return render(request, "admin/quiz/question/regrade.html", context)


def bank_download(questions, fmt: str) -> HttpResponse:
    """A download of ``questions`` (or the whole bank, with quizzes and sources, when None)."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    if fmt == "gift":
        body = gift.export_gift(questions if questions is not None else Question.objects.all())
        download = HttpResponse(body, content_type="text/plain; charset=utf-8")
        filename = f"question-bank-{stamp}.gift.txt"
    else:
        body = json_format.dumps(json_format.export_bank(questions))
        download = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"question-bank-{stamp}.json"
    download["Content-Disposition"] = f'attachment; filename="{filename}"'
    return download


@require_safe
def bank_export(request: HtmxHttpRequest) -> HttpResponse:
    _require(request, "quiz.view_question")
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "gift"):
        return HttpResponse("Choose format=json or format=gift.", status=400, content_type="text/plain")
    return bank_download(None, fmt)


@require_http_methods(["GET", "HEAD", "POST"])
def bank_import(request: HtmxHttpRequest) -> HttpResponse:
    """Upload (or paste) a JSON or GIFT bank: all of it is imported, or, on any error, none of it."""
    _require(request, "quiz.add_question", "quiz.change_question")
    context = {**_admin_context(request, "Import questions"), "max_megabytes": MAX_IMPORT_BYTES // (1024 * 1024)}
    if request.method in ("GET", "HEAD"):
        return render(request, "admin/quiz/question/import.html", context)
    upload = request.FILES.get("bank")
    pasted = request.POST.get("pasted", "")
    fmt = request.POST.get("format", "auto")
    error, text, name = None, "", "the pasted text"
    if upload is None and not pasted.strip():
        error = "Choose a file to import, or paste the questions into the box."
    elif upload is not None and (upload.size or 0) > MAX_IMPORT_BYTES:
        error = f"That file is larger than {context['max_megabytes']} MB; split the bank into smaller files."
    elif upload is None and len(pasted.encode("utf-8")) > MAX_IMPORT_BYTES:
        error = f"That text is larger than {context['max_megabytes']} MB; paste it in smaller parts."
    elif upload is not None:
        name = upload.name or "the file"
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            error = "That file is not UTF-8 text. Save it as UTF-8 and try again."
    else:
        text = pasted
    if error is None:
        if fmt not in ("json", "gift"):
            fmt = importer.guess_format(name, text)
        try:
            report = importer.import_text(text, fmt=fmt, user=request.user)
        except BankFormatError as problem:
            error = str(problem)
    if error:
        context.update(error=error, chosen_format=fmt, pasted=pasted)
        return render(request, "admin/quiz/question/import.html", context, status=400)
    messages.success(request, f"Imported {name}: {report.summary()}.")
    leaky = [quiz.title for quiz, leaks in leaks_by_quiz(Quiz.objects.order_by("title")) if leaks]
    if leaky:
        messages.warning(
            request,
            format_html(
                'In {}, a question gives away another\'s answer. <a href="{}">See the leak check</a>.',
                ", ".join(f"“{title}”" for title in leaky),
                reverse("admin:quiz_question_citations"),
            ),
        )
    return redirect("admin:quiz_question_changelist")

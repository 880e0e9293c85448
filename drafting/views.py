"""Teacher pages for drafting: bring a source in, preview its passages, draft, follow the job, review.

Only teachers reach them, and a source's drafts only its owner (and superusers): any
other source is a 404 like an unknown one. Every page works without JavaScript (forms
post and redirect); htmx swaps the changed fragment instead and sends ``Vary: HX-Request``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.roles import teacher_required
from config.requests import AuthenticatedHttpRequest
from content.models import PassageKind, Source
from drafting import intake, services
from drafting.forms import IntakeForm, QuizFromDraftsForm, RejectForm, SourceDetailsForm
from drafting.models import Draft, DraftingJob, ReviewState
from quiz.bank.leaks import leaks_in_quiz
from quiz.models import Choice

HX = "HX-Request"
DRAFTS_PER_PAGE = 40


def _sources_for(request: AuthenticatedHttpRequest):
    sources = Source.objects.all()
    return sources if request.user.is_superuser else sources.filter(owner=request.user)


def _get_source_for(request: AuthenticatedHttpRequest, slug: str) -> Source:
    """The teacher's own source (any, for a superuser), or 404: another teacher's drafts stay unseen."""
    return get_object_or_404(_sources_for(request).select_related("owner"), slug=slug)


def _full_page(request: AuthenticatedHttpRequest) -> bool:
    return not request.htmx or request.htmx.history_restore_request


def _redirect(request: AuthenticatedHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# Sources and intake ------------------------------------------------------------------------


@teacher_required
@require_safe
def source_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    sources = _sources_for(request).annotate(
        passage_count=Count("passages", distinct=True),
        pending=Count("drafts", filter=Q(drafts__state=ReviewState.PENDING), distinct=True),
        accepted=Count("drafts", filter=Q(drafts__state=ReviewState.ACCEPTED), distinct=True),
    )
    return render(request, "drafting/source_list.html", {"sources": sources})


@teacher_required
@require_http_methods(["GET", "HEAD", "POST"])
def source_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a file or paste text; it is read into blocks and shown for checking, not saved yet."""
    form = IntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload:
                extracted = services.extract_file(upload.name, upload.read())
            else:
                extracted = services.extract_text(form.cleaned_data["text"])
        except services.IntakeError as error:
            form.add_error("file" if upload else "text", str(error))
        else:
            origin = upload.name if upload else "pasted text"
            token = intake.intake_store(request.session, extracted=extracted, origin=origin)
            return redirect("intake_preview", token=token)
    status = 422 if form.errors else 200
    return render(
        request, "drafting/source_new.html", {"form": form, "engine": services.engine_notice()}, status=status
    )


def _get_intake(request: AuthenticatedHttpRequest, token: str) -> dict:
    found = intake.intake_get(request.session, token)
    if found is None:
        raise Http404("This preview has expired or belongs to another session: bring the source in again.")
    return found


def _preview(
    request: AuthenticatedHttpRequest, token: str, found: dict, *, details_form=None, edit_error=None, status=200
):
    blocks = found["blocks"]
    for index, block in enumerate(blocks):
        block["index"] = index
        block["label"] = PassageKind(block["kind"]).label
        block["split_choices"] = intake.split_choices(block["text"]) if not block["dropped"] else []
    context = {
        "token": token,
        "intake": found,
        "blocks": blocks,
        "kept_count": sum(not block["dropped"] for block in blocks),
        "word_count": sum(len(block["text"].split()) for block in blocks if not block["dropped"]),
        "kinds": PassageKind.choices,
        "details_form": details_form or SourceDetailsForm(initial=found["details"]),
        "edit_error": edit_error,
        "engine": services.engine_notice(),
    }
    template = "drafting/preview.html" if _full_page(request) else "drafting/preview.html#blocks"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, [HX])
    return response


@teacher_required
@require_safe
def intake_preview(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    return _preview(request, token, _get_intake(request, token))


@teacher_required
@require_POST
def intake_block(request: AuthenticatedHttpRequest, token: str, index: int) -> HttpResponse:
    """One edit of the preview's blocks: drop/keep, merge with the next, split, change the kind."""
    found = _get_intake(request, token)
    blocks = found["blocks"]
    if not 0 <= index < len(blocks):
        raise Http404("No such block.")
    action = request.POST.get("action", "")
    try:
        if action == "drop":
            intake.toggle_drop(blocks, index)
        elif action == "merge":
            intake.merge_with_next(blocks, index)
        elif action == "split":
            intake.split_at(blocks, index, int(request.POST.get("at") or -1))
        elif action == "kind":
            intake.set_kind(blocks, index, request.POST.get("kind", ""))
        else:
            raise intake.EditRefused("Choose one of the buttons: drop, merge, split or change kind.")
    except (intake.EditRefused, ValueError) as error:
        message = str(error) if isinstance(error, intake.EditRefused) else "Choose where to split."
        return _preview(request, token, found, edit_error={"index": index, "message": message}, status=422)
    for block in blocks:
        for shown_only in ("index", "label", "split_choices"):
            block.pop(shown_only, None)
    intake.intake_put(request.session, token, found)
    if request.htmx:
        return _preview(request, token, found)
    return redirect(f"{reverse('intake_preview', args=[token])}#block-{min(index, len(blocks) - 1)}")


@teacher_required
@require_POST
def intake_save(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """Save the source as previewed, owned by the teacher; then draft its questions if asked."""
    found = _get_intake(request, token)
    form = SourceDetailsForm(request.POST)
    if not form.is_valid():
        return _preview(request, token, found, details_form=form, status=422)
    details = services.SourceDetails(**form.cleaned_data)
    try:
        source = services.source_create(owner=request.user, details=details, blocks=intake.kept_blocks(found))
    except services.IntakeError as error:
        form.add_error(None, str(error))
        return _preview(request, token, found, details_form=form, status=422)
    intake.intake_forget(request.session, token)
    messages.success(request, f"“{source.title}” is saved with {source.passages.count()} passages.")
    if "draft" not in request.POST:
        return _redirect(request, reverse("source_drafts", args=[source.slug]))
    return _start_drafting(request, source)


def _start_drafting(request: AuthenticatedHttpRequest, source: Source) -> HttpResponse:
    try:
        job = services.job_start(source=source, requested_by=request.user)
    except services.DraftingError as error:
        messages.error(request, str(error))
        return _redirect(request, reverse("source_drafts", args=[source.slug]))
    if job.is_active:
        return _redirect(request, reverse("job_detail", args=[source.slug, job.pk]))
    _job_message(request, job)
    return _redirect(request, reverse("source_drafts", args=[source.slug]))


def _job_message(request: AuthenticatedHttpRequest, job: DraftingJob) -> None:
    if job.status == "failed":
        messages.error(request, job.error)
    else:
        messages.success(request, f"{job.drafts_saved} drafts are ready to review.")


# Drafting jobs -----------------------------------------------------------------------------


@teacher_required
@require_POST
def draft_start(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _start_drafting(request, _get_source_for(request, slug))


@teacher_required
@require_safe
@vary_on_headers(HX)
def job_detail(request: AuthenticatedHttpRequest, slug: str, job_id: int) -> HttpResponse:
    """The job's progress: polled by htmx every second, refreshed by the page itself without JavaScript."""
    source = _get_source_for(request, slug)
    job = get_object_or_404(DraftingJob, pk=job_id, source=source)
    template = "drafting/job.html" if _full_page(request) else "drafting/job.html#progress"
    return render(request, template, {"source": source, "job": job})


@teacher_required
@require_POST
def job_cancel(request: AuthenticatedHttpRequest, slug: str, job_id: int) -> HttpResponse:
    source = _get_source_for(request, slug)
    job = services.job_cancel(job=get_object_or_404(DraftingJob, pk=job_id, source=source))
    if request.htmx:
        return render(request, "drafting/job.html#progress", {"source": source, "job": job})
    return redirect("job_detail", slug=source.slug, job_id=job.pk)


# Review ------------------------------------------------------------------------------------


def _counts(source: Source) -> dict[str, int]:
    counts = Draft.objects.for_source(source).counts_by_state()
    counts["all"] = sum(counts.values())
    return counts


def _review_context(request: AuthenticatedHttpRequest, source: Source, *, errors: dict | None = None) -> dict:
    """Drafts grouped by passage, with the passage text and every cited quote marked; constant queries."""
    state = request.GET.get("state", "")
    drafts = (
        Draft.objects.for_source(source)
        .select_related("question__passage")
        .prefetch_related(Prefetch("question__choices", queryset=Choice.objects.order_by("position", "pk")))
        .order_by("question__passage__position", "pk")
    )
    if state in ReviewState.values:
        drafts = drafts.filter(state=state)
    # A 50-page source gives hundreds of drafts: a page of them at a time keeps the page light.
    page = Paginator(drafts, DRAFTS_PER_PAGE).get_page(request.GET.get("page"))
    groups: dict[int, dict] = {}
    for draft in page.object_list:
        draft.review_error = (errors or {}).get(draft.pk)
        passage = draft.question.passage
        passage.source = source  # the reader link needs its slug: no query per passage
        group = groups.setdefault(passage.pk, {"passage": passage, "drafts": [], "quotes": []})
        group["drafts"].append(draft)
        group["quotes"].append(draft.question.quote)
    for group in groups.values():
        group["runs"] = highlight_runs(group["passage"].text, group["quotes"])
    counts = _counts(source)
    return {
        "source": source,
        "groups": list(groups.values()),
        "page": page,
        "state": state if state in ReviewState.values else "",
        "states": [("", "All", counts["all"])] + [(s.value, s.label, counts[s.value]) for s in ReviewState],
        "counts": counts,
        "rates": services.acceptance_by_rule(source=source),
        "job": source.drafting_jobs.first(),
        "quiz_form": QuizFromDraftsForm(initial={"title": f"{source.title} quiz"[:200]}),
        "engine": services.engine_notice(),
    }


def highlight_runs(text: str, quotes: list[str]) -> list[tuple[str, bool]]:
    """Split ``text`` into (piece, is_quoted) runs, every quote marked, overlapping ones joined."""
    spans = sorted((start, start + len(q)) for q in set(quotes) if q and (start := text.find(q)) >= 0)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    runs, cursor = [], 0
    for start, end in merged:
        runs += [(text[cursor:start], False), (text[start:end], True)]
        cursor = end
    runs.append((text[cursor:], False))
    return [(piece, marked) for piece, marked in runs if piece]


@teacher_required
@require_safe
@vary_on_headers(HX)
def source_drafts(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    source = _get_source_for(request, slug)
    template = "drafting/review.html" if _full_page(request) else "drafting/review.html#review"
    return render(request, template, _review_context(request, source))


def _get_draft_for(request: AuthenticatedHttpRequest, slug: str, draft_id: int) -> tuple[Source, Draft]:
    source = _get_source_for(request, slug)
    draft = get_object_or_404(
        Draft.objects.select_related("question__passage").prefetch_related("question__choices"),
        pk=draft_id,
        source=source,
    )
    return source, draft


@teacher_required
@require_POST
def draft_review(request: AuthenticatedHttpRequest, slug: str, draft_id: int, action: str) -> HttpResponse:
    """Accept, reject (with a reason) or restore one draft; htmx gets the card back and the new counts."""
    source, draft = _get_draft_for(request, slug, draft_id)
    if action == "accept":
        services.draft_accept(draft=draft, by=request.user)
    elif action == "restore":
        services.draft_restore(draft=draft, by=request.user)
    elif action == "reject":
        form = RejectForm(request.POST)
        if not form.is_valid():
            errors = {draft.pk: form.errors["reason"][0]}
            if request.htmx:
                return _draft_card(request, source, draft, errors=errors, status=422)
            return render(request, "drafting/review.html", _review_context(request, source, errors=errors), status=422)
        services.draft_reject(draft=draft, by=request.user, reason=form.cleaned_data["reason"])
    else:
        raise Http404("No such review action.")
    if request.htmx:
        return _draft_card(request, source, draft)
    return redirect(f"{reverse('source_drafts', args=[source.slug])}#draft-{draft.pk}")


def _draft_card(request, source, draft, *, errors=None, status=200) -> HttpResponse:
    draft.review_error = (errors or {}).get(draft.pk)
    context = {"source": source, "draft": draft, "counts": _counts(source), "oob": True}
    return render(request, "drafting/review.html#draft", context, status=status)


@teacher_required
@require_POST
def drafts_accept(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Accept the ticked drafts, or every draft still to review ("Accept all")."""
    source = _get_source_for(request, slug)
    ids = None if "all" in request.POST else [int(i) for i in request.POST.getlist("draft") if i.isdigit()]
    if ids == []:
        messages.error(request, "Tick the drafts to accept first, or use “Accept all to review”.")
    else:
        count = services.drafts_accept(source=source, by=request.user, draft_ids=ids)
        messages.success(request, f"{count} draft{'s' if count != 1 else ''} accepted.")
    return _redirect(request, reverse("source_drafts", args=[source.slug]))


@teacher_required
@require_POST
def quiz_make(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A quiz of the accepted drafts, owned by the teacher; then the dashboard, to assign it to a class."""
    source = _get_source_for(request, slug)
    form = QuizFromDraftsForm(request.POST)
    if form.is_valid():
        try:
            quiz = services.quiz_from_accepted(source=source, owner=request.user, title=form.cleaned_data["title"])
        except services.DraftingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Quiz “{quiz.title}” is ready with {quiz.questions.count()} questions. "
                "Choose a class below and assign it.",
            )
            # Drafts of one passage often print each other's answers: say so before a class sees them.
            if leaks := leaks_in_quiz(quiz):
                messages.warning(
                    request,
                    format_html(
                        'In it, {} time(s) a question gives away another\'s answer. <a href="{}">See which</a>.',
                        len(leaks),
                        reverse("admin:quiz_quiz_change", args=[quiz.pk]),
                    ),
                )
            return _redirect(request, reverse("teach_dashboard"))
    else:
        messages.error(request, "Give the quiz a title.")
    return _redirect(request, reverse("source_drafts", args=[source.slug]))

"""Teacher pages: the class dashboard, quiz statistics, a student's answers, exports.

A teacher only ever reaches their own classes and the students in them: every
class is looked up through ``Classroom.objects.taught_by(teacher)``, so another
teacher's class id, or a student outside the class, is a 404 like any unknown id.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import push_url

from accounts.roles import teacher_required
from config.requests import HtmxHttpRequest
from quiz.forms import (
    AssignmentForm,
    ClassroomForm,
    DashboardFilters,
    ExtensionForm,
    StatisticsFilters,
    StudentFilters,
)
from quiz.models import Assignment, Attempt, Classroom, Extension, Membership, Question, Quiz, Response
from quiz.reporting import charts, dashboard, exports
from quiz.reporting.attempts import ALL_DATES, AttemptChoice, finished_attempts
from quiz.reporting.near_misses import mark_acceptable
from quiz.reporting.statistics import quiz_report
from quiz.views.shapes import render_shaped, two_shaped

STUDENTS_PER_PAGE = 50


def _get_classroom_for(request: HtmxHttpRequest, classroom_id: int) -> Classroom:
    """The signed-in teacher's own class, or 404 (also for another teacher's class id)."""
    classrooms = Classroom.objects.taught_by(request.user).annotate(student_count=Count("students", distinct=True))
    return get_object_or_404(classrooms, pk=classroom_id)


def _ordered_assignments(classroom: Classroom) -> list[Assignment]:
    return list(classroom.assignments.select_related("quiz").order_by(F("due_at").asc(nulls_last=True), "quiz__title"))


def _dashboard_context(request, classrooms, classroom, filters, *, assignment_form=None) -> dict:
    """Everything the dashboard shows for one class; a constant number of queries."""
    context = {"classrooms": classrooms, "classroom": classroom, "filters": filters, "now": timezone.now()}
    if classroom is None:
        context["classroom_form"] = ClassroomForm(teacher=request.user)
        return context
    assignments = _ordered_assignments(classroom)
    shown = assignments
    dates = ALL_DATES
    if filters.is_valid():
        dates = filters.dates()
        quiz_id = filters.cleaned_data.get("quiz")
        if quiz_id:
            shown = [a for a in assignments if a.quiz_id == quiz_id]
            if shown:
                context["selected_quiz_id"] = quiz_id
            else:
                # Switching class keeps the previous class's quiz in the query: say so, show all.
                context["filter_note"] = "That quiz is not assigned to this class, so every assigned quiz is shown."
                shown = assignments
    page = Paginator(dashboard.roster(classroom), STUDENTS_PER_PAGE).get_page(
        filters.cleaned_data.get("page") if filters.is_valid() else 1
    )
    students = list(page.object_list)
    cells = dashboard.matrix_cells(
        student_ids=[s.pk for s in students], quiz_ids=[a.quiz_id for a in shown], dates=dates
    )
    extended = dashboard.extended_due_dates(student_ids=[s.pk for s in students], assignments=shown)
    now = context["now"]
    rows = []
    for student in students:
        row = []
        for assignment in shown:
            cell = cells.get((student.pk, assignment.quiz_id), dashboard.Cell())
            due_at = extended.get((student.pk, assignment.pk), assignment.due_at)
            status = cell.status(due_at, now, student.joined_at)
            row.append(
                {
                    "assignment": assignment,
                    "cell": cell,
                    "status": status,
                    "extended_to": extended.get((student.pk, assignment.pk)),
                }
            )
        rows.append({"student": student, "cells": row})
    summaries = dashboard.quiz_summaries(
        classroom=classroom, assignments=shown, class_size=classroom.student_count, dates=dates
    )
    for summary in summaries:
        summary.overdue_now = summary.overdue(now)  # type: ignore[attr-defined]  # for the template
    context.update(
        assignments=assignments,
        shown=shown,
        page=page,
        rows=rows,
        summaries=summaries,
        summary_chart=_summary_chart(classroom, summaries),
        assignment_form=assignment_form or AssignmentForm(),
        query=_page_query(classroom, filters),
    )
    return context


def _summary_chart(classroom: Classroom, summaries) -> str:
    if not summaries:
        return ""
    bars = [
        charts.Bar(
            s.quiz.title,
            s.average_best,
            note=f"{s.completed} of {s.class_size} completed",
        )
        for s in summaries
    ]
    described = "; ".join(
        f"{s.quiz.title}: average best score "
        + ("none yet" if s.average_best is None else f"{s.average_best:.0f}%")
        + f", {s.completed} of {s.class_size} students completed"
        for s in summaries
    )
    return charts.bar_chart(
        bars, chart_id="class-averages", title=f"Average best score per quiz in {classroom.name}", description=described
    )


def _page_query(classroom: Classroom, filters: DashboardFilters) -> str:
    """The dashboard's query string for this class and filters, without the page."""
    query = {"classroom": classroom.pk}
    if filters.is_bound and filters.is_valid():
        for name in ("quiz", "start", "end"):
            if filters.cleaned_data.get(name):
                query[name] = filters.data[name]
    return urlencode(query)


def _render_dashboard(request, context, status=200) -> HttpResponse:
    return render_shaped(request, "teach/dashboard.html", "dashboard", context, status=status)


@two_shaped
@teacher_required
@require_safe
def teach_dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """The class matrix: students × assigned quizzes, with class averages and completion."""
    filters = DashboardFilters(request.GET)
    classrooms = list(
        Classroom.objects.taught_by(request.user)
        .annotate(student_count=Count("students", distinct=True))
        .order_by("name", "pk")
    )
    classroom_id = filters.cleaned_data.get("classroom") if filters.is_valid() else None
    if classroom_id is not None:
        classroom = next((c for c in classrooms if c.pk == classroom_id), None)
        if classroom is None:
            raise Http404("No class of yours has this id.")
    else:
        classroom = classrooms[0] if classrooms else None
    context = _dashboard_context(request, classrooms, classroom, filters)
    return _render_dashboard(request, context, status=200 if filters.is_valid() else 422)


def _dashboard_url(classroom: Classroom) -> str:
    return f"{reverse('teach_dashboard')}?classroom={classroom.pk}"


def _after_class_change(request: HtmxHttpRequest, classroom: Classroom, *, form=None, status=200) -> HttpResponse:
    """Post/redirect/get without htmx; with htmx, the refreshed dashboard and an honest URL."""
    if not request.htmx and status == 200:
        return redirect(_dashboard_url(classroom))
    classrooms = list(
        Classroom.objects.taught_by(request.user)
        .annotate(student_count=Count("students", distinct=True))
        .order_by("name", "pk")
    )
    classroom = next(c for c in classrooms if c.pk == classroom.pk)
    context = _dashboard_context(request, classrooms, classroom, DashboardFilters({}), assignment_form=form)
    return push_url(_render_dashboard(request, context, status=status), _dashboard_url(classroom))


@two_shaped
@teacher_required
@require_POST
def assignment_save(request: HtmxHttpRequest, classroom_id: int) -> HttpResponse:
    """Assign a quiz to the class, or change its due date if it is already assigned."""
    classroom = _get_classroom_for(request, classroom_id)
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        return _after_class_change(request, classroom, form=form, status=422)
    quiz, due_at = form.cleaned_data["quiz"], form.cleaned_data["due_at"]
    _, created = Assignment.objects.update_or_create(classroom=classroom, quiz=quiz, defaults={"due_at": due_at})
    due = f", due {timezone.localtime(due_at):%-d %b %Y %H:%M}" if due_at else ", no due date"
    messages.success(request, f"{'Assigned' if created else 'Updated'} “{quiz.title}”{due}.")
    if due_at is not None and due_at < timezone.now():
        # Accepted (a teacher may record a past deadline on purpose), but never silently.
        messages.warning(
            request, "That due date is already past: students who have not finished it show as overdue at once."
        )
    return _after_class_change(request, classroom)


@two_shaped
@teacher_required
@require_POST
def assignment_remove(request: HtmxHttpRequest, classroom_id: int, quiz_id: int) -> HttpResponse:
    """Stop assigning a quiz; the students' attempts stay and come back if it is assigned again."""
    classroom = _get_classroom_for(request, classroom_id)
    assignment = get_object_or_404(Assignment.objects.select_related("quiz"), classroom=classroom, quiz_id=quiz_id)
    assignment.delete()
    messages.success(request, f"“{assignment.quiz.title}” is no longer assigned. Attempts already made are kept.")
    return _after_class_change(request, classroom)


def _statistics_scope(request: HtmxHttpRequest, slug: str):
    """The quiz, the teacher's classes it is assigned to, the chosen class and the filters.

    A quiz assigned to none of the teacher's classes is a 404: its statistics
    would describe other teachers' students.
    """
    quiz = get_object_or_404(Quiz, slug=slug)
    classrooms = list(
        Classroom.objects.taught_by(request.user).filter(assignments__quiz=quiz).order_by("name", "pk").distinct()
    )
    if not classrooms:
        raise Http404("This quiz is not assigned to any of your classes.")
    filters = StatisticsFilters(request.GET)
    classroom = None
    if filters.is_valid() and filters.cleaned_data.get("classroom"):
        classroom = next((c for c in classrooms if c.pk == filters.cleaned_data["classroom"]), None)
        if classroom is None:
            raise Http404("This quiz is not assigned to that class, or the class is not yours.")
    scope = [classroom] if classroom else classrooms
    student_ids = Membership.objects.filter(classroom__in=scope).values("user_id")
    dates = filters.dates() if filters.is_valid() else ALL_DATES
    which = filters.which() if filters.is_valid() else AttemptChoice.FIRST
    finished = finished_attempts(quiz_ids=[quiz.pk], student_ids=student_ids, dates=dates)
    return quiz, classrooms, classroom, filters, finished, which


@two_shaped
@teacher_required
@require_safe
def quiz_statistics(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Moodle-style statistics for one quiz, over one class or all the teacher's classes."""
    quiz, classrooms, classroom, filters, finished, which = _statistics_scope(request, slug)
    report = quiz_report(quiz=quiz, finished=finished, which=which)
    mark_acceptable(report, request.user)
    context = {
        "quiz": quiz,
        "classrooms": classrooms,
        "classroom": classroom,
        "filters": filters,
        "report": report,
        "histogram_chart": _histogram_chart(report),
        "query": request.GET.urlencode(),
    }
    return render_shaped(request, "teach/quiz_stats.html", "stats", context, status=200 if filters.is_valid() else 422)


def _histogram_chart(report) -> str:
    if not report.attempts:
        return ""
    counts = [(f"{b.lower:.0f}–{b.upper:.0f}", b.count) for b in report.histogram]
    described = ", ".join(f"{label}%: {count}" for label, count in counts)
    return charts.histogram_chart(
        counts,
        chart_id="score-histogram",
        title=f"Score distribution of {report.attempts} attempt{'s' if report.attempts != 1 else ''}",
        description=f"Number of attempts per score band. {described}.",
    )


@teacher_required
@require_safe
def quiz_statistics_csv(request: HtmxHttpRequest, slug: str) -> StreamingHttpResponse | HttpResponse:
    quiz, _, classroom, filters, finished, which = _statistics_scope(request, slug)
    if not filters.is_valid():
        errors = " ".join(error for errors in filters.errors.values() for error in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    report = quiz_report(quiz=quiz, finished=finished, which=which)
    scope = slugify(classroom.name) if classroom else "all-classes"
    return _csv_download(exports.statistics_rows(report), f"statistics-{quiz.slug}-{scope}-{which}.csv")


@teacher_required
@require_safe
def gradebook_csv(request: HtmxHttpRequest, classroom_id: int) -> StreamingHttpResponse | HttpResponse:
    """One row per student, one column per assigned quiz (best finished score, %)."""
    classroom = _get_classroom_for(request, classroom_id)
    assignments = _ordered_assignments(classroom)
    rows = exports.gradebook_rows(classroom=classroom, assignments=assignments)
    return _csv_download(rows, f"gradebook-{slugify(classroom.name) or classroom.pk}.csv")


def _csv_download(rows, filename: str) -> StreamingHttpResponse:
    download = StreamingHttpResponse(exports.csv_stream(rows), content_type="text/csv; charset=utf-8")
    download["Content-Disposition"] = f'attachment; filename="{filename}"'
    return download


@two_shaped
@teacher_required
@require_safe
def student_detail(request: HtmxHttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """Every attempt of one student on the class's quizzes, each answer with the right one and its citation."""
    classroom = _get_classroom_for(request, classroom_id)
    student = get_object_or_404(classroom.students.all(), pk=student_id)
    assignments = _ordered_assignments(classroom)
    filters = StudentFilters(request.GET)
    quiz_ids = [a.quiz_id for a in assignments]
    if filters.is_valid() and filters.cleaned_data.get("quiz") in quiz_ids:
        quiz_ids = [filters.cleaned_data["quiz"]]
    responses = Response.objects.order_by("answered_at", "id")
    attempts = list(
        Attempt.objects.filter(student=student, quiz_id__in=quiz_ids)
        .select_related("quiz")
        .prefetch_related(Prefetch("responses", queryset=responses))
        .order_by("quiz__title", "number")
    )
    unanswered = _unanswered_questions(attempts)
    wrong_only = bool(filters.is_valid() and filters.cleaned_data.get("wrong_only"))
    reviews = [{"attempt": attempt, "items": _review_items(attempt, unanswered, wrong_only)} for attempt in attempts]
    extended = dashboard.extended_due_dates(student_ids=[student.pk], assignments=assignments)
    due_dates = [{"assignment": a, "extended_to": extended.get((student.pk, a.pk))} for a in assignments]
    context = {
        "classroom": classroom,
        "student": student,
        "assignments": assignments,
        "due_dates": due_dates,
        "reviews": reviews,
        "filters": filters,
    }
    return render_shaped(request, "teach/student.html", "attempts", context, status=200 if filters.is_valid() else 422)


def _unanswered_questions(attempts) -> dict[int, Question]:
    """The bank's questions that some attempt left unanswered, in one query."""
    wanted: set[int] = set()
    for attempt in attempts:
        answered = {response.question_id for response in attempt.responses.all()}
        wanted.update(pk for pk in attempt.question_ids if pk not in answered)
    if not wanted:
        return {}
    return Question.objects.select_related("passage__source").prefetch_related("choices").in_bulk(wanted)


def _review_items(attempt: Attempt, unanswered: dict[int, Question], wrong_only: bool = False) -> list[dict]:
    """Each question of the attempt; with ``wrong_only``, only those not fully right (unanswered ones included)."""
    responses = {response.question_id: response for response in attempt.responses.all()}
    right = {pk for pk, response in responses.items() if response.is_correct} if wrong_only else set()
    return [
        {"position": position, "response": responses.get(pk), "question": unanswered.get(pk)}
        for position, pk in enumerate(attempt.question_ids, start=1)
        if pk not in right
    ]


# Letters and digits that cannot be mistaken for one another when read aloud or copied.
TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@teacher_required
@require_POST
def student_password_reset(request: HtmxHttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """Give a student of the teacher's class a new temporary password, shown once to the teacher.

    Only students: a staff account in the class (another teacher) keeps its password.
    """
    classroom = _get_classroom_for(request, classroom_id)
    student = get_object_or_404(classroom.students.all(), pk=student_id)
    back = reverse("student_detail", args=[classroom.pk, student.pk])
    if student.is_staff or student.is_superuser:
        messages.error(request, "This account belongs to staff: its password is reset in the admin, not here.")
        return redirect(back)
    password = "-".join(get_random_string(4, TEMPORARY_PASSWORD_ALPHABET) for _ in range(3))
    student.set_password(password)
    student.save(update_fields=["password"])
    name = student.get_full_name() or student.username
    messages.success(
        request,
        f"New password for {name}: {password} — give it to them in person; they can change it after logging in.",
    )
    return redirect(back)


@teacher_required
@require_POST
def student_extension(request: HtmxHttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """Give one student of the class a later due date on one assigned quiz, or take it back (blank date)."""
    classroom = _get_classroom_for(request, classroom_id)
    student = get_object_or_404(classroom.students.all(), pk=student_id)
    back = reverse("student_detail", args=[classroom.pk, student.pk])
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, f"The extension was not saved: {errors}")
        return redirect(back)
    assignment = get_object_or_404(
        Assignment.objects.select_related("quiz"), classroom=classroom, quiz_id=form.cleaned_data["quiz"]
    )
    name = student.get_full_name() or student.username
    due_at = form.cleaned_data["due_at"]
    if due_at is None:
        Extension.objects.filter(assignment=assignment, student=student).delete()
        messages.success(request, f"{name} is back on the class's due date for “{assignment.quiz.title}”.")
    else:
        Extension.objects.update_or_create(assignment=assignment, student=student, defaults={"due_at": due_at})
        when = f"{timezone.localtime(due_at):%-d %b %Y %H:%M}"
        messages.success(request, f"“{assignment.quiz.title}” is now due {when} for {name}.")
    return redirect(back)

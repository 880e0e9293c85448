"""Classes: a teacher creates one and gets a join code; a student joins with the code."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from accounts import rate_limit
from accounts.roles import teacher_required
from config.requests import AuthenticatedHttpRequest, HtmxHttpRequest
from quiz.forms import ClassroomForm, JoinClassForm
from quiz.models import Classroom
from quiz.reporting.progress import classes_with_status
from quiz.views.shapes import render_shaped, two_shaped


def _render_join(request: HtmxHttpRequest, form: JoinClassForm, status: int = 200) -> HttpResponse:
    context = {"join_form": form, "joined": classes_with_status(request.user)}
    return render_shaped(request, "teach/join_class.html", "my_classes", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@two_shaped
def join_class(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Join a class with its code; without JavaScript the form posts here and redirects home."""
    if request.method in ("GET", "HEAD"):
        # A join link (?code=...) fills the code in; joining still takes the student's own press.
        return _render_join(request, JoinClassForm(initial={"join_code": request.GET.get("code", "")[:40]}))
    form = JoinClassForm(request.POST)
    if not form.is_valid():
        return _render_join(request, form, status=422)
    # Counted before the code is looked up, per student and per address; a right code is taken back.
    counters = {
        rate_limit.counter_key("join", f"user:{request.user.pk}"): settings.JOIN_CODE_FAILURE_LIMIT,
        rate_limit.counter_key("join", f"addr:{rate_limit.client_address(request)}"): (
            settings.JOIN_CODE_ADDRESS_FAILURE_LIMIT
        ),
    }
    wait = rate_limit.hit(counters)
    if wait:
        form.add_error("join_code", rate_limit.wait_message("Too many wrong class codes.", wait))
        response = _render_join(request, form, status=429)
        response["Retry-After"] = str(wait)
        return response
    classroom = Classroom.objects.select_related("teacher").filter(join_code=form.cleaned_data["join_code"]).first()
    if classroom is not None:
        rate_limit.refund(*counters)
    if classroom is None:
        form.add_error("join_code", "No class has this code. Check it with your teacher (letters and digits only).")
        return _render_join(request, form, status=422)
    if classroom.teacher_id == request.user.pk:
        form.add_error("join_code", "You teach this class, so you cannot join it as a student.")
        return _render_join(request, form, status=422)
    if classroom.students.filter(pk=request.user.pk).exists():
        messages.info(request, f"You are already in “{classroom.name}”.")
    else:
        classroom.students.add(request.user.pk)
        messages.success(request, f"You joined “{classroom.name}”. Its quizzes are listed under “My classes”.")
    if not request.htmx:
        return redirect("home")
    return _render_join(request, JoinClassForm())


@two_shaped
@teacher_required
@require_http_methods(["GET", "HEAD", "POST"])
def classroom_create(request: HtmxHttpRequest) -> HttpResponse:
    """A new class with a fresh join code; then its dashboard."""
    form = ClassroomForm(request.POST or None, teacher=request.user)
    if request.method == "POST":
        if form.is_valid():
            classroom = form.save(commit=False)
            classroom.teacher = request.user
            classroom.save()
            messages.success(
                request, f"Class “{classroom.name}” created. Students join it with the code {classroom.join_code}."
            )
            url = f"{reverse('teach_dashboard')}?classroom={classroom.pk}"
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        status = 422
    else:
        status = 200
    return render_shaped(request, "teach/classroom_new.html", "classroom_form", {"classroom_form": form}, status=status)

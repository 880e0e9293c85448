"""A teacher's judgement on typed answers: accept a near miss for everyone, or set one answer's mark by hand."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import teacher_required
from config.requests import HtmxHttpRequest
from quiz.models import Question, QuestionKind, Response
from quiz.ownership import may_change
from quiz.services import response_override_mark
from quiz.views.teach import _get_classroom_for

MAX_ACCEPTED_ANSWER = 200


class AcceptAnswerForm(forms.Form):
    answer = forms.CharField(
        max_length=MAX_ACCEPTED_ANSWER,
        error_messages={
            "required": "Choose the answer to accept.",
            "max_length": f"An accepted answer is at most {MAX_ACCEPTED_ANSWER} characters.",
        },
    )


@teacher_required
@require_POST
def accept_typed_answer(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    """Add a student's typed answer to the question's accepted answers, then offer the regrade preview."""
    question = get_object_or_404(Question, pk=question_id, kind=QuestionKind.SHORT_TEXT)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("teach_dashboard")
    if not may_change(request.user, question):
        sentence = (
            "Only the question's author can change the answers it accepts, and not while another teacher's "
            "class uses it (an administrator can)."
        )
        return render(request, "teach/marking_refused.html", {"sentence": sentence, "back": back}, status=403)
    form = AcceptAnswerForm(request.POST)
    if not form.is_valid():
        sentence = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return render(request, "teach/marking_refused.html", {"sentence": sentence, "back": back}, status=422)
    answer = form.cleaned_data["answer"]
    if not question.accept_answer(answer):
        messages.info(request, f"“{answer}” is already accepted for this question; nothing changed.")
        return redirect(back)
    messages.success(
        request,
        f"“{answer}” is now an accepted answer. Below is what a regrade would change for your students; "
        "scores change only when you confirm it.",
    )
    return redirect(reverse("admin:quiz_question_regrade") + "?" + urlencode({"ids": question.pk}))


class MarkForm(forms.Form):
    points = forms.DecimalField(
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=2,
        error_messages={"required": "Give the points for this answer.", "min_value": "Points cannot be negative."},
    )
    comment = forms.CharField(
        max_length=250,
        error_messages={
            "required": "Say why, in a few words: the student reads it with the mark.",
            "max_length": "Keep the comment under 250 characters.",
        },
    )

    def __init__(self, *args, maximum: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.maximum = maximum
        self.fields["points"].widget.attrs.update(max=f"{maximum:f}", step="0.01")

    def clean_points(self) -> Decimal:
        points = self.cleaned_data["points"]
        if points > self.maximum:
            raise forms.ValidationError(f"This question is worth {self.maximum:f} point(s) at most.")
        return points


@teacher_required
@require_http_methods(["GET", "HEAD", "POST"])
def response_mark(request: HtmxHttpRequest, classroom_id: int, student_id: int, response_id: int) -> HttpResponse:
    """Set one answer's mark by hand, with a comment for the student and the regrade log."""
    classroom = _get_classroom_for(request, classroom_id)
    student = get_object_or_404(classroom.students.all(), pk=student_id)
    response = get_object_or_404(
        Response.objects.select_related("attempt__quiz", "question"),
        pk=response_id,
        attempt__student=student,
        attempt__quiz__assignments__classroom=classroom,
    )
    maximum = Decimal(response.question_snapshot.get("points", response.question.points))
    form = MarkForm(request.POST or None, maximum=maximum, initial={"points": response.points_awarded})
    if request.method == "POST" and form.is_valid():
        response_override_mark(
            response=response, points=form.cleaned_data["points"], comment=form.cleaned_data["comment"], by=request.user
        )
        messages.success(request, "Mark changed; the student sees your comment, and the change is in the regrade log.")
        return redirect(reverse("student_detail", args=[classroom.pk, student.pk]) + f"#response-{response.pk}")
    context = {"classroom": classroom, "student": student, "response": response, "form": form, "maximum": maximum}
    return render(request, "teach/response_mark.html", context, status=422 if form.is_bound else 200)

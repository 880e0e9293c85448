from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from quiz.models import Attempt


@login_required
@require_GET
def my_progress(request: HttpRequest) -> HttpResponse:
    attempts = Attempt.objects.for_student(request.user).select_related("quiz").order_by("-started_at")
    return render(request, "quiz/progress.html", {"attempts": attempts})

"""LTI 1.3 endpoints: login initiation, launch, deep-linking choice, and the teacher's LMS pages.

Launch-side pages are shown inside the LMS's frame: each response names the platform's
origins in `frame-ancestors` (and drops X-Frame-Options); every other page of the site
keeps refusing to be framed (see `lti.middleware`).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core import signing
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from lti_tool.models import LtiRegistration
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoOIDCLogin

from accounts.roles import teacher_required
from lti.launch import LaunchRefused, ToolConfig, check_launch
from lti.middleware import FRAME_SESSION_KEY
from lti.models import CourseClass, GradeSync, PlacedQuiz
from lti.services import deep_link_reply, grade_sync_resend, launch_accept, roster_sync
from quiz.models import Classroom, Quiz

CONTINUE_TOKEN_SECONDS = 120
_signer = signing.TimestampSigner(salt="lti-continue")


def frame_origins(registration: LtiRegistration) -> list[str]:
    """The origins allowed to frame launches of this platform: set by the operator, else the platform's own URLs."""
    framing = getattr(registration, "framing", None)
    if framing is not None and framing.origins():
        return framing.origins()
    origins = []
    for url in (registration.issuer, registration.auth_url):
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return list(dict.fromkeys(origins))


def _framed_by(response: HttpResponse, origins: list[str], **extra_directives) -> HttpResponse:
    # Django's CSP middleware reads a per-response policy from this attribute.
    response._csp_config = {  # type: ignore[attr-defined]
        **settings.SECURE_CSP,
        "frame-ancestors": origins or [CSP.NONE],
        **extra_directives,
    }
    response.xframe_options_exempt = True
    return response


def _refused(request: HttpRequest, refusal: LaunchRefused) -> HttpResponse:
    return render(request, "lti/refused.html", {"sentence": refusal.sentence}, status=refusal.status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def login_initiation(request: HttpRequest, registration_uuid) -> HttpResponse:
    """Step one of an LTI launch: the platform names the user; we send them back to it with a fresh state and nonce."""
    params = request.POST if request.method == "POST" else request.GET
    registration = LtiRegistration.objects.filter(uuid=registration_uuid, is_active=True).first()
    if registration is None:
        return _refused(request, LaunchRefused("This LMS is not registered with Source Quiz.", 404))
    target = params.get("target_link_uri", "")
    if urlsplit(target).netloc != request.get_host():
        return _refused(request, LaunchRefused("The LMS asked to open a page that is not Source Quiz's.", 400))
    if params.get("iss") != registration.issuer or not params.get("login_hint"):
        return _refused(request, LaunchRefused("The LMS's login request is incomplete or names another LMS.", 400))
    oidc_login = DjangoOIDCLogin(request, ToolConfig(registration_uuid), launch_data_storage=DjangoCacheDataStorage())
    try:
        response = oidc_login.redirect(target)
    except Exception:  # pylti1p3 raises its own errors for unknown clients and missing parameters
        return _refused(request, LaunchRefused("The LMS's login request could not be accepted.", 400))
    return _framed_by(response, frame_origins(registration))


@csrf_exempt
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    """Step two: the platform posts a signed id_token; a checked launch signs the user in."""
    try:
        checked = check_launch(request)
        outcome = launch_accept(checked=checked)
    except LaunchRefused as refusal:
        return _refused(request, refusal)
    registration = LtiRegistration.objects.get(
        issuer=checked.claims["iss"], client_id=checked.message_launch.get_client_id()
    )
    origins = frame_origins(registration)
    login(request, outcome.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[FRAME_SESSION_KEY] = origins
    if checked.is_deep_link:
        quizzes = _placeable_quizzes(outcome.user)
        page = render(
            request,
            "lti/deep_link.html",
            {"launch_id": checked.launch_id, "quizzes": quizzes, "classroom": outcome.classroom},
        )
        return _framed_by(page, origins)
    if outcome.is_teacher or outcome.quiz is None:
        destination = reverse("lti_grades", args=[outcome.classroom.pk])
    else:
        destination = outcome.quiz.get_absolute_url()
    token = _signer.sign_object({"user": outcome.user.pk, "to": destination, "origins": origins})
    context = {"outcome": outcome, "destination": destination, "continue_token": token}
    return _framed_by(render(request, "lti/launched.html", context), origins)


def _placeable_quizzes(teacher):
    """Published quizzes (and the teacher's own drafts), each with the sources its questions cite."""
    from quiz.models import QuizQuestion

    quizzes = list(Quiz.objects.filter(is_published=True) | Quiz.objects.filter(owner=teacher))
    sources: dict[int, list[str]] = {}
    rows = (
        QuizQuestion.objects.filter(quiz__in=quizzes)
        .values_list("quiz_id", "question__passage__source__title")
        .distinct()
        .order_by("quiz_id", "question__passage__source__title")
    )
    for quiz_id, title in rows:
        sources.setdefault(quiz_id, []).append(title)
    for quiz in quizzes:
        quiz.source_titles = sources.get(quiz.pk, [])
    return sorted(quizzes, key=lambda quiz: quiz.title.lower())


@require_POST
@teacher_required
def deep_link_choose(request: HttpRequest) -> HttpResponse:
    """The teacher picked a quiz: place it in the course and hand the signed choice back to the LMS."""
    quiz = (
        Quiz.objects.filter(pk=request.POST.get("quiz", "")).first() if request.POST.get("quiz", "").isdigit() else None
    )
    if quiz is None or not (quiz.is_published or quiz.owner_id == request.user.pk):
        page = render(
            request,
            "lti/refused.html",
            {"sentence": "Choose one of the quizzes in the list to place it in your course."},
            status=422,
        )
        return _framed_by(page, request.session.get(FRAME_SESSION_KEY, []))
    try:
        reply = deep_link_reply(
            request=request, launch_id=request.POST.get("launch_id", ""), quiz=quiz, teacher=request.user
        )
    except LaunchRefused as refusal:
        return _refused(request, refusal)
    return_origin = "{0.scheme}://{0.netloc}".format(urlsplit(reply.return_url))
    page = render(request, "lti/deep_link_return.html", {"reply": reply, "quiz": quiz})
    # The reply is a form posted to the LMS: allow that one origin as a form target.
    return _framed_by(page, request.session.get(FRAME_SESSION_KEY, []), **{"form-action": [CSP.SELF, return_origin]})


@require_http_methods(["GET"])
def continue_in_window(request: HttpRequest, token: str) -> HttpResponse:
    """Open the launch in a window of its own, for browsers that block cookies inside the LMS's frame.

    The link is signed, lives two minutes and works once, so a copied link signs nobody in later.
    """
    try:
        payload = _signer.unsign_object(token, max_age=CONTINUE_TOKEN_SECONDS)
    except signing.BadSignature:
        return _refused(request, LaunchRefused("This link has expired. Open Source Quiz again from your course.", 400))
    if not cache.add(f"lti-continue-used:{token[-43:]}", True, timeout=CONTINUE_TOKEN_SECONDS * 2):
        return _refused(
            request, LaunchRefused("This link was already used. Open Source Quiz again from your course.", 400)
        )
    user = get_object_or_404(get_user_model(), pk=payload["user"], is_active=True)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(payload["to"])


@require_http_methods(["GET", "HEAD"])
@teacher_required
def grade_status(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """For each student and quiz placed in the LMS course: did the grade reach the LMS?"""
    classroom = get_object_or_404(Classroom.objects.taught_by(request.user), pk=classroom_id)
    course = CourseClass.objects.filter(classroom=classroom).select_related("context").first()
    placements = []
    if course is not None:
        placements = list(
            PlacedQuiz.objects.filter(course=course)
            .select_related("quiz")
            .prefetch_related(
                Prefetch(
                    "grade_syncs",
                    queryset=GradeSync.objects.select_related("student").order_by(
                        "student__last_name", "student__first_name", "student__username"
                    ),
                )
            )
            .order_by("quiz__title")
        )
    context = {"classroom": classroom, "course": course, "placements": placements}
    return render(request, "lti/grades.html", context)


@require_POST
@teacher_required
def grade_resend(request: HttpRequest, sync_id: int) -> HttpResponse:
    from lti.tasks import send_grade

    sync = get_object_or_404(
        GradeSync.objects.filter(placement__course__classroom__teacher_id=request.user.pk).select_related("student"),
        pk=sync_id,
    )
    grade_sync_resend(sync=sync)
    send_grade.enqueue(sync.pk)
    messages.success(
        request, f"The grade of {sync.student.get_full_name() or sync.student.username} is being sent again."
    )
    return redirect("lti_grades", sync.placement.course.classroom_id)


@require_POST
@teacher_required
def roster_refresh(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = get_object_or_404(Classroom.objects.taught_by(request.user), pk=classroom_id)
    course = get_object_or_404(
        CourseClass.objects.select_related("context__deployment__registration"), classroom=classroom
    )
    try:
        enrolled = roster_sync(course=course)
    except LaunchRefused as refusal:
        messages.error(request, refusal.sentence)
    except Exception:
        messages.error(request, "The LMS did not send its roster just now. Try again in a minute.")
    else:
        messages.success(request, f"Roster synced from the LMS: {enrolled} student(s) enrolled.")
    return redirect("lti_grades", classroom.pk)


@require_http_methods(["GET"])
def dynamic_registration(request: HttpRequest, token: str) -> HttpResponse:
    """LTI Dynamic Registration: the LMS opens this one-time link; we register with it and say so."""
    from lti.models import RegistrationInvite
    from lti.registration import register_platform

    invite = RegistrationInvite.objects.filter(token=token).first()
    configuration_url = request.GET.get("openid_configuration", "")
    parts = urlsplit(configuration_url)
    lms_origin = [f"{parts.scheme}://{parts.netloc}"] if parts.scheme in ("http", "https") and parts.netloc else []
    if invite is None:
        page = _refused(request, LaunchRefused("This registration link is not known. Ask for a new one.", 404))
        return _framed_by(page, lms_origin)
    try:
        registration = register_platform(
            invite=invite,
            openid_configuration_url=configuration_url,
            registration_token=request.GET.get("registration_token", ""),
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except LaunchRefused as refusal:
        return _framed_by(_refused(request, refusal), lms_origin)
    return _framed_by(render(request, "lti/registered.html", {"registration": registration}), lms_origin)

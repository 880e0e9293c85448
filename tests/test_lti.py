"""LTI 1.3: launches checked and mapped to users, roles and classes; deep linking; grades back to the LMS.

Every test talks to a real platform over HTTP (`tests/lti_platform.py`): it signs id_tokens
with its own RSA key, serves its key set, issues access tokens only for assertions signed
with the tool's key, and records the scores it receives.
"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from jwcrypto.jwk import JWK
from lti_tool.models import Key, LtiContext, LtiUser

from accounts.roles import is_teacher
from lti.models import CourseClass, GradeSync, GradeSyncState, PlacedQuiz
from lti.tasks import send_due_grades
from quiz.models import Assignment, Classroom, GradingMethod
from tests.factories import QuizFactory, TeacherFactory, sit_quiz
from tests.lti_platform import INSTRUCTOR, LEARNER, LmsPlatform, PendingLaunch, PlatformUser

LAUNCH_URL = "http://testserver/lti/launch/"
TEACHER = PlatformUser(sub="lms-teacher-1", given_name="Maria", family_name="Ivanova", roles=[INSTRUCTOR])
STUDENT = PlatformUser(sub="lms-student-7", given_name="Lev", family_name="Petrov", roles=[LEARNER])


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks run as they are queued, so a test sees the LMS receive the grade."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def platform():
    running = LmsPlatform().start()
    yield running
    running.stop()


@pytest.fixture
def registration(db, platform):
    cache.clear()
    Key.objects.generate()
    return platform.register_with_tool(tool_keys=Key.objects.as_jwks(), tool_launch_url=LAUNCH_URL)


@pytest.fixture
def quiz(db):
    return QuizFactory(questions=2, title="Chips and sanctions")


def start_login(client, registration, platform, launch: PendingLaunch) -> dict:
    """The LMS sends the browser to the tool's login URL; the tool answers with a redirect to the LMS."""
    reply = client.get(f"/lti/login/{registration.uuid}/", platform.login_params(launch))
    assert reply.status_code == 302, reply.content
    location = urlsplit(reply["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{platform.url}/auth"
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def do_launch(client, registration, platform, launch: PendingLaunch, *, tamper=None, token=None):
    auth = start_login(client, registration, platform, launch)
    claims = platform.claims_for(launch, nonce=auth["nonce"])
    if tamper:
        tamper(claims)
    id_token = token or platform.sign(claims)
    return client.post("/lti/launch/", {"id_token": id_token, "state": auth["state"]}), id_token, auth


def resource_launch(platform, user, quiz, *, lineitem="") -> PendingLaunch:
    return PendingLaunch(
        user=user,
        message_type="LtiResourceLinkRequest",
        resource_link_id=f"link-{quiz.slug}",
        custom={"quiz": quiz.slug, "due_at": "$ResourceLink.submission.endDateTime"},
        lineitem=lineitem,
    )


def teacher_places(client, registration, platform, quiz):
    """Instructor's deep-linking launch, then the quiz chosen; returns the page posted back to the LMS."""
    launch = PendingLaunch(user=TEACHER, message_type="LtiDeepLinkingRequest")
    page, _, _ = do_launch(client, registration, platform, launch)
    assert page.status_code == 200, page.content
    launch_id = page.context["launch_id"]
    return client.post("/lti/place/", {"launch_id": launch_id, "quiz": quiz.pk})


def test_instructor_launch_makes_a_teacher_and_the_course_a_class(client, registration, platform, quiz):
    page = teacher_places(client, registration, platform, quiz)

    assert page.status_code == 200
    teacher = LtiUser.objects.get(sub=TEACHER.sub).auth_user
    assert is_teacher(teacher) and teacher.get_full_name() == "Maria Ivanova"
    assert not teacher.has_usable_password()
    classroom = Classroom.objects.get(teacher=teacher)
    assert classroom.name == platform.context["title"]
    assert CourseClass.objects.get(classroom=classroom).context.id_on_platform == "course-101"


def test_deep_linking_places_the_quiz_and_signs_the_reply_to_the_lms(client, registration, platform, quiz):
    page = teacher_places(client, registration, platform, quiz)

    reply = page.context["reply"]
    assert reply.return_url == f"{platform.url}/deep_link_return"
    assert f'action="{platform.url}/deep_link_return"' in page.content.decode()
    # The LMS checks the reply against the tool's published key set, as the test platform does here.
    public = jwt.PyJWK(Key.objects.as_jwks()["keys"][0]).key
    claims = jwt.decode(reply.jwt, public, algorithms=["RS256"], audience=platform.issuer)
    (item,) = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["url"] == LAUNCH_URL and item["custom"]["quiz"] == quiz.slug
    assert item["lineItem"]["scoreMaximum"] == 100
    classroom = Classroom.objects.get()
    assert Assignment.objects.filter(classroom=classroom, quiz=quiz).exists()
    assert PlacedQuiz.objects.filter(course__classroom=classroom, quiz=quiz).exists()
    # The reply's form may go to the LMS, and only there.
    assert f"form-action 'self' {platform.url}" in page["Content-Security-Policy"]


def test_deep_linking_refuses_a_quiz_not_in_the_list(client, registration, platform, quiz):
    quiz.is_published = False
    quiz.save()

    page = teacher_places(client, registration, platform, quiz)

    assert page.status_code == 422
    assert b"Choose one of the quizzes" in page.content


def test_learner_launch_enrols_the_student_and_opens_the_quiz(client, registration, platform, quiz):
    teacher_places(client, registration, platform, quiz)
    client.logout()
    lineitem = platform.lineitem_url()

    page, _, _ = do_launch(client, registration, platform, resource_launch(platform, STUDENT, quiz, lineitem=lineitem))

    assert page.status_code == 200
    student = LtiUser.objects.get(sub=STUDENT.sub).auth_user
    assert not is_teacher(student)
    assert Classroom.objects.get().students.filter(pk=student.pk).exists()
    assert page.context["destination"] == quiz.get_absolute_url()
    assert PlacedQuiz.objects.get(quiz=quiz).lineitem_url == lineitem
    # Signed in already: the quiz page opens in the same frame.
    assert client.get(quiz.get_absolute_url()).status_code == 200


def test_learner_before_any_instructor_is_told_and_nothing_is_kept(client, registration, platform, quiz):
    page, _, _ = do_launch(client, registration, platform, resource_launch(platform, STUDENT, quiz))

    assert page.status_code == 409
    assert b"Your teacher has not opened Source Quiz in this course yet" in page.content
    assert not LtiUser.objects.exists() and not get_user_model().objects.filter(username__startswith="lms-").exists()


def _forged_key() -> bytes:
    """Another RSA key, used under the platform's key id: the signature cannot match."""
    return JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None)


BAD_LAUNCHES = {
    "wrong signature": dict(token=lambda platform, claims: platform.sign(claims, key_pem=_forged_key())),
    "unknown issuer": dict(tamper=lambda claims: claims.update(iss="https://lms.unknown.example")),
    "unknown client (audience)": dict(tamper=lambda claims: claims.update(aud="someone-else")),
    "unknown deployment": dict(
        tamper=lambda claims: claims.update({"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "nope"})
    ),
    "expired token": dict(tamper=lambda claims: claims.update(exp=claims["iat"] - 60, iat=claims["iat"] - 600)),
    "missing subject": dict(tamper=lambda claims: claims.pop("sub")),
    "missing course": dict(tamper=lambda claims: claims.pop("https://purl.imsglobal.org/spec/lti/claim/context")),
    "missing roles": dict(tamper=lambda claims: claims.pop("https://purl.imsglobal.org/spec/lti/claim/roles")),
    "wrong nonce": dict(tamper=lambda claims: claims.update(nonce="not-the-one-issued")),
}


@pytest.mark.parametrize("case", BAD_LAUNCHES)
def test_a_bad_launch_is_refused_with_a_sentence_and_creates_nothing(client, registration, platform, quiz, case):
    spec = BAD_LAUNCHES[case]
    launch = PendingLaunch(user=TEACHER, message_type="LtiDeepLinkingRequest")
    token = None
    if "token" in spec:
        auth = start_login(client, registration, platform, launch)
        token = spec["token"](platform, platform.claims_for(launch, nonce=auth["nonce"]))
        page = client.post("/lti/launch/", {"id_token": token, "state": auth["state"]})
    else:
        page, _, _ = do_launch(client, registration, platform, launch, tamper=spec["tamper"])

    assert 400 <= page.status_code < 500, (case, page.status_code)
    assert b"Source Quiz could not open" in page.content
    assert not LtiUser.objects.exists()
    assert not LtiContext.objects.exists()
    assert not Classroom.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_replayed_launch_is_refused(client, registration, platform, quiz):
    launch = PendingLaunch(user=TEACHER, message_type="LtiDeepLinkingRequest")
    first, id_token, auth = do_launch(client, registration, platform, launch)
    assert first.status_code == 200
    client.logout()

    replay = client.post("/lti/launch/", {"id_token": id_token, "state": auth["state"]})

    assert replay.status_code == 403
    assert b"already used" in replay.content


def test_login_initiation_for_an_unknown_platform_is_a_404_with_a_sentence(client, db):
    page = client.get("/lti/login/00000000-0000-0000-0000-000000000000/", {"iss": "x", "login_hint": "y"})
    assert page.status_code == 404
    assert b"not registered" in page.content


def test_login_initiation_refuses_a_target_outside_the_tool(client, registration, platform, quiz):
    params = platform.login_params(PendingLaunch(user=TEACHER, message_type="LtiDeepLinkingRequest"))
    params["target_link_uri"] = "https://evil.example/steal"
    page = client.get(f"/lti/login/{registration.uuid}/", params)
    assert page.status_code == 400


def test_launched_pages_may_be_framed_by_the_lms_only(client, registration, platform, quiz):
    assert "frame-ancestors 'none'" in client.get("/").headers["Content-Security-Policy"]

    teacher_places(client, registration, platform, quiz)
    later = client.get("/")

    assert f"frame-ancestors {platform.url}" in later["Content-Security-Policy"]
    assert "X-Frame-Options" not in later


def test_the_new_window_link_signs_in_once(client, registration, platform, quiz):
    teacher_places(client, registration, platform, quiz)
    client.logout()
    page, _, _ = do_launch(client, registration, platform, resource_launch(platform, STUDENT, quiz))
    token = page.context["continue_token"]
    client.logout()
    fresh = client.__class__()

    opened = fresh.get(f"/lti/continue/{token}/")
    again = client.__class__().get(f"/lti/continue/{token}/")

    assert opened.status_code == 302 and opened["Location"] == quiz.get_absolute_url()
    assert again.status_code == 400 and b"already used" in again.content


def test_jwks_publishes_the_tool_keys_and_keys_can_be_rotated(client, registration):
    first = client.get("/lti/jwks.json").json()["keys"]
    call_command("rotate_keys", verbosity=0)
    after = client.get("/lti/jwks.json").json()["keys"]
    assert len(first) == 1 and len(after) >= 1
    assert after != first


def _student_in_course(client, registration, platform, quiz):
    teacher_places(client, registration, platform, quiz)
    client.logout()
    lineitem = platform.lineitem_url()
    do_launch(client, registration, platform, resource_launch(platform, STUDENT, quiz, lineitem=lineitem))
    return LtiUser.objects.get(sub=STUDENT.sub).auth_user, lineitem


def test_a_finished_attempt_sends_the_grade_to_the_lms(
    client, registration, platform, quiz, django_capture_on_commit_callbacks
):
    student, lineitem = _student_in_course(client, registration, platform, quiz)

    with django_capture_on_commit_callbacks(execute=True):
        sit_quiz(quiz, student, [True, False])

    (score,) = platform.scores
    assert score["lineitem"].endswith(urlsplit(lineitem).path)
    assert score["userId"] == STUDENT.sub
    assert (score["scoreGiven"], score["scoreMaximum"]) == (1.0, 2.0)
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    assert GradeSync.objects.get().state == GradeSyncState.SENT


def test_an_lms_failing_twice_then_succeeding_records_exactly_one_final_score(
    client, registration, platform, quiz, django_capture_on_commit_callbacks
):
    student, _ = _student_in_course(client, registration, platform, quiz)
    platform.score_failures_left = 2

    with django_capture_on_commit_callbacks(execute=True):
        sit_quiz(quiz, student, [True, True])
    sync = GradeSync.objects.get()
    assert sync.state == GradeSyncState.PENDING and sync.tries == 1 and "503" in sync.last_error
    assert send_due_grades() == 0  # not due yet: the backoff holds it
    GradeSync.objects.update(next_try_at=timezone.now() - timedelta(seconds=1))
    assert send_due_grades() == 0  # second failure
    GradeSync.objects.update(next_try_at=timezone.now() - timedelta(seconds=1))
    assert send_due_grades() == 1

    assert platform.score_attempts == 3
    assert [score["scoreGiven"] for score in platform.scores] == [2.0]
    assert GradeSync.objects.get().state == GradeSyncState.SENT


def test_an_lms_that_never_answers_leaves_the_grade_failed_for_the_teacher_to_resend(
    client, registration, platform, quiz, django_capture_on_commit_callbacks
):
    student, _ = _student_in_course(client, registration, platform, quiz)
    platform.score_failures_left = 100
    with django_capture_on_commit_callbacks(execute=True):
        sit_quiz(quiz, student, [True, True])
    for _ in range(GradeSync.MAX_TRIES):
        GradeSync.objects.update(next_try_at=timezone.now() - timedelta(seconds=1))
        send_due_grades()
    sync = GradeSync.objects.get()
    assert sync.state == GradeSyncState.FAILED and sync.tries == GradeSync.MAX_TRIES

    teacher = Classroom.objects.get().teacher
    client.force_login(teacher)
    status_page = client.get(f"/lti/classes/{Classroom.objects.get().pk}/grades/")
    assert b"Not delivered" in status_page.content
    platform.score_failures_left = 0
    client.post(f"/lti/grades/{sync.pk}/resend/")

    assert GradeSync.objects.get().state == GradeSyncState.SENT
    assert len(platform.scores) == 1


def test_a_regrade_sends_the_changed_grade(client, registration, platform, quiz, django_capture_on_commit_callbacks):
    from quiz.admin.regrade import regrade_apply

    student, _ = _student_in_course(client, registration, platform, quiz)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = sit_quiz(quiz, student, [True, False])
    question = quiz.questions.get(pk=attempt.question_ids[1])
    right, wrong = list(question.choices.order_by("-is_correct"))[:2]
    right.is_correct, wrong.is_correct = False, True
    right.save()
    wrong.save()

    with django_capture_on_commit_callbacks(execute=True):
        regrade_apply(questions=quiz.questions.filter(pk=question.pk), by=Classroom.objects.get().teacher)

    assert [score["scoreGiven"] for score in platform.scores] == [1.0, 2.0]


def test_grade_status_is_for_the_class_teacher_only(client, registration, platform, quiz):
    teacher_places(client, registration, platform, quiz)
    classroom = Classroom.objects.get()
    client.force_login(TeacherFactory())
    assert client.get(f"/lti/classes/{classroom.pk}/grades/").status_code == 404
    client.force_login(classroom.teacher)
    assert client.get(f"/lti/classes/{classroom.pk}/grades/").status_code == 200


def test_roster_sync_enrols_the_courses_learners(client, registration, platform, quiz):
    teacher_places(client, registration, platform, quiz)
    platform.members = [
        {"user_id": "s-1", "given_name": "Ada", "family_name": "K", "roles": ["Learner"], "status": "Active"},
        {"user_id": "s-2", "given_name": "Boris", "family_name": "L", "roles": ["Learner"], "status": "Inactive"},
        {"user_id": TEACHER.sub, "roles": ["Instructor"], "status": "Active"},
    ]
    classroom = Classroom.objects.get()

    reply = client.post(f"/lti/classes/{classroom.pk}/roster/", follow=True)

    assert b"1 student(s) enrolled" in reply.content
    assert [user.first_name for user in classroom.students.all()] == ["Ada"]


@pytest.mark.parametrize(
    ("method", "expected_percent"), [(GradingMethod.BEST, 100), (GradingMethod.FIRST, 50), (GradingMethod.LAST, 0)]
)
def test_the_graded_attempt_follows_the_quizs_grading_method(db, method, expected_percent):
    from tests.factories import UserFactory

    quiz = QuizFactory(questions=2, attempts_allowed=3, grading_method=method)
    student = UserFactory()
    for marks in ([True, False], [True, True], [False, False]):
        sit_quiz(quiz, student, marks)

    assert quiz.graded_attempt(student).percent == expected_percent


# Dynamic registration ---------------------------------------------------------------------


@pytest.fixture
def invite(db):
    from lti.models import RegistrationInvite

    cache.clear()
    Key.objects.generate()
    return RegistrationInvite.objects.create(note="Test LMS")


def register(client, platform, invite, **overrides):
    params = {
        "openid_configuration": f"{platform.url}/.well-known/openid-configuration",
        "registration_token": platform.registration_token,
        **overrides,
    }
    return client.get(f"/lti/register/{invite.token}/", params)


def test_dynamic_registration_registers_the_lms_that_opened_the_link(client, platform, invite):
    from lti_tool.models import LtiRegistration

    page = register(client, platform, invite)

    assert page.status_code == 200, page.content
    assert b"Source Quiz is registered" in page.content
    registration = LtiRegistration.objects.get()
    assert (registration.issuer, registration.client_id) == (platform.issuer, platform.client_id)
    assert registration.keyset_url == f"{platform.url}/jwks"
    assert registration.deployments.get().is_active
    (sent,) = platform.registrations
    assert sent["initiate_login_uri"] == f"http://testserver/lti/login/{registration.uuid}/"
    assert sent["jwks_uri"] == "http://testserver/lti/jwks.json"
    messages = sent["https://purl.imsglobal.org/spec/lti-tool-configuration"]["messages"]
    assert {message["type"] for message in messages} == {"LtiDeepLinkingRequest", "LtiResourceLinkRequest"}
    # The LMS showing the registration page in its frame may do so.
    assert f"frame-ancestors {platform.url}" in page["Content-Security-Policy"]


def test_a_registered_lms_can_launch_at_once(client, platform, invite, quiz):
    from lti_tool.models import LtiRegistration

    register(client, platform, invite)
    platform.tool_launch_url = LAUNCH_URL
    launch = PendingLaunch(user=TEACHER, message_type="LtiDeepLinkingRequest")

    page, _, _ = do_launch(client, LtiRegistration.objects.get(), platform, launch)

    assert page.status_code == 200
    assert quiz.title.encode() in page.content


def test_a_registration_link_works_once(client, platform, invite):
    from lti_tool.models import LtiRegistration

    register(client, platform, invite)
    again = register(client, platform, invite)

    assert again.status_code == 403 and b"used already or has expired" in again.content
    assert LtiRegistration.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "status", "sentence"),
    [
        ({"registration_token": "wrong"}, 502, b"The LMS refused Source Quiz"),
        ({"openid_configuration": "javascript:alert(1)"}, 400, b"did not say where its configuration is"),
        ({"openid_configuration": "http://127.0.0.1:9/nothing"}, 502, b"Source Quiz could not read the LMS"),
    ],
)
def test_a_failed_dynamic_registration_says_why_and_registers_nothing(
    client, platform, invite, overrides, status, sentence
):
    from lti_tool.models import LtiRegistration

    page = register(client, platform, invite, **overrides)

    assert page.status_code == status and sentence in page.content
    assert not LtiRegistration.objects.exists()
    invite.refresh_from_db()
    assert invite.used_at is None


def test_an_unknown_registration_link_is_refused(client, platform, db):
    page = client.get("/lti/register/not-a-token/", {"openid_configuration": f"{platform.url}/.well-known/x"})
    assert page.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_with_the_worker_backend_the_students_request_never_waits_for_the_lms(
    client, registration, platform, quiz, settings
):
    """The grade is queued as a task when the attempt closes; the worker sends it, and retries a failure later."""
    from django_tasks_db.models import DBTaskResult

    student, _ = _student_in_course(client, registration, platform, quiz)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    platform.score_failures_left = 1

    sit_quiz(quiz, student, [True, True])

    assert platform.score_attempts == 0  # nothing left the request
    assert DBTaskResult.objects.filter(task_path="lti.tasks.send_grade").count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert platform.score_attempts == 1 and not platform.scores  # the LMS failed once
    retry = DBTaskResult.objects.filter(task_path="lti.tasks.send_grade", status="READY").get()
    assert retry.run_after is not None and retry.run_after > timezone.now()  # scheduled with backoff

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert [score["scoreGiven"] for score in platform.scores] == [2.0]
    assert GradeSync.objects.get().state == GradeSyncState.SENT

"""What an LTI launch does in Source Quiz, and how grades travel back to the LMS.

The views call these functions only; they keep to the ORM and to pylti1p3 for the
protocol (signed JWTs, OAuth2 client credentials, the AGS and NRPS services).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from lti_tool.lti_core.constants import ContextRole
from lti_tool.lti_core.utils import normalize_role
from lti_tool.models import LtiContext, LtiLaunch, LtiRegistration, LtiUser
from lti_tool.utils import sync_data_from_launch
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from accounts.roles import make_teacher
from lti.launch import CLAIM, CheckedLaunch, LaunchRefused, ToolConfig
from lti.models import CourseClass, GradeSync, GradeSyncState, PlacedQuiz
from quiz.models import Assignment, Attempt, Classroom, Quiz

logger = logging.getLogger(__name__)

SCORE_SCOPE: Final = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
# Roles that make someone a teacher of the course's class: the LIS instructor role and its
# sub-roles (TeachingAssistant is "Instructor#TeachingAssistant"), and course administrators.
TEACHING_ROLES = (ContextRole.INSTRUCTOR.value, ContextRole.ADMINISTRATOR.value)
HTTP_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class LaunchOutcome:
    user: User
    is_teacher: bool
    classroom: Classroom
    quiz: Quiz | None


def is_teaching_role(roles: list[str]) -> bool:
    return any(normalize_role(role).startswith(TEACHING_ROLES) for role in roles)


def launch_accept(*, checked: CheckedLaunch) -> LaunchOutcome:
    """Record a checked launch: the LMS user, their local account, the course's class, the placed quiz."""
    with transaction.atomic():
        lti_launch = LtiLaunch(checked.message_launch)
        sync_data_from_launch(lti_launch)
        lti_user = lti_launch.user
        user = _local_user_for(lti_user)
        teacher = is_teaching_role(checked.roles)
        course = CourseClass.objects.select_related("classroom").filter(context=lti_launch.context).first()
        if teacher:
            make_teacher(user)
            if course is None:
                course = _course_class_create(context=lti_launch.context, teacher=user)
        elif course is None:
            raise LaunchRefused(
                "Your teacher has not opened Source Quiz in this course yet. Try again after they have.", 409
            )
        else:
            course.classroom.students.add(user)
        quiz = None
        if not checked.is_deep_link:
            quiz = _placed_quiz_from(checked, course)
        return LaunchOutcome(user=user, is_teacher=teacher, classroom=course.classroom, quiz=quiz)


def _local_user_for(lti_user: LtiUser):
    """The Source Quiz account of an LMS user, made on their first launch (no password: they come via the LMS)."""
    User = get_user_model()
    if lti_user.auth_user_id:
        user = lti_user.auth_user
    else:
        registration = lti_user.registration
        fingerprint = hashlib.sha256(f"{registration.issuer}|{registration.client_id}|{lti_user.sub}".encode())
        user, created = User.objects.get_or_create(username=f"lms-{fingerprint.hexdigest()[:20]}")
        if created:
            user.set_unusable_password()
        lti_user.auth_user = user
        lti_user.save(update_fields=["auth_user"])
    # The LMS is the authority on names: keep them as it last sent them.
    names = {
        "first_name": (lti_user.given_name or lti_user.name)[:150],
        "last_name": lti_user.family_name[:150],
        "email": lti_user.email,
    }
    changed = [field for field, value in names.items() if value and getattr(user, field) != value]
    for field in changed:
        setattr(user, field, names[field])
    user.save()
    return user


def _course_class_create(*, context: LtiContext, teacher) -> CourseClass:
    name = (context.title or context.label or "Course from the LMS")[:120]
    classroom = Classroom.objects.create(name=name, teacher=teacher)
    return CourseClass.objects.create(context=context, classroom=classroom)


def _placed_quiz_from(checked: CheckedLaunch, course: CourseClass) -> Quiz:
    """The quiz a resource link opens (named by the custom parameter deep linking set), kept with its line item."""
    slug = str(checked.custom.get("quiz", ""))
    quiz = Quiz.objects.filter(slug=slug).first() if slug else None
    if quiz is None:
        raise LaunchRefused(
            "This link in your course does not point at a Source Quiz quiz. Ask your teacher to place it again.", 404
        )
    lineitem_url = (checked.claims.get("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint") or {}).get(
        "lineitem", ""
    )
    placement, created = PlacedQuiz.objects.get_or_create(
        course=course, quiz=quiz, defaults={"lineitem_url": lineitem_url[:500]}
    )
    if lineitem_url and placement.lineitem_url != lineitem_url:
        placement.lineitem_url = lineitem_url[:500]
        placement.save(update_fields=["lineitem_url"])
    due_at = _due_date(checked.custom.get("due_at"))
    assignment, created = Assignment.objects.get_or_create(
        classroom=course.classroom, quiz=quiz, defaults={"due_at": due_at}
    )
    if due_at and assignment.due_at != due_at:
        assignment.due_at = due_at
        assignment.save(update_fields=["due_at"])
    return quiz


def _due_date(value) -> datetime | None:
    """A due date the LMS substituted into the link (ISO 8601), or None when it sent none or the raw variable."""
    if not isinstance(value, str) or value.startswith("$"):
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def restored_launch(request, launch_id: str) -> MessageLaunch:
    try:
        return DjangoMessageLaunch.from_cache(
            launch_id, request, ToolConfig(), launch_data_storage=DjangoCacheDataStorage()
        )
    except Exception as error:
        raise LaunchRefused("This placement page has expired. Start again from your LMS.", 400) from error


@dataclass(frozen=True)
class DeepLinkReply:
    return_url: str
    jwt: str


def deep_link_reply(*, request, launch_id: str, quiz: Quiz, teacher) -> DeepLinkReply:
    """Place ``quiz`` in the course the deep-linking launch came from, and sign the reply to the LMS."""
    message_launch = restored_launch(request, launch_id)
    claims: dict[str, Any] = dict(message_launch.get_launch_data())
    if not is_teaching_role(claims.get(CLAIM + "roles", [])):
        raise LaunchRefused("Only the course's teachers can place quizzes.", 403)
    context = LtiContext.objects.filter(
        deployment__deployment_id=claims.get(CLAIM + "deployment_id"),
        deployment__registration__issuer=claims.get("iss"),
        id_on_platform=(claims.get(CLAIM + "context") or {}).get("id", ""),
    ).first()
    course = CourseClass.objects.filter(context=context).select_related("classroom").first()
    if course is None or course.classroom.teacher_id != teacher.pk:
        raise LaunchRefused("This placement belongs to another course's session. Start again from your LMS.", 403)
    with transaction.atomic():
        PlacedQuiz.objects.get_or_create(course=course, quiz=quiz)
        Assignment.objects.get_or_create(classroom=course.classroom, quiz=quiz)
    launch_url = request.build_absolute_uri(reverse("lti_launch"))
    line_item = LineItem().set_score_maximum(100).set_label(quiz.title[:255]).set_resource_id(quiz.slug)
    resource = (
        DeepLinkResource()
        .set_url(launch_url)
        .set_title(quiz.title)
        .set_lineitem(line_item)
        .set_custom_params({"quiz": quiz.slug, "due_at": "$ResourceLink.submission.endDateTime"})
    )
    deep_link = message_launch.get_deep_link()
    return_url = claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"]["deep_link_return_url"]
    return DeepLinkReply(return_url=return_url, jwt=deep_link.get_response_jwt([resource]))


# Grades back to the LMS ------------------------------------------------------------------


def grade_syncs_queue(*, attempt: Attempt, now=None) -> list[GradeSync]:
    """Note the student's current grade for every LMS course that placed this quiz; the sends follow in the background.

    Cheap enough for the request that finishes an attempt: one query finds the placements
    (none for most quizzes), and each placement writes one row.
    """
    now = now or timezone.now()
    placements = list(
        PlacedQuiz.objects.filter(
            quiz_id=attempt.quiz_id,
            course__context__memberships__user__auth_user_id=attempt.student_id,
        )
        .exclude(lineitem_url="")
        .select_related("quiz", "course__context__deployment")
        .distinct()
    )
    if not placements:
        return []
    graded = placements[0].quiz.graded_attempt(attempt.student)
    if graded is None:
        return []
    syncs = []
    for placement in placements:
        lms_user = LtiUser.objects.filter(
            registration_id=placement.course.context.deployment.registration_id, auth_user_id=attempt.student_id
        ).first()
        if lms_user is None:
            continue
        sync, _ = GradeSync.objects.update_or_create(
            placement=placement,
            student_id=attempt.student_id,
            defaults={
                "lms_user_id": lms_user.sub,
                "score_given": graded.score,
                "score_maximum": graded.max_score,
                "state": GradeSyncState.PENDING,
                "tries": 0,
                "last_error": "",
                "next_try_at": now,
                "changed_at": now,
            },
        )
        syncs.append(sync)
    return syncs


def grade_sync_send(*, sync: GradeSync, now=None) -> bool:
    """Post one grade to its LMS line item; True when the LMS took it.

    On failure the row stays pending with a growing delay (failed after MAX_TRIES), so a
    slow or down LMS never loses a grade and never holds up a student.
    """
    now = now or timezone.now()
    placement = sync.placement
    registration: LtiRegistration = placement.course.context.deployment.registration
    changed_at = sync.changed_at
    try:
        connector = ServiceConnector(registration.to_registration(), requests_session=_timed_session())
        service = AssignmentsGradesService(connector, {"scope": [SCORE_SCOPE], "lineitem": placement.lineitem_url})
        grade = (
            Grade()
            .set_score_given(float(sync.score_given))
            .set_score_maximum(float(sync.score_maximum or Decimal("1")))
            .set_activity_progress("Completed")
            .set_grading_progress("FullyGraded")
            .set_timestamp(changed_at.isoformat())
            .set_user_id(sync.lms_user_id)
        )
        service.put_grade(grade)
    except Exception as error:  # any failure of the network or the LMS: retry later, never lose the grade
        tries = sync.tries + 1
        state = GradeSyncState.FAILED if tries >= GradeSync.MAX_TRIES else GradeSyncState.PENDING
        sync.tries = tries
        GradeSync.objects.filter(pk=sync.pk, changed_at=changed_at).update(
            tries=tries, state=state, last_error=_describe(error), next_try_at=now + sync.retry_delay()
        )
        logger.warning("Grade for %s not delivered (try %s): %s", sync, tries, _describe(error))
        return False
    # A newer score may have arrived while this one travelled: leave that one pending.
    GradeSync.objects.filter(pk=sync.pk, changed_at=changed_at).update(
        state=GradeSyncState.SENT, sent_at=now, last_error="", tries=sync.tries + 1
    )
    return True


class _TimedSession(requests.Session):
    """pylti1p3 sends its service requests without a timeout; a hung LMS must not hold a worker forever."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", HTTP_TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


def _timed_session() -> requests.Session:
    return _TimedSession()


def _describe(error: Exception) -> str:
    response = getattr(error, "response", None)
    if response is not None and getattr(response, "status_code", None):
        return f"The LMS answered {response.status_code}."[:500]
    return (str(error) or error.__class__.__name__)[:500]


def grade_syncs_due(now=None):
    now = now or timezone.now()
    return GradeSync.objects.filter(state=GradeSyncState.PENDING, next_try_at__lte=now).select_related(
        "placement__course__context__deployment__registration"
    )


def grade_sync_resend(*, sync: GradeSync, now=None) -> GradeSync:
    """A teacher asks to send again (after a failure, or to be sure): back to pending, tries reset."""
    now = now or timezone.now()
    GradeSync.objects.filter(pk=sync.pk).update(state=GradeSyncState.PENDING, tries=0, next_try_at=now)
    sync.refresh_from_db()
    return sync


# Roster (Names and Role Provisioning Services) -------------------------------------------


def roster_sync(*, course: CourseClass, now=None) -> int:
    """Enrol every active learner the LMS lists for the course; return how many are enrolled now."""
    context = course.context
    if not context.memberships_url:
        raise LaunchRefused("This LMS did not offer its roster service for the course.", 409)
    registration = context.deployment.registration
    connector = ServiceConnector(registration.to_registration(), requests_session=_timed_session())
    service = NamesRolesProvisioningService(connector, {"context_memberships_url": context.memberships_url})
    members = service.get_members()
    enrolled = []
    with transaction.atomic():
        for member in members:
            if member.get("status", "Active") != "Active" or is_teaching_role(member.get("roles", [])):
                continue
            names = {
                "given_name": member.get("given_name"),
                "family_name": member.get("family_name"),
                "name": member.get("name"),
                "email": member.get("email"),
            }
            lti_user, _ = LtiUser.objects.update_or_create(
                registration=registration,
                sub=member["user_id"],
                defaults={field: value for field, value in names.items() if value},
            )
            enrolled.append(_local_user_for(lti_user))
        course.classroom.students.add(*enrolled)
        course.roster_synced_at = now or timezone.now()
        course.save(update_fields=["roster_synced_at"])
    return len(enrolled)

"""What Source Quiz keeps about its LMS connections, beside django-lti's own records.

django-lti (`lti_tool`) stores registrations, deployments, LMS users, courses (contexts),
memberships and resource links. Here live the links from those to our own objects: the
class a course became, the quizzes placed in it, and each grade on its way back.
"""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from lti_tool.models import LtiContext, LtiRegistration

from quiz.models import Classroom, Quiz


class PlatformFraming(models.Model):
    """Which web origins may show the tool in a frame for one registered platform."""

    registration = models.OneToOneField(LtiRegistration, on_delete=models.CASCADE, related_name="framing")
    frame_origins = models.TextField(
        blank=True,
        help_text="One origin per line, e.g. https://moodle.school.example. Launches from this platform may be "
        "shown inside its pages; every other site keeps being refused.",
    )

    def __str__(self) -> str:
        return f"Framing for {self.registration}"

    def origins(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.frame_origins.splitlines() if line.strip()]


class CourseClass(models.Model):
    """An LMS course (context) and the class it became on its first instructor launch."""

    context = models.OneToOneField(LtiContext, on_delete=models.CASCADE, related_name="course_class")
    classroom = models.OneToOneField(Classroom, on_delete=models.CASCADE, related_name="lms_course")
    roster_synced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.context} → {self.classroom}"


class PlacedQuiz(models.Model):
    """A quiz a teacher placed in an LMS course by deep linking, and the LMS grade column it reports to."""

    course = models.ForeignKey(CourseClass, on_delete=models.CASCADE, related_name="placements")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="lms_placements")
    lineitem_url = models.URLField(max_length=500, blank=True, help_text="The LMS line item scores are posted to.")
    placed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "quiz"], name="placed_quiz_unique")]

    def __str__(self) -> str:
        return f"{self.quiz} in {self.course.context}"


class GradeSyncState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "In the LMS"
    FAILED = "failed", "Not delivered"


class GradeSync(models.Model):
    """The latest grade of one student for one placed quiz, and whether the LMS has it.

    One row per (placement, student): a newer score replaces the one waiting, so the LMS
    only ever receives the grade as it stands, however many times sending is retried.
    """

    MAX_TRIES = 8

    placement = models.ForeignKey(PlacedQuiz, on_delete=models.CASCADE, related_name="grade_syncs")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grade_syncs")
    lms_user_id = models.CharField(max_length=255, help_text="The student's subject (sub) on the platform.")
    score_given = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    score_maximum = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    state = models.CharField(max_length=10, choices=GradeSyncState.choices, default=GradeSyncState.PENDING)
    tries = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_try_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now, help_text="When the score last changed here.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["placement", "student"], name="grade_sync_unique")]
        indexes = [models.Index(fields=["state", "next_try_at"], name="grade_sync_due")]

    def __str__(self) -> str:
        return f"{self.student} · {self.placement}: {self.get_state_display()}"

    def retry_delay(self) -> timedelta:
        """Exponential backoff: 30 s, 1 min, 2 min, … capped at one hour."""
        return timedelta(seconds=min(30 * 2 ** max(self.tries - 1, 0), 3600))


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


class RegistrationInvite(models.Model):
    """A one-time link an administrator pastes in an LMS for LTI Dynamic Registration.

    Registering a platform lets it sign people in (teachers included), so only a holder
    of an unused, recent invite can register one: the link works once, for a week.
    """

    LIFETIME = timedelta(days=7)

    token = models.CharField(max_length=64, unique=True, default=new_invite_token, editable=False)
    note = models.CharField(max_length=200, blank=True, help_text="Which LMS this link is for, to recognise it later.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    registration = models.ForeignKey(
        LtiRegistration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.note or f"Registration link of {self.created_at:%Y-%m-%d}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and now < self.created_at + self.LIFETIME

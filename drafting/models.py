"""What drafting keeps: the jobs that draft a source's questions, and each draft's review.

A draft is a real ``quiz.Question`` that students never see (``is_published=False``)
until the teacher accepts it; its ``Draft`` row records which engine and rule proposed
it and how the review went, so the rules can be judged by their acceptance rate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from content.models import Source


class ReviewState(models.TextChoices):
    PENDING = "pending", "To review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Drafting"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class DraftingJob(models.Model):
    """One run of an engine over a source, with its progress (passages done of all)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="drafting_jobs")
    engine = models.CharField(max_length=30)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    passages_total = models.PositiveIntegerField(default=0)
    passages_done = models.PositiveIntegerField(default=0)
    drafts_saved = models.PositiveIntegerField(default=0)
    dropped = models.JSONField(default=dict, blank=True, help_text="Drafts the engine dropped, counted by reason.")
    cancel_requested = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The background task's id, when one runs it.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker last reported progress; a long silence means it died."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["source", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(passages_done__lte=models.F("passages_total")), name="job_done_at_most_total"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} · {self.engine} · {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def percent(self) -> int:
        return round(self.passages_done * 100 / self.passages_total) if self.passages_total else 0


class DraftQuerySet(models.QuerySet):
    def for_source(self, source: Source):
        return self.filter(source=source)

    def counts_by_state(self) -> dict[str, int]:
        """{state: count} for every state, zeros included, in one query."""
        counts = {state: 0 for state in ReviewState.values}
        counts.update(self.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
        return counts


class Draft(models.Model):
    question = models.OneToOneField("quiz.Question", on_delete=models.CASCADE, related_name="draft")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="drafts")
    job = models.ForeignKey(DraftingJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="drafts")
    engine = models.CharField(max_length=30)
    rule = models.CharField(max_length=80, help_text="The engine's rule that proposed it, e.g. numeric.quantity.")
    state = models.CharField(max_length=20, choices=ReviewState.choices, default=ReviewState.PENDING)
    reject_reason = models.CharField(max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["question__passage__position", "pk"]
        indexes = [models.Index(fields=["source", "state"]), models.Index(fields=["rule", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=ReviewState.REJECTED) | ~Q(reject_reason=""), name="draft_rejected_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.question}"

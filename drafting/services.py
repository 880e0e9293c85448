"""Drafting's one entry point: bring a source in, draft its questions, review them, make a quiz.

Views, commands and the background task call only these functions. Every write that
touches several models runs in one transaction, so a failure leaves nothing half-saved.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify

from content.models import Passage, PassageKind, Source
from drafting.engines.base import DraftBatch, DraftQuestion, Engine, PassageText
from drafting.extraction import Block, Extracted, IntakeError, SourceDetails, extract_file, extract_text
from drafting.models import ACTIVE_STATUSES, Draft, DraftingJob, JobStatus, ReviewState
from quiz.models import Choice, Question, Quiz, QuizQuestion

__all__ = [
    "Block",
    "Extracted",
    "IntakeError",
    "SourceDetails",
    "extract_file",
    "extract_text",
]

logger = logging.getLogger(__name__)


class DraftingError(Exception):
    """Drafting cannot start or go on; the message is for the teacher."""


# Engines -----------------------------------------------------------------------------------


def get_engine(name: str | None = None) -> Engine:
    """The engine called ``name`` (default: settings.DRAFTING_ENGINE), ready to draft.

    ``settings.DRAFTING_ENGINES`` maps extra names to engine classes by dotted path (the
    tests plug in small engines there); every other name goes to ``drafting.engines``.
    """
    from drafting.engines import EngineUnavailable
    from drafting.engines import get_engine as engine_named

    name = name or settings.DRAFTING_ENGINE
    extra = getattr(settings, "DRAFTING_ENGINES", {})
    if name in extra:
        try:
            return import_string(extra[name])()
        except ImportError as error:
            raise DraftingError(f"The {name} drafting engine is not installed on this server.") from error
    try:
        return engine_named(name)
    except EngineUnavailable as error:
        raise DraftingError(str(error)) from error


@dataclass(frozen=True)
class EngineNotice:
    """What the intake pages tell the teacher about the engine: its name, and where text would be sent."""

    name: str
    problem: str  # why the engine cannot draft here, or "" when it can
    sends_text_to: str  # the host of a configured third party, or "" when the text stays on this server

    @property
    def available(self) -> bool:
        return not self.problem


def engine_notice() -> EngineNotice:
    name = settings.DRAFTING_ENGINE
    try:
        engine = get_engine(name)
    except DraftingError as error:
        return EngineNotice(name=name, problem=str(error), sends_text_to="")
    return EngineNotice(name=name, problem="", sends_text_to=str(getattr(engine, "sends_text_to", "") or ""))


# Bringing a source in ----------------------------------------------------------------------


def source_text_from_blocks(blocks: Sequence[Block]) -> str:
    """The source's text as the reader and the admin keep it: one block a paragraph, bullets marked."""
    lines = [f"• {block.text}" if block.kind == PassageKind.SUMMARY_POINT else block.text for block in blocks]
    return "\n\n".join(lines) + "\n"


def _unique_slug(model: type[Source] | type[Quiz], title: str, *, fallback: str) -> str:
    """A slug from the title that no row of ``model`` has yet: "title", then "title-2", "title-3"…"""
    base = slugify(title)[:80].strip("-") or fallback
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def source_create(*, owner, details: SourceDetails, blocks: Sequence[Block]) -> Source:
    """A new source owned by ``owner``, its passages exactly the blocks the teacher kept."""
    kept = [block for block in blocks if block.text.strip()]
    if not kept:
        raise IntakeError("Keep at least one block: every block was dropped.")
    source = Source.objects.create(
        slug=_unique_slug(Source, details.title, fallback="source"),
        title=details.title[:300],
        author=details.author[:200],
        publisher=details.publisher[:200],
        url=details.url[:200],
        published_on=details.published_on,
        text=source_text_from_blocks(kept),
        owner=owner,
    )
    Passage.objects.bulk_create(
        Passage(source=source, position=position, kind=block.kind, text=block.text)
        for position, block in enumerate(kept, start=1)
    )
    return source


# Drafting ----------------------------------------------------------------------------------


def passage_texts(source: Source) -> list[PassageText]:
    return [
        PassageText(position=position, kind=kind, text=text)
        for position, kind, text in source.passages.order_by("position").values_list("position", "kind", "text")
    ]


def draft_key(source: Source, draft: DraftQuestion) -> str:
    """A stable key: the same draft of the same source always gets the same one, so re-drafting adds no duplicate."""
    fingerprint = "\x1f".join([draft.rule, draft.kind, draft.prompt, draft.quote, str(draft.passage_position)])
    digest = hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:12]
    return f"d-{source.pk}-p{draft.passage_position}-{digest}"


@transaction.atomic
def drafts_save(*, source: Source, batch: DraftBatch, engine: str, job: DraftingJob | None = None) -> list[Draft]:
    """Save each draft as an unpublished question of the source's owner, with its choices and review record.

    A draft whose passage is gone or whose quote is not verbatim in it is skipped (an
    engine must not be trusted blindly); one already saved under the same key is too.
    """
    passages = {passage.position: passage for passage in source.passages.all()}
    keys = [draft_key(source, draft) for draft in batch.drafts]
    existing = set(Question.objects.filter(key__in=keys).values_list("key", flat=True))
    questions: list[Question] = []
    records: list[tuple[Question, DraftQuestion]] = []
    choices: list[Choice] = []
    for key, proposed in zip(keys, batch.drafts, strict=True):
        passage = passages.get(proposed.passage_position)
        if key in existing or passage is None or not proposed.quote or proposed.quote not in passage.text:
            continue
        existing.add(key)
        question = Question(
            key=key,
            kind=proposed.kind,
            prompt=proposed.prompt,
            explanation=proposed.explanation,
            passage=passage,
            quote=proposed.quote,
            numeric_answer=proposed.numeric_answer,
            numeric_tolerance=proposed.numeric_tolerance,
            numeric_min=proposed.numeric_min,
            numeric_max=proposed.numeric_max,
            numeric_unit=proposed.numeric_unit[:30],
            accepted_answers=list(proposed.accepted_answers),
            cognitive_level=proposed.cognitive_level,
            is_published=False,
            author=source.owner,
            cited_fingerprint=passage.fingerprint,
        )
        questions.append(question)
        records.append((question, proposed))
    Question.objects.bulk_create(questions)
    for question, proposed in records:
        choices.extend(
            Choice(
                question=question, position=position, text=c.text[:500], is_correct=c.is_correct, feedback=c.feedback
            )
            for position, c in enumerate(proposed.choices, start=1)
        )
    Choice.objects.bulk_create(choices)
    return Draft.objects.bulk_create(
        Draft(question=question, source=source, job=job, engine=engine, rule=proposed.rule[:80])
        for question, proposed in records
    )


def job_create(*, source: Source, requested_by, engine: str | None = None) -> DraftingJob:
    """A new drafting job for the source; refused while another one is still running."""
    engine = engine or settings.DRAFTING_ENGINE
    get_engine(engine)  # an unknown or missing engine is refused now, not later in the worker
    with transaction.atomic():
        Source.objects.select_for_update().filter(pk=source.pk).first()
        jobs_abandon(source=source)
        if source.drafting_jobs.filter(status__in=ACTIVE_STATUSES).exists():
            raise DraftingError("This source is already being drafted: wait for it to finish, or cancel it.")
        return DraftingJob.objects.create(
            source=source, engine=engine, requested_by=requested_by, passages_total=source.passages.count()
        )


def job_start(*, source: Source, requested_by, engine: str | None = None) -> DraftingJob:
    """Draft a short source at once; hand a long one to the background worker."""
    job = job_create(source=source, requested_by=requested_by, engine=engine)
    if job.passages_total <= settings.DRAFTING_INLINE_PASSAGES:
        job_run(job_id=job.pk)
    else:
        result = run_drafting_job.enqueue(job.pk)
        DraftingJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


@task()
def run_drafting_job(job_id: int) -> None:
    """The background task (``django.tasks``) a worker runs for a long source: ``job_run`` itself."""
    job_run(job_id=job_id)


ABANDONED_MESSAGE = (
    "Drafting stopped: the background worker gave no sign of life for {minutes} minutes (it may have been "
    "restarted). The drafts it saved are kept; draft again to go on."
)
SILENCE_BEFORE_ABANDONED = timedelta(minutes=10)


def jobs_abandon(*, source: Source) -> int:
    """Mark the source's running jobs whose worker fell silent as failed, so drafting can start again."""
    silent_since = timezone.now() - SILENCE_BEFORE_ABANDONED
    return (
        source.drafting_jobs.filter(status=JobStatus.RUNNING)
        .filter(Q(heartbeat_at__lt=silent_since) | Q(heartbeat_at__isnull=True, started_at__lt=silent_since))
        .update(
            status=JobStatus.FAILED,
            error=ABANDONED_MESSAGE.format(minutes=int(SILENCE_BEFORE_ABANDONED.total_seconds() // 60)),
            finished_at=timezone.now(),
        )
    )


def job_cancel(*, job: DraftingJob) -> DraftingJob:
    """Ask a running job to stop after its current passage; a job not started yet stops at once."""
    now = timezone.now()
    DraftingJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, cancel_requested=True, finished_at=now
    )
    DraftingJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(cancel_requested=True)
    job.refresh_from_db()
    return job


FAILED_MESSAGE = (
    "Drafting stopped because the {engine} engine failed ({problem}). No drafts were saved from this run. "
    "Try again; if it fails again, bring the source in as a smaller part or tell your administrator."
)


def job_run(*, job_id: int) -> None:
    """Run a drafting job to its end: progress after each passage, a cancel honoured, a failure explained.

    The worker runs it through ``run_drafting_job``; a short source runs it inside the request.
    """
    now = timezone.now()
    started = DraftingJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not started:
        return  # cancelled before it started, or already run by another worker
    job = DraftingJob.objects.select_related("source__owner").get(pk=job_id)
    passages = passage_texts(job.source)
    DraftingJob.objects.filter(pk=job.pk).update(passages_total=len(passages))

    def progress(done: int, total: int) -> None:
        DraftingJob.objects.filter(pk=job.pk).update(
            passages_done=min(done, len(passages)), heartbeat_at=timezone.now()
        )

    def should_stop() -> bool:
        return DraftingJob.objects.filter(pk=job.pk, cancel_requested=True).exists()

    try:
        batch = get_engine(job.engine).draft(passages, progress=progress, should_stop=should_stop)
        saved = drafts_save(source=job.source, batch=batch, engine=job.engine, job=job)
    except Exception as error:  # noqa: BLE001 - any engine fault becomes a message on the job, never a lost worker
        logger.exception("Drafting job %s failed", job.pk)
        problem = type(error).__name__ if not isinstance(error, DraftingError) else str(error)
        DraftingJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error=FAILED_MESSAGE.format(engine=job.engine, problem=problem)[:500],
            finished_at=timezone.now(),
        )
        return
    finished = DraftingJob.objects.filter(pk=job.pk)
    if should_stop():  # the drafts made before the cancel are kept, to review like any others
        finished.update(status=JobStatus.CANCELLED, drafts_saved=len(saved), dropped=dict(batch.dropped))
    else:
        finished.update(
            status=JobStatus.DONE, passages_done=len(passages), drafts_saved=len(saved), dropped=dict(batch.dropped)
        )
    finished.update(finished_at=timezone.now())


# Review ------------------------------------------------------------------------------------


def _review(draft: Draft, *, state: str, by, reason: str = "") -> Draft:
    draft.state, draft.reject_reason = state, reason
    draft.reviewed_by, draft.reviewed_at = by, timezone.now()
    draft.save(update_fields=["state", "reject_reason", "reviewed_by", "reviewed_at", "updated_at"])
    # Only an accepted draft is a question students may meet (in a quiz the teacher makes).
    Question.objects.filter(pk=draft.question_id).update(
        is_published=state == ReviewState.ACCEPTED, updated_at=timezone.now()
    )
    draft.question.is_published = state == ReviewState.ACCEPTED
    return draft


@transaction.atomic
def draft_accept(*, draft: Draft, by) -> Draft:
    return _review(draft, state=ReviewState.ACCEPTED, by=by)


@transaction.atomic
def draft_reject(*, draft: Draft, by, reason: str) -> Draft:
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise ValueError("Say why you reject this draft, so the drafting rules can learn from it.")
    return _review(draft, state=ReviewState.REJECTED, by=by, reason=reason)


@transaction.atomic
def draft_restore(*, draft: Draft, by) -> Draft:
    """Back to "to review", from accepted or rejected; nothing of the question is lost."""
    return _review(draft, state=ReviewState.PENDING, by=by)


@transaction.atomic
def drafts_accept(*, source: Source, by, draft_ids: Sequence[int] | None = None) -> int:
    """Accept the source's pending drafts (all of them, or the chosen ones); returns how many."""
    pending = Draft.objects.for_source(source).filter(state=ReviewState.PENDING)
    if draft_ids is not None:
        pending = pending.filter(pk__in=draft_ids)
    question_ids = list(pending.values_list("question_id", flat=True))
    now = timezone.now()
    count = pending.update(state=ReviewState.ACCEPTED, reviewed_by=by, reviewed_at=now, updated_at=now)
    Question.objects.filter(pk__in=question_ids).update(is_published=True, updated_at=now)
    return count


@transaction.atomic
def quiz_from_accepted(*, source: Source, owner, title: str) -> Quiz:
    """A published quiz of the source's accepted drafts, in reading order, owned by the teacher."""
    question_ids = list(
        Draft.objects.for_source(source)
        .filter(state=ReviewState.ACCEPTED)
        .order_by("question__passage__position", "pk")
        .values_list("question_id", flat=True)
    )
    if not question_ids:
        raise DraftingError("Accept at least one draft first: a quiz is made of the accepted ones.")
    title = " ".join(title.split())[:200] or f"{source.title} quiz"[:200]
    quiz = Quiz.objects.create(
        slug=_unique_slug(Quiz, title, fallback="quiz"),
        title=title,
        description=f"Questions on “{source.title}”, each citing the passage that proves its answer.",
        owner=owner,
        is_published=True,
    )
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question_id=question_id, position=position)
        for position, question_id in enumerate(question_ids, start=1)
    )
    return quiz


# Acceptance by rule ------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleRate:
    rule: str
    engine: str
    drafted: int
    accepted: int
    rejected: int
    pending: int

    @property
    def rate(self) -> float | None:
        """Accepted of the reviewed ones (accepted + rejected); None until one is reviewed."""
        reviewed = self.accepted + self.rejected
        return self.accepted / reviewed if reviewed else None


def acceptance_by_rule(*, source: Source | None = None) -> list[RuleRate]:
    """Per engine and rule: drafts made, accepted, rejected, still to review (one query)."""
    drafts = Draft.objects.all() if source is None else Draft.objects.for_source(source)
    rows = (
        drafts.values("engine", "rule")
        .annotate(
            drafted=Count("pk"),
            accepted=Count("pk", filter=Q(state=ReviewState.ACCEPTED)),
            rejected=Count("pk", filter=Q(state=ReviewState.REJECTED)),
            pending=Count("pk", filter=Q(state=ReviewState.PENDING)),
        )
        .order_by("engine", "rule")
    )
    return [
        RuleRate(
            rule=row["rule"],
            engine=row["engine"],
            drafted=row["drafted"],
            accepted=row["accepted"],
            rejected=row["rejected"],
            pending=row["pending"],
        )
        for row in rows
    ]

"""Review cards: one per student and question answered, scheduled by FSRS (the ``fsrs`` package).

The card keeps the scheduler's state in columns (state, step, stability, difficulty,
due, last review), so the due count and the recall figures are SQL over one table;
``Card.as_fsrs()`` and ``Card.take_schedule()`` convert to and from ``fsrs.Card``, and
every scheduling decision is the package's own.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import fsrs
from django.conf import settings
from django.db import models
from django.db.models import Exists, F, FloatField, Func, Value
from django.db.models.functions import Greatest, Power

from quiz.models import Classroom, Question, Response

# One learning and one relearning step of ten minutes: a question missed in a quiz comes back
# once the quiz is done, the same day, not a minute later while the quiz is still on screen;
# a right answer graduates at once to days-long intervals. No fuzz: the same history always
# gives the same schedule (tests compare it with the package's), and a class's questions
# spreading over a day or two matters less here than in a deck of thousands.
SCHEDULER = fsrs.Scheduler(
    learning_steps=(timedelta(minutes=10),),
    relearning_steps=(timedelta(minutes=10),),
    enable_fuzzing=False,
)
# The forgetting curve R(t) = (1 + FACTOR · t / S) ^ DECAY, with the scheduler's own constants.
DECAY = -SCHEDULER.parameters[20]
FACTOR = 0.9 ** (1 / DECAY) - 1


def rating_for(fraction: Decimal, *, guessed: bool = False) -> fsrs.Rating:
    """The FSRS rating of one answer (docs/PRACTICE.md says why).

    Wrong → Again; partly right → Hard; right → Good, or Hard when the student ticked
    "I guessed" (a lucky guess is not a recall). Easy is never given: a typed or
    picked answer cannot tell effortless from effortful recall.
    """
    if fraction <= 0:
        return fsrs.Rating.Again
    if fraction < 1 or guessed:
        return fsrs.Rating.Hard
    return fsrs.Rating.Good


class _ElapsedDays(Func):
    """Whole days from ``last_review`` to a moment, never negative: ``(moment - last_review).days`` in SQL.

    FSRS counts elapsed time in whole days (fsrs.Scheduler.get_card_retrievability);
    neither database has a portable "days between" the ORM can say.
    """

    output_field = FloatField()

    def __init__(self, moment: datetime, last_review: str = "last_review"):
        super().__init__(Value(moment), F(last_review))

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "MAX(0, CAST(julianday(%(expressions)s) AS INTEGER))"
        return self.as_sql(compiler, connection, template=template, arg_joiner=") - julianday(", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "GREATEST(0, FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400))"
        return self.as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra_context)


def retrievability(moment: datetime, prefix: str = "") -> Power:
    """FSRS's probability of recall at ``moment``, as a SQL expression over a card's columns.

    The same formula as fsrs.Scheduler.get_card_retrievability (tests compare the two).
    """
    elapsed = _ElapsedDays(moment, f"{prefix}last_review")
    return Power(Value(1.0) + Value(FACTOR) * elapsed / Greatest(F(f"{prefix}stability"), Value(0.001)), Value(DECAY))


# What a review changes on a card: the columns every write of a schedule sets.
SCHEDULE_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses", "last_right")


class CardQuerySet(models.QuerySet):
    def for_student(self, student) -> "CardQuerySet":
        return self.filter(student=student)

    def active(self) -> "CardQuerySet":
        """Cards still in practice: an unpublished question's cards retire, with their history kept."""
        return self.filter(question__is_published=True)

    def practice_on(self, student) -> "CardQuerySet":
        """Nothing while any of the student's classes has practice paused by its teacher."""
        return self.filter(~Exists(PracticePause.objects.filter(classroom__students=student)))

    def due(self, now: datetime) -> "CardQuerySet":
        return self.filter(due__lte=now)

    def in_scope(self, *, source: str = "", quiz: str = "", passage: int | None = None) -> "CardQuerySet":
        """One source's, one quiz's or one passage's questions only."""
        cards = self
        if source:
            cards = cards.filter(question__passage__source__slug=source)
        if quiz:
            # One row per card: a question stands in a quiz at most once (quizquestion_unique).
            cards = cards.filter(question__quiz_questions__quiz__slug=quiz)
        if passage is not None:
            cards = cards.filter(question__passage_id=passage)
        return cards

    def with_recall(self, moment: datetime) -> "CardQuerySet":
        return self.annotate(recall=retrievability(moment))


class Card(models.Model):
    """What FSRS knows of one student's memory of one question."""

    # No index of its own: the (student, question) and (student, due) indexes both lead with it.
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_cards", db_index=False
    )
    # A deleted question takes its cards and their history with it; an unpublished one keeps them, retired.
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="practice_cards")
    state = models.PositiveSmallIntegerField(choices=[(s.value, s.name) for s in fsrs.State])
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField()
    difficulty = models.FloatField()
    due = models.DateTimeField()
    last_review = models.DateTimeField()
    # The number of reviews so far; a review is recorded only against the count it was shown
    # with, so two tabs answering the same card record one review.
    reps = models.PositiveIntegerField(default=0)
    # Again after the card had been learned (FSRS's Review state): the student forgot it.
    lapses = models.PositiveIntegerField(default=0)
    last_right = models.BooleanField(default=False, help_text="Whether the latest answer was fully right.")

    objects = CardQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "question"], name="card_once_per_student_question")]
        # A student's due cards in order, and their count, from the index alone.
        indexes = [models.Index(fields=["student", "due"], name="card_student_due")]

    def __str__(self) -> str:
        return f"{self.student} · {self.question_id}"

    def as_fsrs(self) -> fsrs.Card:
        return fsrs.Card(
            card_id=self.pk or 0,
            state=fsrs.State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due.astimezone(UTC),
            last_review=self.last_review.astimezone(UTC),
        )

    def take_schedule(self, scheduled: fsrs.Card, rating: fsrs.Rating) -> None:
        """Copy the scheduler's result onto this card, counting the review and any lapse."""
        if rating == fsrs.Rating.Again and self.state == fsrs.State.Review:
            self.lapses += 1
        # A reviewed card always has these; the package types them optional for new cards.
        assert scheduled.stability is not None and scheduled.difficulty is not None
        assert scheduled.last_review is not None
        self.state, self.step = int(scheduled.state), scheduled.step
        self.stability, self.difficulty = float(scheduled.stability), float(scheduled.difficulty)
        self.due, self.last_review = scheduled.due, scheduled.last_review
        self.reps += 1
        self.last_right = rating == fsrs.Rating.Good

    @classmethod
    def first_review(cls, *, student_id: int, question_id: int, rating: fsrs.Rating, now: datetime) -> "Card":
        """A new card, scheduled from its first answer."""
        scheduled, _log = SCHEDULER.review_card(fsrs.Card(card_id=0, due=now), rating, now.astimezone(UTC))
        card = cls(student_id=student_id, question_id=question_id, state=fsrs.State.Learning)
        card.take_schedule(scheduled, rating)
        return card

    def review(self, rating: fsrs.Rating, now: datetime) -> None:
        scheduled, _log = SCHEDULER.review_card(self.as_fsrs(), rating, now.astimezone(UTC))
        self.take_schedule(scheduled, rating)

    def schedule(self) -> dict:
        return {field: getattr(self, field) for field in SCHEDULE_FIELDS}

    def recall_at(self, moment: datetime) -> float:
        return SCHEDULER.get_card_retrievability(self.as_fsrs(), moment.astimezone(UTC))


class Review(models.Model):
    """One answer that moved a card: a graded quiz answer (``response``) or a practice answer.

    Kept as given and never rewritten: a regrade changes the quiz's score, not what
    the student's memory did; an edited key changes later grading only.
    """

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    number = models.PositiveIntegerField(help_text="1 for the card's first review, then 2, 3…")
    rating = models.PositiveSmallIntegerField(choices=[(r.value, r.name) for r in fsrs.Rating])
    reviewed_at = models.DateTimeField()
    response = models.OneToOneField(
        Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="practice_review"
    )
    guessed = models.BooleanField(default=False)
    fraction = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0"))
    selected_choice_ids = models.JSONField(default=list, blank=True)
    answer_display = models.TextField(blank=True)
    grading_note = models.CharField(
        max_length=300, blank=True, help_text="How the answer was read (a typo accepted, say), as a quiz says."
    )
    # What was asked, as shown (quiz.services.question_snapshot); empty for quiz answers,
    # whose response keeps it, and for the demo's simulated history.
    question_snapshot = models.JSONField(default=dict, blank=True)
    due_after = models.DateTimeField(help_text="When the card came due next, as this review scheduled it.")

    class Meta:
        ordering = ["card", "number"]
        constraints = [models.UniqueConstraint(fields=["card", "number"], name="review_once_per_number")]

    def __str__(self) -> str:
        return f"{self.card} #{self.number}"

    @property
    def is_correct(self) -> bool:
        return self.fraction == 1


class PracticePause(models.Model):
    """A class whose teacher turned practice off: its students see no cards while it exists."""

    classroom = models.OneToOneField(Classroom, on_delete=models.CASCADE, related_name="practice_pause")
    paused_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    paused_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"practice paused in {self.classroom}"

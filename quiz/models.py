import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from content.models import Passage, reader_url, text_fingerprint
from quiz import scoring
from quiz.bank.answer_keys import accepted_answer_errors, numeric_errors, numeric_range_errors
from quiz.kinds import CHOICE_KINDS, QuestionKind


class CognitiveLevel(models.TextChoices):
    """What a question asks a student to do with the text (the revised Bloom levels, Anderson & Krathwohl 2001)."""

    REMEMBER = "remember", "Remember"
    UNDERSTAND = "understand", "Understand"
    APPLY = "apply", "Apply"
    ANALYSE = "analyse", "Analyse"
    EVALUATE = "evaluate", "Evaluate"


@dataclass(frozen=True)
class SubmittedAnswer:
    """What a student gave for one question, as given."""

    choice_ids: frozenset[int] = frozenset()
    text: str = ""


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Question(models.Model):
    key = models.SlugField(
        max_length=100, unique=True, help_text="Stable identifier; the bank loader updates questions by it."
    )
    kind = models.CharField(max_length=20, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    prompt = models.TextField()
    explanation = models.TextField(help_text="Teaches why the answer is right; shown with the feedback.")
    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="questions")
    quote = models.TextField(help_text="Words that stand verbatim in the cited passage and prove the answer.")
    cited_fingerprint = models.CharField(
        max_length=16, blank=True, help_text="Fingerprint of the passage text the quote was last checked against."
    )
    numeric_answer = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    numeric_tolerance = models.DecimalField(
        max_digits=20, decimal_places=4, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    numeric_min = models.DecimalField(
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Numeric: the lowest accepted value, for a one-sided or uneven range (instead of ± tolerance).",
    )
    numeric_max = models.DecimalField(
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Numeric: the highest accepted value, for a one-sided or uneven range (instead of ± tolerance).",
    )
    numeric_unit = models.CharField(max_length=30, blank=True)
    accepted_answers = models.JSONField(default=list, blank=True, help_text="Short text: every accepted answer.")
    match_whole_words = models.BooleanField(
        "accept longer answers",
        default=True,
        help_text="Short text: also accept an answer that contains an accepted one as whole words "
        "(“Deputy Prime Minister Grigorenko” for “Grigorenko”), unless it says not, no, or, never, except….",
    )
    allow_typos = models.BooleanField(
        "accept small spelling slips",
        default=True,
        help_text="Short text: one wrong, missing or swapped letter in answers of 5–8 letters, two from 9 letters, "
        "none in answers of 4 letters or fewer. The feedback shows the right spelling.",
    )
    read_other_scripts = models.BooleanField(
        "read other alphabets as Latin letters",
        default=True,
        help_text="Short text: “Алиса” counts as “Alisa”. "
        "Accents never decide either way (“Grigorénko” is “Grigorenko”).",
    )
    cognitive_level = models.CharField(
        max_length=20,
        choices=CognitiveLevel.choices,
        default=CognitiveLevel.REMEMBER,
        help_text="What the question asks of the student: recall, or understanding, comparing, inferring, judging.",
    )
    points = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(100)])
    # A new question is a draft until a teacher publishes it; students never see a draft.
    is_published = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="authored_questions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["passage__source", "passage__position", "key"]
        constraints = [
            models.CheckConstraint(condition=Q(numeric_tolerance__gte=0), name="question_tolerance_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="numeric") | Q(numeric_answer__isnull=False), name="question_numeric_has_answer"
            ),
            models.CheckConstraint(
                condition=Q(numeric_min__isnull=True)
                | Q(numeric_max__isnull=True)
                | Q(numeric_min__lte=models.F("numeric_max")),
                name="question_numeric_range_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.prompt if len(self.prompt) <= 80 else self.prompt[:77] + "…"

    def save(self, *args, **kwargs) -> None:
        if self.passage_id is not None and self.quote_is_verbatim():
            self.cited_fingerprint = text_fingerprint(self.passage.text)
        super().save(*args, **kwargs)

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS

    def quote_is_verbatim(self) -> bool:
        return bool(self.quote) and self.quote in self.passage.text

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.passage_id is not None and not self.quote_is_verbatim():
            errors["quote"] = (
                f"This quote does not stand word for word in passage ¶{self.passage.position}. "
                "Copy it exactly from the passage text (spelling, apostrophes and spaces included)."
            )
        # The answer-key rules every way into the bank shares (the choices are checked by their formset).
        if self.kind == QuestionKind.NUMERIC:
            errors.update(numeric_errors(self.numeric_answer, self.numeric_tolerance))
            errors.update(numeric_range_errors(self.numeric_answer, self.numeric_min, self.numeric_max))
        if self.kind == QuestionKind.SHORT_TEXT:
            errors.update(accepted_answer_errors(self.accepted_answers or []))
        if errors:
            raise ValidationError(errors)

    def citation_url(self) -> str:
        """The reader page, scrolled to the passage, with the quote highlighted."""
        return reader_url(self.passage.source.slug, self.passage.position, self.quote)

    def grade(self, answer: SubmittedAnswer, choices: list["Choice"] | None = None) -> Decimal:
        """The fraction of the points this answer earns (see quiz.scoring for each rule)."""
        return self.mark(answer, choices).fraction

    @property
    def text_rules(self) -> scoring.TextRules:
        return scoring.TextRules(
            whole_words=self.match_whole_words, typos=self.allow_typos, other_scripts=self.read_other_scripts
        )

    def mark(self, answer: SubmittedAnswer, choices: list["Choice"] | None = None) -> scoring.Mark:
        """The fraction of the points this answer earns, with a note for the feedback (quiz.scoring)."""
        if self.kind in CHOICE_KINDS:
            choices = list(self.choices.all()) if choices is None else choices
            correct = {choice.pk for choice in choices if choice.is_correct}
            if self.kind == QuestionKind.MULTIPLE:
                return scoring.Mark(
                    scoring.score_multiple_choice(set(answer.choice_ids), correct, {c.pk for c in choices})
                )
            return scoring.Mark(scoring.score_single_choice(set(answer.choice_ids), correct))
        if self.kind == QuestionKind.NUMERIC:
            if self.numeric_answer is None:
                return scoring.Mark(Decimal("0"))  # clean() refuses a numeric question without its value
            return scoring.mark_numeric(
                answer.text,
                expected=self.numeric_answer,
                tolerance=self.numeric_tolerance,
                minimum=self.numeric_min,
                maximum=self.numeric_max,
                unit=self.numeric_unit,
                prompt=self.prompt,
                quote=self.quote,
            )
        return scoring.mark_short_text(answer.text, self.accepted_answers, self.text_rules)

    def accept_answer(self, answer: str) -> bool:
        """Add ``answer`` to the accepted answers; False when the question already accepts it as it stands."""
        answer = " ".join(answer.split())
        if not answer or scoring.match_text(answer, self.accepted_answers, self.text_rules):
            return False
        self.accepted_answers = [*self.accepted_answers, answer]
        self.save(update_fields=["accepted_answers", "updated_at"])
        return True

    def read_numeric_answer(self, text: str) -> Decimal:
        """The value of a typed answer to this numeric question; ``NumberRefused`` says, for the student, why not."""
        return scoring.read_numeric_answer(text, unit=self.numeric_unit, prompt=self.prompt).value

    def correct_answer_display(self, choices: list["Choice"] | None = None) -> str:
        if self.kind in CHOICE_KINDS:
            choices = list(self.choices.all()) if choices is None else choices
            return "; ".join(choice.text for choice in choices if choice.is_correct)
        if self.kind == QuestionKind.NUMERIC:
            shown = _format_number(self.numeric_answer) if self.numeric_answer is not None else ""
            if self.numeric_min is not None or self.numeric_max is not None:
                shown += f" ({_range_display(self.numeric_min, self.numeric_max)})"
            elif self.numeric_tolerance:
                shown += f" (± {_format_number(self.numeric_tolerance)})"
            if self.numeric_unit == "place" and not self.numeric_tolerance and self.numeric_answer is not None:
                return f"{_ordinal(self.numeric_answer)} place"  # "25th place", not "25 place"
            return f"{shown} {self.numeric_unit}".strip()
        return " / ".join(self.accepted_answers)


def _format_number(value: Decimal) -> str:
    """Thousands separators from 1,000 up (9,000 like 500,000), except whole numbers that read as
    years (1000 to 2999), which would otherwise become "2,022"."""
    value = value.normalize()
    looks_like_a_year = value == value.to_integral_value() and 1000 <= value <= 2999
    return f"{value:f}" if abs(value) < 1000 or looks_like_a_year else f"{value:,f}"


def _ordinal(value: Decimal) -> str:
    number = int(value)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _range_display(minimum: Decimal | None, maximum: Decimal | None) -> str:
    if minimum is None and maximum is not None:
        return f"up to {_format_number(maximum)}"
    if maximum is None and minimum is not None:
        return f"at least {_format_number(minimum)}"
    if minimum is None or maximum is None:
        return ""
    return f"{_format_number(minimum)} to {_format_number(maximum)}"


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    feedback = models.TextField(blank=True, help_text="Why this choice is right or wrong.")

    class Meta:
        ordering = ["question", "position", "id"]
        indexes = [models.Index(fields=["question", "position"])]

    def __str__(self) -> str:
        return self.text


class FeedbackMode(models.TextChoices):
    IMMEDIATE = "immediate", "After each question"
    AT_END = "at_end", "At the end of the quiz"


class ReviewMoment(models.TextChoices):
    """From when a finished attempt's results page shows one part of the review (Moodle's review options)."""

    AFTER_ATTEMPT = "after_attempt", "Right after each attempt, and later"
    NO_ATTEMPTS_LEFT = "no_attempts_left", "Once the student has no attempts left, or the quiz has closed"
    AFTER_CLOSE = "after_close", "Only after the quiz closes"
    NEVER = "never", "Never"


# When each moment is still to come, the results page says when it will come.
REVIEW_LATER: dict[str, str] = {
    ReviewMoment.NO_ATTEMPTS_LEFT: "once you have no attempts left or the quiz has closed",
    ReviewMoment.AFTER_CLOSE: "after the quiz closes",
}


@dataclass(frozen=True)
class Review:
    """What one student's results page shows now (a teacher's pages show everything)."""

    answers: bool  # the student's own answers, and whether each was right
    key: bool  # the right answers, also of questions left unanswered
    feedback: bool  # explanations, per-choice feedback and the cited passages
    key_later: str = ""  # when the kept-back key will be shown ("" when shown already, or never)
    feedback_later: str = ""


# A week: longer than any sitting, and far inside the column.
MAX_TIME_LIMIT_MINUTES = 7 * 24 * 60


class GradingMethod(models.TextChoices):
    """Which finished attempt stands for a student's grade on a quiz (Moodle's "grading method")."""

    BEST = "best", "Highest attempt"
    FIRST = "first", "First attempt"
    LAST = "last", "Last attempt"


class QuizQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Quiz(models.Model):
    slug = models.SlugField(unique=True, max_length=100)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    questions = models.ManyToManyField(Question, through="QuizQuestion", related_name="quizzes")
    shuffle_questions = models.BooleanField(default=True)
    shuffle_choices = models.BooleanField(default=True)
    feedback_mode = models.CharField(max_length=20, choices=FeedbackMode.choices, default=FeedbackMode.IMMEDIATE)
    time_limit_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TIME_LIMIT_MINUTES)],
        help_text="Empty for no time limit.",
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Empty for unlimited attempts."
    )
    grading_method = models.CharField(
        max_length=10,
        choices=GradingMethod.choices,
        default=GradingMethod.BEST,
        help_text="Which attempt counts as the grade when a student has several (sent to the LMS, for one).",
    )
    pass_mark = models.PositiveSmallIntegerField(
        default=60, validators=[MaxValueValidator(100)], help_text="Percentage needed to pass."
    )
    # Safe for a graded quiz: right or wrong at once, the key and the explanations only when
    # another attempt can no longer use them. A practice quiz may show all right after.
    review_answers = models.CharField(
        "show the student's answers, right or wrong",
        max_length=20,
        choices=ReviewMoment.choices,
        default=ReviewMoment.AFTER_ATTEMPT,
    )
    review_key = models.CharField(
        "show the right answers",
        max_length=20,
        choices=ReviewMoment.choices,
        default=ReviewMoment.NO_ATTEMPTS_LEFT,
        help_text="Also for questions the student left unanswered.",
    )
    review_feedback = models.CharField(
        "show explanations and citations",
        max_length=20,
        choices=ReviewMoment.choices,
        default=ReviewMoment.NO_ATTEMPTS_LEFT,
    )
    is_published = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quizzes_owned",
        help_text="The teacher who may change this quiz; shipped quizzes have none.",
    )
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_at_most_100"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="quiz_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quiz_detail", args=[self.slug])

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The quiz must close after it opens."})

    def has_closed(self, now=None) -> bool:
        return self.closes_at is not None and (now or timezone.now()) >= self.closes_at

    def review_for(self, student, now=None) -> Review:
        """What ``student``'s results pages of this quiz show now (one query)."""
        from django.db.models import Count

        attempts = Attempt.objects.filter(quiz=self, student=student).aggregate(
            used=Count("pk"), unfinished=Count("pk", filter=Q(finished_at__isnull=True))
        )
        closed = self.has_closed(now)
        # An attempt still in progress can use what an earlier one shows, so it keeps the key closed.
        no_attempts_left = closed or (
            self.attempts_allowed is not None
            and attempts["used"] >= self.attempts_allowed
            and not attempts["unfinished"]
        )
        reached: dict[str, bool] = {
            ReviewMoment.AFTER_ATTEMPT: True,
            ReviewMoment.NO_ATTEMPTS_LEFT: no_attempts_left,
            ReviewMoment.AFTER_CLOSE: closed,
            ReviewMoment.NEVER: False,
        }
        return Review(
            answers=reached[self.review_answers],
            key=reached[self.review_key],
            feedback=reached[self.review_feedback],
            key_later="" if reached[self.review_key] else REVIEW_LATER.get(self.review_key, ""),
            feedback_later="" if reached[self.review_feedback] else REVIEW_LATER.get(self.review_feedback, ""),
        )

    def graded_attempt(self, student) -> "Attempt | None":
        """The finished attempt that is this student's grade, by the quiz's grading method."""
        finished = list(Attempt.objects.for_student(student).finished().filter(quiz=self).order_by("number"))
        if not finished:
            return None
        if self.grading_method == GradingMethod.FIRST:
            return finished[0]
        if self.grading_method == GradingMethod.LAST:
            return finished[-1]
        # Highest share of the marks; the earlier attempt on a tie, as the gradebook shows it.
        return max(finished, key=lambda attempt: (attempt.score / (attempt.max_score or 1), -attempt.number))

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (self.closes_at is None or now < self.closes_at)


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="quiz_questions")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["quiz", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="quizquestion_unique")]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.position}"


class AttemptQuerySet(models.QuerySet):
    def for_student(self, student):
        return self.filter(student=student)

    def finished(self):
        return self.filter(finished_at__isnull=False)

    def unfinished(self):
        return self.filter(finished_at__isnull=True)


class Attempt(models.Model):
    """One sitting of a quiz by a student, with the order of questions and choices shown.

    The order is a snapshot taken at the start, so later edits of the quiz never
    change an attempt in progress or a past result.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    # Kept in step with the responses in the same UPDATE that adds their points, so the
    # progress bar and "last question?" need no COUNT query.
    answered_count = models.PositiveSmallIntegerField(default=0)
    question_ids = models.JSONField(default=list)
    choice_order = models.JSONField(default=dict, help_text="Question id → choice ids in the order shown.")
    # Kept on the attempt (not in the browser) so flags work with JavaScript off and on any device.
    flagged_question_ids = models.JSONField(
        default=list, blank=True, help_text="Questions the student flagged to come back to."
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            # Covering: the class dashboard's aggregates over every attempt of a class read
            # this index alone, never the wide rows with their order snapshots (half the time
            # at 10^6 responses, bench/RESULTS.md "Scale"). Key columns rather than INCLUDE,
            # which SQLite lacks; (quiz, student) lookups use its first two.
            models.Index(
                fields=["quiz", "student", "finished_at", "score", "max_score", "number", "started_at"],
                name="attempt_quiz_student_cover",
            ),
            models.Index(fields=["quiz", "finished_at"]),
            models.Index(fields=["student", "started_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "student", "number"], name="attempt_unique_number"),
            # One attempt in progress per student and quiz, even under two racing tabs.
            models.UniqueConstraint(
                fields=["quiz", "student"], condition=Q(finished_at__isnull=True), name="attempt_one_in_progress"
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="attempt_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.quiz} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("attempt_question", args=[self.public_id])

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def is_expired(self, now=None) -> bool:
        return self.deadline is not None and (now or timezone.now()) >= self.deadline

    @property
    def percent(self) -> int:
        if not self.max_score:
            return 0
        return round(self.score * 100 / self.max_score)

    @property
    def passed(self) -> bool:
        return self.percent >= self.quiz.pass_mark

    @property
    def question_count(self) -> int:
        return len(self.question_ids)

    def shown_choices(self, question_id: int, choices: "Iterable[Choice]") -> "list[Choice]":
        """The question's ``choices`` as this attempt showed them: in its order, and only those it showed.

        Choices added after the attempt started were never shown, so they are left
        out; removed ones simply drop out.
        """
        by_id = {choice.pk: choice for choice in choices}
        return [by_id[pk] for pk in self.choice_order.get(str(question_id), []) if pk in by_id]

    def position_of(self, question_id: int) -> int | None:
        """1-based place of a question in this attempt's order, or None if not part of it."""
        try:
            return self.question_ids.index(question_id) + 1
        except ValueError:
            return None

    def is_flagged(self, question_id: int) -> bool:
        return question_id in self.flagged_question_ids

    def seconds_left(self, now=None) -> int | None:
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - (now or timezone.now())) / timedelta(seconds=1)))


class Response(models.Model):
    """A student's answer to one question of an attempt, kept as given.

    ``question_snapshot`` records what was asked, the choices shown, the right
    answer and the citation at the time of answering, so a results page shows the
    question as the student saw it even after the bank is edited.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    selected_choice_ids = models.JSONField(default=list, blank=True)
    answer_text = models.CharField(max_length=500, blank=True)
    answer_display = models.TextField(blank=True)
    is_correct = models.BooleanField(default=False)
    fraction = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0"))
    points_awarded = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    question_snapshot = models.JSONField(default=dict)
    grading_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Said with the mark: how the answer was read (“Accepted — the spelling is Grigorenko”), "
        "or a teacher's comment on a mark changed by hand.",
    )
    marked_by_hand = models.BooleanField(
        default=False, help_text="A teacher set this mark; a regrade of the question leaves it as it is."
    )
    answered_at = models.DateTimeField(default=timezone.now)
    seconds_taken = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "answered_at"]
        indexes = [
            models.Index(fields=["question", "attempt"]),
            # Covering indexes for the quiz statistics: item marks, choices picked and answer
            # times are read from the index alone, never from the wide snapshot rows.
            models.Index(
                fields=["question", "attempt", "points_awarded", "selected_choice_ids"], name="response_stats_idx"
            ),
            models.Index(fields=["attempt", "answered_at", "question", "seconds_taken"], name="response_timing_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="response_once_per_question"),
            models.CheckConstraint(
                condition=Q(fraction__gte=0) & Q(fraction__lte=1), name="response_fraction_between_0_and_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.question_id}"


class RegradeLog(models.Model):
    """A score changed by a regrade after a teacher fixed an answer key."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="regrades")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, related_name="regrades")
    old_score = models.DecimalField(max_digits=8, decimal_places=2)
    new_score = models.DecimalField(max_digits=8, decimal_places=2)
    regraded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    regraded_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-regraded_at"]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.old_score} → {self.new_score}"


def new_join_code() -> str:
    # No 0/O or 1/I/L: codes are read aloud and copied from a board.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class ClassroomQuerySet(models.QuerySet):
    def taught_by(self, teacher):
        return self.filter(teacher=teacher)

    def joined_by(self, student):
        """The classes a student belongs to, each with its published assignments, soonest due first (two queries)."""
        assignments = (
            Assignment.objects.filter(quiz__is_published=True)
            .select_related("quiz")
            .order_by(models.F("due_at").asc(nulls_last=True), "quiz__title")
        )
        return (
            self.filter(students=student)
            .select_related("teacher")
            .prefetch_related(models.Prefetch("assignments", queryset=assignments))
            .order_by("name")
        )


class Classroom(models.Model):
    name = models.CharField(max_length=120)
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms_taught")
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="classrooms", blank=True, through="Membership"
    )
    quizzes = models.ManyToManyField(Quiz, through="Assignment", related_name="classrooms", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def students_taught_by(teacher):
    """The students in any class this teacher teaches (a subquery of their ids, not a list)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(classrooms__teacher=teacher).values("pk")


class Membership(models.Model):
    """A student in a class, and since when: a quiz due before they joined is not overdue for them.

    The table is the one the plain many-to-many had; ``joined_at`` is empty for students
    who joined before it was recorded.
    """

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_memberships")
    joined_at = models.DateTimeField(null=True, blank=True, default=timezone.now)

    class Meta:
        db_table = "quiz_classroom_students"
        unique_together = [("classroom", "user")]

    def __str__(self) -> str:
        return f"{self.user} in {self.classroom}"


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="assignments")
    due_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["classroom", "due_at", "quiz"]
        constraints = [models.UniqueConstraint(fields=["classroom", "quiz"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.quiz} → {self.classroom}"


class Extension(models.Model):
    """A later due date for one student on one assigned quiz (illness, a late joiner)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extensions")
    due_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "student"], name="extension_unique")]

    def __str__(self) -> str:
        return f"{self.student} · {self.assignment} until {self.due_at:%Y-%m-%d %H:%M}"


class BankStamp(models.Model):
    """One row whose stamp changes with every write to the question bank.

    Database triggers (migration 0004) set a new random stamp on any insert,
    update or delete of questions, choices, passages or sources, whichever way
    it is made (a form, a queryset update, a bulk import). ``quiz.bank.cache``
    keys cached questions by it, so an edit reaches every worker at once.
    """

    stamp = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"bank stamp {self.stamp}"

"""Practice, the one entry point: cards fed by finished attempts, reviews, due counts and recall figures.

Writes are keyword-only functions under ``transaction.atomic``; reads return plain
values. Every moment is passed in (``now``) so tests run on a frozen clock.
"""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, F, Q, Sum
from django.utils import timezone

from content.models import Passage
from practice.models import SCHEDULE_FIELDS, Card, PracticePause, Review, rating_for, retrievability
from quiz.bank import cache as bank_cache
from quiz.models import Attempt, Choice, Classroom, Question, QuestionKind, Response, SubmittedAnswer
from quiz.services import question_snapshot

logger = logging.getLogger(__name__)

WEAKEST_PASSAGES = 3
FORGOTTEN_QUESTIONS = 5
# A passage practised ahead of schedule offers only cards not seen in the last hour,
# so a session of it ends.
AHEAD_REST = timedelta(hours=1)


# --- Feeding cards from graded attempts -------------------------------------------------


def on_attempt_finished(sender, *, attempt: Attempt, now: datetime, **kwargs) -> None:
    cards_feed_from_attempt(attempt=attempt)


def cards_feed_from_attempt(*, attempt: Attempt) -> int:
    """Turn a finished attempt's answers into reviews of the student's cards; the number fed.

    Fed when the attempt closes rather than on each answer: the answer path keeps its
    queries, and practice never shows the cited answer of a question whose quiz is still
    in progress (or whose feedback comes at the end). Each response feeds once
    (``Review.response`` is unique), so a second call changes nothing. Four queries
    (five when some cards already exist), whatever the attempt's length.
    """
    responses = list(
        Response.objects.filter(attempt_id=attempt.pk, practice_review__isnull=True)
        .order_by("answered_at", "pk")
        .only("pk", "question_id", "fraction", "answered_at", "selected_choice_ids", "answer_display")
    )
    if not responses:
        return 0
    try:
        with transaction.atomic():
            # Locked: a practice review of the same card in another tab waits for this feed.
            cards = {
                card.question_id: card
                for card in Card.objects.select_for_update().filter(
                    student_id=attempt.student_id, question_id__in={r.question_id for r in responses}
                )
            }
            new_cards: dict[int, Card] = {}
            reviews = []
            for response in responses:
                rating = rating_for(response.fraction)
                card = cards.get(response.question_id) or new_cards.get(response.question_id)
                if card is None:
                    card = Card.first_review(
                        student_id=attempt.student_id,
                        question_id=response.question_id,
                        rating=rating,
                        now=response.answered_at,
                    )
                    new_cards[response.question_id] = card
                else:
                    # A practice review may be newer than an answer of a long-open attempt.
                    card.review(rating, max(response.answered_at, card.last_review))
                reviews.append((card, _review_of(card, rating, response)))
            Card.objects.bulk_create(new_cards.values())
            if cards:
                Card.objects.bulk_update(
                    cards.values(),
                    SCHEDULE_FIELDS,
                )
            for card, review in reviews:
                review.card = card
            Review.objects.bulk_create([review for _card, review in reviews])
    except IntegrityError:
        # Two closings of the same attempt raced (a last answer and a time-up); the other fed it.
        logger.info("Attempt %s was fed to practice by a concurrent request.", attempt.pk)
        return 0
    return len(reviews)


def _review_of(card: Card, rating, response: Response) -> Review:
    return Review(
        card=card,
        number=card.reps,
        rating=rating,
        reviewed_at=card.last_review,
        response=response,
        fraction=response.fraction,
        selected_choice_ids=response.selected_choice_ids,
        answer_display=response.answer_display,
        due_after=card.due,
    )


# --- Practising -------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a session practises: everything, one source, one quiz, or one passage ahead of schedule."""

    source: str = ""
    quiz: str = ""
    passage: int | None = None

    def query(self) -> dict[str, str]:
        return {k: str(v) for k, v in (("source", self.source), ("quiz", self.quiz), ("passage", self.passage)) if v}


def practice_cards(student):
    """The student's cards in practice: published questions, no class with practice paused."""
    return Card.objects.for_student(student).active().practice_on(student)


def due_count(*, student, now: datetime) -> int:
    """How many cards are due now: one query, served by the (student, due) index."""
    return practice_cards(student).due(now).count()


def next_card(*, student, now: datetime, scope: Scope = Scope()) -> Card | None:
    """The card to show next, with the bank stamp for the cache: one query.

    Due cards, the longest overdue first; a passage practised ahead of schedule
    gives its least-recalled card not seen within the hour.
    """
    cards = practice_cards(student).in_scope(source=scope.source, quiz=scope.quiz, passage=scope.passage)
    cards = cards.annotate(**{bank_cache.STAMP_FIELD: bank_cache.stamp_subquery()})
    if scope.passage is not None:
        cards = cards.filter(last_review__lt=now - AHEAD_REST).with_recall(now).order_by("recall", "pk")
    else:
        cards = cards.due(now).order_by("due", "pk")
    return cards.first()


def card_for(*, student, card_id: int) -> Card | None:
    """The student's own card, if not retired, with the bank stamp and whether practice is paused: one query."""
    paused = PracticePause.objects.filter(classroom__students=student)
    return (
        Card.objects.for_student(student)
        .active()
        .filter(pk=card_id)
        .annotate(**{bank_cache.STAMP_FIELD: bank_cache.stamp_subquery()}, is_paused=Exists(paused))
        .select_related(None)
        .first()
    )


def card_question(card: Card) -> tuple[Question, list[Choice]] | None:
    """The card's question and its choices in the order this review shows them, from the bank cache."""
    found = bank_cache.question_with_choices(card.question_id, getattr(card, bank_cache.STAMP_FIELD, None))
    if found is None:
        return None
    question, choices = found
    choices = list(choices)
    # Shuffled afresh for each review, the same way for its page and its answer, so the
    # place of the right answer is not what is remembered. True/false keeps its order.
    if question.kind != QuestionKind.TRUE_FALSE:
        random.Random(f"{card.pk}:{card.reps}").shuffle(choices)
    return question, choices


def review_record(
    *, card: Card, question: Question, choices: list[Choice], answer: SubmittedAnswer, guessed: bool, now: datetime
) -> tuple[Review, bool]:
    """Grade a practice answer, reschedule the card with FSRS and keep the review; and whether it is new.

    Two queries: the card's UPDATE, made only if nobody reviewed it since it was shown
    (``reps`` unchanged, so two tabs record one review), and the review's INSERT. The
    other tab gets the review already recorded. Never touches a quiz score.
    """
    shown_reps = card.reps
    mark = question.mark(answer, choices)
    fraction = mark.fraction
    rating = rating_for(fraction, guessed=guessed)
    card.review(rating, now)
    chosen = [choice.text for choice in choices if choice.pk in answer.choice_ids]
    # No savepoint: nothing here is expected to fail and be recovered from.
    with transaction.atomic(savepoint=False):
        moved = Card.objects.filter(pk=card.pk, reps=shown_reps).update(**card.schedule()) == 1
        if moved:
            review = Review.objects.create(
                card=card,
                number=card.reps,
                rating=rating,
                reviewed_at=now,
                guessed=guessed,
                fraction=fraction,
                selected_choice_ids=sorted(answer.choice_ids),
                answer_display="; ".join(chosen) if question.has_choices else answer.text,
                grading_note=mark.note[:300],
                question_snapshot=question_snapshot(question, choices),
                due_after=card.due,
            )
            return review, True
    recorded = Review.objects.filter(card_id=card.pk, number=shown_reps + 1).first()
    if recorded is None:
        raise LookupError("The card moved on without a review numbered after the one shown.")
    return recorded, False


# --- What the student sees of their memory ----------------------------------------------


@dataclass
class PassageRecall:
    passage: Passage
    cards: int
    recall: float
    right: int

    @property
    def share_right(self) -> float:
        return self.right / self.cards if self.cards else 0.0


def _passage_rows(rows) -> list[PassageRecall]:
    passages = Passage.objects.select_related("source").in_bulk([row["question__passage"] for row in rows])
    found = [
        PassageRecall(
            passage=passages[row["question__passage"]], cards=row["cards"], recall=row["recall"], right=row["right"]
        )
        for row in rows
        if row["question__passage"] in passages
    ]
    return sorted(found, key=lambda item: (item.passage.source.title, item.passage.position))


def my_recall(*, student, now: datetime) -> list[PassageRecall]:
    """Per passage the student has cards on: FSRS recall now averaged over its cards, and the share answered right.

    "Answered right" counts the cards whose latest answer was fully right. Two queries.
    """
    rows = (
        Card.objects.for_student(student)
        .active()
        .values("question__passage")
        .annotate(cards=Count("pk"), recall=Avg(retrievability(now)), right=Count("pk", filter=Q(last_right=True)))
        .order_by()
    )
    return _passage_rows(list(rows))


def due_this_week(*, student, now: datetime) -> list[tuple[datetime, int]]:
    """Cards coming due on each of the next seven days (today counts what is due already): one query."""
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    days = [today + timedelta(days=offset) for offset in range(7)]
    cards = practice_cards(student).filter(due__lt=days[-1] + timedelta(days=1))
    counts = cards.aggregate(
        **{
            f"day{index}": Count("pk", filter=Q(due__lt=day + timedelta(days=1)) & (Q(due__gte=day) if index else Q()))
            for index, day in enumerate(days)
        }
    )
    return [(day, counts[f"day{index}"]) for index, day in enumerate(days)]


def weakest_passages(*, student, now: datetime, limit: int = WEAKEST_PASSAGES) -> list[PassageRecall]:
    """The passages the student is least likely to recall now, for when nothing is due."""
    return sorted(
        (item for item in my_recall(student=student, now=now) if item.recall < 1), key=lambda item: item.recall
    )[:limit]


# --- What a teacher sees of a class -----------------------------------------------------


@dataclass
class ForgottenQuestion:
    question: Question
    lapses: int
    students: int


def class_recall(*, classroom: Classroom, now: datetime) -> list[PassageRecall]:
    """Per passage, the class's average recall now over every card of its students. Two queries."""
    rows = (
        Card.objects.active()
        .filter(student__classrooms=classroom)
        .values("question__passage")
        .annotate(cards=Count("pk"), recall=Avg(retrievability(now)), right=Count("pk", filter=Q(last_right=True)))
        .order_by()
    )
    return sorted(_passage_rows(list(rows)), key=lambda item: item.recall)


def most_forgotten(*, classroom: Classroom, limit: int = FORGOTTEN_QUESTIONS) -> list[ForgottenQuestion]:
    """The questions the class's students forgot most often after learning them (FSRS lapses). One query."""
    rows = (
        Question.objects.filter(practice_cards__student__classrooms=classroom, practice_cards__lapses__gt=0)
        .annotate(lapses=Sum("practice_cards__lapses"), students=Count("practice_cards"))
        .select_related("passage__source")
        .order_by("-lapses", "pk")[:limit]
    )
    return [ForgottenQuestion(question=q, lapses=q.lapses, students=q.students) for q in rows]


def practice_is_paused(classroom: Classroom) -> bool:
    return PracticePause.objects.filter(classroom=classroom).exists()


def practice_paused_for(student) -> bool:
    """Whether any class of the student has practice turned off."""
    return PracticePause.objects.filter(classroom__students=student).exists()


def practice_pause_set(*, classroom: Classroom, teacher, paused: bool, now: datetime) -> None:
    """Turn practice off (or on again) for every student of a class; their cards and history stay."""
    with transaction.atomic():
        if paused:
            PracticePause.objects.get_or_create(classroom=classroom, defaults={"paused_by": teacher, "paused_at": now})
        else:
            PracticePause.objects.filter(classroom=classroom).delete()


# --- Demo ---------------------------------------------------------------------------------


def schedule_shift(*, student, days: float) -> int:
    """Move a student's whole practice history ``days`` into the past, as if that time had gone by (demo only)."""
    shift = timedelta(days=days)
    with transaction.atomic():
        moved = Card.objects.for_student(student).update(due=F("due") - shift, last_review=F("last_review") - shift)
        Review.objects.filter(card__student=student).update(
            reviewed_at=F("reviewed_at") - shift, due_after=F("due_after") - shift
        )
    return moved


def history_simulate(*, student, now: datetime, ability: float, rng: random.Random) -> int:
    """Practice a student would have done since their quizzes, reviewed when due, as FSRS scheduled it (demo only).

    Each due review is recalled with the card's own retrievability nudged by the
    student's ability; the walk stops a day before ``now`` so some cards are due today.
    """
    made = 0
    reviews = []
    cards = list(Card.objects.for_student(student))
    for card in cards:
        while card.due < now - timedelta(days=1) and rng.random() < 0.8:
            moment = card.due + timedelta(hours=rng.uniform(1, 20))
            chance = min(0.98, max(0.05, card.recall_at(moment) + 0.1 * ability))
            fraction = Decimal(1) if rng.random() < chance else Decimal(0)
            rating = rating_for(fraction)
            card.review(rating, moment)
            reviews.append(
                Review(
                    card=card,
                    number=card.reps,
                    rating=rating,
                    reviewed_at=moment,
                    fraction=fraction,
                    due_after=card.due,
                )
            )
            made += 1
    with transaction.atomic():
        Card.objects.bulk_update(cards, SCHEDULE_FIELDS)
        Review.objects.bulk_create(reviews)
    return made

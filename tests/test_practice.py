"""Practice: cards fed by finished attempts, scheduled by the fsrs package, reviewed one per screen."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import fsrs
import pytest
from django.urls import reverse

from practice import services
from practice.models import SCHEDULER, Card, PracticePause, Review, rating_for
from quiz.models import Question, SubmittedAnswer
from quiz.services import attempt_finish
from tests.conftest import logged_in_client
from tests.factories import ClassroomFactory, QuestionFactory, QuizFactory, UserFactory, sit_quiz

HTMX = {"HTTP_HX_REQUEST": "true"}
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen(monkeypatch):
    """A frozen clock for the views (the services take ``now`` explicitly)."""
    moment = {"now": NOW}
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment["now"])
    return moment


def right(question: Question) -> dict:
    if question.has_choices:
        return {"choice": str(question.choices.get(is_correct=True).pk)}
    return {"answer": question.accepted_answers[0]}


def wrong(question: Question) -> dict:
    return {"choice": str(question.choices.filter(is_correct=False).first().pk)}


def finished_quiz(student, marks, *, at=NOW - timedelta(days=3), quiz=None):
    quiz = quiz or QuizFactory(questions=len(marks))
    attempt = sit_quiz(quiz, student, marks, started_at=at, finish=True)
    return quiz, attempt


# --- Ratings and the schedule -------------------------------------------------------------


@pytest.mark.parametrize(
    "fraction, guessed, rating",
    [
        (Decimal("0"), False, fsrs.Rating.Again),
        (Decimal("0"), True, fsrs.Rating.Again),
        (Decimal("0.5"), False, fsrs.Rating.Hard),
        (Decimal("1"), False, fsrs.Rating.Good),
        (Decimal("1"), True, fsrs.Rating.Hard),
    ],
)
def test_ratings_map_wrong_to_again_partial_to_hard_right_to_good_and_a_guess_to_hard(fraction, guessed, rating):
    assert rating_for(fraction, guessed=guessed) == rating


def test_schedule_after_a_scripted_sequence_equals_the_fsrs_package_result(db, student):
    question = QuestionFactory()
    quiz = QuizFactory(questions=[question])
    start = NOW - timedelta(days=40)
    sit_quiz(quiz, student, [False], started_at=start, finish=True)
    card = Card.objects.get(student=student, question=question)
    answered_at = Review.objects.get(card=card).reviewed_at
    script = [(True, 1), (True, 3), (False, 9), (True, 1), (True, 4)]
    reference, _ = SCHEDULER.review_card(fsrs.Card(card_id=0, due=answered_at), fsrs.Rating.Again, answered_at)
    moment = answered_at
    choices = list(question.choices.all())
    for is_right, days_later in script:
        moment = moment + timedelta(days=days_later)
        card = Card.objects.get(pk=card.pk)
        pick = next(c for c in choices if c.is_correct == is_right)
        services.review_record(
            card=card,
            question=question,
            choices=choices,
            answer=SubmittedAnswer(choice_ids=frozenset({pick.pk})),
            guessed=False,
            now=moment,
        )
        reference, _ = SCHEDULER.review_card(reference, fsrs.Rating.Good if is_right else fsrs.Rating.Again, moment)
    card.refresh_from_db()
    assert card.reps == len(script) + 1
    assert card.state == reference.state and card.step == reference.step
    assert card.stability == pytest.approx(reference.stability, rel=1e-12)
    assert card.difficulty == pytest.approx(reference.difficulty, rel=1e-12)
    assert card.due == reference.due and card.last_review == reference.last_review
    assert card.lapses == 1  # forgotten once after being learned
    assert card.recall_at(NOW) == pytest.approx(SCHEDULER.get_card_retrievability(reference, NOW))


def test_recall_computed_in_sql_equals_the_package_retrievability(db, student):
    finished_quiz(student, [True, False, True, True], at=NOW - timedelta(days=11, hours=5))
    cards = list(Card.objects.for_student(student).with_recall(NOW))
    assert len(cards) == 4
    for card in cards:
        assert card.recall == pytest.approx(SCHEDULER.get_card_retrievability(card.as_fsrs(), NOW), abs=1e-9)


# --- Feeding cards from attempts ----------------------------------------------------------


def test_every_answered_question_of_a_finished_attempt_becomes_one_card(db, student):
    quiz, attempt = finished_quiz(student, [True, False, None, True])
    cards = Card.objects.for_student(student)
    assert cards.count() == 3  # the skipped question was never answered
    wrong_card = cards.get(last_right=False)
    assert wrong_card.reviews.get().rating == fsrs.Rating.Again
    assert {r.rating for r in Review.objects.filter(card__in=cards, card__last_right=True)} == {fsrs.Rating.Good}


def test_a_later_attempt_reviews_the_same_cards_and_feeding_twice_changes_nothing(db, student):
    quiz, first = finished_quiz(student, [False, False])
    sit_quiz(quiz, student, [True, True], started_at=NOW - timedelta(days=1), finish=True)
    assert Card.objects.for_student(student).count() == 2
    assert set(Card.objects.for_student(student).values_list("reps", flat=True)) == {2}
    assert services.cards_feed_from_attempt(attempt=first) == 0
    assert Review.objects.count() == 4


def test_an_attempt_in_progress_feeds_no_card(db, student):
    quiz = QuizFactory(questions=3)
    sit_quiz(quiz, student, [True, False])  # not finished: feedback may still be hidden
    assert not Card.objects.exists()


def test_a_regrade_does_not_rewrite_review_history(db, student):
    from quiz.regrade import regrade_apply

    quiz, attempt = finished_quiz(student, [False])
    question = Question.objects.get(pk=attempt.question_ids[0])
    before = list(Review.objects.values_list("rating", "fraction", "reviewed_at"))
    wrong_choice = question.choices.filter(is_correct=False).first()
    question.choices.update(is_correct=False)
    wrong_choice.is_correct = True
    wrong_choice.save()
    logs = regrade_apply(questions=Question.objects.filter(pk=question.pk), by=None)
    assert logs  # the quiz score did change
    assert list(Review.objects.values_list("rating", "fraction", "reviewed_at")) == before


def test_an_edited_key_keeps_the_card_and_its_history(db, student):
    quiz, attempt = finished_quiz(student, [False])
    question = Question.objects.get(pk=attempt.question_ids[0])
    card = Card.objects.get()
    question.prompt = "Reworded: by how much did GPU imports fall?"
    question.save()
    assert Card.objects.get().pk == card.pk and card.reviews.count() == 1


# --- Due counts and ordering --------------------------------------------------------------


def test_due_cards_come_longest_overdue_first(db, student):
    finished_quiz(student, [False], at=NOW - timedelta(days=2))
    finished_quiz(student, [False], at=NOW - timedelta(days=5))
    finished_quiz(student, [True], at=NOW - timedelta(days=20))
    cards = sorted(Card.objects.for_student(student), key=lambda c: c.due)
    assert services.due_count(student=student, now=NOW) == 3
    assert services.next_card(student=student, now=NOW) == cards[0]
    assert cards[0].due < cards[1].due < cards[2].due


def test_nothing_is_due_right_after_a_right_answer(db, student):
    finished_quiz(student, [True, True], at=NOW - timedelta(minutes=30))
    assert services.due_count(student=student, now=NOW) == 0
    # a missed question comes back after the ten-minute learning step
    finished_quiz(student, [False], at=NOW - timedelta(minutes=30))
    assert services.due_count(student=student, now=NOW) == 1


def test_practise_one_quiz_or_one_source_only(db, student):
    quiz_a, _ = finished_quiz(student, [False, False])
    quiz_b, _ = finished_quiz(student, [False])
    source_b = Question.objects.filter(quizzes=quiz_b).get().passage.source
    in_a = services.next_card(student=student, now=NOW, scope=services.Scope(quiz=quiz_a.slug))
    in_b = services.next_card(student=student, now=NOW, scope=services.Scope(source=source_b.slug))
    assert in_a.question.quizzes.get() == quiz_a
    assert in_b.question.quizzes.get() == quiz_b


# --- Retirement ---------------------------------------------------------------------------


def test_an_unpublished_question_retires_its_cards_and_keeps_their_history(db, student):
    quiz, attempt = finished_quiz(student, [False, False])
    question = Question.objects.get(pk=attempt.question_ids[0])
    assert services.due_count(student=student, now=NOW) == 2
    question.is_published = False
    question.save()
    assert services.due_count(student=student, now=NOW) == 1
    assert services.next_card(student=student, now=NOW).question_id != question.pk
    assert Card.objects.filter(question=question).exists()
    Question.objects.filter(pk=question.pk).update(is_published=True)  # a bulk admin action, too
    assert services.due_count(student=student, now=NOW) == 2


def test_a_deleted_question_takes_its_cards_with_it(db, student):
    question = QuestionFactory()
    card = Card.first_review(student=student, question_id=question.pk, rating=fsrs.Rating.Again, now=NOW)
    card.save()
    question.delete()
    assert not Card.objects.exists()

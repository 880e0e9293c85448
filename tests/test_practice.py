"""Practice: cards fed by finished attempts, scheduled by the fsrs package, reviewed one per screen."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import fsrs
import pytest
from django.urls import reverse
from django.utils import timezone

from practice import services
from practice.models import SCHEDULER, Card, PracticePause, Review, rating_for
from quiz.models import Question, SubmittedAnswer
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
    from quiz.admin.regrade import regrade_apply

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


def test_an_unpublished_question_retires_its_cards_and_keeps_their_history(student_client, student):
    quiz, attempt = finished_quiz(student, [False, False])
    question = Question.objects.get(pk=attempt.question_ids[0])
    assert services.due_count(student=student, now=NOW) == 2
    question.is_published = False
    question.save()
    assert services.due_count(student=student, now=NOW) == 1
    retired = Card.objects.get(question=question)
    assert student_client.get(reverse("practice_card", args=[retired.pk])).status_code == 404
    assert services.next_card(student=student, now=NOW).question_id != question.pk
    assert Card.objects.filter(question=question).exists()
    Question.objects.filter(pk=question.pk).update(is_published=True)  # a bulk admin action, too
    assert services.due_count(student=student, now=NOW) == 2


def test_a_deleted_question_takes_its_cards_with_it(db, student):
    question = QuestionFactory()
    card = Card.first_review(student_id=student.pk, question_id=question.pk, rating=fsrs.Rating.Again, now=NOW)
    card.save()
    question.delete()
    assert not Card.objects.exists()


# --- Pages --------------------------------------------------------------------------------


@pytest.fixture
def due_student(db, student):
    """alice finished a quiz three days ago and missed both questions."""
    finished_quiz(student, [False, False])
    return student


def test_anonymous_visitors_log_in_first(client):
    assert client.get(reverse("practice_session"))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_session_shows_the_first_due_card_in_both_shapes(student_client, due_student, frozen, headers):
    response = student_client.get(reverse("practice_session"), **headers)
    assert response.status_code == 200
    assert response["Vary"] and "HX-Request" in response["Vary"]
    page = response.content.decode()
    assert "By how much did Russian GPU imports fall?" in page and "I guessed" in page
    assert ("<html" in page) is not bool(headers)
    assert page.count('id="nav-practice"') == 1  # the navigation's count, out of band in the fragment
    card = services.next_card(student=due_student, now=NOW)
    assert f'action="{reverse("practice_card", args=[card.pk])}"' in page


def test_history_restore_gets_the_whole_page(student_client, due_student, frozen):
    response = student_client.get(reverse("practice_session"), **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    page = response.content.decode()
    assert "<html" in page and page.count('id="nav-practice"') == 1


def test_answering_without_javascript_redirects_to_cited_feedback(student_client, due_student, frozen):
    card = services.next_card(student=due_student, now=NOW)
    question = card.question
    response = student_client.post(reverse("practice_card", args=[card.pk]), {**right(question), "reps": card.reps})
    assert response.status_code == 302
    assert response["Location"] == reverse("practice_review", args=[card.pk, card.reps + 1])
    page = student_client.get(response["Location"]).content.decode()
    assert "Correct" in page and "next review in" in page
    assert "plummeted by 84 percent" in page and "Read it in the source" in page
    card.refresh_from_db()
    assert card.reps == 2 and card.due > NOW


def test_answering_with_htmx_shows_feedback_in_place_and_pushes_its_url(student_client, due_student, frozen):
    card = services.next_card(student=due_student, now=NOW)
    response = student_client.post(
        reverse("practice_card", args=[card.pk]), {**wrong(card.question), "reps": card.reps}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == reverse("practice_review", args=[card.pk, card.reps + 1])
    page = response.content.decode()
    assert "Wrong" in page and "<html" not in page and "Read it in the source" in page


def test_i_guessed_counts_a_right_answer_as_hard(student_client, due_student, frozen):
    card = services.next_card(student=due_student, now=NOW)
    student_client.post(
        reverse("practice_card", args=[card.pk]), {**right(card.question), "reps": card.reps, "guessed": "on"}
    )
    review = card.reviews.order_by("-number").first()
    assert review.guessed and review.rating == fsrs.Rating.Hard and review.fraction == 1


@pytest.mark.parametrize("reps", ["", "abc", "-1", "99", "0"])
def test_a_garbled_review_count_is_no_error(student_client, due_student, frozen, reps):
    card = services.next_card(student=due_student, now=NOW)
    response = student_client.post(reverse("practice_card", args=[card.pk]), {**right(card.question), "reps": reps})
    assert response.status_code == 302  # recorded against the card as it stands
    assert card.reviews.count() == 2


def test_an_empty_answer_is_refused_with_422_and_a_message(student_client, due_student, frozen):
    card = services.next_card(student=due_student, now=NOW)
    response = student_client.post(reverse("practice_card", args=[card.pk]), {"reps": card.reps}, **HTMX)
    assert response.status_code == 422 and "Pick one answer." in response.content.decode()
    assert card.reviews.count() == 1


def test_practice_never_changes_a_grade(student_client, due_student, frozen):
    attempt = due_student.attempts.get()
    score = attempt.score
    for _ in range(2):
        card = services.next_card(student=due_student, now=NOW)
        student_client.post(reverse("practice_card", args=[card.pk]), {**right(card.question), "reps": card.reps})
    attempt.refresh_from_db()
    assert attempt.score == score and not any(r.is_correct for r in attempt.responses.all())


def test_when_nothing_is_due_the_weakest_passages_are_offered(student_client, due_student, frozen):
    frozen["now"] = NOW - timedelta(days=3)  # right after the quiz: both missed, both due in ten minutes
    Card.objects.update(due=NOW + timedelta(days=1))
    frozen["now"] = NOW
    page = student_client.get(reverse("practice_session")).content.decode()
    assert "Nothing to review right now" in page and "Your weakest passages" in page
    passage = Card.objects.first().question.passage
    assert f"?passage={passage.pk}" in page
    # practising that passage ahead of schedule shows its card
    ahead = student_client.get(reverse("practice_session"), {"passage": passage.pk}).content.decode()
    assert "I guessed" in ahead


def test_a_student_cannot_open_or_answer_another_students_card(client, due_student, other_student, frozen):
    card = services.next_card(student=due_student, now=NOW)
    client.force_login(other_student)
    assert client.get(reverse("practice_card", args=[card.pk])).status_code == 404
    assert client.post(reverse("practice_card", args=[card.pk]), {**right(card.question), "reps": 1}).status_code == 404
    assert client.get(reverse("practice_review", args=[card.pk, 1])).status_code == 404
    assert "Nothing to review" in client.get(reverse("practice_session")).content.decode()


def test_a_second_tab_answering_the_same_card_gets_the_review_already_recorded(student_client, due_student, frozen):
    card = services.next_card(student=due_student, now=NOW)
    url = reverse("practice_card", args=[card.pk])
    first = student_client.post(url, {**wrong(card.question), "reps": card.reps}, **HTMX)
    second = student_client.post(url, {**right(card.question), "reps": card.reps}, **HTMX)
    assert first.status_code == second.status_code == 200
    assert "Wrong" in second.content.decode()
    assert card.reviews.count() == 2  # the quiz answer and one practice answer


@pytest.mark.parametrize("card_total", [3, 40])
def test_review_post_runs_a_constant_number_of_queries(
    student_client, student, frozen, django_assert_num_queries, card_total
):
    finished_quiz(student, [False] * card_total)
    card = services.next_card(student=student, now=NOW)
    url = reverse("practice_card", args=[card.pk])
    student_client.get(url, **HTMX)  # the card page puts the question in the bank cache
    # session, user, the card with the bank stamp and the paused check, the card's guarded
    # UPDATE, the review's INSERT: the question and its choices come from the cache
    answer = {**right(card.question), "reps": card.reps}
    with django_assert_num_queries(5):
        response = student_client.post(url, answer, **HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize("card_total", [2, 30])
def test_due_count_on_home_and_navigation_is_one_query(
    student_client, student, frozen, django_assert_num_queries, card_total
):
    finished_quiz(student, [False] * card_total)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = student_client.get(reverse("home")).content.decode()
    practice_queries = [q for q in queries if "practice_card" in q["sql"]]
    assert len(practice_queries) == 1  # shared by the navigation and the home page
    assert f"{card_total} questions to review" in page
    assert f'<span class="due-count">{card_total}</span> to review' in page


def test_a_teacher_turns_practice_off_for_a_class(client, due_student, frozen):
    classroom = ClassroomFactory()
    classroom.students.add(due_student)
    teacher_client = logged_in_client(classroom.teacher)
    response = teacher_client.post(reverse("practice_pause", args=[classroom.pk]), {"paused": "on"})
    assert response.status_code == 302 and PracticePause.objects.filter(classroom=classroom).exists()
    assert services.due_count(student=due_student, now=NOW) == 0
    student_client = logged_in_client(due_student)
    assert "Practice is off" in student_client.get(reverse("practice_session")).content.decode()
    card = Card.objects.filter(student=due_student).first()
    assert student_client.get(reverse("practice_card", args=[card.pk])).status_code == 409
    teacher_client.post(reverse("practice_pause", args=[classroom.pk]), {"paused": "off"})
    assert services.due_count(student=due_student, now=NOW) == 2


def test_a_teacher_cannot_switch_another_teachers_class(teacher_client, frozen):
    classroom = ClassroomFactory()
    assert teacher_client.post(reverse("practice_pause", args=[classroom.pk]), {"paused": "on"}).status_code == 404
    assert not PracticePause.objects.exists()


def test_a_student_cannot_switch_practice(student_client, frozen):
    classroom = ClassroomFactory()
    assert student_client.post(reverse("practice_pause", args=[classroom.pk]), {"paused": "on"}).status_code == 403


def test_my_progress_shows_recall_beside_share_right_and_the_week_ahead(student_client, student, frozen):
    finished_quiz(student, [True, False])
    page = student_client.get(reverse("my_progress")).content.decode()
    assert "What I would recall now" in page and "Coming due this week" in page
    # each question cites its own passage: one answered right, one not
    assert "<td>1 of 1</td>" in page and "<td>0 of 1</td>" in page
    for card in Card.objects.all():
        assert f"{round(card.recall_at(NOW) * 100)}%</meter>" in page


def test_my_progress_recall_rises_after_practice(student_client, due_student, frozen):
    before = services.my_recall(student=due_student, now=NOW)[0].recall
    for _ in range(2):
        card = services.next_card(student=due_student, now=NOW)
        student_client.post(reverse("practice_card", args=[card.pk]), {**right(card.question), "reps": card.reps})
    after = services.my_recall(student=due_student, now=NOW)[0].recall
    assert after > before


def test_the_dashboard_shows_the_class_recall_per_passage_and_the_most_forgotten(db, frozen):
    classroom = ClassroomFactory()
    quiz = QuizFactory(questions=2)
    classroom.quizzes.add(quiz)
    students = UserFactory.create_batch(3)
    classroom.students.add(*students)
    for learner in students:
        finished_quiz(learner, [True, True], quiz=quiz, at=NOW - timedelta(days=30))
        card = Card.objects.filter(student=learner).order_by("question_id").first()
        card.review(fsrs.Rating.Again, NOW - timedelta(days=5))
        card.save()
    outsider = UserFactory()
    finished_quiz(outsider, [False, False], quiz=quiz)
    recall = services.class_recall(classroom=classroom, now=NOW)
    assert sum(item.cards for item in recall) == 6  # the outsider's cards are not the class's
    forgotten = services.most_forgotten(classroom=classroom)
    assert forgotten[0].lapses == 3 and forgotten[0].students == 3
    page = logged_in_client(classroom.teacher).get(reverse("teach_dashboard")).content.decode()
    assert "Recall and practice" in page and "Most often forgotten" in page and "forgotten 3 times" in page


def test_a_teacher_sees_only_their_own_classes_recall(db, frozen):
    mine, theirs = ClassroomFactory(), ClassroomFactory()
    quiz = QuizFactory(questions=1)
    theirs.quizzes.add(quiz)
    mine.quizzes.add(quiz)
    learner = UserFactory()
    theirs.students.add(learner)
    finished_quiz(learner, [False], quiz=quiz)
    page = logged_in_client(mine.teacher).get(reverse("teach_dashboard")).content.decode()
    assert "No cards yet" in page


# --- Two tabs at once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_tabs_answering_the_same_card_at_once_record_one_review(round_):
    """Meaningful on PostgreSQL (row locks under READ COMMITTED); must hold on SQLite too."""
    from tests.test_integrity import run_at_once

    learner = UserFactory()
    finished_quiz(learner, [False])
    card = Card.objects.get(student=learner)
    question = card.question
    url = reverse("practice_card", args=[card.pk])
    tabs = [logged_in_client(learner), logged_in_client(learner)]
    answers = [{**wrong(question), "reps": 1}, {**right(question), "reps": 1}]
    results = run_at_once(
        *(
            lambda tab=tab, answer=answer: tab.post(url, answer, **HTMX)
            for tab, answer in zip(tabs, answers, strict=True)
        )
    )
    assert [result.status_code for result in results] == [200, 200]
    card.refresh_from_db()
    assert card.reps == 2 and card.reviews.count() == 2
    recorded = card.reviews.get(number=2)
    # both tabs show the one review recorded, whichever won
    verdict = "Correct" if recorded.is_correct else "Wrong"
    assert all(verdict in result.content.decode() for result in results)


# --- The week ahead and the demo ----------------------------------------------------------


def test_the_week_ahead_counts_cards_by_the_day_they_come_due(db, student):
    finished_quiz(student, [False, True, True], at=NOW - timedelta(days=1))
    week = services.due_this_week(student=student, now=NOW)
    assert [count for _day, count in week] == [1, 2, 0, 0, 0, 0, 0]  # the miss today, the two right ones in 2 days
    assert week[0][0].date() == NOW.date()


def test_the_demo_clock_moves_a_students_schedule_into_the_past(db, student, settings):
    from django.core.management import CommandError, call_command

    finished_quiz(student, [True], at=NOW - timedelta(minutes=5))
    due = Card.objects.get().due
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("practice_clock", student.username, "--days", "3")
    settings.DEBUG = True
    call_command("practice_clock", student.username, "--days", "3", stdout=StringIO())
    assert Card.objects.get().due == due - timedelta(days=3)


def test_seed_practice_adds_history_once_and_leaves_cards_due(db, student, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    finished_quiz(student, [True, False, True, False], at=timezone.now() - timedelta(days=20))
    call_command("seed_practice", stdout=StringIO())
    practised = Review.objects.filter(response__isnull=True).count()
    assert practised > 0
    # reviewed when due, never in the future; some left overdue, as a real student leaves them
    assert not Card.objects.filter(last_review__gt=timezone.now()).exists()
    assert services.due_count(student=student, now=timezone.now()) > 0
    call_command("seed_practice", stdout=StringIO())
    assert Review.objects.filter(response__isnull=True).count() == practised


def _closing_answer_queries(student, question_count: int) -> tuple[int, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import logged_in_client

    quiz = QuizFactory(questions=question_count)
    attempt = sit_quiz(quiz, student, [False] * (question_count - 1) + [None])
    last = Question.objects.get(pk=attempt.question_ids[-1])
    tab = logged_in_client(student)
    url = reverse("attempt_answer", args=[attempt.public_id, question_count])
    tab.get(url, **HTMX)  # the question in the bank cache
    answer = right(last)
    with CaptureQueriesContext(connection) as queries:
        assert tab.post(url, answer, **HTMX).status_code == 200
    return len(queries), [q["sql"].split(" ")[0] for q in queries]


def test_the_answer_that_closes_an_attempt_feeds_every_card_in_constant_queries(db):
    # The answer's own seven (session, user, attempt, savepoint, insert, update, release), then
    # the feed's six: its responses not yet fed, savepoint, their cards (locked), the new cards,
    # the reviews, release; the same for 3 and 30 questions.
    small, small_kinds = _closing_answer_queries(UserFactory(), 3)
    large, _ = _closing_answer_queries(UserFactory(), 30)
    assert small == large == 13, small_kinds
    assert Card.objects.count() == 33 and Review.objects.count() == 33


def test_a_practice_answer_accepted_with_a_typo_says_the_spelling_as_a_quiz_does(student_client, student, frozen):
    question = QuestionFactory(short_text=True, accepted_answers=["Semiconductors"], allow_typos=True)
    finished_quiz(student, [False], quiz=QuizFactory(questions=[question]))
    card = services.next_card(student=student, now=NOW)
    assert card.question == question

    response = student_client.post(
        reverse("practice_card", args=[card.pk]), {"answer": "Semiconducters", "reps": card.reps}, follow=True
    )

    page = response.content.decode()
    assert "Correct" in page
    assert "Accepted — the spelling is Semiconductors." in page

"""Writes that touch several models: starting, answering and finishing attempts."""

import functools
import random
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, DateTimeField, F, Max, Q, Sum, Value, When
from django.utils import timezone

from quiz.models import (
    Attempt,
    Choice,
    Question,
    QuestionKind,
    Quiz,
    QuizQuestion,
    RegradeLog,
    Response,
    SubmittedAnswer,
)
from quiz.signals import attempt_finished, attempt_graded


class AttemptRefused(Exception):
    """The attempt cannot be started or answered; the message is for the student."""


FINISHED = "This attempt is finished; answers can no longer be changed."
TIME_UP = "Time is up: this attempt was submitted with the answers you had given."
QUIZ_CLOSED = "This quiz has closed: your attempt was submitted with the answers you had given."

# How long after a timed attempt's deadline an answer is still accepted. The page sends a
# typed-but-unsent answer by itself when its timer reaches zero; on a slow phone network
# that request can reach the server a few seconds late, and the student's answer is
# kept rather than dropped with "Time is up". Short, so it buys no real extra time.
ANSWER_GRACE = timedelta(seconds=10)


def attempt_time_is_up(attempt: Attempt, now=None) -> bool:
    """Past the attempt's deadline (and its grace period), or its quiz closed since it started
    (a teacher may move the date)."""
    now = now or timezone.now()
    closes_at = attempt.quiz.closes_at
    return attempt.is_expired(now - ANSWER_GRACE) or (closes_at is not None and now >= closes_at)


def attempt_refusal(attempt: Attempt, now=None) -> str | None:
    """Why no answer can be recorded on this attempt now, or None when one can.

    An attempt whose time is up is finished here and now with what was answered,
    so whoever notices first (an answer, a page view) closes it.
    """
    now = now or timezone.now()
    if attempt.is_finished:
        return FINISHED
    if attempt_time_is_up(attempt, now):
        attempt_finish(attempt=attempt, now=now)
        return TIME_UP if attempt.is_expired(now - ANSWER_GRACE) else QUIZ_CLOSED
    return None


def _question_order(quiz: Quiz, rng: random.Random) -> tuple[list[Question], dict[str, list[int]]]:
    """The quiz's published questions and each one's choice ids, in the order this attempt shows them."""
    questions = list(
        Question.objects.published()
        .filter(quiz_questions__quiz=quiz)
        .order_by("quiz_questions__position", "quiz_questions__id")
        .only("id", "kind", "points")
    )
    if not questions:
        raise AttemptRefused("This quiz has no questions yet.")
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    choice_ids: dict[int, list[int]] = {}
    for choice in Choice.objects.filter(question__in=questions).only("id", "question_id"):
        choice_ids.setdefault(choice.question_id, []).append(choice.pk)
    kinds = {question.pk: question.kind for question in questions}
    if quiz.shuffle_choices:
        for question_id, ids in choice_ids.items():
            # True/false keeps "True" before "False": shuffling two fixed words only confuses.
            if kinds[question_id] != QuestionKind.TRUE_FALSE:
                rng.shuffle(ids)
    return questions, {str(pk): ids for pk, ids in choice_ids.items()}


def _deadline(quiz: Quiz, now):
    """When a timed attempt started now must end; it never runs past the quiz's closing time."""
    if not quiz.time_limit_minutes:
        return None
    deadline = now + timedelta(minutes=quiz.time_limit_minutes)
    return deadline if quiz.closes_at is None else min(deadline, quiz.closes_at)


def attempt_start(*, quiz: Quiz, student, now=None, rng: random.Random | None = None) -> Attempt:
    """Resume the student's attempt in progress, or start a new one.

    The questions (published ones only) and their choices are put in order now,
    shuffled if the quiz says so, and the order is kept on the attempt.
    """
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    in_progress = Attempt.objects.for_student(student).unfinished().filter(quiz=quiz).first()
    if in_progress is not None:
        in_progress.quiz = quiz
        if not attempt_time_is_up(in_progress, now):
            return in_progress
        attempt_finish(attempt=in_progress, now=now)
    if not quiz.is_published:
        raise AttemptRefused("This quiz is not published.")
    if not quiz.is_open(now):
        raise AttemptRefused("This quiz is not open at the moment.")
    # The next number follows the highest one, not the count: an attempt deleted by a
    # teacher would otherwise make every later start collide with an existing number.
    earlier = Attempt.objects.for_student(student).filter(quiz=quiz).aggregate(count=Count("pk"), last=Max("number"))
    previous = earlier["count"]
    if quiz.attempts_allowed is not None and previous >= quiz.attempts_allowed:
        # A second tab may have started the last allowed attempt since we looked: resume it.
        racing = Attempt.objects.for_student(student).unfinished().filter(quiz=quiz).first()
        if racing is not None:
            return racing
        raise AttemptRefused(f"You have used all {quiz.attempts_allowed} attempts allowed for this quiz.")

    questions, choice_order = _question_order(quiz, rng)
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                quiz=quiz,
                student=student,
                number=(earlier["last"] or 0) + 1,
                started_at=now,
                deadline=_deadline(quiz, now),
                max_score=sum(Decimal(question.points) for question in questions),
                question_ids=[question.pk for question in questions],
                choice_order=choice_order,
            )
    except IntegrityError:
        # Two tabs pressed "Start" at once: the other request won; resume its attempt.
        existing = Attempt.objects.for_student(student).unfinished().filter(quiz=quiz).first()
        if existing is None:
            raise AttemptRefused("Your attempt could not be started; please try again.") from None
        return existing


def question_snapshot(question: Question, choices: list[Choice]) -> dict:
    """What was asked, as shown, with its answer key and citation, at answering time."""
    passage = question.passage
    return {
        "kind": question.kind,
        "prompt": question.prompt,
        "points": question.points,
        "choices": [{"id": c.pk, "text": c.text, "is_correct": c.is_correct, "feedback": c.feedback} for c in choices],
        "correct_answer": question.correct_answer_display(choices),
        # The main answer first, the other spellings shown as "also accepted".
        "accepted_answers": list(question.accepted_answers) if question.kind == QuestionKind.SHORT_TEXT else None,
        "numeric_unit": question.numeric_unit,
        "explanation": question.explanation,
        "quote": question.quote,
        "source_slug": passage.source.slug,
        "source_title": passage.source.title,
        "passage_position": passage.position,
    }


def graded_response(
    *, attempt: Attempt, question: Question, choices: list[Choice], answer: SubmittedAnswer, now
) -> Response:
    """One answer, graded and with its snapshot, not yet saved (the admin's preview shows it as is)."""
    mark = question.mark(answer, choices)
    fraction = mark.fraction
    chosen = [choice.text for choice in choices if choice.pk in answer.choice_ids]
    return Response(
        attempt=attempt,
        question=question,
        selected_choice_ids=sorted(answer.choice_ids),
        answer_text=answer.text,
        answer_display="; ".join(chosen) if question.has_choices else answer.text,
        is_correct=fraction == 1,
        fraction=fraction,
        points_awarded=(fraction * question.points).quantize(Decimal("0.01")),
        question_snapshot=question_snapshot(question, choices),
        grading_note=mark.note,
        answered_at=now,
        seconds_taken=max(0, int((now - attempt.started_at).total_seconds())),
    )


def response_record(
    *, attempt: Attempt, question: Question, choices: list[Choice], answer: SubmittedAnswer, now=None
) -> tuple[Response, bool]:
    """Store and score one answer; return it and whether it is new.

    A second submission for the same question (double click, second tab, replayed
    POST) returns the answer already recorded and changes nothing. ``choices`` are
    the question's choices in the order this attempt shows them.
    """
    now = now or timezone.now()
    refusal = attempt_refusal(attempt, now)
    if refusal:
        raise AttemptRefused(refusal)
    if attempt.position_of(question.pk) is None:
        raise AttemptRefused("That question is not part of this attempt.")
    response = graded_response(attempt=attempt, question=question, choices=choices, answer=answer, now=now)
    points = response.points_awarded
    try:
        with transaction.atomic():
            response.save(force_insert=True)
            if not _add_to_attempt(attempt=attempt, points=points, now=now):
                raise AttemptRefused(FINISHED)
    except IntegrityError:
        # Another request recorded this question first (double click, second tab).
        recorded = Response.objects.filter(attempt=attempt, question=question).first()
        if recorded is None:
            raise
        return recorded, False
    attempt.score += points
    attempt.answered_count += 1
    if attempt.answered_count >= attempt.question_count:
        attempt.finished_at = now
        attempt_finished.send(sender=Attempt, attempt=attempt, now=now)
        attempt_graded.send(sender=Attempt, attempt=attempt)
    return response, True


def _add_to_attempt(*, attempt: Attempt, points: Decimal, now) -> bool:
    """Add an answer's points and count to its attempt, finishing it on the last answer.

    Decided inside one conditional UPDATE from the row's own counter, so two answers
    racing on the last questions still finish the attempt exactly once. The deadline
    is checked here too: the row, not this worker's copy, has the last word. False
    when the attempt was already finished or past its deadline.
    """
    open_attempt = Attempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).filter(
        Q(deadline__isnull=True) | Q(deadline__gt=now - ANSWER_GRACE)
    )
    updated = open_attempt.update(
        score=F("score") + points,
        answered_count=F("answered_count") + 1,
        # The right-hand side reads the row as it was: this answer is the last one
        # when the count before it was one short of the quiz.
        finished_at=Case(
            When(answered_count__gte=attempt.question_count - 1, then=Value(now)),
            default=None,
            output_field=DateTimeField(),
        ),
    )
    return updated == 1


def attempt_finish(*, attempt: Attempt, now=None) -> Attempt:
    """Close an attempt (early, or when its time is up) and settle its score from its responses."""
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the row before adding up: an answer whose transaction already updated this
        # attempt is then committed (and counted) before the sum is read. Without the lock,
        # PostgreSQL would sum without it and overwrite the score it had just added.
        locked = (
            Attempt.objects.select_for_update()
            .only("score", "finished_at", "answered_count", "deadline", "started_at")
            .get(pk=attempt.pk)
        )
        if locked.finished_at is None:
            total = Response.objects.filter(attempt=attempt).aggregate(total=Sum("points_awarded"))["total"]
            ends = [moment for moment in (now, locked.deadline, attempt.quiz.closes_at) if moment is not None]
            # Never before the start, even if a teacher moved the closing date back.
            locked.finished_at, locked.score = max(min(ends), locked.started_at), total or Decimal("0")
            Attempt.objects.filter(pk=attempt.pk).update(finished_at=locked.finished_at, score=locked.score)
            attempt_finished.send(sender=Attempt, attempt=attempt, now=locked.finished_at)
            attempt_graded.send(sender=Attempt, attempt=attempt)
    attempt.score, attempt.finished_at = locked.score, locked.finished_at
    attempt.answered_count = locked.answered_count
    return attempt


def attempt_flag_toggle(*, attempt: Attempt, question_id: int) -> bool:
    """Flag a question of the attempt to come back to, or clear its flag; return whether it is flagged now.

    The row is locked while its list changes, so two tabs flagging at once both count.
    """
    if attempt.position_of(question_id) is None:
        raise AttemptRefused("That question is not part of this attempt.")
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().only("flagged_question_ids").get(pk=attempt.pk)
        flagged = [pk for pk in locked.flagged_question_ids if pk != question_id]
        if question_id not in locked.flagged_question_ids:
            flagged.append(question_id)
        Attempt.objects.filter(pk=attempt.pk).update(flagged_question_ids=flagged)
    attempt.flagged_question_ids = flagged
    return question_id in flagged


def quiz_add_questions(*, quiz: Quiz, questions) -> int:
    """Append ``questions`` not yet in ``quiz`` after its last one; return how many were added."""
    with transaction.atomic():
        links = QuizQuestion.objects.select_for_update().filter(quiz=quiz)
        present = set(links.values_list("question_id", flat=True))
        last = max(links.values_list("position", flat=True), default=0)
        new = [q for q in questions.order_by("passage__source", "passage__position", "key") if q.pk not in present]
        QuizQuestion.objects.bulk_create(
            QuizQuestion(quiz=quiz, question=question, position=last + index)
            for index, question in enumerate(new, start=1)
        )
    return len(new)


def response_override_mark(*, response: Response, points: Decimal, comment: str, by, now=None) -> RegradeLog:
    """A teacher sets one answer's mark by hand, with a comment; logged like a regrade.

    The student sees the comment with the mark; the attempt's score moves by the
    difference; later regrades of the question leave this answer's mark alone.
    """
    now = now or timezone.now()
    comment = " ".join(comment.split())
    with transaction.atomic():
        # Locked like a regrade: an answer recorded at this moment adds to the same row.
        attempt = Attempt.objects.select_for_update().get(pk=response.attempt_id)
        response = Response.objects.select_for_update().get(pk=response.pk)
        maximum = Decimal(response.question_snapshot.get("points", response.question.points))
        points = min(max(points, Decimal("0")), maximum).quantize(Decimal("0.01"))
        old_score = attempt.score
        attempt.score = max(Decimal("0"), attempt.score + points - response.points_awarded)
        response.points_awarded = points
        response.fraction = (points / maximum).quantize(Decimal("0.0001")) if maximum else Decimal("0")
        response.is_correct = response.fraction == 1
        response.grading_note = f"Mark set by your teacher: {comment}"[:300]
        response.marked_by_hand = True
        response.save(update_fields=["points_awarded", "fraction", "is_correct", "grading_note", "marked_by_hand"])
        Attempt.objects.filter(pk=attempt.pk).update(score=attempt.score)
        if attempt.finished_at is not None:
            # A changed final score travels on like a regrade's (the LMS grade book, for one).
            transaction.on_commit(functools.partial(attempt_graded.send, sender=Attempt, attempt=attempt))
        return RegradeLog.objects.create(
            attempt=attempt,
            question_id=response.question_id,
            old_score=old_score,
            new_score=attempt.score,
            regraded_by=by,
            regraded_at=now,
            reason=f"Mark set by hand: {comment}"[:300],
        )


def quiz_duplicate(*, quiz: Quiz, owner) -> Quiz:
    """An unpublished copy of ``quiz`` owned by ``owner``, with the same questions in the same order.

    The questions are shared, not copied: using a question is open to every teacher; the copy's
    settings, dates and question list are the new owner's to change.
    """
    base = f"{quiz.slug[:90]}-copy"
    taken = set(Quiz.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    with transaction.atomic():
        copy = Quiz.objects.get(pk=quiz.pk)
        copy.pk = None
        copy.slug = slug
        copy.title = f"{quiz.title} (copy)"[: Quiz._meta.get_field("title").max_length]
        copy.is_published = False
        copy.owner = owner
        copy._state.adding = True
        copy.save(force_insert=True)
        QuizQuestion.objects.bulk_create(
            QuizQuestion(quiz=copy, question_id=link.question_id, position=link.position)
            for link in quiz.quiz_questions.all()
        )
    return copy

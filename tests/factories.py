from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from content.models import Passage, Source
from quiz.models import Attempt, Choice, Classroom, Question, QuestionKind, Quiz, QuizQuestion, Response

PASSAGE_TEXT = (
    "Russian imports of GPUs essential for training AI models have plummeted by 84 percent compared to pre war levels."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"student{n}")
    password = factory.django.Password("correct-horse-battery")


class TeacherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher{n}")
    is_staff = True

    @factory.post_generation
    def teachers_group(self, create, extracted, **kwargs):
        if create:
            from accounts.roles import make_teacher

            make_teacher(self)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source {n}")
    text = PASSAGE_TEXT


class PassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passage

    source = factory.SubFactory(SourceFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = "paragraph"
    text = PASSAGE_TEXT


class QuestionFactory(factory.django.DjangoModelFactory):
    """A single-choice question; use the traits for the other kinds."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"question-{n}")
    kind = QuestionKind.SINGLE
    prompt = "By how much did Russian GPU imports fall?"
    explanation = "Sanctions cut the direct supply of GPUs."
    passage = factory.SubFactory(PassageFactory)
    quote = "plummeted by 84 percent"
    is_published = True

    class Params:
        numeric = factory.Trait(kind=QuestionKind.NUMERIC, numeric_answer=Decimal("84"), numeric_unit="percent")
        short_text = factory.Trait(
            kind=QuestionKind.SHORT_TEXT, prompt="Which hardware's imports fell?", accepted_answers=["GPUs", "GPU"]
        )

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        """Pass choices=[("text", is_correct), ...]; choice kinds get a default set."""
        if not create or not self.has_choices:
            return
        if extracted is None:
            if self.kind == QuestionKind.TRUE_FALSE:
                extracted = [("True", True), ("False", False)]
            elif self.kind == QuestionKind.MULTIPLE:
                extracted = [("GPUs", True), ("Training hardware", True), ("Wheat", False), ("Oil", False)]
            else:
                extracted = [("84 percent", True), ("48 percent", False), ("22 percent", False), ("92 percent", False)]
        for position, (text, is_correct) in enumerate(extracted, start=1):
            Choice.objects.create(
                question=self, position=position, text=text, is_correct=is_correct, feedback=f"Feedback on {text}."
            )


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"quiz-{n}")
    title = factory.Sequence(lambda n: f"Quiz {n}")
    is_published = True
    shuffle_questions = False
    shuffle_choices = False

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        """Pass questions=[q1, q2] or questions=3 for that many new single-choice questions."""
        if not create or extracted is None:
            return
        if isinstance(extracted, int):
            extracted = QuestionFactory.create_batch(extracted)
        for position, question in enumerate(extracted, start=1):
            QuizQuestion.objects.create(quiz=self, question=question, position=position)


class AttemptFactory(factory.django.DjangoModelFactory):
    """An attempt started through the real service, so its order snapshot is right."""

    class Meta:
        model = Attempt

    @classmethod
    def _create(cls, model_class, quiz=None, student=None, **kwargs):
        from quiz.services import attempt_start

        attempt = attempt_start(quiz=quiz or QuizFactory(questions=3), student=student or UserFactory())
        if kwargs:
            Attempt.objects.filter(pk=attempt.pk).update(**kwargs)
            attempt.refresh_from_db()
        return attempt


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom

    name = factory.Sequence(lambda n: f"Class {n}")
    teacher = factory.SubFactory(TeacherFactory)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response


def sit_quiz(quiz, student, marks, *, started_at=None, seconds_each=30, finish=False):
    """Take ``quiz`` as ``student`` through the real services and return the attempt.

    ``marks[i]`` says whether the i-th question (in the attempt's order) gets its
    right answer (True), a wrong one (False) or is skipped (None). Answers come
    ``seconds_each`` apart from ``started_at``; ``finish`` submits a partial attempt.
    """
    from datetime import timedelta

    from django.utils import timezone

    from quiz.models import Question, SubmittedAnswer
    from quiz.services import attempt_finish, attempt_start, response_record

    started_at = started_at or timezone.now() - timedelta(hours=1)
    attempt = attempt_start(quiz=quiz, student=student, now=started_at)
    moment = started_at
    for question_id, right in zip(attempt.question_ids, marks, strict=False):
        if right is None:
            continue
        question = Question.objects.select_related("passage__source").get(pk=question_id)
        choices = attempt.shown_choices(question_id, question.choices.all())
        if question.has_choices:
            pool = [c.pk for c in choices if c.is_correct == bool(right)]
            answer = SubmittedAnswer(choice_ids=frozenset(pool if right and question.kind == "multiple" else pool[:1]))
        elif question.kind == "numeric":
            answer = SubmittedAnswer(text=str(question.numeric_answer if right else question.numeric_answer + 1000))
        else:
            answer = SubmittedAnswer(text=question.accepted_answers[0] if right else "something else")
        moment += timedelta(seconds=seconds_each)
        response_record(attempt=attempt, question=question, choices=choices, answer=answer, now=moment)
    if finish and not attempt.is_finished:
        attempt_finish(attempt=attempt, now=moment + timedelta(seconds=1))
    attempt.refresh_from_db()
    return attempt

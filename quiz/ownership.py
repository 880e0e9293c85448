"""Who may change a quiz, a question or a source: the one rule the admin, the importer and every view apply.

- A superuser may change anything.
- Otherwise only the owner may change their own quiz (``Quiz.owner``), question
  (``Question.author``) or source (``Source.owner``), and only while no class of another
  teacher uses it: what a class sees (a quiz's dates and settings, a question's key, the
  text students read) is never changed by a teacher outside that class.
- Content with no owner (the quizzes, questions and sources the site ships) is changed by
  superusers only.

Everyone who authors may still *use* the rest: read it, assign a shared quiz to their own
class, put a shared question in their own quiz, or duplicate it and change the copy,
which is theirs.
"""

from django.db.models import Model, QuerySet

from content.models import Source
from quiz.models import Assignment, Question, Quiz, QuizQuestion

WHY_NOT = (
    "You can use and duplicate this {what}, but not change it: {reason}. "
    "Duplicate it to adapt it (the copy is yours), or ask an administrator."
)


def _quiz_ids_in_other_classes(user) -> QuerySet:
    return Assignment.objects.exclude(classroom__teacher=user).values("quiz_id")


def _question_ids_in_other_classes(user) -> QuerySet:
    return QuizQuestion.objects.filter(quiz_id__in=_quiz_ids_in_other_classes(user)).values("question_id")


def quizzes_changeable_by(user, quizzes: QuerySet | None = None) -> QuerySet:
    quizzes = Quiz.objects.all() if quizzes is None else quizzes
    if user.is_superuser:
        return quizzes
    return quizzes.filter(owner=user).exclude(pk__in=_quiz_ids_in_other_classes(user))


def questions_changeable_by(user, questions: QuerySet | None = None) -> QuerySet:
    questions = Question.objects.all() if questions is None else questions
    if user.is_superuser:
        return questions
    return questions.filter(author=user).exclude(pk__in=_question_ids_in_other_classes(user))


def sources_changeable_by(user, sources: QuerySet | None = None) -> QuerySet:
    sources = Source.objects.all() if sources is None else sources
    if user.is_superuser:
        return sources
    cited_in_other_classes = Question.objects.filter(pk__in=_question_ids_in_other_classes(user)).values(
        "passage__source_id"
    )
    return sources.filter(owner=user).exclude(pk__in=cited_in_other_classes)


_CHANGEABLE = {Quiz: quizzes_changeable_by, Question: questions_changeable_by, Source: sources_changeable_by}
_OWNER_FIELD = {Quiz: "owner_id", Question: "author_id", Source: "owner_id"}


def may_change(user, obj: Model) -> bool:
    """Whether ``user`` may change this quiz, question or source (one query, none for a superuser)."""
    if user.is_superuser:
        return True
    model = type(obj)
    if obj.pk is None:
        return True
    if getattr(obj, _OWNER_FIELD[model]) != user.pk:
        return False
    return _CHANGEABLE[model](user, model._default_manager.filter(pk=obj.pk)).exists()


def reason_not(user, obj: Model) -> str:
    """Why ``user`` may only use ``obj``: shipped, someone else's, or in another teacher's class."""
    owner_id = getattr(obj, _OWNER_FIELD[type(obj)])
    if owner_id is None:
        return "it ships with the site"
    if owner_id != user.pk:
        return "it belongs to another teacher"
    return "a class of another teacher uses it"


def why_not(user, obj: Model) -> str:
    """The sentence that tells a teacher why they may only use ``obj``, and what to do instead."""
    return WHY_NOT.format(what=type(obj)._meta.verbose_name, reason=reason_not(user, obj))

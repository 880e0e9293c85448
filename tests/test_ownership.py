"""Who may change what: owners change their own quizzes, questions and sources; others use and duplicate them.

Tess teaches Alice; Olga teaches Carl. What a class sees is never changed by a teacher outside it,
and shipped content (no owner) is changed by superusers only.
"""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from content.models import Source
from quiz.models import Assignment, Choice, Question, Quiz, RegradeLog
from quiz.services import attempt_start
from tests.conftest import logged_in_client
from tests.factories import ClassroomFactory, QuestionFactory, QuizFactory, TeacherFactory, UserFactory
from tests.test_admin_authoring import question_form
from tests.test_regrade import answer, fix_key

pytestmark = pytest.mark.django_db


def quiz_form(quiz: Quiz, **changes) -> dict:
    """The POST the quiz's change form sends, with ``changes``; its question list is left as it is."""
    data = {
        "title": quiz.title,
        "slug": quiz.slug,
        "description": quiz.description,
        "shuffle_questions": "on" if quiz.shuffle_questions else "",
        "shuffle_choices": "on" if quiz.shuffle_choices else "",
        "feedback_mode": quiz.feedback_mode,
        "time_limit_minutes": quiz.time_limit_minutes or "",
        "attempts_allowed": quiz.attempts_allowed or "",
        "pass_mark": quiz.pass_mark,
        "grading_method": quiz.grading_method,
        "is_published": "on" if quiz.is_published else "",
        "opens_at_0": "",
        "opens_at_1": "",
        "closes_at_0": "",
        "closes_at_1": "",
        "review_score": getattr(quiz, "review_score", ""),
        "review_answers": getattr(quiz, "review_answers", ""),
        "review_key": getattr(quiz, "review_key", ""),
        "review_feedback": getattr(quiz, "review_feedback", ""),
        "quiz_questions-TOTAL_FORMS": "0",
        "quiz_questions-INITIAL_FORMS": "0",
        "quiz_questions-MIN_NUM_FORMS": "0",
        "quiz_questions-MAX_NUM_FORMS": "1000",
    }
    return {key: value for key, value in (data | changes).items() if value != ""}


def source_form(source: Source, **changes) -> dict:
    """The POST the source's change form sends, with ``changes``; its passages are left as they are."""
    data = {
        "title": source.title,
        "slug": source.slug,
        "text": source.text,
        "passages-TOTAL_FORMS": "0",
        "passages-INITIAL_FORMS": "0",
        "passages-MIN_NUM_FORMS": "0",
        "passages-MAX_NUM_FORMS": "1000",
    }
    return data | changes


@pytest.fixture
def school(superuser):
    tess, olga = TeacherFactory(username="tess"), TeacherFactory(username="olga")
    alice, carl = UserFactory(username="alice"), UserFactory(username="carl")
    tess_class = ClassroomFactory(teacher=tess)
    tess_class.students.add(alice)
    olga_class = ClassroomFactory(teacher=olga)
    olga_class.students.add(carl)
    tess_question = QuestionFactory(author=tess)
    tess_quiz = QuizFactory(owner=tess, questions=[tess_question])
    olga_quiz = QuizFactory(owner=olga, questions=1)
    # Olga's quiz is assigned to Tess's class (what Tess's students see); Tess's own quiz too.
    Assignment.objects.create(classroom=tess_class, quiz=olga_quiz)
    Assignment.objects.create(classroom=tess_class, quiz=tess_quiz)
    return {
        "tess": tess,
        "olga": olga,
        "root": superuser,
        "alice": alice,
        "carl": carl,
        "tess_quiz": tess_quiz,
        "olga_quiz": olga_quiz,
        "tess_question": tess_question,
    }


def closing_yesterday(quiz: Quiz) -> dict:
    yesterday = timezone.localtime() - timedelta(days=1)
    return quiz_form(quiz, closes_at_0=yesterday.strftime("%Y-%m-%d"), closes_at_1="08:00:00")


@pytest.mark.parametrize(
    "teacher",
    [
        "olga",  # its owner, but it is assigned to Tess's class: she would shut that class out
        "tess",  # her class takes it, but it is not hers
    ],
)
def test_a_quiz_a_class_of_another_teacher_takes_cannot_be_closed_on_it(school, teacher):
    olga_quiz = school["olga_quiz"]
    client = logged_in_client(school[teacher])

    reply = client.post(reverse("admin:quiz_quiz_change", args=[olga_quiz.pk]), closing_yesterday(olga_quiz))

    assert reply.status_code == 403
    olga_quiz.refresh_from_db()
    assert olga_quiz.closes_at is None


def test_the_owner_changes_a_quiz_only_their_own_classes_use(school):
    tess_quiz = school["tess_quiz"]
    client = logged_in_client(school["tess"])

    reply = client.post(reverse("admin:quiz_quiz_change", args=[tess_quiz.pk]), closing_yesterday(tess_quiz))

    assert reply.status_code == 302, reply.content.decode()[:2000]
    tess_quiz.refresh_from_db()
    assert tess_quiz.closes_at is not None


def test_a_superuser_changes_any_quiz(school):
    olga_quiz = school["olga_quiz"]
    client = logged_in_client(school["root"])

    reply = client.post(reverse("admin:quiz_quiz_change", args=[olga_quiz.pk]), closing_yesterday(olga_quiz))

    assert reply.status_code == 302


def test_another_teacher_sees_a_shared_quiz_read_only_with_the_reason(school):
    client = logged_in_client(school["tess"])

    page = client.get(reverse("admin:quiz_quiz_change", args=[school["olga_quiz"].pk])).content.decode()

    assert "belongs to another teacher" in page
    assert 'name="closes_at_0"' not in page


def test_a_teacher_cannot_rewrite_the_key_of_another_teachers_question(school):
    question = school["tess_question"]
    client = logged_in_client(school["olga"])
    choices = list(question.choices.order_by("position"))
    data = question_form(question.passage, initial_choices=choices, key=question.key)
    data["choices-1-is_correct"] = "on"  # the wrong answer, marked right

    reply = client.post(reverse("admin:quiz_question_change", args=[question.pk]), data)

    assert reply.status_code == 403
    assert [c.is_correct for c in question.choices.order_by("position")] == [True, False, False, False]


def test_shipped_questions_are_changed_by_superusers_only(school):
    shipped = QuestionFactory(author=None)
    data = question_form(shipped.passage, initial_choices=list(shipped.choices.order_by("position")), key=shipped.key)
    data["prompt"] = "Changed"
    url = reverse("admin:quiz_question_change", args=[shipped.pk])

    assert logged_in_client(school["tess"]).post(url, data).status_code == 403
    assert logged_in_client(school["root"]).post(url, data).status_code == 302
    shipped.refresh_from_db()
    assert shipped.prompt == "Changed"


def test_a_teacher_cannot_change_a_source_they_do_not_own(school):
    source = Source.objects.get(pk=school["tess_question"].passage.source_id)
    Source.objects.filter(pk=source.pk).update(owner=school["tess"])
    data = source_form(source, title="Renamed")
    url = reverse("admin:content_source_change", args=[source.pk])

    assert logged_in_client(school["olga"]).post(url, data).status_code == 403
    assert logged_in_client(school["tess"]).post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.title == "Renamed"


def test_actions_change_only_what_the_teacher_may_change(school):
    mine, shipped = school["tess_question"], QuestionFactory(author=None)
    client = logged_in_client(school["tess"])

    client.post(
        reverse("admin:quiz_question_changelist"),
        {"action": "unpublish", "_selected_action": [mine.pk, shipped.pk]},
    )

    assert Question.objects.get(pk=mine.pk).is_published is False
    assert Question.objects.get(pk=shipped.pk).is_published is True


def test_deleting_another_teachers_question_from_the_list_is_refused(school):
    client = logged_in_client(school["olga"])
    question = school["tess_question"]

    client.post(
        reverse("admin:quiz_question_changelist"),
        {"action": "delete_selected", "_selected_action": [question.pk], "post": "yes"},
    )

    assert Question.objects.filter(pk=question.pk).exists()


def test_adding_questions_to_a_quiz_offers_only_the_teachers_own_quizzes(school):
    client = logged_in_client(school["tess"])

    reply = client.post(
        reverse("admin:quiz_question_changelist"),
        {
            "action": "add_to_quiz",
            "_selected_action": [school["tess_question"].pk],
            "apply": "1",
            "quiz": school["olga_quiz"].pk,
        },
    )

    assert reply.status_code == 200
    assert school["olga_quiz"].quiz_questions.count() == 1


def test_duplicating_a_shared_quiz_gives_the_duplicator_an_unpublished_copy_of_their_own(school):
    olga_quiz = school["olga_quiz"]
    client = logged_in_client(school["tess"])

    client.post(reverse("admin:quiz_quiz_changelist"), {"action": "duplicate", "_selected_action": [olga_quiz.pk]})

    copy = Quiz.objects.exclude(pk__in=[olga_quiz.pk, school["tess_quiz"].pk]).get()
    assert copy.owner == school["tess"]
    assert copy.is_published is False
    assert list(copy.questions.all()) == list(olga_quiz.questions.all())
    reply = client.post(reverse("admin:quiz_quiz_change", args=[copy.pk]), closing_yesterday(copy))
    assert reply.status_code == 302


def test_creating_a_quiz_or_a_source_in_the_admin_makes_the_creator_its_owner(school):
    client = logged_in_client(school["tess"])
    quiz = Quiz(title="Mine", slug="mine")
    client.post(reverse("admin:quiz_quiz_add"), quiz_form(quiz))
    client.post(
        reverse("admin:content_source_add"),
        {"title": "My notes", "slug": "my-notes", "text": "A paragraph of my own notes."},
    )

    assert Quiz.objects.get(slug="mine").owner == school["tess"]
    assert Source.objects.get(slug="my-notes").owner == school["tess"]


def test_an_import_cannot_change_another_teachers_question(school):
    question = school["tess_question"]
    bank = {
        "version": 1,
        "questions": [
            {
                "key": question.key,
                "kind": "single",
                "prompt": "Rewritten",
                "explanation": question.explanation,
                "source": question.passage.source.slug,
                "passage": question.passage.position,
                "quote": question.quote,
                "choices": [{"text": "84 percent", "correct": False}, {"text": "48 percent", "correct": True}],
            }
        ],
    }
    upload = SimpleUploadedFile("bank.json", json.dumps(bank, indent=1).encode())

    reply = logged_in_client(school["olga"]).post(
        reverse("admin:quiz_question_import"), {"bank": upload, "format": "json"}
    )

    assert reply.status_code == 400
    assert "not yours to change" in reply.content.decode()
    question.refresh_from_db()
    assert question.prompt != "Rewritten"


def test_an_import_cannot_change_another_teachers_quiz(school):
    olga_quiz = school["olga_quiz"]
    key = olga_quiz.questions.get().key
    bank = {"version": 1, "quizzes": [{"slug": olga_quiz.slug, "title": "Taken over", "questions": [key]}]}
    upload = SimpleUploadedFile("bank.json", json.dumps(bank, indent=1).encode())

    reply = logged_in_client(school["tess"]).post(
        reverse("admin:quiz_question_import"), {"bank": upload, "format": "json"}
    )

    assert reply.status_code == 400
    olga_quiz.refresh_from_db()
    assert olga_quiz.title != "Taken over"


@pytest.fixture
def shared_wrong_key(school):
    """A shipped question with a wrong key, answered by Tess's Alice and Olga's Carl."""
    flawed = QuestionFactory(author=None, choices=[("84 percent", False), ("48 percent", True)])
    quiz = QuizFactory(questions=[flawed])
    for name in ("alice", "carl"):
        attempt = attempt_start(quiz=quiz, student=school[name])
        answer(attempt, flawed, picks=[0])
    fix_key(flawed)
    return flawed


def test_a_regrade_preview_shows_only_the_teachers_own_students(school, shared_wrong_key):
    client = logged_in_client(school["olga"])

    page = client.get(reverse("admin:quiz_question_regrade") + f"?ids={shared_wrong_key.pk}").content.decode()

    assert "carl" in page
    assert "alice" not in page


def test_a_regrade_changes_only_the_teachers_own_students(school, shared_wrong_key):
    client = logged_in_client(school["olga"])

    client.post(reverse("admin:quiz_question_regrade"), {"ids": shared_wrong_key.pk, "confirm": "yes"})

    assert [log.attempt.student.username for log in RegradeLog.objects.all()] == ["carl"]


def test_a_superuser_regrades_everyone(school, shared_wrong_key):
    client = logged_in_client(school["root"])

    client.post(reverse("admin:quiz_question_regrade"), {"ids": shared_wrong_key.pk, "confirm": "yes"})

    assert sorted(log.attempt.student.username for log in RegradeLog.objects.all()) == ["alice", "carl"]


def test_the_save_message_counts_only_the_teachers_own_students(school):
    question = school["tess_question"]
    Choice.objects.filter(question=question).update(is_correct=False)
    Choice.objects.filter(question=question, position=2).update(is_correct=True)
    for name in ("alice", "carl"):
        answer(attempt_start(quiz=school["tess_quiz"], student=school[name]), question, picks=[0])
    choices = list(question.choices.order_by("position"))
    data = question_form(question.passage, initial_choices=choices, key=question.key)
    data.pop("choices-1-is_correct")
    data["choices-0-is_correct"] = "on"

    reply = logged_in_client(school["tess"]).post(
        reverse("admin:quiz_question_change", args=[question.pk]), data, follow=True
    )

    assert "1 attempt(s) would score differently" in reply.content.decode()

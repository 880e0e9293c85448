"""Who reaches which authoring page: anonymous, student, teacher, superuser."""

import html
import importlib
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.roles import is_teacher, make_teacher, teacher_permission_names, teachers_group
from tests.conftest import MODEL_BACKEND
from tests.factories import ClassroomFactory, QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    question = QuestionFactory()
    quiz = QuizFactory(questions=[question])
    return {"question": question, "quiz": quiz, "passage": question.passage, "source": question.passage.source}


def authoring_pages(bank) -> list[str]:
    question, quiz, passage, source = bank["question"], bank["quiz"], bank["passage"], bank["source"]
    return [
        reverse("admin:index"),
        reverse("admin:quiz_question_changelist"),
        reverse("admin:quiz_question_add"),
        reverse("admin:quiz_question_change", args=[question.pk]),
        reverse("admin:quiz_question_preview", args=[question.pk]),
        reverse("admin:quiz_question_citations"),
        reverse("admin:quiz_question_regrade") + f"?ids={question.pk}",
        reverse("admin:quiz_question_import"),
        reverse("admin:quiz_question_export") + "?format=gift",
        reverse("admin:quiz_quiz_changelist"),
        reverse("admin:quiz_quiz_change", args=[quiz.pk]),
        reverse("admin:content_source_changelist"),
        reverse("admin:content_source_add"),
        reverse("admin:content_source_change", args=[source.pk]),
        reverse("admin:content_passage_change", args=[passage.pk]),
        reverse("admin:quiz_classroom_changelist"),
        reverse("admin:quiz_attempt_changelist"),
        reverse("admin:quiz_response_changelist"),
        reverse("admin:quiz_regradelog_changelist"),
    ]


def user_pages(user) -> list[str]:
    return [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[user.pk]),
        reverse("admin:auth_user_password_change", args=[user.pk]),
        reverse("admin:auth_group_changelist"),
    ]


def test_teachers_group_has_exactly_the_authoring_permissions():
    # The data migration's frozen list is checked directly: a browser test's flush (live_server
    # empties the tables after each test) may have removed the group it made before this runs.
    frozen = set(importlib.import_module("quiz.migrations.0002_teachers_group").TEACHER_PERMISSIONS)
    assert frozen == teacher_permission_names()
    group = teachers_group()
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert granted == teacher_permission_names()
    assert not {name for name in granted if name.startswith("auth.")}
    assert "quiz.change_response" not in granted and "quiz.change_attempt" not in granted


def test_anonymous_is_sent_to_the_admin_login_from_every_page(client, bank, student):
    for url in authoring_pages(bank) + user_pages(student):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_student_never_reaches_the_admin(client, bank, student):
    client.force_login(student, backend=MODEL_BACKEND)
    for url in authoring_pages(bank) + user_pages(student):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_student_is_not_let_in_by_an_htmx_request_either(client, bank, student):
    client.force_login(student, backend=MODEL_BACKEND)
    url = reverse("admin:quiz_question_preview", args=[bank["question"].pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 302


def test_teacher_opens_every_authoring_page(teacher_client, bank):
    for url in authoring_pages(bank):
        assert teacher_client.get(url).status_code == 200, url


def test_teacher_cannot_see_or_edit_users_passwords_or_groups(teacher_client, bank, student, superuser):
    for user in (student, superuser):
        for url in user_pages(user):
            assert teacher_client.get(url).status_code == 403, url
    response = teacher_client.post(
        reverse("admin:auth_user_password_change", args=[student.pk]),
        {"password1": "a-new-password-123", "password2": "a-new-password-123"},
    )
    assert response.status_code == 403
    student.refresh_from_db()
    assert student.check_password("correct-horse-battery")


def test_teacher_can_read_but_not_change_students_responses(teacher_client, teacher, student):
    from quiz.models import Response, SubmittedAnswer
    from quiz.services import attempt_start, response_record

    ClassroomFactory(teacher=teacher).students.add(student)
    quiz = QuizFactory(questions=1)
    attempt = attempt_start(quiz=quiz, student=student)
    question = quiz.questions.get()
    choices = list(question.choices.order_by("position"))
    answer, _ = response_record(
        attempt=attempt,
        question=question,
        choices=choices,
        answer=SubmittedAnswer(choice_ids=frozenset({choices[1].pk})),
    )
    url = reverse("admin:quiz_response_change", args=[answer.pk])
    page = teacher_client.get(url)
    assert page.status_code == 200
    assert b'name="points_awarded"' not in page.content
    assert teacher_client.post(url, {"points_awarded": "1", "is_correct": "on"}).status_code == 403
    assert (
        teacher_client.post(reverse("admin:quiz_response_delete", args=[answer.pk]), {"post": "yes"}).status_code == 403
    )
    answer.refresh_from_db()
    assert answer.points_awarded == 0 and Response.objects.count() == 1


def test_superuser_opens_every_page(superuser_client, bank, student):
    for url in authoring_pages(bank) + user_pages(student):
        assert superuser_client.get(url).status_code == 200, url


def test_staff_outside_the_teachers_group_cannot_author(client, bank):
    staff = UserFactory(username="clerk", is_staff=True)
    client.force_login(staff, backend=MODEL_BACKEND)
    assert client.get(reverse("admin:quiz_question_changelist")).status_code == 403
    assert client.get(reverse("admin:quiz_question_preview", args=[bank["question"].pk])).status_code == 403
    assert client.get(reverse("admin:quiz_question_import")).status_code == 403


def test_make_teacher_command_makes_a_staff_member_of_the_teachers_group(student):
    call_command("make_teacher", student.username, stdout=io.StringIO())
    student.refresh_from_db()
    assert student.is_staff and is_teacher(student)
    call_command("make_teacher", student.username, "--remove", stdout=io.StringIO())
    student.refresh_from_db()
    assert not student.is_staff and not is_teacher(student)


def test_make_teacher_command_names_an_unknown_user():
    with pytest.raises(CommandError, match="No user is called 'ghost'"):
        call_command("make_teacher", "ghost")


def test_superuser_makes_a_teacher_with_the_user_admin_action(superuser_client, student):
    response = superuser_client.post(
        reverse("admin:auth_user_changelist"), {"action": "grant_teacher", "_selected_action": [student.pk]}
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert is_teacher(student)


def test_teacher_made_by_the_role_reaches_the_question_list(client, student):
    make_teacher(student)
    client.force_login(student, backend=MODEL_BACKEND)
    assert client.get(reverse("admin:quiz_question_changelist")).status_code == 200


def test_teacher_sees_only_their_own_classes_and_their_students_attempts_in_the_admin(teacher_client, teacher, student):
    from quiz.services import attempt_start

    mine = ClassroomFactory(teacher=teacher, name="Mine")
    mine.students.add(student)
    theirs = ClassroomFactory(name="Theirs")
    stranger = UserFactory(username="stranger")
    theirs.students.add(stranger)
    quiz = QuizFactory(questions=1)
    my_students_attempt = attempt_start(quiz=quiz, student=student)
    strangers_attempt = attempt_start(quiz=quiz, student=stranger)

    classes = teacher_client.get(reverse("admin:quiz_classroom_changelist")).content.decode()
    assert "Mine" in classes and "Theirs" not in classes
    assert teacher_client.get(reverse("admin:quiz_classroom_change", args=[theirs.pk])).status_code == 302
    assert teacher_client.get(reverse("admin:quiz_attempt_change", args=[my_students_attempt.pk])).status_code == 200
    assert teacher_client.get(reverse("admin:quiz_attempt_change", args=[strangers_attempt.pk])).status_code == 302
    attempts = teacher_client.get(reverse("admin:quiz_attempt_changelist")).content.decode()
    assert "stranger" not in attempts


def test_a_class_a_teacher_adds_in_the_admin_is_theirs(teacher_client, teacher):
    from quiz.models import Classroom

    response = teacher_client.post(
        reverse("admin:quiz_classroom_add"),
        {"name": "Year 11 politics", "assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    classroom = Classroom.objects.get(name="Year 11 politics")
    assert classroom.teacher == teacher and classroom.join_code


def links_on(page) -> list[str]:
    hrefs = re.findall(r'<a [^>]*href="(/[^"#]*)"', page.content.decode())
    return sorted({html.unescape(href) for href in hrefs if "logout" not in href})


def test_every_link_on_a_students_records_opens_for_their_teacher(teacher_client, teacher, student):
    # The records' pages once linked to the student's own quiz page ("View on site", a 404 for
    # anyone but the student) and to the user admin (a 403 for a teacher).
    from quiz.models import SubmittedAnswer
    from quiz.services import attempt_start, response_record

    ClassroomFactory(teacher=teacher).students.add(student)
    quiz = QuizFactory(questions=1)
    attempt = attempt_start(quiz=quiz, student=student)
    question = quiz.questions.get()
    choice = question.choices.order_by("position").first()
    answer, _ = response_record(
        attempt=attempt, question=question, choices=[choice], answer=SubmittedAnswer(choice_ids=frozenset({choice.pk}))
    )
    for record_page in (
        reverse("admin:quiz_attempt_change", args=[attempt.pk]),
        reverse("admin:quiz_response_change", args=[answer.pk]),
    ):
        page = teacher_client.get(record_page)
        assert page.status_code == 200
        assert student.username in page.content.decode()
        for link in links_on(page):
            assert teacher_client.get(link, follow=True).status_code == 200, f"{link} on {record_page}"

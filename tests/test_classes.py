"""Classes: creating one, joining with its code, assigning quizzes to it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.models import Assignment, Attempt, Classroom
from tests.conftest import HTMX, logged_in_client
from tests.factories import ClassroomFactory, QuizFactory, TeacherFactory, sit_quiz


@pytest.fixture
def classroom(teacher):
    return ClassroomFactory(teacher=teacher, name="Room 4 Media Studies", join_code="K7QM2XPA")


# Joining -------------------------------------------------------------------------------


def test_a_student_joins_with_the_code_and_lands_home(student, classroom):
    client = logged_in_client(student)
    response = client.post(reverse("join_class"), {"join_code": "  k7qm-2xpa "})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert classroom.students.filter(pk=student.pk).exists()
    home = client.get(reverse("home")).content.decode()
    assert "You joined “Room 4 Media Studies”" in home
    assert "Room 4 Media Studies" in home


def test_joining_with_htmx_swaps_in_my_classes(student, classroom):
    quiz = QuizFactory(questions=1, title="Chips quiz")
    Assignment.objects.create(classroom=classroom, quiz=quiz, due_at=timezone.now() + timedelta(days=2))
    response = logged_in_client(student).post(reverse("join_class"), {"join_code": "K7QM2XPA"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="my-classes"')
    assert "Chips quiz" in page and "— due" in page
    assert "You joined" in page


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_an_unknown_code_gets_a_422_with_a_sentence(student, classroom, headers):
    # 422, not 404: django-htmx's debug script replaces the whole page on a 404.
    response = logged_in_client(student).post(reverse("join_class"), {"join_code": "NOPE2345"}, **headers)
    assert response.status_code == 422
    assert "No class has this code" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not classroom.students.exists()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_an_empty_code_gets_a_422(student, headers):
    response = logged_in_client(student).post(reverse("join_class"), {"join_code": " - "}, **headers)
    assert response.status_code == 422
    assert "Type the class code" in response.content.decode()


def test_joining_twice_changes_nothing(student, classroom):
    client = logged_in_client(student)
    client.post(reverse("join_class"), {"join_code": "K7QM2XPA"})
    response = client.post(reverse("join_class"), {"join_code": "K7QM2XPA"}, follow=True)
    assert "already in" in response.content.decode()
    assert classroom.students.count() == 1


def test_a_teacher_cannot_join_their_own_class(teacher_client, classroom):
    response = teacher_client.post(reverse("join_class"), {"join_code": "K7QM2XPA"})
    assert response.status_code == 422
    assert "You teach this class" in response.content.decode()


def test_anonymous_visitors_log_in_before_joining(client, classroom):
    response = client.post(reverse("join_class"), {"join_code": "K7QM2XPA"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("join_class")).status_code == 302


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_the_join_page_works_without_javascript(student, headers):
    response = logged_in_client(student).get(reverse("join_class"), **headers)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'action="{reverse("join_class")}"' in page and "csrfmiddlewaretoken" in page
    assert (b"<html" in response.content) == (not headers)


def test_home_lists_only_my_classes(student, other_student, classroom):
    mine, theirs = classroom, ClassroomFactory(name="Someone else's class")
    mine.students.add(student)
    theirs.students.add(other_student)
    page = logged_in_client(student).get(reverse("home")).content.decode()
    assert "Room 4 Media Studies" in page
    assert "Someone else's class" not in page
    assert 'name="join_code"' in page


# Creating a class ----------------------------------------------------------------------


def test_a_teacher_creates_a_class_and_gets_a_join_code(teacher, teacher_client):
    response = teacher_client.post(reverse("classroom_create"), {"name": "  Year 10   History "})
    classroom = Classroom.objects.get(teacher=teacher)
    assert classroom.name == "Year 10 History"
    assert len(classroom.join_code) == 8 and not set(classroom.join_code) & set("01OIL")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('teach_dashboard')}?classroom={classroom.pk}"
    dashboard = teacher_client.get(response["Location"]).content.decode()
    assert classroom.join_code in dashboard


def test_creating_a_class_with_htmx_redirects_the_page(teacher, teacher_client):
    response = teacher_client.post(reverse("classroom_create"), {"name": "Year 9"}, **HTMX)
    classroom = Classroom.objects.get(teacher=teacher)
    assert response["HX-Redirect"] == f"{reverse('teach_dashboard')}?classroom={classroom.pk}"


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_a_class_needs_a_new_name(teacher_client, classroom, headers):
    response = teacher_client.post(reverse("classroom_create"), {"name": "   "}, **headers)
    assert response.status_code == 422
    assert "This field is required" in response.content.decode() or "Give the class a name" in response.content.decode()
    response = teacher_client.post(reverse("classroom_create"), {"name": "room 4 media studies"}, **headers)
    assert response.status_code == 422
    assert "already have a class with this name" in response.content.decode()
    assert Classroom.objects.count() == 1


def test_a_teacher_with_no_class_is_offered_the_form(teacher_client):
    page = teacher_client.get(reverse("teach_dashboard")).content.decode()
    assert "No classes yet" in page
    assert f'action="{reverse("classroom_create")}"' in page


def test_students_and_anonymous_visitors_cannot_create_classes(client, student):
    assert logged_in_client(student).post(reverse("classroom_create"), {"name": "Mine"}).status_code == 403
    response = client.post(reverse("classroom_create"), {"name": "Mine"})
    assert response.status_code == 302
    assert not Classroom.objects.exists()


# Assigning quizzes ---------------------------------------------------------------------


def test_a_teacher_assigns_a_quiz_with_a_due_date(teacher_client, classroom):
    quiz = QuizFactory(questions=1, title="Brain drain")
    response = teacher_client.post(
        reverse("assignment_save", args=[classroom.pk]), {"quiz": quiz.pk, "due_at": "2031-05-04T17:30"}
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(classroom=classroom, quiz=quiz)
    assert timezone.localtime(assignment.due_at).strftime("%Y-%m-%d %H:%M") == "2031-05-04 17:30"
    page = teacher_client.get(response["Location"]).content.decode()
    assert "Assigned “Brain drain”, due 4 May 2031 17:30." in page


def test_assigning_again_changes_the_due_date_with_htmx(teacher_client, classroom):
    quiz = QuizFactory(questions=1)
    Assignment.objects.create(classroom=classroom, quiz=quiz, due_at=timezone.now())
    response = teacher_client.post(
        reverse("assignment_save", args=[classroom.pk]), {"quiz": quiz.pk, "due_at": ""}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == f"{reverse('teach_dashboard')}?classroom={classroom.pk}"
    assert Assignment.objects.get(classroom=classroom, quiz=quiz).due_at is None
    assert "no due date" in response.content.decode()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_assigning_a_quiz_that_is_not_published_gets_a_422(teacher_client, classroom, headers):
    hidden = QuizFactory(questions=1, is_published=False)
    response = teacher_client.post(reverse("assignment_save", args=[classroom.pk]), {"quiz": hidden.pk}, **headers)
    assert response.status_code == 422
    assert "Choose one of the published quizzes" in response.content.decode()
    response = teacher_client.post(
        reverse("assignment_save", args=[classroom.pk]), {"quiz": QuizFactory().pk, "due_at": "next week"}, **headers
    )
    assert response.status_code == 422
    assert "Enter a valid date/time" in response.content.decode()
    assert not Assignment.objects.exists()


def test_another_teacher_cannot_assign_or_unassign_in_my_class(classroom):
    quiz = QuizFactory(questions=1)
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    outsider = logged_in_client(TeacherFactory(username="olga"))
    assert outsider.post(reverse("assignment_save", args=[classroom.pk]), {"quiz": quiz.pk}).status_code == 404
    assert outsider.post(reverse("assignment_remove", args=[classroom.pk, quiz.pk])).status_code == 404
    assert Assignment.objects.filter(classroom=classroom).count() == 1


def test_unassigning_keeps_the_students_attempts(teacher_client, classroom, student):
    quiz = QuizFactory(questions=2)
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    classroom.students.add(student)
    sit_quiz(quiz, student, [True, True])
    response = teacher_client.post(reverse("assignment_remove", args=[classroom.pk, quiz.pk]), **HTMX)
    assert response.status_code == 200
    assert "Attempts already made are kept" in response.content.decode()
    assert not Assignment.objects.exists()
    assert Attempt.objects.filter(student=student, quiz=quiz).count() == 1


def test_assignment_views_accept_only_post(teacher_client, classroom):
    assert teacher_client.get(reverse("assignment_save", args=[classroom.pk])).status_code == 405


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_students_and_anonymous_visitors_cannot_assign_or_unassign(client, student, classroom, headers):
    quiz = QuizFactory(questions=1)
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    classroom.students.add(student)
    as_student = logged_in_client(student)
    assert (
        as_student.post(reverse("assignment_save", args=[classroom.pk]), {"quiz": quiz.pk}, **headers).status_code
        == 403
    )
    assert as_student.post(reverse("assignment_remove", args=[classroom.pk, quiz.pk]), **headers).status_code == 403
    response = client.post(reverse("assignment_remove", args=[classroom.pk, quiz.pk]), **headers)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Assignment.objects.filter(classroom=classroom, quiz=quiz).exists()

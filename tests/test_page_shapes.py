"""Every URL that answers with a whole page or an htmx fragment keeps the two apart.

Browsers reuse their HTTP cache on Back and Forward without asking the server, and
htmx restores history it no longer holds with an ``HX-Request`` GET whose answer it
swaps into ``<body>``: without these headers and the whole page for that request,
Back showed a bare question with no header, navigation or styles.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from quiz.models import Assignment
from tests.conftest import HTMX, logged_in_client
from tests.factories import AttemptFactory, ClassroomFactory, QuizFactory, TeacherFactory, UserFactory

HISTORY_RESTORE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}


@dataclass
class World:
    student_client: object
    teacher_client: object
    urls: dict


@pytest.fixture
def world(db) -> World:
    teacher, student = TeacherFactory(username="tess"), UserFactory(username="alice")
    quiz = QuizFactory(questions=3, slug="chips")
    classroom = ClassroomFactory(teacher=teacher)
    classroom.students.add(student)
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    attempt = AttemptFactory(quiz=quiz, student=student)
    urls = {
        "attempt_question": ("student", reverse("attempt_question", args=[attempt.public_id])),
        "attempt_answer": ("student", reverse("attempt_answer", args=[attempt.public_id, 2])),
        "my_progress": ("student", reverse("my_progress")),
        "my_progress_missed_page": ("student", reverse("my_progress") + "?missed_page=1"),
        "join_class": ("student", reverse("join_class")),
        "teach_dashboard": ("teacher", reverse("teach_dashboard") + f"?classroom={classroom.pk}"),
        "teach_dashboard_bad_dates": ("teacher", reverse("teach_dashboard") + "?start=2026-03-02&end=2026-03-01"),
        "classroom_create": ("teacher", reverse("classroom_create")),
        "quiz_statistics": ("teacher", reverse("quiz_statistics", args=[quiz.slug])),
        "student_detail": ("teacher", reverse("student_detail", args=[classroom.pk, student.pk])),
        "teach_forbidden": ("student", reverse("teach_dashboard")),
    }
    return World(logged_in_client(student), logged_in_client(teacher), urls)


NAMES = [
    "attempt_question",
    "attempt_answer",
    "my_progress",
    "my_progress_missed_page",
    "join_class",
    "teach_dashboard",
    "teach_dashboard_bad_dates",
    "classroom_create",
    "quiz_statistics",
    "student_detail",
    "teach_forbidden",
]


def _get(world: World, name: str, headers: dict):
    who, url = world.urls[name]
    client = world.student_client if who == "student" else world.teacher_client
    return client.get(url, **headers)


@pytest.mark.parametrize("name", NAMES)
def test_both_shapes_vary_on_hx_request_and_a_fragment_is_never_stored(world, name):
    page, fragment = _get(world, name, {}), _get(world, name, HTMX)
    for response in (page, fragment):
        assert "HX-Request" in response["Vary"], name
    assert "<html" in page.content.decode()
    assert "<html" not in fragment.content.decode()
    assert "no-store" in fragment["Cache-Control"]
    assert "no-cache" in page["Cache-Control"] and "private" in page["Cache-Control"]


@pytest.mark.parametrize("name", NAMES)
def test_htmx_history_restore_gets_the_whole_page(world, name):
    response = _get(world, name, HISTORY_RESTORE)
    body = response.content.decode()
    assert "<html" in body and 'class="site-header"' in body, name
    assert "HX-Request" in response["Vary"]


def test_history_restore_of_a_finished_attempts_question_redirects_rather_than_empties_the_page(db):
    student = UserFactory()
    attempt = AttemptFactory(quiz=QuizFactory(questions=1), student=student)
    attempt.finished_at = attempt.started_at
    attempt.save()
    response = logged_in_client(student).get(reverse("attempt_question", args=[attempt.public_id]), **HISTORY_RESTORE)
    assert response.status_code == 302
    assert "HX-Redirect" not in response


def test_a_restored_page_shows_its_messages_once(db):
    teacher = TeacherFactory(username="tina")
    classroom = ClassroomFactory(teacher=teacher)
    quiz = QuizFactory(questions=1, title="Once only")
    client = logged_in_client(teacher)
    client.post(reverse("assignment_save", args=[classroom.pk]), {"quiz": quiz.pk})  # leaves "Assigned …"
    page = client.get(reverse("teach_dashboard") + f"?classroom={classroom.pk}", **HISTORY_RESTORE)
    assert page.content.decode().count("Assigned “Once only”") == 1

"""CSV exports: the class gradebook and the per-question statistics."""

import csv
import io

import pytest
from django.urls import reverse

from quiz.models import Assignment
from tests.conftest import HTMX, logged_in_client
from tests.factories import ClassroomFactory, QuizFactory, TeacherFactory, UserFactory, sit_quiz


def read_csv(response) -> tuple[str, list[list[str]]]:
    raw = b"".join(response.streaming_content).decode("utf-8")
    return raw, list(csv.reader(io.StringIO(raw.removeprefix("\ufeff"))))


@pytest.fixture
def gradebook_class(teacher):
    classroom = ClassroomFactory(teacher=teacher, name="Room 4")
    chips = QuizFactory(questions=2, title="Chips, Sanctions")
    drain = QuizFactory(questions=2, title="Brain drain")
    Assignment.objects.create(classroom=classroom, quiz=chips)
    Assignment.objects.create(classroom=classroom, quiz=drain)
    ana = UserFactory(username="ana", first_name="Ana", last_name="Łukasiewicz")
    ben = UserFactory(username="ben")
    mallory = UserFactory(username="mallory", first_name='=HYPERLINK("http://x")')
    classroom.students.add(ana, ben, mallory)
    sit_quiz(chips, ana, [True, False])
    sit_quiz(chips, ana, [True, True])
    sit_quiz(drain, ana, [False, False])
    sit_quiz(drain, ben, [True], finish=False)  # in progress: no score yet
    return classroom


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_gradebook_has_one_row_per_student_and_one_column_per_quiz(teacher_client, gradebook_class, headers):
    response = teacher_client.get(reverse("gradebook_csv", args=[gradebook_class.pk]), **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="gradebook-room-4.csv"'
    raw, rows = read_csv(response)
    assert raw.startswith("\ufeff") and "\r\n" in raw
    # Quizzes in the dashboard's order: by due date, then title.
    assert rows[0] == ["Username", "Name", "Brain drain (best %)", "Chips, Sanctions (best %)", "Quizzes completed"]
    assert rows[1] == ["ana", "Ana Łukasiewicz", "0.00", "100.00", "2"]
    assert rows[2] == ["ben", "ben", "", "", "0"]  # no name of their own: the username stands in
    assert rows[3][0] == "mallory"
    assert len(rows) == 4


def test_gradebook_defuses_cells_that_look_like_formulas(teacher_client, gradebook_class):
    _, rows = read_csv(teacher_client.get(reverse("gradebook_csv", args=[gradebook_class.pk])))
    assert rows[3][1].startswith("'=HYPERLINK")


def test_gradebook_is_only_for_the_classes_teacher(gradebook_class, client):
    assert (
        logged_in_client(TeacherFactory(username="olga"))
        .get(reverse("gradebook_csv", args=[gradebook_class.pk]))
        .status_code
        == 404
    )
    student = gradebook_class.students.get(username="ana")
    assert logged_in_client(student).get(reverse("gradebook_csv", args=[gradebook_class.pk])).status_code == 403
    assert client.get(reverse("gradebook_csv", args=[gradebook_class.pk])).status_code == 302


def test_gradebook_query_count_does_not_grow_with_the_class(teacher_client, gradebook_class, django_assert_num_queries):
    url = reverse("gradebook_csv", args=[gradebook_class.pk])
    # session, user, Teachers group check, the class, its assignments, the roster,
    # best score per (student, quiz)
    with django_assert_num_queries(7):
        read_csv(teacher_client.get(url))
    chips = gradebook_class.quizzes.get(title="Chips, Sanctions")
    for _ in range(12):
        student = UserFactory()
        gradebook_class.students.add(student)
        sit_quiz(chips, student, [True, False])
    with django_assert_num_queries(7):
        _, rows = read_csv(teacher_client.get(url))
    assert len(rows) == 1 + 3 + 12


def test_statistics_csv_has_one_row_per_question(teacher, teacher_client):
    classroom = ClassroomFactory(teacher=teacher, name="Room 4")
    quiz = QuizFactory(questions=2, slug="chips")
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    for marks in ([True, True], [True, False], [False, False]):
        student = UserFactory()
        classroom.students.add(student)
        sit_quiz(quiz, student, marks)
    response = teacher_client.get(reverse("quiz_statistics_csv", args=[quiz.slug]) + f"?classroom={classroom.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="statistics-chips-room-4-first.csv"'
    _, rows = read_csv(response)
    assert rows[0][:7] == ["Position", "Question key", "Kind", "Question", "Passage", "Attempts", "Facility index (%)"]
    assert len(rows) == 3
    first, second = rows[1], rows[2]
    assert first[5] == "3" and first[6] == "66.67"  # two of three right
    assert second[6] == "33.33"
    assert first[8] == "25.00"  # one right choice in four
    assert first[11] == "30.00"  # answers came 30 seconds apart
    assert rows[0][-1] == "Cognitive level" and first[-1] == "Remember"


def test_statistics_csv_rejects_bad_filters_with_a_sentence(teacher, teacher_client):
    classroom = ClassroomFactory(teacher=teacher)
    quiz = QuizFactory(questions=1, slug="chips")
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    response = teacher_client.get(reverse("quiz_statistics_csv", args=[quiz.slug]) + "?attempts=median")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()

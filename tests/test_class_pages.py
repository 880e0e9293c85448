"""Smaller things on the class, home, authoring and printed pages: a student's class status,
a past due date, the join link and QR code, drafts, pasted GIFT text, print headers, the favicon,
and the drill-down that folds right answers."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from quiz.models import Assignment, Question
from tests.conftest import HTMX, logged_in_client
from tests.factories import ClassroomFactory, PassageFactory, QuizFactory, TeacherFactory, UserFactory, sit_quiz


@pytest.fixture
def classroom(teacher):
    return ClassroomFactory(teacher=teacher, name="Room 4", join_code="K7QM2XPA")


def test_my_classes_say_done_late_overdue_or_in_progress(student, student_client, classroom):
    now = timezone.now()
    done, late, overdue, going = (QuizFactory(questions=2, title=t) for t in ("Done", "Late", "Overdue", "Going"))
    classroom.students.add(student, through_defaults={"joined_at": now - timedelta(days=9)})
    Assignment.objects.create(classroom=classroom, quiz=done, due_at=now + timedelta(days=3))
    Assignment.objects.create(classroom=classroom, quiz=late, due_at=now - timedelta(days=3))
    Assignment.objects.create(classroom=classroom, quiz=overdue, due_at=now - timedelta(days=1))
    Assignment.objects.create(classroom=classroom, quiz=going, due_at=now + timedelta(days=1))
    sit_quiz(done, student, [True, True], finish=True)
    sit_quiz(late, student, [True, False], finish=True)  # finished now, after its due date
    sit_quiz(going, student, [True], finish=False)
    page = student_client.get("/").content.decode()
    for title, status in (("Done", "Done"), ("Late", "Done late"), ("Overdue", "Overdue"), ("Going", "In progress")):
        item = page[page.index(f">{title}</a>") :]
        assert item[: item.index("</li>")].rstrip().endswith(f"{status}</span>"), title


def test_a_past_due_date_is_accepted_with_a_warning(teacher_client, classroom):
    quiz = QuizFactory(questions=1)
    past = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page = teacher_client.post(
        reverse("assignment_save", args=[classroom.pk]), {"quiz": quiz.pk, "due_at": past}, follow=True
    ).content.decode()
    assert "That due date is already past" in page
    assert Assignment.objects.filter(classroom=classroom, quiz=quiz).exists()
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page = teacher_client.post(
        reverse("assignment_save", args=[classroom.pk]), {"quiz": quiz.pk, "due_at": future}, follow=True
    ).content.decode()
    assert "already past" not in page


def test_the_dashboard_shows_a_join_link_and_its_qr_code_as_svg(teacher_client, classroom):
    page = teacher_client.get(reverse("teach_dashboard") + f"?classroom={classroom.pk}").content.decode()
    link = "http://testserver/classes/join/?code=K7QM2XPA"
    assert f'<a href="{link}">{link}</a>' in page
    svg = page[page.index('<svg role="img"') : page.index("</svg>") + 6]
    assert 'class="join-qr"' in svg and "<title>QR code: the join link of Room 4</title>" in svg
    assert "style=" not in svg  # the CSP refuses style attributes


def test_the_join_link_fills_in_the_code_and_joining_still_takes_a_press(student, student_client, classroom):
    page = student_client.get(reverse("join_class") + "?code=K7QM2XPA").content.decode()
    assert 'value="K7QM2XPA"' in page
    assert not classroom.students.filter(pk=student.pk).exists()


def test_a_new_question_starts_as_a_draft(superuser_client):
    page = superuser_client.get(reverse("admin:quiz_question_add")).content.decode()
    checkbox = page[page.index('name="is_published"') - 200 : page.index('name="is_published"') + 100]
    assert "checked" not in checkbox
    assert Question._meta.get_field("is_published").default is False


GIFT = """// citation: {"source": "%s", "passage": %d, "quote": "plummeted by 84 percent"}
::pasted-one:: By how much did imports fall? {=84 percent ~48 percent #### The article says so.}
"""


def test_gift_text_can_be_pasted_and_its_questions_come_in_as_drafts(teacher_client):
    passage = PassageFactory(text="GPU imports plummeted by 84 percent in a year.")
    text = GIFT % (passage.source.slug, passage.position)
    response = teacher_client.post(reverse("admin:quiz_question_import"), {"pasted": text, "format": "auto"})
    assert response.status_code == 302
    question = Question.objects.get(key="pasted-one")
    assert question.is_published is False


def test_results_and_gradebook_print_with_whose_they_are(student, teacher_client, classroom):
    quiz = QuizFactory(questions=1, title="Printed quiz")
    classroom.students.add(student)
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    attempt = sit_quiz(quiz, student, [True], finish=True)
    results = logged_in_client(student).get(reverse("attempt_results", args=[attempt.public_id])).content.decode()
    assert '<p class="print-only">alice · Printed quiz, attempt #1' in results
    gradebook = teacher_client.get(reverse("teach_dashboard") + f"?classroom={classroom.pk}").content.decode()
    assert '<p class="print-only">Gradebook · tess' in gradebook
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    print_rules = css[css.index("@media print") :]
    hidden_on_paper = next(line for line in print_rules.splitlines() if "display: none !important" in line)
    for hidden in (".site-header", ".actions", ".filters", "form", "button"):
        assert hidden in hidden_on_paper


def test_favicon_is_served_on_every_page_including_the_admin(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_the_drill_down_folds_right_answers_and_can_show_wrong_ones_only(teacher_client, classroom):
    student = UserFactory(username="dina")
    classroom.students.add(student)
    quiz = QuizFactory(questions=3)
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    sit_quiz(quiz, student, [True, False, True], finish=True)
    url = reverse("student_detail", args=[classroom.pk, student.pk])
    page = teacher_client.get(url).content.decode()
    assert page.count('<details class="review-folded">') == 2
    wrong_only = teacher_client.get(url + "?wrong_only=on", **HTMX).content.decode()
    assert wrong_only.count('class="review-item"') == 1
    assert 'name="wrong_only" value="on" checked' in wrong_only


def test_another_teacher_cannot_see_a_classes_join_link(classroom):
    other = logged_in_client(TeacherFactory(username="olga"))
    assert other.get(reverse("teach_dashboard") + f"?classroom={classroom.pk}").status_code == 404

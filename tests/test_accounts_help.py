"""Accounts, as people meet them: sign-up errors where the mistake is, password resets by
email or by the teacher, the class code's blank message, and where a teacher lands."""

import re
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.conftest import logged_in_client
from tests.factories import ClassroomFactory, TeacherFactory, UserFactory

STRONG = "a-sturdy-long-passphrase"


@pytest.mark.django_db
def test_a_weak_password_is_refused_under_password_and_both_fields_keep_what_was_typed(client):
    response = client.post(reverse("signup"), {"username": "newstudent", "password1": "short1", "password2": "short1"})
    form = response.context["form"]
    assert "This password is too short" in " ".join(form.errors["password1"])
    assert "password2" not in form.errors
    page = response.content.decode()
    assert page.count('value="short1"') == 2
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_password_mismatch_is_said_under_the_confirmation(client):
    response = client.post(
        reverse("signup"), {"username": "newstudent", "password1": STRONG, "password2": STRONG + "x"}
    )
    assert "didn’t match" in " ".join(response.context["form"].errors["password2"])


@pytest.mark.django_db
def test_sign_up_keeps_an_optional_email_for_password_resets(client):
    client.post(
        reverse("signup"), {"username": "ema", "email": "ema@example.com", "password1": STRONG, "password2": STRONG}
    )
    assert get_user_model().objects.get(username="ema").email == "ema@example.com"


def test_a_blank_class_code_gets_a_sentence_not_djangos_default(student_client):
    response = student_client.post(reverse("join_class"), {"join_code": ""})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Type the class code your teacher gave you." in page
    assert "This field is required." not in page


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_by_a_link_sent_by_email(client):
    UserFactory(username="fay", email="fay@example.com")
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page
    response = client.post(reverse("password_reset"), {"email": "fay@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password-reset/[^/]+/[^/]+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG})
    assert done["Location"] == reverse("password_reset_complete")
    assert get_user_model().objects.get(username="fay").check_password(STRONG)


def test_development_mail_goes_to_the_console_and_the_environment_can_change_it(monkeypatch):
    import importlib

    import config.settings as project_settings

    monkeypatch.setenv("DEBUG", "true")
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    mailer = importlib.reload(project_settings).MAILERS["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    monkeypatch.setenv("EMAIL_HOST", "mail.school.example")
    mailer = importlib.reload(project_settings).MAILERS["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"]["host"] == "mail.school.example"
    monkeypatch.undo()
    importlib.reload(project_settings)


@pytest.fixture
def class_with_student(teacher):
    classroom = ClassroomFactory(teacher=teacher)
    student = UserFactory(username="sam", password="forgotten-one-2024")
    classroom.students.add(student)
    return classroom, student


def test_a_teacher_resets_a_students_password_in_their_class(teacher_client, class_with_student):
    classroom, student = class_with_student
    url = reverse("student_password_reset", args=[classroom.pk, student.pk])
    page = teacher_client.post(url, follow=True).content.decode()
    password = re.search(r"New password for sam: ([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})", page).group(1)
    student.refresh_from_db()
    assert student.check_password(password)
    assert not student.check_password("forgotten-one-2024")


def test_only_the_classes_teacher_resets_and_never_a_staff_account(db, class_with_student, teacher_client):
    classroom, student = class_with_student
    url = reverse("student_password_reset", args=[classroom.pk, student.pk])
    assert logged_in_client(TeacherFactory(username="olga")).post(url).status_code == 404
    assert logged_in_client(student).post(url).status_code == 403
    colleague = TeacherFactory(username="colin", password="colins-own-password-1")
    classroom.students.add(colleague)
    teacher_client.post(reverse("student_password_reset", args=[classroom.pk, colleague.pk]))
    colleague.refresh_from_db()
    assert colleague.check_password("colins-own-password-1")


@pytest.mark.django_db
def test_a_teacher_lands_on_the_dashboard_after_logging_in_and_a_student_at_home(client):
    TeacherFactory(username="tina", password=STRONG)
    UserFactory(username="stu", password=STRONG)
    assert client.post(reverse("login"), {"username": "tina", "password": STRONG})["Location"] == reverse(
        "teach_dashboard"
    )
    client.logout()
    assert client.post(reverse("login"), {"username": "stu", "password": STRONG})["Location"] == reverse("home")


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["login", "signup"])
def test_every_log_in_and_sign_up_link_keeps_where_the_student_was_going(client, page):
    # A student who scans a class's join link lands on the log-in page; whichever way they
    # then go (the header's buttons or the page's own link), they come back to the class.
    join_link = "/classes/join/?code=SEED2526"
    html = client.get(reverse(page), {"next": join_link}).content.decode()
    carried = "?next=" + quote(join_link, safe="/")
    for target in ("login", "signup"):
        links = re.findall(rf'href="({re.escape(reverse(target))}[^"]*)"', html)
        assert links, f"no link to {target} on the {page} page"
        assert all(link.endswith(carried) for link in links), f"{links} on the {page} page"

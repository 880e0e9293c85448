"""Rules the whole site follows: NUL characters refused once for every page, HEAD wherever GET,
no caching of signed-in pages or exports, sessions that end with the browser unless asked to stay,
and dates a teacher can type without a server error.
"""

import pytest
from django.test import Client
from django.urls import reverse

from quiz.models import Assignment
from tests.conftest import logged_in_client
from tests.factories import ClassroomFactory, QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def class_with_quiz(teacher):
    quiz = QuizFactory(questions=1)
    classroom = ClassroomFactory(teacher=teacher)
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    return classroom, quiz


# ---------------------------------------------------------------- finding 9: teacher-only 500s


@pytest.mark.parametrize("page", ["dashboard", "statistics", "statistics_csv"])
def test_a_date_past_the_calendar_is_a_4xx_with_a_sentence(teacher, class_with_quiz, page):
    classroom, quiz = class_with_quiz
    url = {
        "dashboard": f"{reverse('teach_dashboard')}?classroom={classroom.pk}&end=9999-12-31",
        "statistics": f"{reverse('quiz_statistics', args=[quiz.slug])}?end=9999-12-31",
        "statistics_csv": f"{reverse('quiz_statistics_csv', args=[quiz.slug])}?end=9999-12-31",
    }[page]

    reply = logged_in_client(teacher).get(url)

    assert reply.status_code in (400, 422)  # the pages answer 422 with the form, the CSV a 400
    assert "date" in reply.content.decode().lower()


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("admin:quiz_question_changelist") + "?kind=%00",
        lambda: reverse("admin:autocomplete") + "?app_label=quiz&model_name=quizquestion&field_name=question&term=%00",
        lambda: reverse("admin:quiz_question_changelist") + "?q=a%00b",
        lambda: reverse("teach_dashboard") + "?start=%00",
    ],
    ids=["list-filter", "autocomplete", "search", "dashboard"],
)
def test_a_nul_character_in_the_address_is_a_400_with_a_sentence(teacher, url):
    reply = logged_in_client(teacher).get(url())

    assert reply.status_code == 400
    assert "NUL character" in reply.content.decode()


def test_a_nul_character_in_a_form_is_a_400_with_a_sentence(student):
    attempt_quiz = QuizFactory(questions=1)
    client = logged_in_client(student)
    reply = client.post(reverse("join_class"), {"join_code": "ABC\x00DEF"})

    assert reply.status_code == 400
    assert "NUL character" in reply.content.decode()
    assert attempt_quiz.attempts.count() == 0


# ---------------------------------------------------------------- Info: HEAD


def test_head_is_answered_wherever_get_is(student, loaded_bank):
    client = logged_in_client(student)
    question = QuestionFactory()
    for url in [
        reverse("home"),
        reverse("quiz_detail", args=["whole-article"]),
        reverse("my_progress"),
        reverse("source_reader", args=[question.passage.source.slug]),
        reverse("join_class"),
        reverse("practice_session"),
    ]:
        assert client.head(url).status_code == client.get(url).status_code == 200, url


def test_head_is_answered_on_the_teachers_pages(teacher, class_with_quiz):
    classroom, quiz = class_with_quiz
    client = logged_in_client(teacher)
    for url in [
        reverse("teach_dashboard"),
        reverse("classroom_create"),
        reverse("gradebook_csv", args=[classroom.pk]),
        reverse("quiz_statistics", args=[quiz.slug]),
        reverse("quiz_statistics_csv", args=[quiz.slug]),
    ]:
        assert client.head(url).status_code == 200, url


def test_head_is_answered_for_anonymous_pages(client):
    for url in [reverse("signup"), reverse("login"), reverse("home")]:
        assert client.head(url).status_code == 200, url


# ---------------------------------------------------------------- Info: caching


def test_signed_in_pages_and_exports_are_not_cached(teacher, class_with_quiz):
    classroom, _ = class_with_quiz
    client = logged_in_client(teacher)
    for url in [reverse("home"), reverse("teach_dashboard"), reverse("gradebook_csv", args=[classroom.pk])]:
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_anonymous_pages_keep_their_caching(client):
    assert "no-store" not in client.get(reverse("home")).get("Cache-Control", "")


# ---------------------------------------------------------------- Info: remember me


def test_a_log_in_ends_with_the_browser_unless_remember_me_is_ticked(client):
    UserFactory(username="carol")

    client.post(reverse("login"), {"username": "carol", "password": PASSWORD})

    assert client.session.get_expire_at_browser_close()
    assert client.cookies["sessionid"]["max-age"] == ""


def test_remember_me_keeps_the_session_across_browser_restarts(settings):
    UserFactory(username="carol")
    client = Client()

    client.post(reverse("login"), {"username": "carol", "password": PASSWORD, "remember_me": "on"})

    assert not client.session.get_expire_at_browser_close()
    assert int(client.cookies["sessionid"]["max-age"]) == settings.SESSION_COOKIE_AGE


def test_the_log_in_form_offers_remember_me_unticked(client):
    page = client.get(reverse("login")).content.decode()

    assert 'name="remember_me"' in page
    assert "checked" not in page.split('name="remember_me"')[1].split(">")[0]

"""Web security: CSRF, CSP, production settings, framing, log-in throttling, passwords, escaping."""

import os
import re
import secrets
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import LoginFailure
from quiz.models import Attempt, FeedbackMode, ReviewMoment
from quiz.services import attempt_start
from tests.conftest import HTMX
from tests.factories import QuestionFactory, QuizFactory, TeacherFactory, UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"


def production_env(**extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="quiz.example.org",
        CSRF_TRUSTED_ORIGINS="https://quiz.example.org",
        DATABASE_URL="postgres://quiz@127.0.0.1:5432/quiz",
        **extra,
    )
    return env


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


# ---------------------------------------------------------------- CSRF


def _dummy(converter_name: str) -> str:
    return {"int": "1", "uuid": str(uuid.uuid4()), "slug": "x", "str": "x", "path": "x"}[converter_name]


def _every_route(patterns=None, prefix: str = ""):
    """A concrete path for every route of the site (route patterns; the admin's regex ones are covered by it)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = getattr(entry.pattern, "_route", None)
        if route is None:
            continue
        concrete = re.sub(r"<(?:(\w+):)?\w+>", lambda match: _dummy(match.group(1) or "str"), route)
        if isinstance(entry, URLResolver):
            yield from _every_route(entry.url_patterns, prefix + concrete)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + concrete


@pytest.mark.django_db
def test_every_url_refuses_a_post_without_a_csrf_token():
    routes = sorted(set(_every_route()))
    assert reverse("attempt_submit", args=[uuid.uuid4()]).count("/") == 4 and len(routes) > 20
    client = Client(enforce_csrf_checks=True)
    client.force_login(TeacherFactory(is_superuser=True))
    # An LMS posts the LTI login and launch from its own site: no token of ours can be there.
    # They are proven by the platform's signed id_token and the state cookie (tests/test_lti.py).
    lms_posts = {route for route in routes if route.startswith(("/lti/login/", "/lti/launch/"))}
    refused = {route: client.post(route, {"anything": "1"}).status_code for route in routes}
    assert {route: status for route, status in refused.items() if status != 403 and route not in lms_posts} == {}


def _page_token(client: Client, path: str) -> str:
    """The token htmx sends, read from <body hx-headers> as a browser would."""
    page = client.get(path).content.decode()
    return re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)


@pytest.mark.django_db
def test_an_htmx_answer_with_the_token_from_the_page_is_accepted_and_without_it_refused(student):
    quiz = QuizFactory(questions=2)
    attempt = attempt_start(quiz=quiz, student=student)
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    url = reverse("attempt_answer", args=[attempt.public_id, 1])
    choice = attempt.choice_order[str(attempt.question_ids[0])][0]

    assert client.post(url, {"choice": choice}, **HTMX).status_code == 403
    token = _page_token(client, url)
    accepted = client.post(url, {"choice": choice}, HTTP_X_CSRFTOKEN=token, **HTMX)

    assert accepted.status_code == 200
    assert attempt.responses.count() == 1


@pytest.mark.django_db
def test_plain_forms_carry_their_token_and_work_without_javascript(student):
    quiz = QuizFactory(questions=1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    page = client.get(reverse("quiz_detail", args=[quiz.slug])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    started = client.post(reverse("quiz_start", args=[quiz.slug]), {"csrfmiddlewaretoken": token})

    assert started.status_code == 302
    assert Attempt.objects.filter(student=student).count() == 1


# ---------------------------------------------------------------- headers: CSP, framing, HSTS


def _directives(header: str) -> dict[str, list[str]]:
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.django_db
def test_the_content_security_policy_forbids_inline_scripts_and_styles(client):
    response = client.get(reverse("home"))
    policy = _directives(response["Content-Security-Policy"])

    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    nonce = next(source for source in policy["script-src"] if source.startswith("'nonce-"))[7:-1]
    # The only scripts are files from our origin; htmx's tag carries this response's nonce.
    assert f'nonce="{nonce}"' in response.content.decode()


@pytest.mark.django_db
def test_pages_hold_no_inline_script_style_or_event_handler(student_client, student):
    quiz = QuizFactory(questions=2, time_limit_minutes=10)
    attempt = attempt_start(quiz=quiz, student=student)
    pages = [
        reverse("home"),
        reverse("quiz_detail", args=[quiz.slug]),
        reverse("attempt_answer", args=[attempt.public_id, 1]),
        reverse("my_progress"),
        reverse("source_reader", args=[quiz.questions.first().passage.source.slug]),
    ]
    for path in pages:
        html = student_client.get(path).content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], path
        assert re.findall(r"\sstyle\s*=", html) == [], path
        assert re.findall(r"\son[a-z]+\s*=", html) == [], path


@pytest.mark.django_db
def test_no_page_can_be_framed(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_hsts_and_the_https_redirect_are_sent_with_production_values(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_SSL_REDIRECT = True

    plain = client.get(reverse("home"))
    secure = client.get(reverse("home"), secure=True)

    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_production_settings_pass_the_deployment_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_make_cookies_secure_and_turn_hsts_on():
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_ENGINE, "
        "s.STORAGES['staticfiles']['BACKEND']]))"
    )
    env = production_env(DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run([sys.executable, "-c", probe], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '[false, true, true, true, true, 31536000, true, "django.contrib.sessions.backends.db", '
        '"whitenoise.storage.CompressedManifestStaticFilesStorage"]'
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_redis_url_moves_the_cache_to_redis_and_keeps_sessions_in_the_database():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    )
    env = production_env(DJANGO_SETTINGS_MODULE="config.settings", REDIS_URL="redis://127.0.0.1:6379/3")
    result = subprocess.run([sys.executable, "-c", probe], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ], result.stderr


# ---------------------------------------------------------------- log-in throttling


def _log_in(client: Client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_repeated_failed_log_ins_pause_the_account_with_a_clear_message(client, settings):
    UserFactory(username="carol")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert _log_in(client, "carol", "wrong").status_code == 400

    paused = _log_in(client, "carol", "wrong")
    right_password_while_paused = _log_in(client, "carol", PASSWORD)

    for response in (paused, right_password_while_paused):
        assert response.status_code == 429
        assert "Too many failed log-ins" in response.content.decode()
        assert "Try again in 15 minutes" in response.content.decode()
        assert int(response["Retry-After"]) > 800
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_pause_is_shared_by_every_worker_because_it_is_counted_in_the_database(settings):
    UserFactory(username="carol")
    # Each request on a fresh client, as each could land on another worker.
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _log_in(Client(REMOTE_ADDR="10.0.0.1"), "Carol ", "wrong")

    assert LoginFailure.objects.get(key="user:carol|addr:10.0.0.1").failures == settings.LOGIN_FAILURE_LIMIT
    assert _log_in(Client(REMOTE_ADDR="10.0.0.1"), "carol", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_pause_on_one_account_leaves_other_accounts_alone(client, settings):
    UserFactory(username="carol")
    UserFactory(username="dave")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _log_in(client, "carol", "wrong")

    assert _log_in(client, "dave", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_pause_ends_after_the_window_and_a_good_log_in_clears_the_count(client, settings):
    UserFactory(username="carol")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _log_in(client, "carol", "wrong")
    LoginFailure.objects.update(window_started_at=timezone.now() - timedelta(minutes=16))

    assert _log_in(client, "carol", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(key="user:carol|addr:127.0.0.1").exists()


@pytest.mark.django_db
def test_one_address_guessing_many_accounts_is_paused(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    UserFactory(username="carol")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(6):
        _log_in(attacker, f"user{n}", "wrong")

    assert _log_in(attacker, "carol", PASSWORD).status_code == 429
    assert _log_in(Client(REMOTE_ADDR="203.0.113.10"), "carol", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_address_the_proxy_saw_is_counted_not_a_forged_one(settings):
    settings.BEHIND_PROXY = True
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for n in range(3):
        _log_in(proxy, f"user{n}", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 198.51.100.7")

    assert LoginFailure.objects.get(key="addr:198.51.100.7").failures == 3
    assert _log_in(proxy, "x", "y", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


@pytest.mark.django_db
def test_the_admin_log_in_is_paused_too(client, settings):
    TeacherFactory(username="tina")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "tina", "password": "wrong"})

    client.post(reverse("admin:login"), {"username": "tina", "password": PASSWORD})

    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_nul_byte_in_the_username_is_a_form_error_not_a_crash(client):
    response = _log_in(client, "carol\x00", "wrong")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


# ---------------------------------------------------------------- passwords


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password, message",
    [
        ("short1", "This password is too short"),
        ("password123", "This password is too common"),
        ("83920175", "This password is entirely numeric"),
        ("newstudent", "The password is too similar to the username"),
    ],
)
def test_signing_up_with_a_weak_password_is_refused_with_the_reason(client, password, message):
    response = client.post(reverse("signup"), {"username": "newstudent", "password1": password, "password2": password})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="newstudent").exists()


@pytest.mark.django_db
def test_signing_up_with_a_strong_password_logs_in(client):
    password = "a-sturdy-long-passphrase"
    response = client.post(
        reverse("signup"),
        {"username": "newstudent", "password1": password, "password2": password, "next": "//evil.example"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session["_auth_user_id"]


# ---------------------------------------------------------------- teacher-written text is escaped

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def hostile_quiz(db):
    """Every teacher-written field holds markup that would run if it reached the page unescaped."""
    question = QuestionFactory(
        prompt=f"Prompt {SCRIPT}",
        explanation=f"Explanation {SCRIPT}",
        choices=[(f"Right {SCRIPT}", True), ('Wrong <img src=x onerror="alert(1)">', False)],
    )
    question.choices.update(feedback=f"Feedback {SCRIPT}")
    # Every part of the review shown at once, so every piece of teacher-written text reaches the page.
    return QuizFactory(
        title=f"Title {SCRIPT}",
        description=f"Description {SCRIPT}",
        questions=[question, QuestionFactory()],
        review_key=ReviewMoment.AFTER_ATTEMPT,
        review_feedback=ReviewMoment.AFTER_ATTEMPT,
    )


def assert_escaped(html: str, where: str) -> None:
    assert "<script>alert" not in html, where
    assert "<img src=x" not in html and 'onerror="alert' not in html, where


@pytest.mark.django_db
@pytest.mark.parametrize("feedback_mode", [FeedbackMode.IMMEDIATE, FeedbackMode.AT_END])
def test_markup_in_teacher_written_text_is_escaped_in_every_page_and_fragment(
    student_client, student, hostile_quiz, feedback_mode
):
    type(hostile_quiz).objects.filter(pk=hostile_quiz.pk).update(feedback_mode=feedback_mode)
    attempt = attempt_start(quiz=hostile_quiz, student=student)
    position = attempt.question_ids.index(hostile_quiz.questions.get(prompt__startswith="Prompt").pk) + 1
    answer_url = reverse("attempt_answer", args=[attempt.public_id, position])
    choice_ids = attempt.choice_order[str(attempt.question_ids[position - 1])]

    shown = [
        ("home", student_client.get(reverse("home"))),
        ("quiz page", student_client.get(reverse("quiz_detail", args=[hostile_quiz.slug]))),
        ("question page", student_client.get(answer_url)),
        ("question fragment", student_client.get(answer_url, **HTMX)),
        ("refused answer fragment", student_client.post(answer_url, {"choice": "999999"}, **HTMX)),
        ("feedback fragment", student_client.post(answer_url, {"choice": choice_ids[1]}, **HTMX)),
        ("feedback page", student_client.get(answer_url)),
    ]
    student_client.post(reverse("attempt_submit", args=[attempt.public_id]))
    shown += [
        ("results", student_client.get(reverse("attempt_results", args=[attempt.public_id]))),
        ("progress", student_client.get(reverse("my_progress"))),
    ]
    for where, response in shown:
        assert response.status_code < 500, where
        assert_escaped(response.content.decode(), where)
    # Escaped, not dropped: the words are there for the student to read.
    results = shown[-2][1].content.decode()
    assert "Prompt &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in results
    assert "Feedback &lt;script&gt;" in results and "Explanation &lt;script&gt;" in results


@pytest.mark.django_db
def test_markup_in_a_question_is_escaped_in_the_admin(client, hostile_quiz):
    client.force_login(TeacherFactory(is_superuser=True))
    question = hostile_quiz.questions.get(prompt__startswith="Prompt")
    for url in (
        reverse("admin:quiz_question_changelist"),
        reverse("admin:quiz_question_change", args=[question.pk]),
        reverse("admin:quiz_quiz_change", args=[hostile_quiz.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), url)


@pytest.mark.django_db
def test_markup_in_teacher_written_text_is_escaped_on_the_teachers_pages(hostile_quiz):
    from quiz.models import Assignment
    from tests.factories import ClassroomFactory

    student = UserFactory(username="alice")
    classroom = ClassroomFactory(teacher=TeacherFactory(username="tess"))
    classroom.students.add(student)
    Assignment.objects.create(classroom=classroom, quiz=hostile_quiz)
    attempt = attempt_start(quiz=hostile_quiz, student=student)
    for position in (1, 2):
        choice = attempt.choice_order[str(attempt.question_ids[position - 1])][1]
        answering = Client()
        answering.force_login(student)
        answering.post(reverse("attempt_answer", args=[attempt.public_id, position]), {"choice": choice})
    teacher = Client()
    teacher.force_login(classroom.teacher)
    for url in (
        f"{reverse('teach_dashboard')}?classroom={classroom.pk}",
        reverse("quiz_statistics", args=[hostile_quiz.slug]),
        reverse("student_detail", args=[classroom.pk, student.pk]),
    ):
        for headers in ({}, HTMX):
            response = teacher.get(url, **headers)
            assert response.status_code == 200, url
            assert_escaped(response.content.decode(), url)


@pytest.mark.django_db
def test_a_failed_log_in_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    UserFactory(username="carol")
    _log_in(client, "carol", "wrong")  # the counters exist from here on
    # counting the attempt before the password (savepoint, delete expired counters, then an
    # UPDATE and a read of the account-and-address, account and address counters, release); the user
    with django_assert_num_queries(10):
        assert _log_in(client, "carol", "wrong").status_code == 400


@pytest.mark.django_db
def test_a_paused_log_in_looks_up_no_user_and_costs_a_fixed_number_of_queries(
    client, settings, django_assert_num_queries
):
    UserFactory(username="carol")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _log_in(client, "carol", "wrong")
    # counting the attempt (savepoint, delete expired, an UPDATE and a read of each of the three
    # counters, release), then refused before any password hashing or user lookup
    with django_assert_num_queries(9):
        assert _log_in(client, "carol", PASSWORD).status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url, lands_on",
    [("/me/", "/me/"), ("https://evil.example/", "/"), ("//evil.example/me/", "/"), ("javascript:alert(1)", "/")],
)
def test_logging_in_follows_next_only_within_the_site(client, next_url, lands_on):
    UserFactory(username="carol")
    response = client.post(reverse("login"), {"username": "carol", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == lands_on

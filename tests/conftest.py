import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Playwright's sync API runs an event loop in the main thread; Django's ORM then
# refuses sync calls during test database set-up and tear-down without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property tests: 50 examples each on a laptop, 300 in CI (.ci/run sets HYPOTHESIS_PROFILE=ci).
# No deadline and no example database: the examples run against a real database, whose
# timing varies, and every run should draw afresh.
hypothesis_settings.register_profile(
    "dev",
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.register_profile("ci", parent=hypothesis_settings.get_profile("dev"), max_examples=300)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The header htmx sends with every request it makes.
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite, test in a database file (WAL, busy timeout) rather than shared memory.

    Shared-cache memory databases fail at once with "database table is locked" when
    two threads write, where the real file waits its turn; the concurrency tests need
    the real behaviour. One file per test process, so parallel runs never share one.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        yield
        return
    path = Path(tempfile.gettempdir()) / f"quiz-tests-{os.getpid()}.sqlite3"
    database.setdefault("TEST", {})["NAME"] = str(path)
    yield
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def loaded_bank(db):
    """The shipped article and its whole question bank, as `load_content` loads them."""
    from quiz.bank.shipped import load_all

    return load_all()


@pytest.fixture
def student(db):
    from tests.factories import UserFactory

    return UserFactory(username="alice")


@pytest.fixture
def other_student(db):
    from tests.factories import UserFactory

    return UserFactory(username="bob")


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


# Named explicitly: the first configured backend only throttles log-ins and loads no user.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def logged_in_client(user):
    """A fresh test client signed in as ``user``, for tests that need several at once."""
    from django.test import Client

    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def teacher(db):
    from tests.factories import TeacherFactory

    return TeacherFactory(username="tess")


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "correct-horse-battery")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser, backend=MODEL_BACKEND)
    return client


def shown_choices(attempt, position: int) -> list:
    """The choices of the attempt's question ``position`` (1-based), as the attempt shows them."""
    from quiz.models import Choice

    question_id = attempt.question_ids[position - 1]
    return attempt.shown_choices(question_id, Choice.objects.filter(question_id=question_id))

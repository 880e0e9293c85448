import os

import pytest

# Playwright's sync API runs an event loop in the main thread; Django's ORM then
# refuses sync calls during test database set-up and tear-down without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def loaded_bank(db):
    """The shipped article and its whole question bank, as `load_content` loads them."""
    from content.loading import load_all

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

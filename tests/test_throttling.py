"""Rate limits: log-in guesses, sign-ups and join codes.

Log-in attempts are counted *before* the password is checked, in one statement per counter,
so concurrent guesses cannot slip past the limit. Nobody can lock someone else out of a
device they have logged in from before. The race tests run real threads, each with its own
database connection, as gunicorn workers would (meaningful on PostgreSQL; SQLite queues them).
"""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import Client
from django.urls import reverse

from accounts.models import LoginFailure
from accounts.throttle import DEVICE_COOKIE
from quiz.models import Classroom
from tests.factories import ClassroomFactory, UserFactory
from tests.test_integrity import run_at_once

PASSWORD = "correct-horse-battery"


def log_in(client: Client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


# ---------------------------------------------------------------- finding 5: the race


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_concurrent_guesses_gets_no_more_password_checks_than_the_limit(settings, monkeypatch):
    UserFactory(username="carol")
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(Client(REMOTE_ADDR="203.0.113.5"), "carol", "wrong")
    checked = []
    check_password = ModelBackend.authenticate

    def counted_check(self, request, username=None, password=None, **kwargs):
        checked.append(password)  # list.append is atomic: safe from every thread
        return check_password(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counted_check)

    # One try is left; sixteen guesses arrive at once. Had the right one been among them past
    # the first, counting after the check let it in; now only the first is checked at all.
    replies = run_at_once(*[lambda: log_in(Client(REMOTE_ADDR="203.0.113.5"), "carol", "guess")] * 16)

    assert len(checked) == 1
    assert sorted(reply.status_code for reply in replies) == [400] + [429] * 15
    assert log_in(Client(REMOTE_ADDR="203.0.113.5"), "carol", PASSWORD).status_code == 429


@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_are_all_counted(settings):
    settings.LOGIN_FAILURE_LIMIT = 100
    UserFactory(username="carol")

    run_at_once(*[lambda: log_in(Client(REMOTE_ADDR="203.0.113.5"), "carol", "wrong")] * 30)

    assert LoginFailure.objects.get(key="user:carol|addr:203.0.113.5").failures == 30


# ---------------------------------------------------------------- finding 6: no lock-out by others


@pytest.mark.django_db
def test_guesses_from_other_addresses_do_not_lock_the_owner_out(settings):
    UserFactory(username="tina")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), "tina", "wrong")

    assert log_in(Client(REMOTE_ADDR="192.0.2.20"), "tina", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_device_that_logged_in_before_gets_in_while_strangers_are_paused(settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 10
    UserFactory(username="tina")
    own_device = Client(REMOTE_ADDR="192.0.2.20")
    assert log_in(own_device, "tina", PASSWORD).status_code == 302
    assert DEVICE_COOKIE in own_device.cookies
    own_device.post(reverse("logout"))
    # A spread attack: many addresses, few guesses each, until the account pauses for strangers.
    for n in range(settings.LOGIN_ACCOUNT_FAILURE_LIMIT):
        log_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), "tina", "wrong")

    assert log_in(Client(REMOTE_ADDR="198.51.100.200"), "tina", PASSWORD).status_code == 429
    assert log_in(own_device, "tina", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_admin_log_in_marks_the_device_too(settings):
    from tests.factories import TeacherFactory

    TeacherFactory(username="tina", password=PASSWORD)
    own_device = Client(REMOTE_ADDR="192.0.2.20")
    own_device.post(reverse("admin:login"), {"username": "tina", "password": PASSWORD})

    assert DEVICE_COOKIE in own_device.cookies


@pytest.mark.django_db
def test_a_known_device_is_still_limited_when_it_guesses(settings):
    UserFactory(username="tina")
    device = Client(REMOTE_ADDR="192.0.2.20")
    log_in(device, "tina", PASSWORD)
    device.post(reverse("logout"))
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(device, "tina", "wrong")

    assert log_in(device, "tina", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_device_cookie_for_another_account_opens_nothing(settings):
    UserFactory(username="tina")
    UserFactory(username="mallory")
    device = Client(REMOTE_ADDR="198.51.100.1")
    log_in(device, "mallory", PASSWORD)
    device.post(reverse("logout"))
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(device, "tina", "wrong")

    assert log_in(device, "tina", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_successful_log_in_does_not_count_against_a_shared_school_address(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    school = "192.0.2.50"
    for n in range(5):
        UserFactory(username=f"pupil{n}")
        assert log_in(Client(REMOTE_ADDR=school), f"pupil{n}", PASSWORD).status_code == 302


# ---------------------------------------------------------------- finding 7: sign-up


def sign_up(client: Client, username: str):
    return client.post(
        reverse("signup"), {"username": username, "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"}
    )


@pytest.mark.django_db
def test_sign_ups_from_one_address_are_rate_limited(settings):
    settings.SIGNUP_ADDRESS_LIMIT = 3
    for n in range(3):
        assert sign_up(Client(REMOTE_ADDR="203.0.113.7"), f"new{n}").status_code == 302

    refused = sign_up(Client(REMOTE_ADDR="203.0.113.7"), "new3")

    assert refused.status_code == 429
    assert "Too many sign-ups" in refused.content.decode()
    assert sign_up(Client(REMOTE_ADDR="203.0.113.8"), "new4").status_code == 302


@pytest.mark.django_db
def test_probing_for_taken_usernames_is_rate_limited_too(settings):
    settings.SIGNUP_ADDRESS_LIMIT = 3
    for n in range(3):
        UserFactory(username=f"taken{n}")
        assert sign_up(Client(REMOTE_ADDR="203.0.113.7"), f"taken{n}").status_code == 400

    assert sign_up(Client(REMOTE_ADDR="203.0.113.7"), "anyone").status_code == 429


# ---------------------------------------------------------------- finding 8: join codes


@pytest.mark.django_db
def test_wrong_join_codes_are_rate_limited_per_student(settings):
    settings.JOIN_CODE_FAILURE_LIMIT = 3
    classroom = ClassroomFactory()
    student = UserFactory(username="guesser")
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    for code in ("AAAAAAAA", "BBBBBBBB", "CCCCCCCC"):
        assert client.post(reverse("join_class"), {"join_code": code}).status_code == 422

    paused = client.post(reverse("join_class"), {"join_code": classroom.join_code})

    assert paused.status_code == 429
    assert "Too many wrong class codes" in paused.content.decode()
    assert not Classroom.objects.filter(students=student).exists()


@pytest.mark.django_db
def test_wrong_join_codes_are_rate_limited_per_address(settings):
    settings.JOIN_CODE_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        client = Client(REMOTE_ADDR="203.0.113.9")
        client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")
        client.post(reverse("join_class"), {"join_code": f"WRONG{n}XX"})
    late = Client(REMOTE_ADDR="203.0.113.9")
    late.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")

    assert late.post(reverse("join_class"), {"join_code": "ZZZZZZZZ"}).status_code == 429


@pytest.mark.django_db
def test_a_right_join_code_does_not_count(settings):
    settings.JOIN_CODE_FAILURE_LIMIT = 2
    student = UserFactory()
    client = Client()
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    for _ in range(4):
        assert client.post(reverse("join_class"), {"join_code": ClassroomFactory().join_code}).status_code == 302

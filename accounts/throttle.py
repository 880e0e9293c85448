"""Log-in throttling: a pause after repeated failures, per username and per client address.

The counts live in the database (``LoginFailure``), so several gunicorn workers and
several app servers share them. A fixed window: after ``LOGIN_FAILURE_LIMIT``
failures for one username (or ``LOGIN_ADDRESS_FAILURE_LIMIT`` from one address)
within ``LOGIN_FAILURE_WINDOW_MINUTES`` of the first, every log-in for it is refused
until that window ends, even with the right password, so guessing cannot go on.

``LoginThrottleBackend`` sits first in ``AUTHENTICATION_BACKENDS``: it checks no
password itself, it only stops ``authenticate()`` while a pause is on, for every
form that logs in (ours and the admin's alike). Failures and successes are counted
from Django's ``user_login_failed`` / ``user_logged_in`` signals, whose receivers below
``AccountsConfig.ready()`` connects.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import LoginFailure

KEY_LENGTH = LoginFailure._meta.get_field("key").max_length


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    if settings.BEHIND_PROXY:
        # The proxy appends the address it saw; anything before it came from the client.
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def _username_key(username: str) -> str:
    return f"user:{username.strip().casefold()}".replace("\x00", "")[:KEY_LENGTH]


def _limits(request: HttpRequest | None, username: str) -> dict[str, int]:
    """Each counter that applies to this log-in, with its limit."""
    limits = {}
    if username:
        limits[_username_key(username)] = settings.LOGIN_FAILURE_LIMIT
    address = client_address(request)
    if address:
        limits[f"addr:{address}".replace("\x00", "")[:KEY_LENGTH]] = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    return limits


def seconds_until_allowed(request: HttpRequest | None, username: str, now=None) -> int:
    """0 when a log-in may be tried now, else the seconds left in the pause (one query)."""
    now = now or timezone.now()
    limits = _limits(request, username)
    if not limits:
        return 0
    counters = LoginFailure.objects.filter(key__in=limits, window_started_at__gt=now - _window())
    waits = [
        (counter.window_started_at + _window() - now).total_seconds()
        for counter in counters
        if counter.failures >= limits[counter.key]
    ]
    return math.ceil(max(waits)) if waits else 0


def record_failure(request: HttpRequest | None, username: str, now=None) -> None:
    now = now or timezone.now()
    window_start = now - _window()
    with transaction.atomic():
        LoginFailure.objects.filter(window_started_at__lte=window_start).delete()
        for key in _limits(request, username):
            # The increment happens in SQL, so failures arriving on two workers at once both count.
            counted = LoginFailure.objects.filter(key=key, window_started_at__gt=window_start).update(
                failures=F("failures") + 1
            )
            if not counted:
                LoginFailure.objects.update_or_create(key=key, defaults={"failures": 1, "window_started_at": now})


def record_success(username: str) -> None:
    """A right password ends the username's count (the address's stays: it may be guessing others)."""
    LoginFailure.objects.filter(key=_username_key(username)).delete()


def pause_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return (
        "Too many failed log-ins: logging in is paused for this account or this network. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )


class LoginThrottleBackend(BaseBackend):
    """Refuses every log-in while a pause is on; otherwise lets the next backend check the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and seconds_until_allowed(request, str(username)):
            # PermissionDenied stops authenticate() here: no backend checks the password.
            raise PermissionDenied
        return None

    def get_user(self, user_id):
        # Being first in the list, this backend is the one login() records when it is not
        # told which (force_login, for one); the user is looked up as ModelBackend does.
        return ModelBackend().get_user(user_id)


def count_failure(sender, credentials, request=None, **kwargs) -> None:
    """Receiver of ``user_login_failed``."""
    record_failure(request, str(credentials.get("username") or ""))


def clear_failures(sender, request, user, **kwargs) -> None:
    """Receiver of ``user_logged_in``."""
    record_success(user.get_username())

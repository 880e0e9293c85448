"""Counting attempts per key in a fixed window, in the database, safely under concurrent requests.

``hit`` counts first and decides after: one UPDATE adds the attempt (or starts a new window)
and the count is read back inside the same transaction, while the row is locked, so of N
concurrent attempts exactly the first ``limit`` are allowed. Counting after the fact (check,
then act, then count) lets a burst of concurrent requests all pass the check.

The counters live in the ``LoginFailure`` table (one row per key), shared by every worker
and app server; a counter in a process's memory would let requests spread over workers.
"""

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import LoginFailure

KEY_LENGTH = LoginFailure._meta.get_field("key").max_length


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    if settings.BEHIND_PROXY:
        # The proxy appends the address it saw; anything before it came from the client.
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def counter_key(*parts: str) -> str:
    return "|".join(parts).replace("\x00", "")[:KEY_LENGTH]


def window() -> timedelta:
    """One window for every counter, so expired rows of any kind can be swept together."""
    return timedelta(minutes=settings.RATE_LIMIT_WINDOW_MINUTES)


def _add_one(key: str, now: datetime) -> int:
    """Count one attempt on ``key`` in one UPDATE: add one, or start a new window if the old one is over."""
    current = When(window_started_at__gt=now - window(), then=F("failures") + 1)
    return LoginFailure.objects.filter(key=key).update(
        failures=Case(current, default=Value(1)),
        window_started_at=Case(
            When(window_started_at__gt=now - window(), then=F("window_started_at")), default=Value(now)
        ),
    )


def hit(limits: dict[str, int], *, now: datetime | None = None) -> int:
    """Count one attempt on every key of ``limits``; 0 when allowed, else the seconds until it will be.

    Every key is counted, allowed or not, so the count of a burst is exact; the window of a
    key starts with its first attempt and is not extended by later ones.
    """
    now = now or timezone.now()
    waits = [0.0]
    with transaction.atomic():
        LoginFailure.objects.filter(window_started_at__lte=now - window()).delete()
        for key, limit in limits.items():
            if not _add_one(key, now):
                try:
                    with transaction.atomic():
                        LoginFailure.objects.create(key=key, failures=1, window_started_at=now)
                except IntegrityError:  # another request created it a moment ago
                    _add_one(key, now)
            # Read inside the same transaction: the UPDATE's row lock keeps others' attempts out until commit.
            count, started = LoginFailure.objects.filter(key=key).values_list("failures", "window_started_at").get()
            if count > limit:
                waits.append((started + window() - now).total_seconds())
    return math.ceil(max(waits))


def refund(*keys: str) -> None:
    """Take back one counted attempt (one that turned out to be legitimate)."""
    LoginFailure.objects.filter(key__in=keys, failures__gt=0).update(failures=F("failures") - 1)


def clear(*keys: str) -> None:
    LoginFailure.objects.filter(key__in=keys).delete()


def wait_message(what: str, seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"{what} Try again in {minutes} minute{'s' if minutes != 1 else ''}."

"""Log-in throttling: guessing stays impractical, and nobody can lock someone else out of their own device.

Each log-in attempt is counted *before* the password is checked (``accounts.rate_limit.hit``: one
UPDATE per counter, read back under its row lock), so a burst of concurrent guesses cannot
slip past the limit. Which counters an attempt meets depends on where it comes from:

- From a device that logged in to this account before (it holds a signed ``DEVICE_COOKIE``
  naming the account): only that device's own counter, ``LOGIN_FAILURE_LIMIT``. Guesses
  from anywhere else never pause it, so a teacher keeps logging in at their usual computer
  however hard strangers try.
- From anywhere else: the counter of this account *from this address*
  (``LOGIN_FAILURE_LIMIT``), of this account from every unknown device together
  (``LOGIN_ACCOUNT_FAILURE_LIMIT``, much higher: guesses spread over many addresses), and of
  this address over every account (``LOGIN_ADDRESS_FAILURE_LIMIT``).

A right password clears the account's counters for that address or device and takes its
attempt back from the others, so a school's shared address is charged for failures only.
The trade-off (docs/SECURITY.md): a spread attack can still pause an account for devices it
never used, for at most one window; its known devices are not affected.

``LoginThrottleBackend`` sits first in ``AUTHENTICATION_BACKENDS``: it checks no password
itself, it only stops ``authenticate()`` while a pause is on, for every form that logs in
(ours and the admin's alike). ``AccountsConfig.ready()`` connects ``clear_failures`` to
``user_logged_in``.
"""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts import rate_limit

DEVICE_COOKIE = "login_device"
DEVICE_SALT = "accounts.throttle.device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
# Where authenticate() leaves what it counted, for the view's message and for a success to clear.
PAUSE_ATTRIBUTE = "login_pause_seconds"
COUNTED_ATTRIBUTE = "login_counted_keys"
DEVICE_TO_REMEMBER_ATTRIBUTE = "login_device_to_remember"


def _account(username: str) -> str:
    return username.strip().casefold()


def _known_device(request: HttpRequest | None, username: str) -> str | None:
    """This device's id if it logged in to ``username`` before (a signed cookie), else None."""
    if request is None:
        return None
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT, max_age=DEVICE_COOKIE_AGE)
    account, _, device = (value or "").rpartition("|")
    return device if device and account == _account(username) else None


def _limits(request: HttpRequest | None, username: str) -> dict[str, int]:
    """Every counter this attempt meets, with its limit."""
    account = f"user:{_account(username)}"
    device = _known_device(request, username)
    if device:
        return {rate_limit.counter_key(account, f"device:{device}"): settings.LOGIN_FAILURE_LIMIT}
    address = f"addr:{rate_limit.client_address(request)}"
    return {
        rate_limit.counter_key(account, address): settings.LOGIN_FAILURE_LIMIT,
        rate_limit.counter_key(account): settings.LOGIN_ACCOUNT_FAILURE_LIMIT,
        rate_limit.counter_key(address): settings.LOGIN_ADDRESS_FAILURE_LIMIT,
    }


def pause_message(seconds: int) -> str:
    return rate_limit.wait_message(
        "Too many failed log-ins: logging in to this account is paused here for a while.", seconds
    )


def remember_device(response: HttpResponse, user) -> None:
    """Mark this browser as one ``user`` logs in from: strangers' guesses will not pause it."""
    value = f"{_account(user.get_username())}|{secrets.token_urlsafe(12)}"
    response.set_signed_cookie(
        DEVICE_COOKIE,
        value,
        salt=DEVICE_SALT,
        max_age=DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class LoginThrottleBackend(BaseBackend):
    """Counts the attempt first; refuses it while a pause is on, else lets the next backend check the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username:
            return None
        limits = _limits(request, str(username))
        wait = rate_limit.hit(limits)
        if request is not None:
            setattr(request, COUNTED_ATTRIBUTE, list(limits))
            setattr(request, PAUSE_ATTRIBUTE, wait)
        if wait:
            # PermissionDenied stops authenticate() here: no backend checks the password.
            raise PermissionDenied
        return None

    def get_user(self, user_id):
        # Being first in the list, this backend is the one login() records when it is not
        # told which (force_login, for one); the user is looked up as ModelBackend does.
        return ModelBackend().get_user(user_id)


def clear_failures(sender, request, user, **kwargs) -> None:
    """Receiver of ``user_logged_in``.

    A right password: this account's count here starts again, and the shared counters take the attempt back.
    """
    keys = getattr(request, COUNTED_ATTRIBUTE, None) if request is not None else None
    if not keys:
        return
    # Whichever form logged in (ours or the admin's), remember_login_devices marks this browser.
    setattr(request, DEVICE_TO_REMEMBER_ATTRIBUTE, user)
    own, shared = keys[0], keys[1:]
    rate_limit.clear(own)
    rate_limit.refund(*shared)


def remember_login_devices(get_response: Callable[[HttpRequest], HttpResponse]):
    """Middleware: after a log-in with a password, on any form, mark the browser as the account's device."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, DEVICE_TO_REMEMBER_ATTRIBUTE, None)
        if user is not None:
            remember_device(response, user)
        return response

    return middleware

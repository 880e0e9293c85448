"""Checking an LTI 1.3 launch before anything is created from it.

pylti1p3 checks the OIDC state, the id_token's signature against the platform's key set,
its expiry, the nonce issued at login, the registration (issuer + client id = audience),
the deployment and the message's required claims. This module adds what a tool must
also refuse: a deployment the operator has not activated, a nonce used twice, and a
launch without the claims Source Quiz relies on. Every refusal carries a sentence for
the person who clicked the link in their LMS.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from lti_tool.models import LtiDeployment
from lti_tool.utils import DjangoToolConfig
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
NONCE_LIFETIME_SECONDS = 24 * 3600  # longer than any id_token lives (platforms issue them for minutes)


class LaunchRefused(Exception):
    """A launch that must not go on; ``status`` and the sentence for the page."""

    def __init__(self, sentence: str, status: int = 403) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.status = status


class ToolConfig(DjangoToolConfig):
    """django-lti's configuration, minus its habit of creating unknown deployments.

    A launch naming a deployment the operator never registered is refused outright,
    so a forged or misconfigured launch leaves nothing behind in the database.
    """

    def find_deployment(self, iss, deployment_id):
        return self._active_deployment(registration__issuer=iss, deployment_id=deployment_id)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        return self._active_deployment(
            registration__issuer=iss, registration__client_id=client_id, deployment_id=deployment_id
        )

    def _active_deployment(self, **lookups):
        if self.registration_uuid is not None:
            lookups["registration__uuid"] = self.registration_uuid
        self.deployment = LtiDeployment.objects.filter(registration__is_active=True, is_active=True, **lookups).first()
        if self.deployment is None:
            return None
        return Deployment().set_deployment_id(self.deployment.deployment_id)


# pylti1p3's own messages, mapped to sentences a teacher or student can act on.
_REFUSALS = [
    ("Missing id_token", "The LMS sent no launch token. Start again from the link in your course.", 400),
    ("Missing state", "This launch did not start at the LMS. Start again from the link in your course.", 400),
    ("State not found", "This launch expired or was opened in another browser. Start again from your course.", 400),
    ("Invalid Nonce", "This launch link was already used or has expired. Start again from your course.", 403),
    ('"nonce" is empty', "The LMS sent a launch without a nonce, which Source Quiz cannot accept.", 400),
    ("Registration not found", "This LMS is not registered with Source Quiz. Ask your administrator.", 403),
    ("Client id not registered", "This LMS is not registered with Source Quiz. Ask your administrator.", 403),
    ("Unable to find deployment", "This LMS deployment is not active in Source Quiz. Ask your administrator.", 403),
    ("Can't decode id_token", "The launch token's signature or lifetime is not valid. Start again.", 403),
    ("JWT KID not found", "The launch token is not signed as the LMS registered. Ask your administrator.", 403),
    ("Unable to find public key", "The launch token is not signed as the LMS registered. Ask your administrator.", 403),
    ("Invalid id_token", "The launch token is malformed. Start again from the link in your course.", 400),
    ("Invalid JWT format", "The launch token is malformed. Start again from the link in your course.", 400),
    ("Error during fetch", "Source Quiz could not reach the LMS to check this launch. Try again shortly.", 502),
    ("Invalid response", "Source Quiz could not read the LMS's signing keys. Ask your administrator.", 502),
]
_GENERIC_REFUSAL = "The LMS launch could not be checked, so Source Quiz did not open. Start again from your course."


def refusal_for(error: Exception) -> LaunchRefused:
    message = str(error)
    for fragment, sentence, status in _REFUSALS:
        if fragment in message:
            return LaunchRefused(sentence, status)
    return LaunchRefused(_GENERIC_REFUSAL, 400)


@dataclass(frozen=True)
class CheckedLaunch:
    message_launch: DjangoMessageLaunch
    claims: dict

    @property
    def launch_id(self) -> str:
        return self.message_launch.get_launch_id()

    @property
    def is_deep_link(self) -> bool:
        return self.message_launch.is_deep_link_launch()

    @property
    def roles(self) -> list[str]:
        return list(self.claims.get(CLAIM + "roles", []))

    @property
    def context_id(self) -> str:
        return (self.claims.get(CLAIM + "context") or {}).get("id", "")

    @property
    def custom(self) -> dict:
        return self.claims.get(CLAIM + "custom") or {}


def check_launch(request: HttpRequest) -> CheckedLaunch:
    """Validate the launch POSTed by a platform; raise LaunchRefused with a sentence if it fails."""
    message_launch = DjangoMessageLaunch(request, ToolConfig(), launch_data_storage=DjangoCacheDataStorage())
    try:
        claims = dict(message_launch.get_launch_data())
    except LtiException as error:
        raise refusal_for(error) from error
    except Exception as error:  # a platform's malformed key set or an unreachable URL; never a 500
        raise LaunchRefused(_GENERIC_REFUSAL, 400) from error
    _use_nonce_once(claims)
    _require_claims(claims)
    return CheckedLaunch(message_launch=message_launch, claims=claims)


def _use_nonce_once(claims: dict) -> None:
    """Refuse a second launch with the same nonce (a replayed POST), across every app server."""
    digest = hashlib.sha256(f"{claims.get('iss')}|{claims.get('nonce')}".encode()).hexdigest()
    if not cache.add(f"lti-nonce-used:{digest}", True, timeout=NONCE_LIFETIME_SECONDS):
        raise LaunchRefused("This launch link was already used. Start again from the link in your course.")


def _require_claims(claims: dict) -> None:
    if not claims.get("sub"):
        raise LaunchRefused("The LMS did not say who you are (no user id), so Source Quiz cannot sign you in.", 400)
    if not (claims.get(CLAIM + "context") or {}).get("id"):
        raise LaunchRefused("Open Source Quiz from inside a course: this launch names no course.", 400)
    if not isinstance(claims.get(CLAIM + "roles"), list):
        raise LaunchRefused("The LMS did not say what your role in the course is.", 400)

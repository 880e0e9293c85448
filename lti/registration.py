"""LTI Dynamic Registration (1EdTech LTI Dynamic Registration 1.0): one URL pasted in the LMS.

The LMS opens our registration link with `openid_configuration` (where its configuration
is published) and usually a `registration_token`. We read that configuration, check that
it belongs to the issuer it names, post our own configuration to the LMS's registration
endpoint, and record the client id and deployment it gives back: a registration that is
active at once, with its signing keys read from the LMS's key set.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import requests
from django.db import transaction
from django.utils import timezone
from lti_tool.models import LtiDeployment, LtiRegistration

from lti.launch import LaunchRefused
from lti.models import RegistrationInvite

TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
]
HTTP_TIMEOUT_SECONDS = 10


def tool_configuration(*, base_url: str, registration_uuid: uuid.UUID) -> dict:
    """What we tell the LMS about ourselves (the client registration request's body)."""
    launch_url = f"{base_url}/lti/launch/"
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": f"{base_url}/lti/login/{registration_uuid}/",
        "redirect_uris": [launch_url],
        "client_name": "Source Quiz",
        "jwks_uri": f"{base_url}/lti/jwks.json",
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(SCOPES),
        TOOL_CONFIGURATION: {
            "domain": urlsplit(base_url).netloc,
            "target_link_uri": launch_url,
            "description": "Quizzes whose every question cites the passage of the source that proves its answer.",
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [
                {"type": "LtiDeepLinkingRequest", "target_link_uri": launch_url, "label": "Source Quiz"},
                {"type": "LtiResourceLinkRequest", "target_link_uri": launch_url},
            ],
        },
    }


def register_platform(
    *, invite: RegistrationInvite, openid_configuration_url: str, registration_token: str, base_url: str
) -> LtiRegistration:
    """Register the LMS that opened ``invite``; raise LaunchRefused with a sentence when it cannot be done."""
    if not invite.is_usable():
        raise LaunchRefused("This registration link was used already or has expired. Ask for a new one.", 403)
    if urlsplit(openid_configuration_url).scheme not in ("http", "https"):
        raise LaunchRefused("The LMS did not say where its configuration is (openid_configuration).", 400)
    platform = _fetch_json(openid_configuration_url, registration_token=None)
    issuer = str(platform.get("issuer", ""))
    # The configuration must be published under the issuer it names (LTI DR 1.0, 3.5.1).
    if not issuer or not openid_configuration_url.startswith(issuer.rstrip("/")):
        raise LaunchRefused("The LMS's configuration does not belong to the issuer it names.", 400)
    required = ("authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint")
    if any(not platform.get(name) for name in required):
        raise LaunchRefused("The LMS's configuration lacks an endpoint Source Quiz needs.", 400)
    registration_uuid = uuid.uuid4()
    reply = _post_json(
        platform["registration_endpoint"],
        tool_configuration(base_url=base_url, registration_uuid=registration_uuid),
        registration_token=registration_token,
    )
    client_id = str(reply.get("client_id", ""))
    if not client_id:
        raise LaunchRefused("The LMS did not give Source Quiz a client id.", 502)
    deployment_id = str((reply.get(TOOL_CONFIGURATION) or {}).get("deployment_id", ""))
    product = (platform.get(PLATFORM_CONFIGURATION) or {}).get("product_family_code", "")
    with transaction.atomic():
        registration = LtiRegistration.objects.create(
            uuid=registration_uuid,
            name=(f"{product} · {urlsplit(issuer).netloc}" if product else urlsplit(issuer).netloc)[:255],
            issuer=issuer,
            client_id=client_id,
            auth_url=platform["authorization_endpoint"],
            token_url=platform["token_endpoint"],
            keyset_url=platform["jwks_uri"],
        )
        if deployment_id:
            LtiDeployment.objects.create(registration=registration, deployment_id=deployment_id, is_active=True)
        invite.used_at = timezone.now()
        invite.registration = registration
        invite.save(update_fields=["used_at", "registration"])
    return registration


def _fetch_json(url: str, *, registration_token: str | None) -> dict:
    headers = {"Accept": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    try:
        answer = requests.get(url, headers=headers, timeout=HTTP_TIMEOUT_SECONDS)
        answer.raise_for_status()
        body = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise LaunchRefused("Source Quiz could not read the LMS's configuration. Try again shortly.", 502) from error
    if not isinstance(body, dict):
        raise LaunchRefused("The LMS's configuration is not in the expected form.", 502)
    return body


def _post_json(url: str, payload: dict, *, registration_token: str) -> dict:
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    try:
        answer = requests.post(url, json=payload, headers=headers, timeout=HTTP_TIMEOUT_SECONDS)
        answer.raise_for_status()
        body = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise LaunchRefused(
            "The LMS refused Source Quiz's registration. Check the LMS's log and try again.", 502
        ) from error
    if not isinstance(body, dict):
        raise LaunchRefused("The LMS answered the registration in an unexpected form.", 502)
    return body

"""A small LMS for the LTI tests: real keys, real signatures, real HTTP.

It plays the platform's side of LTI 1.3 on a local HTTP server: it publishes its key
set, answers the OIDC authorisation request with a signed id_token (auto-posted to the
tool, as an LMS does), takes deep-linking replies, issues OAuth2 access tokens only for
a client assertion signed with the tool's key, and records the scores the tool posts
(rejecting any request without a token it issued). Tests can make the score endpoint
fail a number of times, and can sign tokens wrongly on purpose.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from jwcrypto.jwk import JWK

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
AGS_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
]


@dataclass
class PlatformUser:
    sub: str
    given_name: str
    family_name: str
    roles: list[str]

    @property
    def email(self) -> str:
        return f"{self.sub}@lms.example"


@dataclass
class PendingLaunch:
    user: PlatformUser
    message_type: str  # LtiResourceLinkRequest or LtiDeepLinkingRequest
    resource_link_id: str = ""
    custom: dict = field(default_factory=dict)
    lineitem: str = ""


class LmsPlatform:
    client_id = "source-quiz"
    deployment_id = "deployment-1"
    context = {"id": "course-101", "label": "HIST 101", "title": "History 101: Sanctions and technology"}

    def __init__(self, *, host: str = "127.0.0.1") -> None:
        # The name the platform goes by; a browser test uses the live server's, so that the
        # LMS page and the tool in its frame are the same site, as cookies then allow.
        self.host = host
        self.key = JWK.generate(kty="RSA", size=2048, kid=f"platform-{uuid.uuid4().hex[:8]}")
        self.private_pem = self.key.export_to_pem(private_key=True, password=None)
        self.tool_keys: dict = {"keys": []}
        self.tool_launch_url = ""
        self.pending: dict[str, PendingLaunch] = {}
        self.access_tokens: set[str] = set()
        self.scores: list[dict] = []
        self.score_failures_left = 0
        self.score_attempts = 0
        self.deep_link_replies: list[dict] = []
        self.members: list[dict] = []
        self.course_pages: dict[str, tuple[PendingLaunch, str]] = {}
        self.registration_token = "registration-token-" + secrets.token_urlsafe(8)
        self.registrations: list[dict] = []
        self.next_lineitem = 1
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _PlatformHandler)
        self.server.platform = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # Life cycle ---------------------------------------------------------------------------

    def start(self) -> LmsPlatform:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        port = self.server.server_address[1]
        return f"http://{self.host}:{port}"

    @property
    def issuer(self) -> str:
        return self.url

    def register_with_tool(self, *, tool_keys: dict, tool_launch_url: str):
        """What an operator does in the admin: register this platform and trust the tool's public keys."""
        from lti_tool.models import LtiDeployment, LtiRegistration

        self.tool_keys = tool_keys
        self.tool_launch_url = tool_launch_url
        registration = LtiRegistration.objects.create(
            name="Test LMS",
            issuer=self.issuer,
            client_id=self.client_id,
            auth_url=f"{self.url}/auth",
            token_url=f"{self.url}/token",
            keyset_url=f"{self.url}/jwks",
        )
        LtiDeployment.objects.create(registration=registration, deployment_id=self.deployment_id, is_active=True)
        return registration

    # Building launches --------------------------------------------------------------------

    def lineitem_url(self) -> str:
        url = f"{self.url}/lineitems/{self.next_lineitem}"
        self.next_lineitem += 1
        return url

    def login_params(self, launch: PendingLaunch) -> dict:
        """The third-party login initiation an LMS sends to the tool's login URL."""
        hint = secrets.token_urlsafe(8)
        self.pending[hint] = launch
        return {
            "iss": self.issuer,
            "login_hint": hint,
            "target_link_uri": self.tool_launch_url,
            "lti_message_hint": hint,
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }

    def claims_for(self, launch: PendingLaunch, *, nonce: str) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": launch.user.sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "given_name": launch.user.given_name,
            "family_name": launch.user.family_name,
            "name": f"{launch.user.given_name} {launch.user.family_name}",
            "email": launch.user.email,
            CLAIM + "deployment_id": self.deployment_id,
            CLAIM + "message_type": launch.message_type,
            CLAIM + "version": "1.3.0",
            CLAIM + "roles": launch.user.roles,
            CLAIM + "context": {
                **self.context,
                "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
            },
            CLAIM + "target_link_uri": self.tool_launch_url,
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": f"{self.url}/memberships",
                "service_versions": ["2.0"],
            },
        }
        if launch.message_type == "LtiDeepLinkingRequest":
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{self.url}/deep_link_return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False,
            }
        else:
            claims[CLAIM + "resource_link"] = {"id": launch.resource_link_id, "title": "Quiz"}
            claims[CLAIM + "custom"] = launch.custom
            claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = {
                "scope": AGS_SCOPES,
                "lineitems": f"{self.url}/lineitems",
                "lineitem": launch.lineitem,
            }
        return claims

    def sign(self, claims: dict, *, key_pem: bytes | None = None, kid: str | None = None) -> str:
        return jwt.encode(
            claims, key_pem or self.private_pem, algorithm="RS256", headers={"kid": kid or self.key.get("kid")}
        )

    def auto_post_form(self, *, id_token: str, state: str, redirect_uri: str) -> str:
        return (
            "<!doctype html><title>Test LMS</title><body>"
            f'<form id="launch" method="post" action="{html.escape(redirect_uri)}">'
            f'<input type="hidden" name="id_token" value="{html.escape(id_token)}">'
            f'<input type="hidden" name="state" value="{html.escape(state)}">'
            '<button type="submit">Continue to the tool</button></form>'
            "<script>document.getElementById('launch').submit()</script></body>"
        )

    def course_url(self, launch: PendingLaunch, *, tool_login_url: str) -> str:
        """The address of an LMS course page that opens ``launch`` in the tool's frame."""
        key = secrets.token_urlsafe(8)
        self.course_pages[key] = (launch, tool_login_url)
        return f"{self.url}/course/{key}"

    def course_page(self, launch: PendingLaunch, *, tool_login_url: str) -> str:
        """An LMS page that shows the tool in a frame, starting the launch there."""
        src = f"{tool_login_url}?{urlencode(self.login_params(launch))}"
        return (
            "<!doctype html><title>Test LMS course</title><body><h1>History 101</h1>"
            f'<iframe id="tool" title="Source Quiz" src="{html.escape(src)}" width="1000" height="900"></iframe>'
            "</body>"
        )


class _PlatformHandler(BaseHTTPRequestHandler):
    """The platform's HTTP endpoints; the server carries the platform they serve."""

    @property
    def platform(self) -> LmsPlatform:
        return self.server.platform  # type: ignore[attr-defined]

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: str | dict, content_type: str = "application/json") -> None:
        data = json.dumps(body) if isinstance(body, dict) else body
        payload = data.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _form(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            return {key: values[0] for key, values in parse_qs(raw).items()}
        return json.loads(raw or "{}")

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        route = parts.path.split("/")[1]
        handler = {
            "jwks": self._jwks,
            "auth": self._authorise,
            "memberships": self._memberships,
            ".well-known": self._openid_configuration,
            "course": self._course,
        }.get(route)
        if handler is None:
            return self._send(404, {"error": "not found"})
        return handler(parts.path, query)

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path == "/token":
            return self._token()
        if path == "/register":
            return self._register()
        if path == "/deep_link_return":
            return self._deep_link_return()
        if path.startswith("/lineitems/") and path.endswith("/scores"):
            return self._score(path)
        return self._send(404, {"error": "not found"})

    def _jwks(self, path: str, query: dict) -> None:
        self._send(200, {"keys": [json.loads(self.platform.key.export_public())]})

    def _authorise(self, path: str, query: dict) -> None:
        launch = self.platform.pending.get(query.get("login_hint", ""))
        if launch is None or query.get("client_id") != self.platform.client_id:
            return self._send(400, {"error": "invalid_request"})
        token = self.platform.sign(self.platform.claims_for(launch, nonce=query["nonce"]))
        form = self.platform.auto_post_form(id_token=token, state=query["state"], redirect_uri=query["redirect_uri"])
        return self._send(200, form, "text/html")

    def _openid_configuration(self, path: str, query: dict) -> None:
        url = self.platform.url
        self._send(
            200,
            {
                "issuer": self.platform.issuer,
                "authorization_endpoint": f"{url}/auth",
                "token_endpoint": f"{url}/token",
                "jwks_uri": f"{url}/jwks",
                "registration_endpoint": f"{url}/register",
                "https://purl.imsglobal.org/spec/lti-platform-configuration": {"product_family_code": "testlms"},
            },
        )

    def _register(self) -> None:
        if self.headers.get("Authorization") != f"Bearer {self.platform.registration_token}":
            return self._send(401, {"error": "invalid_token"})
        request = self._form()
        self.platform.registrations.append(request)
        reply = {
            **request,
            "client_id": self.platform.client_id,
            "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                **request["https://purl.imsglobal.org/spec/lti-tool-configuration"],
                "deployment_id": self.platform.deployment_id,
            },
        }
        return self._send(200, reply)

    def _memberships(self, path: str, query: dict) -> None:
        if not self._authorised():
            return self._send(401, {"error": "unauthorised"})
        body = {"id": path, "context": self.platform.context, "members": self.platform.members}
        return self._send(200, body, "application/vnd.ims.lti-nrps.v2.membershipcontainer+json")

    def _course(self, path: str, query: dict) -> None:
        launch, tool_login_url = self.platform.course_pages[path.rsplit("/", 1)[-1]]
        self._send(200, self.platform.course_page(launch, tool_login_url=tool_login_url), "text/html")

    def _deep_link_return(self) -> None:
        form = self._form()
        reply = jwt.decode(
            form["JWT"],
            key=_public_key_for(self.platform.tool_keys, form["JWT"]),
            algorithms=["RS256"],
            audience=self.platform.issuer,
        )
        self.platform.deep_link_replies.append(reply)
        self._send(200, "<!doctype html><title>Placed</title><p>Placed in the course.</p>", "text/html")

    def _score(self, path: str) -> None:
        if not self._authorised():
            return self._send(401, {"error": "unauthorised"})
        self.platform.score_attempts += 1
        if self.platform.score_failures_left > 0:
            self.platform.score_failures_left -= 1
            return self._send(503, {"error": "busy"})
        self.platform.scores.append({"lineitem": path.rsplit("/", 1)[0], **self._form()})
        return self._send(200, {})

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.platform.access_tokens

    def _token(self) -> None:
        form = self._form()
        assertion = form.get("client_assertion", "")
        try:
            claims = jwt.decode(
                assertion,
                key=_public_key_for(self.platform.tool_keys, assertion),
                algorithms=["RS256"],
                audience=f"{self.platform.url}/token",
            )
        except Exception:
            return self._send(401, {"error": "invalid_client"})
        if claims.get("sub") != self.platform.client_id or form.get("grant_type") != "client_credentials":
            return self._send(401, {"error": "invalid_client"})
        token = secrets.token_urlsafe(16)
        self.platform.access_tokens.add(token)
        return self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})


def _public_key_for(jwks: dict, token: str):
    """The tool's key that signed ``token``: by kid when its key set names them, else the one that verifies."""
    kid = jwt.get_unverified_header(token).get("kid")
    keys = [jwt.PyJWK(key).key for key in jwks["keys"] if key.get("kid") in (kid, None)]
    for key in keys:
        try:
            jwt.decode(token, key=key, algorithms=["RS256"], options={"verify_aud": False, "verify_exp": False})
        except jwt.InvalidSignatureError:
            continue
        return key
    raise jwt.InvalidTokenError("no key of the tool verifies this token")

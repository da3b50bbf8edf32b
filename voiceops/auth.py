"""Who is calling: the App Service Authentication principal in Azure, a signed dev token locally.

In Azure, App Service Authentication (Easy Auth) signs the user in and forwards the principal in
``X-MS-CLIENT-PRINCIPAL`` (base64 JSON claims), ``-NAME`` and ``-ID``; the platform strips those
headers from incoming requests, so they can be trusted only when Easy Auth is on. Everywhere else
(``python -m voiceops serve``, ``func start``) the caller sends ``Authorization: Bearer <token>``
where the token is an HMAC-signed ``{sub, roles, exp}`` made by ``python -m voiceops token TECH``.
The two modes never mix: in dev-token mode forged X-MS-* headers are ignored."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from voiceops.errors import ConfigurationError, NotAuthorized, PermanentError

if TYPE_CHECKING:
    from voiceops.settings import Settings

#: technician ids become blob path segments: the same rule ingest applies to clip paths
TECHNICIAN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
TOKEN_PREFIX = "vo1"
#: claim types that may carry the technician id in an Entra token (a custom claim or directory extension)
TECHNICIAN_CLAIMS = ("technician_id", "extension_technician_id", "extn.technician_id")
OPS_ROLE = "ops"


class NotAuthenticated(PermanentError):
    """No credentials, or credentials that do not verify (HTTP 401)."""

    code = "not_authenticated"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: the technician id used for blob paths and ticket scoping, and roles."""

    technician_id: str
    roles: frozenset[str] = field(default_factory=frozenset)
    source: str = "dev_token"

    def require_role(self, role: str) -> None:
        """Raise NotAuthorized unless the caller has ``role``."""
        if role not in self.roles:
            raise NotAuthorized(f"this needs the {role!r} role")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def check_technician_id(technician_id: str) -> str:
    """The id itself, or a typed error when it cannot be a blob path segment."""
    if not isinstance(technician_id, str) or not TECHNICIAN_ID.match(technician_id):
        raise NotAuthorized(f"invalid technician id {technician_id!r}: letters, digits, '.', '_', '-' only")
    return technician_id


def issue_dev_token(secret: str, technician_id: str, *, roles: Iterable[str] = (), ttl_s: float = 12 * 3600,
                    now: float | None = None) -> str:
    """A signed token for ``technician_id`` valid for ``ttl_s`` seconds."""
    if not secret:
        raise ConfigurationError("VOICEOPS_DEV_TOKEN_SECRET is empty")
    payload = {"sub": check_technician_id(technician_id), "roles": sorted(set(roles)),
               "exp": int((now or time.time()) + ttl_s)}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    sig = _b64(hmac.new(secret.encode(), f"{TOKEN_PREFIX}.{body}".encode(), hashlib.sha256).digest())
    return f"{TOKEN_PREFIX}.{body}.{sig}"


def verify_dev_token(secret: str, token: str, *, now: float | None = None) -> Principal:
    """The principal a token names, or NotAuthenticated when it is malformed, forged or expired."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise NotAuthenticated("malformed token")
    expected = hmac.new(secret.encode(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(expected, _unb64(parts[2])):
            raise NotAuthenticated("bad token signature")
        payload = json.loads(_unb64(parts[1]))
    except (binascii.Error, ValueError) as exc:
        raise NotAuthenticated("malformed token") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int):
        raise NotAuthenticated("malformed token")
    if payload["exp"] < (now or time.time()):
        raise NotAuthenticated("token expired")
    try:
        technician_id = check_technician_id(payload.get("sub"))
    except NotAuthorized as exc:
        raise NotAuthenticated(str(exc)) from exc
    roles = payload.get("roles") or []
    return Principal(technician_id, frozenset(str(r) for r in roles), "dev_token")


def principal_from_appservice(headers: Mapping[str, str]) -> Principal:
    """The principal App Service Authentication forwarded, or NotAuthenticated when absent.

    The technician id is a ``technician_id`` claim when the identity provider issues one, else the
    principal name when it is a valid id (an email address is not: give those users the claim)."""
    raw = headers.get("x-ms-client-principal")
    name = headers.get("x-ms-client-principal-name")
    claims: list[dict] = []
    role_type = "roles"
    if raw:
        try:
            principal = json.loads(base64.b64decode(raw))
            claims = [c for c in principal.get("claims") or [] if isinstance(c, dict)]
            role_type = principal.get("role_typ") or role_type
        except (binascii.Error, ValueError, AttributeError) as exc:
            raise NotAuthenticated("malformed X-MS-CLIENT-PRINCIPAL header") from exc
    if not raw and not name:
        raise NotAuthenticated("not signed in (no App Service Authentication principal)")
    by_type: dict[str, list[str]] = {}
    for claim in claims:
        by_type.setdefault(str(claim.get("typ")), []).append(str(claim.get("val")))
    technician = next((by_type[t][0] for t in TECHNICIAN_CLAIMS if by_type.get(t)), None) or name
    roles = set(by_type.get(role_type, [])) | set(by_type.get("roles", []))
    if (not technician or not TECHNICIAN_ID.match(technician)) and OPS_ROLE in roles:
        # an operator signs in with an email address and needs no technician id: their object id names them
        technician = headers.get("x-ms-client-principal-id")
    if not technician or not TECHNICIAN_ID.match(technician):
        raise NotAuthorized("this account has no technician id: add a 'technician_id' claim for it")
    return Principal(technician, frozenset(roles), "appservice")


class Authenticator:
    """Turns request headers (lower-cased names) into a Principal, in one mode."""

    def __init__(self, mode: str, *, secret: str | None = None) -> None:
        if mode not in ("appservice", "dev_token"):
            raise ConfigurationError(f"unknown auth mode {mode!r}")
        if mode == "dev_token" and not secret:
            raise ConfigurationError("dev-token auth needs VOICEOPS_DEV_TOKEN_SECRET")
        self.mode = mode
        self.secret = secret

    def authenticate(self, headers: Mapping[str, str]) -> Principal:
        """The caller, or NotAuthenticated / NotAuthorized."""
        if self.mode == "appservice":
            return principal_from_appservice(headers)
        scheme, _, token = (headers.get("authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("send 'Authorization: Bearer <token>' (python -m voiceops token TECH)")
        return verify_dev_token(self.secret or "", token.strip())


def build_authenticator(settings: Settings) -> Authenticator:
    """App Service principal headers when Easy Auth is on (or forced), else signed dev tokens."""
    mode = settings.auth_mode
    if mode == "auto":
        mode = "appservice" if settings.appservice_auth_enabled else "dev_token"
    return Authenticator(mode, secret=settings.dev_token_secret)

"""Dev tokens and App Service principals: who the caller is, and what forged input gets."""

from __future__ import annotations

import base64
import json

import pytest

from voiceops.auth import (
    Authenticator,
    NotAuthenticated,
    build_authenticator,
    issue_dev_token,
    principal_from_appservice,
    verify_dev_token,
)
from voiceops.errors import NotAuthorized
from voiceops.settings import Settings

SECRET = "test-secret"


def test_dev_token_round_trip_carries_technician_and_roles():
    token = issue_dev_token(SECRET, "tech-gosh", roles=["ops"], now=1000, ttl_s=60)
    principal = verify_dev_token(SECRET, token, now=1059)
    assert (principal.technician_id, principal.roles) == ("tech-gosh", frozenset({"ops"}))
    principal.require_role("ops")


@pytest.mark.parametrize("mutate", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),          # signature changed
    lambda t: ".".join([t.split(".")[0], base64.urlsafe_b64encode(         # payload swapped
        b'{"sub":"tech-other","roles":["ops"],"exp":99999999999}').decode().rstrip("="), t.split(".")[2]]),
    lambda t: "garbage",
    lambda t: "vo1.!!!.???",
])
def test_tampered_tokens_are_refused(mutate):
    token = issue_dev_token(SECRET, "tech-gosh", now=1000, ttl_s=60)
    with pytest.raises(NotAuthenticated):
        verify_dev_token(SECRET, mutate(token), now=1001)


def test_expired_token_and_other_secret_are_refused():
    token = issue_dev_token(SECRET, "tech-gosh", now=1000, ttl_s=60)
    with pytest.raises(NotAuthenticated, match="expired"):
        verify_dev_token(SECRET, token, now=1061)
    with pytest.raises(NotAuthenticated):
        verify_dev_token("another-secret", token, now=1001)


def test_technician_ids_that_cannot_be_a_path_segment_are_refused():
    for bad in ("", "../tech", "a/b", "x" * 101, "tech gosh"):
        with pytest.raises(NotAuthorized):
            issue_dev_token(SECRET, bad)


def _principal_header(claims: list[dict], role_typ: str = "roles") -> str:
    body = {"auth_typ": "aad", "name_typ": "name", "role_typ": role_typ, "claims": claims}
    return base64.b64encode(json.dumps(body).encode()).decode()


def test_app_service_principal_prefers_the_technician_claim():
    headers = {
        "x-ms-client-principal": _principal_header([
            {"typ": "technician_id", "val": "tech-gosh"}, {"typ": "roles", "val": "ops"}]),
        "x-ms-client-principal-name": "gosh@example.com",
    }
    principal = principal_from_appservice(headers)
    assert (principal.technician_id, principal.roles, principal.source) == (
        "tech-gosh", frozenset({"ops"}), "appservice")


def test_app_service_principal_without_usable_id_or_header():
    with pytest.raises(NotAuthorized, match="technician_id"):
        principal_from_appservice({"x-ms-client-principal-name": "gosh@example.com"})
    with pytest.raises(NotAuthenticated):
        principal_from_appservice({})
    with pytest.raises(NotAuthenticated):
        principal_from_appservice({"x-ms-client-principal": "%%%not-base64"})


def test_modes_never_mix():
    token = issue_dev_token(SECRET, "tech-gosh")
    forged = {"x-ms-client-principal-name": "tech-boss"}
    dev = Authenticator("dev_token", secret=SECRET)
    with pytest.raises(NotAuthenticated):
        dev.authenticate(forged)  # locally nobody strips X-MS-* headers, so they mean nothing
    assert dev.authenticate({"authorization": f"Bearer {token}"}).technician_id == "tech-gosh"
    azure = Authenticator("appservice")
    with pytest.raises(NotAuthenticated):
        azure.authenticate({"authorization": f"Bearer {token}"})
    assert azure.authenticate(forged).technician_id == "tech-boss"


def test_auto_mode_follows_website_auth_enabled():
    assert build_authenticator(Settings.from_env({"WEBSITE_AUTH_ENABLED": "true"})).mode == "appservice"
    assert build_authenticator(Settings.from_env({})).mode == "dev_token"
    assert build_authenticator(Settings(auth_mode="appservice")).mode == "appservice"

"""The ops console's API on real PostgreSQL: what the worker wrote shows up, only for the ops role."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from voiceops.api import Request, build_api
from voiceops.auth import Authenticator, issue_dev_token
from voiceops.bootstrap import build_services
from voiceops.contracts import TranscriptEvent
from voiceops.errors import ServiceUnavailable
from voiceops.operations import record_dead_letter
from voiceops.storage import LocalBlobStore
from voiceops.worker import handle_event

pytestmark = pytest.mark.integration

SECRET = "ops-test-secret"


@pytest.fixture
def ops_services(services, tmp_path):
    """The session's database and engines; blobs in a fresh folder that can sign read URLs."""
    blobs = LocalBlobStore(tmp_path / "blobs", signing_secret=SECRET)
    return build_services(services.settings, blobs=blobs, database=services.database, tts=services.tts,
                          extractor=services.extractor, policy=services.policy)


@pytest.fixture
def api(ops_services):
    return build_api(lambda: ops_services, authenticator=Authenticator("dev_token", secret=SECRET))


def _call(api, method: str, path: str, token: str | None, query: dict | None = None, body: dict | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = api.handle(Request(method, path, headers, json.dumps(body).encode() if body else b"", query or {}))
    return response.status, json.loads(response.body)


def _ops_token(uid: str) -> str:
    return issue_dev_token(SECRET, f"ops-{uid}", roles=["ops"])


def _event(services, tech: str, clip_id: str, transcript: str, *, store: bool = True) -> TranscriptEvent:
    """The event ingest makes from a clip (stored where ingest would have found it, unless ``store`` is off)."""
    name = f"{tech}/{clip_id}.webm"
    url = (services.blobs.put(services.settings.clips_container, name, b"\x1aE\xdf\xa3 stand-in",
                              content_type="audio/webm") if store
           else f"https://account.blob.core.windows.net/clips/{name}")
    return TranscriptEvent(clip_id=clip_id, technician_id=tech, blob_url=url, transcript=transcript,
                           stt_engine="test", recorded_at=datetime.now(UTC))


def test_command_log_tickets_and_bandit_show_what_the_worker_applied(api, ops_services, technician, uid):
    tech, tickets = technician
    clip_id = f"clip-{uid}-ops1"
    handle_event(ops_services, _event(ops_services, tech, clip_id, "Done at the Quill place, replaced the capacitor. "
                                  "Close it out and bill two hours."))
    tech_token = issue_dev_token(SECRET, tech)
    status, fb = _call(api, "POST", "/api/feedback", tech_token,
                       body={"clip_id": clip_id, "listened_fraction": 1.0, "replayed": False, "skipped": False})
    assert status == 200, fb
    ops_token = _ops_token(uid)
    query = {"technician": tech, "tz": "UTC"}

    status, log = _call(api, "GET", "/api/ops/commands", ops_token, query)
    assert status == 200, log
    [row] = log["commands"]
    assert (row["clip_id"], row["technician_id"], row["status"]) == (clip_id, tech, "applied")
    assert "Quill" in row["transcript"]
    assert row["extraction"]["commands"][0]["action"] == "close_ticket"
    assert [(c["ticket_id"], c["new_status"], c["hours_billed"]) for c in row["changes"]] == [
        (tickets["Quill"], "closed", 2.0)]
    assert row["reward"] == pytest.approx(fb["reward"]) and row["reward_source"] == "feedback"
    assert row["clip_blob"] == f"{tech}/{clip_id}.webm"
    assert row["clip_audio_url"] and row["reply_audio_url"]

    status, day = _call(api, "GET", "/api/ops/tickets", ops_token, query)
    assert status == 200
    by_id = {t["id"]: t for t in day["tickets"]}
    assert set(by_id) == set(tickets.values())  # all three are scheduled today, one was closed
    assert (by_id[tickets["Quill"]]["status"], by_id[tickets["Quill"]]["hours_billed"]) == ("closed", 2.0)
    assert by_id[tickets["Quill"]]["parts_used"] == ["capacitor"]
    assert day["counts"] == {"open": 2, "in_progress": 0, "closed": 1}

    status, bandit = _call(api, "GET", "/api/ops/bandit", ops_token, {**query, "days": "1"})
    assert status == 200
    assert bandit["totals"]["decisions"] == 1 and bandit["totals"]["from_feedback"] == 1
    assert sum(h["total"] for h in bandit["share_by_hour"]) == 1
    [point] = bandit["reward_over_time"]
    assert point["n"] == 1 and point["mean"] == pytest.approx(fb["reward"])

    # another day shows nothing of it
    status, other = _call(api, "GET", "/api/ops/commands", ops_token, {**query, "day": "2001-01-01"})
    assert status == 200 and other["commands"] == []


def test_ops_views_need_the_ops_role(api, technician):
    tech, _ = technician
    assert _call(api, "GET", "/api/ops/tickets", None)[0] == 401
    status, body = _call(api, "GET", "/api/ops/commands", issue_dev_token(SECRET, tech))
    assert (status, body["error"]["code"]) == (403, "not_authorized")
    assert _call(api, "POST", "/api/ops/retry/whatever-clip", issue_dev_token(SECRET, tech))[0] == 403


def test_bad_filters_are_clear_400s(api, uid):
    token = _ops_token(uid)
    for query, words in (({"tz": "Mars/Olympus"}, "time zone"), ({"day": "25/11/2026"}, "YYYY-MM-DD"),
                         ({"technician": "../etc"}, "technician"), ({"days": "many"}, "whole number")):
        status, body = _call(api, "GET", "/api/ops/bandit", token, query)
        assert status == 400 and words in body["error"]["message"], body


def test_dead_lettered_command_is_listed_with_its_reason_and_retry_applies_it(api, ops_services, technician, uid):
    tech, tickets = technician
    clip_id = f"clip-{uid}-dead"
    # its audio is gone (retention), so retry re-runs the stored transcript
    event = _event(ops_services, tech, clip_id, "Finished at the Brandt place, bill an hour and a half.", store=False)
    record_dead_letter(ops_services, event, ServiceUnavailable("speech service returned 503"), 5)
    token = _ops_token(uid)

    status, failed = _call(api, "GET", "/api/ops/failed", token, {"technician": tech})
    assert status == 200
    [row] = failed["failed"]
    assert (row["clip_id"], row["failure"], row["attempts"]) == (clip_id, "dead_lettered", 5)
    assert "service_unavailable" in row["reason"] and "503" in row["reason"]

    status, result = _call(api, "POST", f"/api/ops/retry/{clip_id}", token)
    assert status == 200, result
    assert result["status"] == "applied"
    status, failed = _call(api, "GET", "/api/ops/failed", token, {"technician": tech})
    assert failed["failed"] == []
    status, day = _call(api, "GET", "/api/ops/tickets", token, {"technician": tech})
    brandt = next(t for t in day["tickets"] if t["id"] == tickets["Brandt"])
    assert (brandt["status"], brandt["hours_billed"]) == ("closed", 1.5)


def test_the_azure_http_functions_serve_the_ops_views(ops_services, technician, uid, monkeypatch):
    import azure.functions as func

    import function_app
    from voiceops.bootstrap import set_services

    tech, tickets = technician
    secret = ops_services.settings.dev_token_secret
    set_services(ops_services)
    monkeypatch.setattr(function_app, "_api", None)  # rebuilt from these services on the first call

    def call(name: str, method: str, path: str, token: str, **route_params):
        request = func.HttpRequest(method=method, url=f"https://voiceops.example{path}?technician={tech}",
                                   headers={"Authorization": f"Bearer {token}"}, route_params=route_params,
                                   params={"technician": tech}, body=b"")
        response = getattr(function_app, name).build().get_user_function()(request)
        return response.status_code, response.get_body()

    try:
        ops_token = issue_dev_token(secret, f"ops-{uid}", roles=["ops"])
        status, body = call("ops_view", "GET", "/api/ops/tickets", ops_token, view="tickets")
        assert status == 200
        assert {t["id"] for t in json.loads(body)["tickets"]} == set(tickets.values())
        assert call("ops_view", "GET", "/api/ops/secrets", ops_token, view="secrets")[0] == 404
        assert call("ops_view", "GET", "/api/ops/failed", issue_dev_token(secret, tech), view="failed")[0] == 403
        status, body = call("ops_retry", "POST", "/api/ops/retry/no-such-clip", ops_token, clip_id="no-such-clip")
        assert (status, json.loads(body)["error"]["code"]) == (400, "unknown_clip")
    finally:
        set_services(None)

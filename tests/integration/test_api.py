"""The HTTP handlers against real PostgreSQL, real Azurite and the real bandit (no speech models)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import psycopg
import pytest
from azure.core.exceptions import HttpResponseError
from azure.storage.blob import BlobClient, ContentSettings

from voiceops.api import Request, build_api
from voiceops.auth import issue_dev_token
from voiceops.bandit import StyleContext
from voiceops.bootstrap import build_services
from voiceops.errors import ServiceUnavailable
from voiceops.settings import Settings
from voiceops.storage import AzureBlobStore

pytestmark = pytest.mark.integration
SECRET = "api-test-secret"


@pytest.fixture(scope="module")
def api_services(seeded_url, azurite):
    settings = Settings(database_url=seeded_url, storage_connection=azurite.connection_string,
                        dev_token_secret=SECRET, auth_mode="dev_token")
    services = build_services(settings)
    services.blobs.ensure_containers(settings.clips_container, settings.replies_container)
    yield services
    services.close()


@pytest.fixture(scope="module")
def api(api_services):
    return build_api(lambda: api_services, queue_probe=lambda: {"kind": "test"})


def _auth(tech: str, *roles: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_dev_token(SECRET, tech, roles=roles)}"}


def _call(api, method: str, path: str, tech: str | None = None, body: dict | None = None):
    request = Request(method, path, _auth(tech) if tech else {}, json.dumps(body).encode() if body else b"")
    response = api.handle(request)
    return response.status, json.loads(response.body) if response.body else None, response.headers


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _record(api_services, tech: str, clip_id: str, *, status: str = "applied", uploaded: bool = True,
            error_code: str | None = None) -> str:
    """A clip the worker has handled: command row, real bandit decision, reply row and reply audio in Azurite."""
    decision = api_services.policy.choose(StyleContext(technician_id=tech, hour=9, weekday=2,
                                                        action="close_ticket", jobs_remaining=2))
    audio = f"{tech}/{clip_id}.wav"
    reply_status = "failed" if status == "failed" else "done"
    sidecar = {"clip_id": clip_id, "technician_id": tech, "status": reply_status, "reply_text": "Job closed.",
               "audio": audio, "style": decision.style, "decision_id": decision.decision_id}
    api_services.blobs.put("replies", audio, b"RIFF-reply-" + clip_id.encode(), content_type="audio/wav")
    with psycopg.connect(api_services.database.url) as conn:
        conn.execute("INSERT INTO voice_commands (clip_id, technician_id, status, error_code, error)"
                     " VALUES (%s, %s, %s, %s, %s)",
                     (clip_id, tech, status, error_code, "could not decode" if error_code else None))
        conn.execute("INSERT INTO replies (clip_id, technician_id, status, style, decision_id, reply_text,"
                     " audio_blob, sidecar, audio_uploaded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s,"
                     " CASE WHEN %s THEN now() END)",
                     (clip_id, tech, reply_status, decision.style, decision.decision_id, "Job closed.", audio,
                      json.dumps(sidecar), uploaded))
    return decision.decision_id


def test_requests_without_a_valid_token_are_refused(api, uid):
    for method, path in (("POST", "/api/clips/upload-url"), ("GET", f"/api/replies/clip-{uid}"),
                         ("POST", "/api/feedback")):
        status, body, headers = _call(api, method, path)
        assert status == 401 and body["error"]["code"] == "not_authenticated"
        assert headers["WWW-Authenticate"] == "Bearer"
    forged = api.handle(Request("POST", "/api/clips/upload-url", {"Authorization": "Bearer vo1.e30.AAAA"}))
    assert forged.status == 401


def test_upload_url_writes_only_the_technicians_own_clip(api, api_services, uid):
    tech = f"tech-{uid}"
    clip_id = uuid.uuid4().hex
    status, body, _ = _call(api, "POST", "/api/clips/upload-url", tech,
                            {"content_type": "audio/webm;codecs=opus", "clip_id": clip_id})
    assert status == 200
    assert body["blob_name"] == f"{tech}/{clip_id}.webm" and body["reply_url"] == f"/api/replies/{clip_id}"
    BlobClient.from_blob_url(body["upload_url"]).upload_blob(
        b"webm-bytes", content_settings=ContentSettings(content_type="audio/webm"),
        metadata={"recorded_at": "2026-11-25T09:00:00+01:00"})
    assert api_services.blobs.get("clips", f"{tech}/{clip_id}.webm") == b"webm-bytes"
    # the URL names one blob: it cannot be pointed at another technician's folder
    other = BlobClient.from_blob_url(body["upload_url"].replace(f"/clips/{tech}/", "/clips/tech-victim/"))
    with pytest.raises(HttpResponseError) as refused:
        other.upload_blob(b"x")
    assert refused.value.status_code == 403


@pytest.mark.parametrize(("body", "code"), [
    ({"content_type": "text/plain"}, "bad_request"),
    ({"content_type": "audio/wav", "clip_id": "../../etc"}, "bad_request"),
    ({"content_type": "audio/wav", "clip_id": "short"}, "bad_request"),
])
def test_upload_url_rejects_bad_input(api, uid, body, code):
    status, answer, _ = _call(api, "POST", "/api/clips/upload-url", f"tech-{uid}", body)
    assert (status, answer["error"]["code"]) == (400, code)


def test_a_clip_id_used_by_another_technician_is_a_conflict(api, api_services, uid):
    clip_id = f"taken-{uid}-0000"
    _record(api_services, f"tech-a{uid}", clip_id)
    status, body, _ = _call(api, "POST", "/api/clips/upload-url", f"tech-b{uid}",
                            {"content_type": "audio/wav", "clip_id": clip_id})
    assert (status, body["error"]["code"]) == (409, "conflict")


def test_reply_is_pending_until_its_audio_is_uploaded_then_readable_by_its_owner_only(api, api_services, uid):
    tech = f"tech-{uid}"
    clip_id = f"clip-{uid}"
    status, body, headers = _call(api, "GET", f"/api/replies/{clip_id}", tech)
    assert (status, body["status"], headers["Retry-After"]) == (404, "pending", "2")

    _record(api_services, tech, clip_id, uploaded=False)
    assert _call(api, "GET", f"/api/replies/{clip_id}", tech)[0] == 404
    with psycopg.connect(api_services.database.url) as conn:
        conn.execute("UPDATE replies SET audio_uploaded_at = now() WHERE clip_id = %s", (clip_id,))

    status, body, _ = _call(api, "GET", f"/api/replies/{clip_id}", tech)
    assert status == 200
    assert (body["status"], body["reply_text"], body["command_status"]) == ("done", "Job closed.", "applied")
    assert _get(body["audio_url"]) == (200, b"RIFF-reply-" + clip_id.encode())
    # someone else's clip looks exactly like a pending one
    assert _call(api, "GET", f"/api/replies/{clip_id}", f"tech-x{uid}")[:2] == (404, {"clip_id": clip_id,
                                                                                      "status": "pending"})


def test_failed_clip_returns_its_error_and_the_spoken_apology(api, api_services, uid):
    tech, clip_id = f"tech-{uid}", f"bad-{uid}"
    _record(api_services, tech, clip_id, status="failed", error_code="unreadable_audio")
    status, body, _ = _call(api, "GET", f"/api/replies/{clip_id}", tech)
    assert status == 200
    assert body["status"] == "failed"
    assert body["error"] == {"code": "unreadable_audio", "message": "could not decode"}
    assert _get(body["audio_url"])[0] == 200


def test_feedback_becomes_one_bandit_reward_for_that_replys_decision(api, api_services, uid):
    tech, clip_id = f"tech-{uid}", f"fb-{uid}"
    decision_id = _record(api_services, tech, clip_id)
    feedback = {"clip_id": clip_id, "listened_fraction": 0.8, "replayed": True, "skipped": False}

    assert _call(api, "POST", "/api/feedback", f"tech-x{uid}", feedback)[0] == 404  # not theirs
    status, body, _ = _call(api, "POST", "/api/feedback", tech, feedback)
    assert status == 200
    assert (body["decision_id"], body["reward"], body["recorded"]) == (decision_id, pytest.approx(0.4), True)
    status, body, _ = _call(api, "POST", "/api/feedback", tech, feedback)
    assert (status, body["recorded"]) == (200, False)  # the first reward wins
    with psycopg.connect(api_services.database.url) as conn:
        rows = conn.execute("SELECT reward, source FROM bandit_rewards WHERE decision_id = %s",
                            (decision_id,)).fetchall()
    assert rows == [(pytest.approx(0.4), "feedback")]

    status, body, _ = _call(api, "POST", "/api/feedback", tech, {"clip_id": clip_id, "listened_fraction": 7})
    assert status == 400 and "listened_fraction" in body["error"]["message"]


def test_health_reports_each_dependency(api_services, seeded_url):
    ok = build_api(lambda: api_services, queue_probe=lambda: {"kind": "test"})
    status, body, _ = _call(ok, "GET", "/api/health")
    assert status == 200 and body["status"] == "ok"
    assert all(check["ok"] for check in body["checks"].values())

    def queue_down():
        raise ServiceUnavailable("queue unreachable")

    dead_storage = build_services(Settings(database_url=seeded_url, storage_connection="x"),
                                  blobs=AzureBlobStore.from_connection_string(
                                      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;"
                                      "BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;", retry_total=0),
                                  database=api_services.database)
    status, body, _ = _call(build_api(lambda: dead_storage, queue_probe=queue_down), "GET", "/api/health")
    assert status == 503
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["storage"]["error"] == "service_unavailable"
    assert body["checks"]["queue"]["error"] == "service_unavailable"


def test_static_web_app_is_served_without_escaping_its_folder(api_services, tmp_path):
    (tmp_path / "index.html").write_text("<h1>tech</h1>")
    (tmp_path / "ops.html").write_text("<h1>ops</h1>")
    (tmp_path.parent / "secret.txt").write_text("nope")
    web = build_api(lambda: api_services, web_root=tmp_path)
    assert web.handle(Request("GET", "/")).body == b"<h1>tech</h1>"
    ops = web.handle(Request("GET", "/ops"))
    assert (ops.status, ops.body, ops.headers["Content-Type"]) == (200, b"<h1>ops</h1>", "text/html; charset=utf-8")
    assert web.handle(Request("GET", "/../secret.txt")).status == 404
    assert web.handle(Request("GET", "/api/nothing-here")).status == 404
    assert web.handle(Request("DELETE", "/api/health")).status == 405

"""`python -m voiceops serve` as a browser sees it: HTTP on a real socket, the local folder with signed
URLs, the clip watcher, the in-process queue and the real pipeline."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from types import SimpleNamespace

import pytest

from voiceops.auth import issue_dev_token
from voiceops.bootstrap import build_services
from voiceops.errors import DatabaseUnavailable
from voiceops.server import ClipWatcher, LocalQueue, LocalServer
from voiceops.storage import LocalBlobStore

pytestmark = pytest.mark.integration


def _request(method: str, url: str, *, body: bytes | None = None, headers: dict | None = None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


@pytest.fixture
def server(services, tmp_path):
    """serve on a free port over the session's engines and database, blobs in a fresh folder."""
    settings = services.settings.model_copy(update={"data_dir": tmp_path})
    blobs = LocalBlobStore(tmp_path / "blobs", signing_secret=settings.dev_token_secret)
    blobs.ensure_containers(settings.clips_container, settings.replies_container)
    svc = build_services(settings, blobs=blobs, database=services.database, stt=services.stt, tts=services.tts,
                         extractor=services.extractor, policy=services.policy)
    local = LocalServer(svc, port=0, poll_interval_s=0.2)
    local.start()
    yield local
    local.stop()


@pytest.mark.slow
def test_a_clip_put_to_the_signed_url_comes_back_as_a_reply(server, johnson_job):
    tech, ticket = johnson_job
    s = server.services.settings
    auth = {"Authorization": f"Bearer {issue_dev_token(s.dev_token_secret, tech)}",
            "Content-Type": "application/json"}
    status, body, _ = _request("GET", f"{server.url}/api/health")
    assert status == 200, body
    assert json.loads(body)["checks"]["queue"]["kind"] == "in-process"

    clip_id = uuid.uuid4().hex
    status, body, _ = _request("POST", f"{server.url}/api/clips/upload-url", headers=auth,
                               body=json.dumps({"content_type": "audio/wav", "clip_id": clip_id}).encode())
    assert status == 200
    grant = json.loads(body)
    assert grant["upload_url"].startswith(f"/blobs/{s.clips_container}/{tech}/{clip_id}.wav?")
    said = server.services.tts.synthesize("I'm done at the Johnson place. Mark the job as finished.").data
    put_headers = {**grant["headers"], "x-ms-meta-recorded_at": "2026-11-25T10:00:00+00:00"}
    tampered = grant["upload_url"].replace(f"/{tech}/", "/tech-victim/")
    assert _request("PUT", server.url + tampered, body=said, headers=put_headers)[0] == 403
    assert _request("PUT", server.url + grant["upload_url"], body=said, headers=put_headers)[0] == 201
    assert _request("PUT", server.url + grant["upload_url"], body=b"again", headers=put_headers)[0] == 403

    deadline = time.monotonic() + 300  # a failure guard for a slow machine, not a performance check
    while True:
        status, body, headers = _request("GET", f"{server.url}/api/replies/{clip_id}", headers=auth)
        if status != 404 or time.monotonic() > deadline:
            break
        assert headers["Retry-After"] == "2"
        time.sleep(0.5)
    assert status == 200, body
    reply = json.loads(body)
    assert reply["status"] == "done"
    assert [(c["ticket_id"], c["new_status"]) for c in reply["changes"]] == [(ticket, "closed")]
    status, audio, headers = _request("GET", server.url + reply["audio_url"])
    assert (status, audio[:4], headers["Content-Type"]) == (200, b"RIFF", "audio/wav")
    assert _request("GET", server.url + reply["audio_url"].replace("sp=r", "sp=c"))[0] == 403

    # processed clips are remembered in PostgreSQL: a restarted watcher does not ingest them again
    fresh = LocalQueue(lambda body, delivery: pytest.fail("re-ingested a processed clip"))
    assert ClipWatcher(server.services, fresh).poll_once() == 0


def test_local_queue_retries_transient_failures_then_dead_letters():
    attempts: dict[str, int] = {}
    done = threading.Event()

    def handle(body: str, delivery: int):
        clip = json.loads(body)["clip_id"]
        attempts[clip] = attempts.get(clip, 0) + 1
        assert delivery == attempts[clip]
        if clip == "never" or attempts[clip] < 3:
            raise DatabaseUnavailable("database restarting")
        done.set()
        return SimpleNamespace(timings_ms={}, duplicate=False, sidecar=SimpleNamespace(status="done"))

    q = LocalQueue(handle, max_deliveries=4, backoff_s=0.01)
    q.start()
    q.put(json.dumps({"clip_id": "never"}))
    q.put(json.dumps({"clip_id": "third-time"}))
    assert done.wait(30)
    q.stop()
    assert attempts == {"never": 4, "third-time": 3}
    assert q.handled == 1
    assert [(d["clip_id"], d["reason"]) for d in q.dead_letters] == [("never", "DatabaseUnavailable")]

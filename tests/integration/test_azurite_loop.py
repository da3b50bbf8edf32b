"""The Azure loop on Azurite, through function_app.py's own functions with real azure.functions objects.

phone (SDK upload with the API's SAS) -> Azurite -> transcribe_clip (blob stream) -> the Service Bus
message it emits -> handle_commands -> reply audio and sidecar in Azurite -> reply and feedback over
the HTTP functions. Core Tools and a Service Bus emulator cannot run here, so the test plays the host:
it reads the blob, builds the binding objects and passes the output message on."""

from __future__ import annotations

import io
import json
import logging
import urllib.request
import uuid
import wave

import azure.functions as func
import numpy as np
import psycopg
import pytest
from azure.functions.blob import InputStream  # the concrete stream the worker builds (func.InputStream is abstract)
from azure.functions.servicebus import ServiceBusMessage
from azure.storage.blob import BlobClient, BlobServiceClient, ContentSettings

import function_app
from voiceops.auth import issue_dev_token
from voiceops.bootstrap import build_services, set_services
from voiceops.storage import AzureBlobStore

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class Out(func.Out):
    """The output binding the host would hand in."""

    def __init__(self) -> None:
        self.value = None

    def set(self, val) -> None:
        self.value = val

    def get(self):
        return self.value


def _fn(name: str):
    return getattr(function_app, name).build().get_user_function()


def _http(name: str, method: str, path: str, token: str, body: dict | None = None, **route_params):
    request = func.HttpRequest(method=method, url=f"http://localhost:7071{path}",
                               headers={"Authorization": f"Bearer {token}"}, route_params=route_params,
                               body=json.dumps(body).encode() if body else b"")
    response = _fn(name)(request)
    return response.status_code, json.loads(response.get_body())


@pytest.fixture
def azure_services(services, azurite, monkeypatch):
    """The session's engines and database, with blobs in Azurite, as the process-wide services."""
    settings = services.settings.model_copy(update={"storage_connection": azurite.connection_string})
    store = AzureBlobStore.from_connection_string(azurite.connection_string)
    store.ensure_containers(settings.clips_container, settings.replies_container)
    svc = build_services(settings, blobs=store, database=services.database, stt=services.stt, tts=services.tts,
                         extractor=services.extractor, policy=services.policy)
    set_services(svc)
    monkeypatch.setattr(function_app, "_api", None)  # rebuilt on first HTTP call from these services
    yield svc
    set_services(None)  # nothing to close: the session fixture owns the pool and engines


def test_clip_to_reply_through_the_functions_on_azurite(azure_services, azurite, johnson_job, caplog):
    tech, ticket = johnson_job
    caplog.set_level(logging.INFO)
    s = azure_services.settings
    token = issue_dev_token(s.dev_token_secret, tech)
    account = BlobServiceClient.from_connection_string(azurite.connection_string)
    said = azure_services.tts.synthesize(
        "I'm done at the Johnson place. Mark the job as finished and bill them for 2 hours.").data

    # the phone: an upload URL from the HTTP function, then the SDK puts the clip with it
    clip_id = uuid.uuid4().hex
    status, grant = _http("upload_url", "POST", "/api/clips/upload-url", token,
                          {"content_type": "audio/wav", "clip_id": clip_id})
    assert status == 200
    BlobClient.from_blob_url(grant["upload_url"]).upload_blob(
        said, content_settings=ContentSettings(content_type="audio/wav"),
        metadata={"recorded_at": "2026-11-25T16:45:00+00:00"})
    status, body = _http("reply", "GET", f"/api/replies/{clip_id}", token, clip_id=clip_id)
    assert (status, body["status"]) == (404, "pending")

    # the host: Event Grid says the blob exists; the trigger gets its stream and properties
    blob = account.get_blob_client(s.clips_container, grant["blob_name"])
    props = blob.get_blob_properties()
    stream = InputStream(data=blob.download_blob().readall(), name=f"{s.clips_container}/{grant['blob_name']}",
                         uri=blob.url, length=props.size, metadata=props.metadata,
                         blob_properties={"ContentType": props.content_settings.content_type})
    events = Out()
    caplog.clear()
    _fn("transcribe_clip")(clip=stream, events=events, context=None)
    event = json.loads(events.get())
    assert (event["clip_id"], event["technician_id"], event["error"]) == (clip_id, tech, None)
    assert "johnson" in event["transcript"].lower()
    assert event["recorded_at"].startswith("2026-11-25T16:45")

    message = ServiceBusMessage(body=events.get().encode(), message_id=str(uuid.uuid4()), delivery_count=1,
                                application_properties={}, user_properties={}, content_type="application/json")
    _fn("handle_commands")([message], context=None)
    # every line the pipeline logged from blob to reply names the clip
    ours = [r for r in caplog.records if r.name.startswith("voiceops")]
    assert {r.name for r in ours} >= {"voiceops.ingest", "voiceops.worker", "voiceops.telemetry"}
    assert {r.clip_id for r in ours} == {clip_id}, [(r.name, r.getMessage()) for r in ours if r.clip_id != clip_id]

    # the reply, read back from Azurite with the SDK
    replies = account.get_container_client(s.replies_container)
    sidecar = json.loads(replies.download_blob(f"{tech}/{clip_id}.json").readall())
    assert sidecar["status"] == "done"
    assert sidecar["transcript"] == event["transcript"]
    [change] = sidecar["changes"]
    assert (change["ticket_id"], change["old_status"], change["new_status"]) == (ticket, "open", "closed")
    audio = replies.download_blob(sidecar["audio"]).readall()
    with wave.open(io.BytesIO(audio)) as w:
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
        assert (w.getframerate(), w.getnchannels()) == (16000, 1)
    assert np.sqrt(np.mean((samples / 32768.0) ** 2)) > 0.01, "the reply audio is silence"

    # the phone again: the reply endpoint hands out a read SAS for exactly that audio
    status, body = _http("reply", "GET", f"/api/replies/{clip_id}", token, clip_id=clip_id)
    assert (status, body["status"], body["audio"]) == (200, "done", sidecar["audio"])
    with urllib.request.urlopen(body["audio_url"], timeout=10) as r:
        assert r.read() == audio
    status, body = _http("feedback", "POST", "/api/feedback", token,
                         {"clip_id": clip_id, "listened_fraction": 1.0, "replayed": False, "skipped": False})
    assert (status, body["reward"], body["decision_id"]) == (200, 1.0, sidecar["decision_id"])

    # a redelivered message (lock lost, host retry) changes nothing
    def effects(conn) -> tuple:
        return (conn.execute("SELECT status FROM tickets WHERE id = %s", (ticket,)).fetchone()[0],
                conn.execute("SELECT count(*) FROM audit_log WHERE clip_id = %s", (clip_id,)).fetchone()[0],
                conn.execute("SELECT count(*) FROM billing_entries WHERE ticket_id = %s", (ticket,)).fetchone()[0])

    with psycopg.connect(azure_services.database.url) as conn:
        before = effects(conn)
    _fn("handle_commands")([message], context=None)
    with psycopg.connect(azure_services.database.url) as conn:
        assert effects(conn) == before
        assert before[:2] == ("closed", before[1]) and before[1] >= 1
        timings = conn.execute("SELECT timings FROM voice_commands WHERE clip_id = %s", (clip_id,)).fetchone()[0]
    assert {"extract", "apply", "tts", "upload", "total"} <= set(timings)

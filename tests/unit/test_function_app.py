"""function_app.py: indexes from a clean import, binds what the infra provides, and never loses a batch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import azure.functions as func
import pytest
from azure.functions.servicebus import ServiceBusMessage  # the concrete class the worker builds

import function_app
from voiceops.errors import DatabaseUnavailable, TransientError

REPO = Path(__file__).resolve().parents[2]

_LIST_FUNCTIONS = """
import json, function_app
print(json.dumps({f.get_function_name(): json.loads(f.get_function_json())["bindings"]
                  for f in function_app.app.get_functions()}))
"""


def test_indexes_every_function_from_a_clean_import_with_no_settings():
    result = subprocess.run([sys.executable, "-c", _LIST_FUNCTIONS], cwd=REPO, env={}, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    functions = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(functions) == {"transcribe_clip", "handle_commands", "upload_url", "reply", "feedback", "health",
                              "ops_view", "ops_retry", "web"}

    blob, = [b for b in functions["transcribe_clip"] if b["type"] == "blobTrigger"]
    assert (blob["path"], blob["connection"], blob["source"]) == (
        "%VOICEOPS_CLIPS_CONTAINER%/{technician}/{name}", "AzureWebJobsStorage", "EventGrid")
    out, = [b for b in functions["transcribe_clip"] if b["type"] == "serviceBus"]
    trigger, = functions["handle_commands"]
    for binding in (out, trigger):
        assert (binding["queueName"], binding["connection"]) == ("%VOICEOPS_QUEUE%", "SERVICEBUS")
    assert trigger["cardinality"].lower() == "many"
    routes = {name: bindings[0]["route"] for name, bindings in functions.items()
              if bindings[0]["type"] == "httpTrigger"}
    assert routes == {"upload_url": "api/clips/upload-url", "reply": "api/replies/{clip_id}",
                      "feedback": "api/feedback", "health": "api/health", "ops_view": "api/ops/{view}",
                      "ops_retry": "api/ops/retry/{clip_id}", "web": "{*path}"}


def _user_function(name: str):
    # each decorated name is a FunctionBuilder; app.get_functions() may run only once per app
    return getattr(function_app, name).build().get_user_function()


def _message(clip_id: str, delivery_count: int = 1) -> func.ServiceBusMessage:
    return ServiceBusMessage(body=json.dumps({"clip_id": clip_id}).encode(), message_id=f"m-{clip_id}",
                             application_properties={}, user_properties={}, delivery_count=delivery_count)


@pytest.fixture
def worker_calls(monkeypatch):
    """handle_batch replaced by a recorder that fails transiently for clip 'b' (a unit test of batch logic)."""
    seen: list[str] = []
    deliveries: dict[str, int | None] = {}

    def one(body, delivery_count):
        clip_id = json.loads(body)["clip_id"]
        seen.append(clip_id)
        deliveries[clip_id] = delivery_count
        if clip_id == "b":
            return DatabaseUnavailable("database restarting")
        sidecar = SimpleNamespace(status="done")
        return SimpleNamespace(sidecar=sidecar, duplicate=False, timings_ms={"total": 1.0})

    def fake_handle_batch(services, batch):
        return [one(body, count) for body, count in batch]

    monkeypatch.setitem(sys.modules, "voiceops.worker", SimpleNamespace(handle_batch=fake_handle_batch))
    monkeypatch.setattr(function_app, "_services", lambda: None)
    return SimpleNamespace(order=seen, deliveries=deliveries)


def test_one_transient_failure_does_not_stop_the_rest_of_the_batch(worker_calls):
    handle_commands = _user_function("handle_commands")
    with pytest.raises(TransientError, match=r"1 of 3 .*\(b\)") as raised:
        handle_commands([_message("a"), _message("b"), _message("c")], context=None)
    assert worker_calls.order == ["a", "b", "c"]  # queue order, every message tried
    assert isinstance(raised.value.__cause__, DatabaseUnavailable)


def test_a_clean_batch_completes(worker_calls):
    _user_function("handle_commands")([_message("a"), _message("c", delivery_count=5)], context=None)
    assert worker_calls.order == ["a", "c"]


def test_the_delivery_count_reaches_the_worker(worker_calls):
    # the worker records a dead-letter reason for ops on the last delivery, so it must see the count
    _user_function("handle_commands")([_message("a", delivery_count=1), _message("c", delivery_count=5)],
                                      context=None)
    assert worker_calls.deliveries == {"a": 1, "c": 5}


def test_recorded_at_comes_from_blob_metadata_with_a_timezone():
    from voiceops.storage import recorded_at_from

    assert recorded_at_from({"Recorded_At": "2026-11-25T08:30:00Z"}).isoformat() == "2026-11-25T08:30:00+00:00"
    assert recorded_at_from({"recorded_at": "2026-11-25T08:30:00"}) is None  # no zone: not trusted
    assert recorded_at_from({"recorded_at": "yesterday"}) is None
    assert recorded_at_from(None) is None


def test_host_json_serves_routes_at_the_paths_they_declare():
    # routes are declared as "api/..." and the web app as "{*path}" at the root: no extra prefix allowed
    host = json.loads((REPO / "host.json").read_text())
    assert host["extensions"]["http"]["routePrefix"] == ""

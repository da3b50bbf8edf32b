"""Azure Functions entry points (Python v2 model). They only translate bindings to voiceops calls.

Importing this module reads no settings and builds no clients: an import-time failure would make
the host index zero functions. Services are built on the first invocation (voiceops.bootstrap).

    transcribe_clip   blob clips/{technician}/{name} (Event Grid) -> ingest -> Service Bus message
    handle_commands   Service Bus batch -> worker.handle_batch (one transaction per batch, queue order)
    upload_url, reply, feedback, health, ops_view, ops_retry, web   HTTP -> voiceops.api (the handlers `serve` runs too)

Message id: the Service Bus output binding takes only a str/bytes body, so the host gives each
message a random id and Service Bus duplicate detection cannot recognise a repeated clip. The
guarantee lives in the database instead: voice_commands.clip_id is unique and the worker's claim
is idempotent, which also covers redeliveries that duplicate detection never could (lock lost,
retries after the window). A repeated Event Grid delivery costs one extra transcription and a
no-op worker pass; the binding keeps identity-based connections in the host and sends nothing
when ingest raises."""

# no `from __future__ import annotations`: the Python worker reads the binding types from the live
# annotations, and typing.List is the form its batch (cardinality many) check is documented with
import json
import logging
import threading
import typing
from urllib.parse import urlparse

import azure.functions as func

from voiceops import telemetry
from voiceops.errors import PermanentError, TransientError

log = logging.getLogger("voiceops.functions")

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)  # App Service Authentication guards HTTP

_lock = threading.Lock()
_api = None


def _services():
    """The process-wide services; the first call also switches on telemetry."""
    from voiceops.bootstrap import get_services

    services = get_services()
    telemetry.configure(services.settings)
    return services


@app.function_name("transcribe_clip")
@app.blob_trigger(arg_name="clip", path="%VOICEOPS_CLIPS_CONTAINER%/{technician}/{name}",
                  connection="AzureWebJobsStorage", source=func.BlobSource.EVENT_GRID)
@app.service_bus_queue_output(arg_name="events", connection="SERVICEBUS", queue_name="%VOICEOPS_QUEUE%")
def transcribe_clip(clip: func.InputStream, events: func.Out[str], context: func.Context) -> None:
    """A new clip: transcribe it and queue the TranscriptEvent. Transient errors raise (Event Grid retries)."""
    from voiceops.ingest import ingest_clip, parse_clip_name
    from voiceops.storage import recorded_at_from

    try:
        technician_id, clip_id = parse_clip_name(clip.name or "")
    except PermanentError as exc:
        # only a direct write outside the signed layout gets here; there is no technician to answer
        log.error("ignoring blob %s: %s", clip.name, exc)
        return
    with telemetry.invocation(context), telemetry.correlation(clip_id):
        with telemetry.stage("ingest", technician=technician_id) as timing:
            services = _services()
            properties = clip.blob_properties or {}
            event = ingest_clip(
                services, technician_id=technician_id, clip_id=clip_id, data=clip.read(),
                blob_url=clip.uri or services.blobs.url(services.settings.clips_container, clip.name or ""),
                content_type=properties.get("ContentType") or properties.get("contentType"),
                recorded_at=recorded_at_from(clip.metadata),
            )
            events.set(event.to_json())
        telemetry.record_timings({"ingest": timing["ms"]}, error=event.error)


def _clip_id_of(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data.get("clip_id") if isinstance(data, dict) and isinstance(data.get("clip_id"), str) else None


@app.function_name("handle_commands")
@app.service_bus_queue_trigger(arg_name="messages", connection="SERVICEBUS", queue_name="%VOICEOPS_QUEUE%",
                               cardinality=func.Cardinality.MANY)
def handle_commands(messages: typing.List[func.ServiceBusMessage], context: func.Context) -> None:  # noqa: UP006
    """Apply a batch (voiceops.worker.handle_batch: one transaction for distinct technicians' clips,
    queue order per technician). Every message is tried; if any failed, raise afterwards so the host
    abandons the batch: the failed ones are retried (then dead-lettered) and the ones already applied
    are no-ops on redelivery (the worker dedupes by clip id)."""
    from voiceops.worker import handle_batch

    services = _services()
    bodies = [message.get_body() for message in messages]
    with telemetry.invocation(context), telemetry.stage("worker", messages=len(messages)):
        results = handle_batch(services, [(body, m.delivery_count) for body, m in zip(bodies, messages, strict=True)])
        failed: list[tuple[str, Exception]] = []
        for message, body, result in zip(messages, bodies, results, strict=True):
            clip_id = _clip_id_of(body) or message.message_id
            with telemetry.correlation(clip_id):
                if isinstance(result, Exception):
                    level = logging.WARNING if isinstance(result, TransientError) else logging.ERROR
                    log.log(level, "message %s (delivery %s) failed: %s: %s", message.message_id,
                            message.delivery_count, type(result).__name__, result,
                            exc_info=result if level == logging.ERROR else None)
                    failed.append((clip_id, result))
                else:
                    telemetry.record_timings(result.timings_ms, status=result.sidecar.status,
                                             duplicate=result.duplicate)
    if failed:
        clips = ", ".join(c for c, _ in failed)
        raise TransientError(f"{len(failed)} of {len(messages)} message(s) failed ({clips}); "
                             "the batch goes back to the queue") from failed[0][1]


# ---- HTTP -----------------------------------------------------------------------------------------

def _get_api():
    global _api
    if _api is None:
        with _lock:
            if _api is None:
                from voiceops.api import build_api
                from voiceops.servicebus import servicebus_probe

                services = _services()
                _api = build_api(lambda: services, queue_probe=servicebus_probe(services.settings))
    return _api


def _http(name: str, req: func.HttpRequest) -> func.HttpResponse:
    from voiceops.api import Request, Response, error_response
    from voiceops.errors import VoiceOpsError

    try:
        api = _get_api()
    except VoiceOpsError as exc:  # bad settings: a clear 500/503 instead of a host error page
        response: Response = error_response(exc)
    else:
        request = Request(method=req.method, path=urlparse(req.url).path, headers=dict(req.headers),
                          body=req.get_body() or b"", query=dict(req.params),
                          route_params=dict(req.route_params))
        response = api.call(name, request)
    return func.HttpResponse(body=response.body, status_code=response.status, headers=response.headers)


@app.route(route="api/clips/upload-url", methods=["POST"])
def upload_url(req: func.HttpRequest) -> func.HttpResponse:
    """A create-only SAS for clips/{technician}/{clip_id}.{ext}."""
    return _http("upload_url", req)


@app.route(route="api/replies/{clip_id}", methods=["GET"])
def reply(req: func.HttpRequest) -> func.HttpResponse:
    """The reply sidecar and a read SAS for its audio (404 while pending)."""
    return _http("reply", req)


@app.route(route="api/feedback", methods=["POST"])
def feedback(req: func.HttpRequest) -> func.HttpResponse:
    """Playback feedback -> bandit reward."""
    return _http("feedback", req)


@app.route(route="api/health", methods=["GET"])
def health(req: func.HttpRequest) -> func.HttpResponse:
    """Database, storage and queue."""
    return _http("health", req)


_OPS_VIEWS = ("technicians", "tickets", "commands", "failed", "bandit")


@app.route(route="api/ops/{view}", methods=["GET"])
def ops_view(req: func.HttpRequest) -> func.HttpResponse:
    """The ops console's read-only views (voiceops.ops_api; ops role)."""
    view = req.route_params.get("view", "")
    if view not in _OPS_VIEWS:
        return func.HttpResponse(status_code=404)
    return _http(f"ops_{view}", req)


@app.route(route="api/ops/retry/{clip_id}", methods=["POST"])
def ops_retry(req: func.HttpRequest) -> func.HttpResponse:
    """Re-run a failed or dead-lettered clip (ops role)."""
    return _http("ops_retry", req)


@app.route(route="{*path}", methods=["GET", "HEAD"])
def web(req: func.HttpRequest) -> func.HttpResponse:
    """The technician app at / and the ops console at /ops (needs host.json routePrefix "")."""
    return _http("web", req)

"""``python -m voiceops serve``: the Azure loop on one machine, for machines without Core Tools.

One process plays every Azure part: the HTTP API (the same voiceops.api handlers as the HTTP
functions) and the web app on a ThreadingHTTPServer; Blob storage is Azurite (when a storage
connection is configured) or the local folder with signed ``/blobs/...`` URLs; a poller stands in
for the Event Grid blob trigger; an in-process queue of JSON strings stands in for Service Bus
(retries with backoff, then a dead-letter list, like maxDeliveryCount).

Which clips are done is remembered in PostgreSQL: a clip whose id is in voice_commands is never
ingested again, so a restart resumes exactly the clips that were not processed."""

from __future__ import annotations

import json
import logging
import queue
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from voiceops import telemetry
from voiceops.api import Api, Request, Response, build_api, error_response
from voiceops.errors import NotAuthorized, PermanentError, ServiceUnavailable, TransientError, VoiceOpsError
from voiceops.storage import BlobNotFound, LocalBlobStore, recorded_at_from

log = logging.getLogger(__name__)

MAX_API_BODY = 1024 * 1024


class WorkerStopped(ServiceUnavailable):
    code = "worker_stopped"


class _Loop:
    """A daemon thread running ``_run`` until ``stop()``; the queue worker and the watcher share it."""

    thread_name = "voiceops-loop"

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the work in hand, then stop."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        raise NotImplementedError


class LocalQueue(_Loop):
    """Service Bus stand-in: JSON strings handled in order by one worker thread.

    A transient failure is retried in place with exponential backoff (order is kept, as with one
    session); after ``max_deliveries`` the message goes to ``dead_letters`` with its reason.
    ``handle(body, delivery)`` gets the delivery number, as the Service Bus trigger gets delivery_count."""

    thread_name = "voiceops-worker"

    def __init__(self, handle, *, max_deliveries: int = 5, backoff_s: float = 1.0) -> None:
        super().__init__()
        self._handle = handle
        self.max_deliveries = max_deliveries
        self.backoff_s = backoff_s
        self._queue: queue.Queue[str] = queue.Queue()
        self.dead_letters: list[dict] = []
        self.handled = 0

    def put(self, body: str) -> None:
        """Enqueue one message body (a TranscriptEvent as JSON)."""
        self._queue.put(body)

    def probe(self) -> dict:
        """The health check's view of the queue."""
        if self._thread is None or not self._thread.is_alive():
            raise WorkerStopped("the local worker is not running")
        return {"kind": "in-process", "depth": self._queue.qsize(), "handled": self.handled,
                "dead_letters": len(self.dead_letters)}

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                body = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            self._deliver(body)
            self._queue.task_done()

    def _deliver(self, body: str) -> None:
        try:
            clip_id = json.loads(body).get("clip_id")
        except (ValueError, AttributeError):
            clip_id = None
        with telemetry.correlation(clip_id):
            for delivery in range(1, self.max_deliveries + 1):
                try:
                    with telemetry.stage("worker", delivery=delivery):
                        outcome = self._handle(body, delivery)
                except TransientError as exc:
                    if delivery == self.max_deliveries or self._stop.is_set():
                        self._dead_letter(clip_id, body, exc)
                        return
                    wait = self.backoff_s * 2 ** (delivery - 1)
                    log.warning("delivery %d failed (%s); retrying in %.0f s", delivery, exc, wait)
                    self._stop.wait(wait)
                    continue
                except Exception as exc:  # the host would retry then dead-letter; keep it visible here too
                    log.exception("worker failed on this message")
                    self._dead_letter(clip_id, body, exc)
                    return
                self.handled += 1
                telemetry.record_timings(outcome.timings_ms, status=outcome.sidecar.status,
                                         duplicate=outcome.duplicate)
                return

    def _dead_letter(self, clip_id: str | None, body: str, exc: Exception) -> None:
        log.error("dead-lettered: %s: %s", type(exc).__name__, exc)
        self.dead_letters.append({"clip_id": clip_id, "body": body, "reason": type(exc).__name__,
                                  "description": str(exc), "at": datetime.now(UTC).isoformat()})


class ClipWatcher(_Loop):
    """Event Grid stand-in: polls the clips container and ingests each new clip once."""

    thread_name = "voiceops-watcher"

    def __init__(self, services, local_queue: LocalQueue, *, interval_s: float = 1.0) -> None:
        super().__init__()
        self.services = services
        self.queue = local_queue
        self.interval_s = interval_s
        self._seen: set[str] = set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except TransientError as exc:
                log.warning("watcher: %s; trying again", exc)
            except Exception:  # keep watching: one bad poll must not stop the loop
                log.exception("watcher: poll failed")
            self._stop.wait(self.interval_s)

    def _known(self, clip_ids: list[str]) -> set[str]:
        with self.services.database.transaction() as conn:
            rows = conn.execute("SELECT clip_id FROM voice_commands WHERE clip_id = ANY(%s)", (clip_ids,))
            return {r[0] for r in rows}

    def poll_once(self) -> int:
        """Ingest every clip not seen yet and not in voice_commands; return how many were queued."""
        from voiceops.ingest import parse_clip_name

        container = self.services.settings.clips_container
        fresh: dict[str, tuple[str, str]] = {}
        for name in self.services.blobs.list_names(container):
            if name in self._seen:
                continue
            try:
                fresh[name] = parse_clip_name(name)
            except PermanentError as exc:
                log.error("ignoring blob %s/%s: %s", container, name, exc)
                self._seen.add(name)
        if not fresh:
            return 0
        known = self._known([clip_id for _, clip_id in fresh.values()])
        queued = 0
        for name, (technician_id, clip_id) in fresh.items():
            if clip_id in known:
                self._seen.add(name)
                continue
            with telemetry.correlation(clip_id):
                self._ingest(container, name, technician_id, clip_id)
            self._seen.add(name)
            queued += 1
        return queued

    def _ingest(self, container: str, name: str, technician_id: str, clip_id: str) -> None:
        from voiceops.ingest import ingest_clip

        blobs = self.services.blobs
        with telemetry.stage("ingest", technician=technician_id) as timing:
            properties = blobs.properties(container, name)
            event = ingest_clip(self.services, technician_id=technician_id, clip_id=clip_id,
                                data=blobs.get(container, name), blob_url=blobs.url(container, name),
                                content_type=properties.content_type,
                                recorded_at=recorded_at_from(properties.metadata))
        telemetry.record_timings({"ingest": timing["ms"]}, error=event.error)
        self.queue.put(event.to_json())  # the same JSON string Service Bus would carry


class LocalServer:
    """The HTTP server, the watcher and the worker, started and stopped together."""

    def __init__(self, services, *, host: str = "127.0.0.1", port: int = 8080, poll_interval_s: float = 1.0,
                 api: Api | None = None) -> None:
        from voiceops.worker import handle_message

        self.services = services
        self.queue = LocalQueue(
            lambda body, delivery: handle_message(services, body, delivery_count=delivery),
            max_deliveries=services.settings.max_delivery_count,
        )
        self.watcher = ClipWatcher(services, self.queue, interval_s=poll_interval_s)
        self.api = api or build_api(lambda: services, queue_probe=self.queue.probe)
        self.httpd = ThreadingHTTPServer((host, port), _handler_class(self))
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        """Serve in background threads (tests); ``serve_forever`` blocks instead (the CLI)."""
        self.queue.start()
        self.watcher.start()
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="voiceops-http", daemon=True)
        self._thread.start()

    def serve_forever(self) -> None:
        self.queue.start()
        self.watcher.start()
        try:
            self.httpd.serve_forever()
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop taking requests and clips, finish the message in hand, close the socket."""
        self.watcher.stop()
        self.queue.stop()
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(10)
            self._thread = None
        self.httpd.server_close()

    # ---- the local folder's signed blob URLs (SAS stand-in) ---------------------------------------
    def blob(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
             body: bytes) -> Response:
        blobs = self.services.blobs
        if not isinstance(blobs, LocalBlobStore):
            return error_response(BlobNotFound("blob URLs are served only for the local folder"))
        container, _, name = unquote(path[len(LocalBlobStore.URL_PREFIX):]).partition("/")
        try:
            if method == "PUT":
                blobs.verify_signed(container, name, permission="c", query=query)
                if blobs.exists(container, name):
                    raise NotAuthorized("this URL may only create the blob, and it exists")
                metadata = {k[len("x-ms-meta-"):]: v for k, v in headers.items() if k.startswith("x-ms-meta-")}
                blobs.put(container, name, body, content_type=headers.get("content-type") or
                          "application/octet-stream", metadata=metadata)
                return Response(201, {"Content-Length": "0"})
            blobs.verify_signed(container, name, permission="r", query=query)
            properties = blobs.properties(container, name)
            data = b"" if method == "HEAD" else blobs.get(container, name)
            return Response(200, {"Content-Type": properties.content_type or "application/octet-stream",
                                  "Cache-Control": "private, max-age=300"}, data)
        except VoiceOpsError as exc:
            return error_response(exc)


def _handler_class(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    max_clip = server.services.settings.max_clip_bytes

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "voiceops-serve"

        def _respond(self, response: Response) -> None:
            self.send_response(response.status)
            headers = {k.lower(): v for k, v in response.headers.items()}
            for key, value in response.headers.items():
                if key.lower() != "content-length":
                    self.send_header(key, value)
            length = headers.get("content-length", str(len(response.body)))
            self.send_header("Content-Length", length)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        def _dispatch(self) -> None:
            parts = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            query = dict(parse_qsl(parts.query))
            length = int(headers.get("content-length") or 0)
            is_blob = parts.path.startswith(LocalBlobStore.URL_PREFIX)
            limit = max_clip if is_blob else MAX_API_BODY
            if length > limit:
                self.close_connection = True
                self._respond(Response.json(413, {"error": {"code": "too_large",
                                                            "message": f"body over {limit} bytes"}}))
                return
            body = self.rfile.read(length) if length else b""
            if is_blob and self.command in ("PUT", "GET", "HEAD"):
                response = server.blob(self.command, parts.path, query, headers, body)
            else:
                response = server.api.handle(Request(self.command, parts.path, headers, body, query))
            self._respond(response)

        do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _dispatch

        def log_message(self, format: str, *args) -> None:  # the API logs each request itself
            log.debug("%s " + format, self.address_string(), *args)

    return Handler


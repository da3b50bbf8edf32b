"""The HTTP API, framework-neutral: a ``Request`` in, a ``Response`` (status, headers, body) out.

The same handlers serve the Azure Functions HTTP triggers (function_app.py) and the local server
(``python -m voiceops serve``). Typed errors become status codes in one place (``error_response``).

    POST /api/clips/upload-url   a create-only URL for clips/{technician}/{clip_id}.{ext}
    GET  /api/replies/{clip_id}  404 while pending; the sidecar and a read URL for the audio
    POST /api/feedback           playback feedback -> the bandit reward for that reply's decision
    GET  /api/health             database, storage and queue
    GET  /, /ops, /<file>        the web app's static files (voiceops/web/), when present

Other areas add routes with a module exposing ``register(api)`` listed in ROUTE_MODULES."""

from __future__ import annotations

import importlib
import json
import logging
import mimetypes
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from voiceops import telemetry
from voiceops.auth import Authenticator, NotAuthenticated, Principal, build_authenticator
from voiceops.contracts import Feedback
from voiceops.errors import (
    ConfigurationError,
    NotAuthorized,
    PermanentError,
    RateLimited,
    TransientError,
    VoiceOpsError,
)
from voiceops.storage import BlobNotFound

log = logging.getLogger(__name__)

#: modules that add routes: each exposes ``register(api: Api) -> None``
ROUTE_MODULES: tuple[str, ...] = ("voiceops.ops_api",)
WEB_ROOT = Path(__file__).resolve().parent / "web"
#: ids the upload endpoint accepts from a client; ANY_CLIP_ID is what ingest accepts from a blob path
CLIP_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{7,63}$")
ANY_CLIP_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
#: what a phone or browser records, and the extension its clip gets (ingest decodes them all with PyAV)
CLIP_TYPES = {
    "audio/wav": "wav", "audio/x-wav": "wav", "audio/wave": "wav", "audio/vnd.wave": "wav",
    "audio/webm": "webm", "video/webm": "webm", "audio/ogg": "ogg", "audio/opus": "ogg",
    "audio/mpeg": "mp3", "audio/mp3": "mp3", "audio/mp4": "m4a", "audio/x-m4a": "m4a", "audio/m4a": "m4a",
    "audio/aac": "aac", "audio/flac": "flac", "audio/x-flac": "flac", "audio/3gpp": "3gp", "audio/amr": "amr",
}
RETRY_AFTER_PENDING_S = 2


class RouteNotFound(PermanentError):
    code = "not_found"


class MethodNotAllowed(PermanentError):
    code = "method_not_allowed"


class BadRequest(PermanentError):
    code = "bad_request"


class Conflict(PermanentError):
    code = "conflict"


@dataclass
class Request:
    """An HTTP request as the handlers see it; header names lower-cased."""

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    query: Mapping[str, str] = field(default_factory=dict)
    route_params: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.method = self.method.upper()
        self.headers = {k.lower(): v for k, v in self.headers.items()}

    def json(self) -> dict[str, Any]:
        """The body as a JSON object ({} when empty), or BadRequest."""
        if not self.body.strip():
            return {}
        try:
            data = json.loads(self.body)
        except ValueError as exc:
            raise BadRequest(f"body is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise BadRequest("body must be a JSON object")
        return data


@dataclass
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def json(cls, status: int, data: Any, headers: Mapping[str, str] | None = None) -> Response:
        body = json.dumps(data, default=str, ensure_ascii=False).encode()
        return cls(status, {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store",
                            **(headers or {})}, body)


Handler = Callable[["Api", Request], Response]


@dataclass
class Route:
    name: str
    method: str
    template: str
    pattern: re.Pattern
    handler: Handler


def _compile(template: str) -> re.Pattern:
    """'/api/replies/{clip_id}' -> a regex with named groups; '{*rest}' matches the rest of the path."""
    out, pos = "", 0
    for m in re.finditer(r"\{(\*?)(\w+)\}", template):
        out += re.escape(template[pos:m.start()]) + (f"(?P<{m[2]}>.*)" if m[1] else f"(?P<{m[2]}>[^/]+)")
        pos = m.end()
    return re.compile("^" + out + re.escape(template[pos:]) + "$")


def status_for(exc: VoiceOpsError) -> int:
    """The HTTP status a typed error maps to."""
    if isinstance(exc, NotAuthenticated):
        return 401
    if isinstance(exc, NotAuthorized):
        return 403
    if isinstance(exc, RouteNotFound | BlobNotFound):
        return 404
    if isinstance(exc, MethodNotAllowed):
        return 405
    if isinstance(exc, Conflict):
        return 409
    if isinstance(exc, RateLimited):
        return 429
    if isinstance(exc, TransientError):
        return 503
    if isinstance(exc, ConfigurationError):
        return 500
    return 400


def error_response(exc: VoiceOpsError) -> Response:
    """A JSON error body ``{"error": {"code", "message"}}`` with the mapped status."""
    status = status_for(exc)
    headers = {"Retry-After": "5"} if status in (429, 503) else {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return Response.json(status, {"error": {"code": exc.code, "message": str(exc)}}, headers)


class Api:
    """The route table plus what handlers need: services, the authenticator, the queue probe."""

    def __init__(self, services: Callable[[], Any], *, authenticator: Authenticator | None = None,
                 queue_probe: Callable[[], dict] | None = None, web_root: Path | None = WEB_ROOT) -> None:
        self._services = services
        self._authenticator = authenticator
        self.queue_probe = queue_probe
        self.web_root = web_root
        self.routes: list[Route] = []

    # ---- wiring ------------------------------------------------------------------------------
    def services(self):
        """The process's services (built on first use)."""
        return self._services()

    def authenticate(self, request: Request) -> Principal:
        """The caller, or NotAuthenticated / NotAuthorized."""
        if self._authenticator is None:
            self._authenticator = build_authenticator(self.services().settings)
        return self._authenticator.authenticate(request.headers)

    def add(self, name: str, method: str, template: str, handler: Handler) -> None:
        """Register ``handler`` for ``method template`` under ``name``."""
        self.routes.append(Route(name, method.upper(), template, _compile(template), handler))

    def route(self, name: str) -> Route:
        """The route registered under ``name``."""
        return next(r for r in self.routes if r.name == name)

    # ---- dispatch ----------------------------------------------------------------------------
    def call(self, name: str, request: Request) -> Response:
        """Run the named route's handler (route values already in ``request.route_params``)."""
        return self._run(self.route(name).handler, request)

    def handle(self, request: Request) -> Response:
        """Match the path against the route table, then run the handler."""
        allowed: list[str] = []
        for route in self.routes:
            m = route.pattern.match(request.path)
            if not m:
                continue
            if route.method != request.method and not (route.method == "GET" and request.method == "HEAD"):
                if route.name != "web":  # the catch-all would make every unknown POST a 405
                    allowed.append(route.method)
                continue
            request.route_params = {**m.groupdict(), **request.route_params}
            return self._run(route.handler, request)
        if allowed:
            return error_response(MethodNotAllowed(f"{request.method} is not allowed here; use {allowed[0]}"))
        return error_response(RouteNotFound(f"no route for {request.path}"))

    def _run(self, handler: Handler, request: Request) -> Response:
        started = time.perf_counter()
        clip_id = request.route_params.get("clip_id")
        with telemetry.correlation(clip_id or telemetry.current_clip_id()):
            try:
                response = handler(self, request)
            except VoiceOpsError as exc:
                response = error_response(exc)
            except ValidationError as exc:
                problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()[:5])
                response = error_response(BadRequest(problems))
            except Exception:
                # an HTTP caller gets a 500 and can retry; nothing is lost, unlike in a queue trigger
                log.exception("unhandled error in %s %s", request.method, request.path)
                response = Response.json(500, {"error": {"code": "internal", "message": "internal error"}})
            log.info("%s %s -> %d in %.0f ms", request.method, request.path, response.status,
                     (time.perf_counter() - started) * 1000)
        return response


# ---- handlers ------------------------------------------------------------------------------------

def _now() -> datetime:
    return datetime.now(UTC)


def _clip_extension(content_type: str) -> str:
    base = content_type.split(";", 1)[0].strip().lower()
    if base not in CLIP_TYPES:
        raise BadRequest(f"unsupported content_type {content_type!r}; use one of {sorted(CLIP_TYPES)}")
    return CLIP_TYPES[base]


def upload_url(api: Api, request: Request) -> Response:
    """POST /api/clips/upload-url {"content_type", "clip_id"?, "recorded_at"?} -> a create-only URL.

    A client-chosen clip id (a UUID made when recording) makes a retried upload the same clip, so
    a lost response never bills twice; without one the server picks a UUID."""
    principal = api.authenticate(request)
    body = request.json()
    content_type = str(body.get("content_type") or "audio/webm")
    extension = _clip_extension(content_type)
    clip_id = body.get("clip_id") or uuid.uuid4().hex
    if not isinstance(clip_id, str) or not CLIP_ID.match(clip_id):
        raise BadRequest("clip_id must be 8-64 letters, digits, '-' or '_' (a UUID is ideal)")
    telemetry.tag(clip_id)
    services = api.services()
    settings = services.settings
    with services.database.transaction() as conn:
        row = conn.execute("SELECT technician_id FROM voice_commands WHERE clip_id = %s", (clip_id,)).fetchone()
    if row is not None and row[0] != principal.technician_id:
        raise Conflict("that clip id is taken; record with a fresh UUID")
    name = f"{principal.technician_id}/{clip_id}.{extension}"
    expires_at = _now() + timedelta(minutes=settings.sas_minutes)
    url = services.blobs.upload_url(settings.clips_container, name, content_type=content_type,
                                    expires_at=expires_at)
    log.info("upload URL issued for %s/%s (expires %s)", settings.clips_container, name, expires_at.isoformat())
    headers = {"x-ms-blob-type": "BlockBlob", "Content-Type": content_type}
    return Response.json(200, {
        "clip_id": clip_id, "container": settings.clips_container, "blob_name": name, "upload_url": url,
        "method": "PUT", "headers": headers, "expires_at": expires_at.isoformat(),
        "metadata_header": "x-ms-meta-recorded_at", "reply_url": f"/api/replies/{clip_id}",
    })


def _pending(clip_id: str) -> Response:
    return Response.json(404, {"clip_id": clip_id, "status": "pending"},
                         {"Retry-After": str(RETRY_AFTER_PENDING_S)})


def reply(api: Api, request: Request) -> Response:
    """GET /api/replies/{clip_id}: the sidecar plus a read URL, for the technician who owns the clip.

    404 while pending, and also for someone else's clip (indistinguishable, so ids cannot be probed)."""
    principal = api.authenticate(request)
    clip_id = request.route_params.get("clip_id", "")
    if not ANY_CLIP_ID.match(clip_id):
        raise BadRequest("invalid clip id")
    services = api.services()
    with services.database.transaction() as conn:
        row = conn.execute(
            "SELECT v.technician_id, v.status, v.error_code, v.error, r.sidecar, r.audio_blob, r.audio_uploaded_at"
            " FROM voice_commands v LEFT JOIN replies r ON r.clip_id = v.clip_id"
            " WHERE v.clip_id = %s", (clip_id,)).fetchone()
    if row is None or row[0] != principal.technician_id:
        return _pending(clip_id)
    _, command_status, error_code, error, sidecar, audio_blob, audio_uploaded_at = row
    if sidecar is None or audio_uploaded_at is None:
        # the reply row is committed before its audio is uploaded: not ready until the upload lands
        return _pending(clip_id)
    body = dict(sidecar)
    body["command_status"] = command_status
    if body.get("status") == "failed" or command_status == "failed":
        body["error"] = {"code": error_code or "failed", "message": error or body.get("error") or "failed"}
    if audio_blob:
        expires_at = _now() + timedelta(minutes=services.settings.sas_minutes)
        body["audio_url"] = services.blobs.download_url(services.settings.replies_container, audio_blob,
                                                        expires_at=expires_at)
        body["audio_expires_at"] = expires_at.isoformat()
    return Response.json(200, body)


def feedback(api: Api, request: Request) -> Response:
    """POST /api/feedback {"clip_id", "listened_fraction", "replayed", "skipped"} -> the reward recorded."""
    from voiceops.bandit import reward_from_feedback

    principal = api.authenticate(request)
    fb = Feedback.model_validate(request.json())
    if not fb.clip_id:
        raise BadRequest("clip_id is required")
    telemetry.tag(fb.clip_id)
    services = api.services()
    with services.database.transaction() as conn:
        row = conn.execute("SELECT technician_id, decision_id FROM replies WHERE clip_id = %s",
                           (fb.clip_id,)).fetchone()
        if row is None or row[0] != principal.technician_id:
            raise RouteNotFound("no reply for that clip")
        decision_id = row[1]
        if not decision_id:
            raise Conflict("that reply has no style decision to reward")
        if fb.decision_id and fb.decision_id != decision_id:
            raise BadRequest("decision_id does not belong to that clip")
        reward = reward_from_feedback(fb.listened_fraction, fb.replayed, fb.skipped)
        learned = services.policy.reward(decision_id, reward, conn=conn, source="feedback")
    log.info("feedback for %s: reward %.2f (%s)", fb.clip_id, reward, "learned" if learned else "already rewarded")
    return Response.json(200, {"clip_id": fb.clip_id, "decision_id": decision_id, "reward": reward,
                               "recorded": learned})


def _probe(check: Callable[[], dict | None]) -> dict:
    started = time.perf_counter()
    try:
        detail = check() or {}
        result = {"ok": True, **detail}
    except VoiceOpsError as exc:
        result = {"ok": False, "error": exc.code, "message": str(exc)}
    except Exception as exc:  # a health check reports every failure instead of raising it
        result = {"ok": False, "error": type(exc).__name__, "message": str(exc)}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def health(api: Api, request: Request) -> Response:
    """GET /api/health: 200 when database, storage and queue answer, else 503 with what failed."""
    try:
        services = api.services()
    except VoiceOpsError as exc:
        return Response.json(503, {"status": "unhealthy", "checks": {"settings": {"ok": False, "error": exc.code,
                                                                               "message": str(exc)}}})

    def database() -> dict:
        with services.database.transaction() as conn:
            conn.execute("SELECT 1").fetchone()
        return {}

    def storage() -> dict:
        services.blobs.check(services.settings.clips_container)
        services.blobs.check(services.settings.replies_container)
        return {"kind": type(services.blobs).__name__}

    def queue() -> dict:
        if api.queue_probe is None:
            raise ConfigurationError("no queue configured")
        return api.queue_probe()

    checks = {"database": _probe(database), "storage": _probe(storage), "queue": _probe(queue)}
    ok = all(c["ok"] for c in checks.values())
    return Response.json(200 if ok else 503, {"status": "ok" if ok else "unhealthy", "checks": checks})


# ---- static web app ------------------------------------------------------------------------------

def web(api: Api, request: Request) -> Response:
    """GET /, /ops and /<file>: files from voiceops/web/ (index.html at /, ops.html or ops/index.html at /ops)."""
    root = api.web_root
    rel = request.route_params.get("path", "").strip("/")
    if rel == "api" or rel.startswith("api/"):
        raise RouteNotFound(f"no route for /{rel}")
    if root is None or not root.is_dir():
        raise RouteNotFound("the web app is not installed (voiceops/web/ is missing)")
    candidates = [rel] if rel else ["index.html"]
    if rel and "." not in rel.rsplit("/", 1)[-1]:
        candidates = [f"{rel}.html", f"{rel}/index.html", rel]
    base = root.resolve()
    for candidate in candidates:
        path = (base / candidate).resolve()
        if path.is_relative_to(base) and path.is_file():
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
                content_type += "; charset=utf-8"
            headers = {"Content-Type": content_type, "Cache-Control": "no-cache"}
            if path.name == "sw.js" or path.name == "service-worker.js":
                headers["Service-Worker-Allowed"] = "/"
            return Response(200, headers, b"" if request.method == "HEAD" else path.read_bytes())
    raise RouteNotFound(f"no file {rel or 'index.html'}")


def build_api(services: Callable[[], Any], **options: Any) -> Api:
    """The API with every route: mine, then the ROUTE_MODULES', then the static web app last."""
    api = Api(services, **options)
    api.add("upload_url", "POST", "/api/clips/upload-url", upload_url)
    api.add("reply", "GET", "/api/replies/{clip_id}", reply)
    api.add("feedback", "POST", "/api/feedback", feedback)
    api.add("health", "GET", "/api/health", health)
    for module in ROUTE_MODULES:
        importlib.import_module(module).register(api)
    api.add("web", "GET", "/{*path}", web)
    return api

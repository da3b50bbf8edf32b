"""The ops console's HTTP routes: read-only views of the day plus one write, retry. All need the ops role.

    GET  /api/ops/technicians        who can be filtered on
    GET  /api/ops/tickets            ?day=YYYY-MM-DD&tz=Area/City&technician=ID
    GET  /api/ops/commands           same filters; each row carries read URLs for clip and reply audio
    GET  /api/ops/failed             failed and dead-lettered commands with their reasons
    GET  /api/ops/bandit             &days=N: style share by hour, reward over time
    POST /api/ops/retry/{clip_id}    re-runs a failed or dead-lettered clip (voiceops.operations.retry)

Registered by voiceops.api through ROUTE_MODULES."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from voiceops import ops
from voiceops.auth import OPS_ROLE, Principal

log = logging.getLogger(__name__)


def register(api) -> None:
    """Add the ops routes to ``api`` (a voiceops.api.Api)."""
    api.add("ops_technicians", "GET", "/api/ops/technicians", technicians)
    api.add("ops_tickets", "GET", "/api/ops/tickets", tickets)
    api.add("ops_commands", "GET", "/api/ops/commands", commands)
    api.add("ops_failed", "GET", "/api/ops/failed", failed)
    api.add("ops_bandit", "GET", "/api/ops/bandit", bandit)
    api.add("ops_retry", "POST", "/api/ops/retry/{clip_id}", retry)


def _operator(api, request) -> Principal:
    principal = api.authenticate(request)
    principal.require_role(OPS_ROLE)
    return principal


def _json(data):
    from voiceops.api import Response

    return Response.json(200, data)


def _int(request, name: str, default: int) -> int:
    raw = request.query.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ops.InvalidFilter(f"{name} must be a whole number, not {raw!r}") from exc


def technicians(api, request):
    """GET /api/ops/technicians."""
    _operator(api, request)
    with api.services().database.transaction() as conn:
        return _json({"technicians": ops.technicians(conn)})


def tickets(api, request):
    """GET /api/ops/tickets: the day's tickets and their state."""
    _operator(api, request)
    f = ops.OpsFilter.parse(request.query)
    with api.services().database.transaction() as conn:
        return _json(ops.tickets(conn, f))


def _with_audio_urls(services, rows: list[dict], *, check_clips: bool = False) -> list[dict]:
    """Short-lived read URLs for each row's clip and reply audio (None when the blob is unknown).

    ``check_clips`` asks storage whether each clip still exists: worth it for the short failed
    list, whose clips may never have been stored or were deleted after the failure."""
    s = services.settings
    expires_at = datetime.now(UTC) + timedelta(minutes=s.sas_minutes)
    for row in rows:
        clip = row.get("clip_blob")
        if clip and check_clips and not services.blobs.exists(s.clips_container, clip):
            clip = None
        row["clip_audio_url"] = (services.blobs.download_url(s.clips_container, clip, expires_at=expires_at)
                                 if clip else None)
        row["reply_audio_url"] = (services.blobs.download_url(s.replies_container, row["reply_blob"],
                                                              expires_at=expires_at)
                                  if row.get("reply_blob") else None)
    return rows


def _command_rows(api, request, query, key: str, *, check_clips: bool = False):
    _operator(api, request)
    f = ops.OpsFilter.parse(request.query)
    services = api.services()
    with services.database.transaction() as conn:
        data = query(conn, f, limit=_int(request, "limit", 200))
    _with_audio_urls(services, data[key], check_clips=check_clips)
    return _json(data)


def commands(api, request):
    """GET /api/ops/commands: the command log with transcript, extraction, who, when and audio links."""
    return _command_rows(api, request, ops.commands, "commands")


def failed(api, request):
    """GET /api/ops/failed: failed and dead-lettered commands with reasons."""
    return _command_rows(api, request, ops.failed, "failed", check_clips=True)


def bandit(api, request):
    """GET /api/ops/bandit: style share by hour and reward over time."""
    _operator(api, request)
    f = ops.OpsFilter.parse(request.query)
    with api.services().database.transaction() as conn:
        return _json(ops.bandit(conn, f, days=_int(request, "days", 7)))


def retry(api, request):
    """POST /api/ops/retry/{clip_id}: run a failed clip through the pipeline again (the only write ops can do)."""
    from voiceops.operations import retry as retry_clip

    principal = _operator(api, request)
    clip_id = request.route_params.get("clip_id", "")
    log.info("ops retry of %s requested by %s", clip_id, principal.technician_id)
    return _json(retry_clip(api.services(), clip_id))

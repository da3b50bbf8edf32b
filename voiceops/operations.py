"""What ops do with the command log: read failures, retry one clip, purge old transcripts and audio.

A failure becomes visible here in two ways: the worker recorded a permanent one (status ``failed``
with the error code the technician was answered for), or the message kept failing transiently and
the worker, on its last delivery, recorded why before the host dead-lettered it
(``dead_lettered_at``). ``retry`` re-runs one clip from its audio when the clip is still stored,
else from its stored transcript, and replaces the failed record. ``purge`` removes transcripts and
audio older than the retention cut-off but keeps every ticket change and the audit trail."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import psycopg
from psycopg.rows import class_row

from voiceops.contracts import TranscriptEvent, utcnow
from voiceops.errors import PermanentError, VoiceOpsError

if TYPE_CHECKING:
    from voiceops.bootstrap import Services

log = logging.getLogger(__name__)

#: statuses whose ticket changes are committed: a retry only has to bring the reply back
_COMMITTED = ("applied", "needs_clarification", "rejected")


@dataclass
class FailedCommand:
    """One row of ``voiceops failed``."""

    clip_id: str
    technician_id: str
    status: str
    error_code: str | None
    error: str | None
    attempts: int
    created_at: datetime
    dead_lettered_at: datetime | None
    has_transcript: bool


@dataclass
class _Stored:
    id: int
    clip_id: str
    technician_id: str
    status: str
    blob_url: str | None
    transcript: str | None
    stt_engine: str | None
    stt_confidence: float | None
    audio_seconds: float | None
    recorded_at: datetime | None
    attempts: int
    dead_lettered_at: datetime | None


# ----------------------------------------------------------------------------- dead-lettering
def record_dead_letter(services: Services, event: TranscriptEvent, exc: BaseException, delivery_count: int) -> None:
    """On the last delivery, store why the message failed (own transaction) so ops can read it.

    The work's transaction has already rolled back; this one keeps the event (with its transcript,
    so ``retry`` can re-run it) and the reason. A command whose changes did commit keeps its status
    and only gains the reason (its reply never reached storage). If the database itself is down the
    reason goes to the error log and the host's dead-letter queue carries the message."""
    code = exc.code if isinstance(exc, VoiceOpsError) else type(exc).__name__
    reason = f"dead-lettered after {delivery_count} deliveries: {exc}"[:2000]
    try:
        with services.database.transaction() as conn:
            conn.execute(
                """INSERT INTO voice_commands (clip_id, technician_id, event_id, blob_url, transcript, stt_engine,
                                               stt_confidence, audio_seconds, recorded_at, received_at, status,
                                               error_code, error, attempts, dead_lettered_at, completed_at)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'failed', %s, %s, %s, now(), now())
                   ON CONFLICT (clip_id) DO UPDATE
                      SET error_code = EXCLUDED.error_code, error = EXCLUDED.error, attempts = EXCLUDED.attempts,
                          dead_lettered_at = now()""",
                (event.clip_id, event.technician_id, event.event_id, event.blob_url, event.transcript,
                 event.stt_engine, event.stt_confidence, event.audio_seconds, event.recorded_at, event.received_at,
                 code, reason, delivery_count),
            )
    except VoiceOpsError as db_exc:
        log.error("clip %s dead-lettered (%s: %s); the reason could not be stored: %s",
                  event.clip_id, code, exc, db_exc)
        return
    log.error("clip %s dead-lettered after %d deliveries (%s); see `python -m voiceops failed`",
              event.clip_id, delivery_count, code)


# ----------------------------------------------------------------------------- failed
def list_failed(services: Services, *, limit: int = 50) -> list[FailedCommand]:
    """Failed and dead-lettered commands, newest first."""
    with services.database.transaction() as conn, conn.cursor(row_factory=class_row(FailedCommand)) as cur:
        return cur.execute(
            """SELECT clip_id, technician_id, status, error_code, error, attempts, created_at, dead_lettered_at,
                      transcript IS NOT NULL AS has_transcript
                 FROM voice_commands
                WHERE status = 'failed' OR dead_lettered_at IS NOT NULL
                ORDER BY coalesce(dead_lettered_at, created_at) DESC LIMIT %s""",
            (limit,),
        ).fetchall()


# ----------------------------------------------------------------------------- retry
def _stored(conn: psycopg.Connection, clip_id: str) -> _Stored | None:
    with conn.cursor(row_factory=class_row(_Stored)) as cur:
        return cur.execute(
            """SELECT id, clip_id, technician_id, status, blob_url, transcript, stt_engine, stt_confidence,
                      audio_seconds, recorded_at, attempts, dead_lettered_at
                 FROM voice_commands WHERE clip_id = %s FOR UPDATE""",
            (clip_id,),
        ).fetchone()


def _clip_of(blob_name: str) -> str:
    """'tech-gosh/abc.wav' -> 'abc' (the stem, as ingest names clips and the worker names replies)."""
    return blob_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def clip_blob_names(services: Services, technician_id: str, clip_ids: set[str]) -> dict[str, list[str]]:
    """The stored clip blobs (any extension) of these clips of one technician."""
    found: dict[str, list[str]] = defaultdict(list)
    for name in services.blobs.list_names(services.settings.clips_container, f"{technician_id}/"):
        clip_id = _clip_of(name)
        if clip_id in clip_ids:
            found[clip_id].append(name)
    return found


def retry(services: Services, clip_id: str) -> dict:
    """Re-run one failed or dead-lettered clip and replace its failed record; return the new outcome."""
    from voiceops.ingest import ingest_clip
    from voiceops.worker import handle_event

    with services.database.transaction() as conn:
        row = _stored(conn, clip_id)
        if row is None:
            raise PermanentError(f"no command was recorded for clip {clip_id!r}", code="unknown_clip")
        if row.status != "failed" and row.dead_lettered_at is None:
            raise PermanentError(f"clip {clip_id!r} is {row.status}, not failed: nothing to retry", code="not_failed")
        clips = clip_blob_names(services, row.technician_id, {clip_id}).get(clip_id, [])
        if not clips and row.transcript is None:
            raise PermanentError(f"clip {clip_id!r} has neither stored audio nor a transcript to re-run",
                                 code="nothing_to_retry")
        if row.status not in _COMMITTED:  # nothing was written for it: start again from a clean slate
            conn.execute("DELETE FROM replies WHERE clip_id = %s", (clip_id,))
            conn.execute("DELETE FROM audit_log WHERE voice_command_id = %s", (row.id,))
            conn.execute("DELETE FROM voice_commands WHERE id = %s", (row.id,))

    if clips:
        container = services.settings.clips_container
        data = services.blobs.get(container, clips[0])
        props = services.blobs.properties(container, clips[0])
        event = ingest_clip(services, technician_id=row.technician_id, clip_id=clip_id, data=data,
                            blob_url=row.blob_url or services.blobs.url(container, clips[0]),
                            content_type=props.content_type, recorded_at=row.recorded_at)
    else:
        event = TranscriptEvent(clip_id=clip_id, technician_id=row.technician_id, blob_url=row.blob_url or "",
                                transcript=row.transcript, stt_engine=row.stt_engine,
                                stt_confidence=row.stt_confidence, audio_seconds=row.audio_seconds,
                                recorded_at=row.recorded_at, received_at=utcnow())
    attempts = row.attempts + 1
    try:
        outcome = handle_event(services, event)
    except Exception as exc:
        record_dead_letter(services, event, exc, attempts)
        raise
    with services.database.transaction() as conn:
        conn.execute(
            """UPDATE voice_commands SET attempts = %s, dead_lettered_at = NULL,
                      error_code = CASE WHEN status = 'failed' THEN error_code END,
                      error = CASE WHEN status = 'failed' THEN error END
                WHERE clip_id = %s""",
            (attempts, clip_id),
        )
        status = conn.execute("SELECT status FROM voice_commands WHERE clip_id = %s", (clip_id,)).fetchone()[0]
    log.info("clip %s retried from %s: %s", clip_id, "its audio" if clips else "its transcript", status)
    return {"clip_id": clip_id, "source": "audio" if clips else "transcript", "status": status,
            "reply_status": outcome.sidecar.status, "reply_text": outcome.sidecar.reply_text,
            "changes": [c.model_dump(mode="json", exclude_none=True) for c in outcome.sidecar.changes],
            "attempts": attempts}


# ----------------------------------------------------------------------------- privacy
def delete_clip(services: Services, technician_id: str, clip_id: str) -> int:
    """Delete a committed command's clip audio (Settings.delete_clip_after_commit); count blobs removed."""
    names = clip_blob_names(services, technician_id, {clip_id}).get(clip_id, [])
    for name in names:
        services.blobs.delete(services.settings.clips_container, name)
    return len(names)


def purge(services: Services, *, before: datetime, batch: int = 500) -> dict[str, int]:
    """Remove transcripts, clip audio and reply audio of commands created before ``before``.

    Ticket changes, the audit log, the extracted commands and the reply text stay: they are the
    record of what was written. Blobs go first and the rows are marked after, so a purge that dies
    half way is simply run again."""
    s = services.settings
    totals = {"commands": 0, "clips_deleted": 0, "reply_blobs_deleted": 0}
    while True:
        with services.database.transaction() as conn:
            rows = conn.execute(
                """SELECT clip_id, technician_id FROM voice_commands
                    WHERE purged_at IS NULL AND created_at < %s AND status <> 'processing'
                    ORDER BY created_at LIMIT %s""",
                (before, batch),
            ).fetchall()
        if not rows:
            return totals
        by_technician: dict[str, set[str]] = defaultdict(set)
        for clip_id, technician_id in rows:
            by_technician[technician_id].add(clip_id)
        for technician_id, clip_ids in by_technician.items():
            for names in clip_blob_names(services, technician_id, clip_ids).values():
                for name in names:
                    services.blobs.delete(s.clips_container, name)
                    totals["clips_deleted"] += 1
            for name in services.blobs.list_names(s.replies_container, f"{technician_id}/"):
                if _clip_of(name) in clip_ids:
                    services.blobs.delete(s.replies_container, name)
                    totals["reply_blobs_deleted"] += 1
        clip_ids = [r[0] for r in rows]
        with services.database.transaction() as conn:
            conn.execute("UPDATE voice_commands SET transcript = NULL, purged_at = now() WHERE clip_id = ANY(%s)",
                         (clip_ids,))
            conn.execute("UPDATE replies SET sidecar = sidecar - 'transcript', audio_blob = NULL"
                         " WHERE clip_id = ANY(%s)", (clip_ids,))
        totals["commands"] += len(rows)
        log.info("purged %d command(s) created before %s", len(rows), before.isoformat())


def as_dicts(rows: list) -> list[dict]:
    """Dataclass rows as JSON-able dicts."""
    return [asdict(r) for r in rows]

"""The voice command log, replies, audit trail and dialog state. Never commits."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from voiceops.contracts import TranscriptEvent
from voiceops.db.changes import ChangeSet
from voiceops.db.records import records


@dataclass
class ReplyRow:
    clip_id: str
    technician_id: str
    status: str
    style: str | None
    decision_id: str | None
    reply_text: str
    audio_blob: str | None
    sidecar: dict
    audio_uploaded_at: datetime | None


_REPLY_COLS = ("clip_id, technician_id, status, style, decision_id, reply_text, audio_blob, sidecar,"
               " audio_uploaded_at")


_CLAIM = (
    "INSERT INTO voice_commands (clip_id, technician_id, event_id, blob_url, transcript, stt_engine, stt_confidence,"
    " audio_seconds, recorded_at, received_at)"
    " SELECT * FROM jsonb_to_recordset(%s) AS r(clip_id text, technician_id text, event_id uuid, blob_url text,"
    " transcript text, stt_engine text, stt_confidence real, audio_seconds real, recorded_at timestamptz,"
    " received_at timestamptz)"
    " ON CONFLICT (clip_id) DO NOTHING RETURNING clip_id, id"
)


def claim_many(conn: psycopg.Connection, events: Sequence[TranscriptEvent]) -> dict[str, int]:
    """Insert the command rows of these clips; the ids of those inserted (a clip another delivery already
    holds is missing). Rows go in clip-id order, so two batches sharing clips wait rather than deadlock."""
    rows = [{"clip_id": e.clip_id, "technician_id": e.technician_id, "event_id": e.event_id,
             "blob_url": e.blob_url, "transcript": e.transcript, "stt_engine": e.stt_engine,
             "stt_confidence": e.stt_confidence, "audio_seconds": e.audio_seconds, "recorded_at": e.recorded_at,
             "received_at": e.received_at} for e in sorted(events, key=lambda e: e.clip_id)]
    return dict(conn.execute(_CLAIM, (records(rows),)).fetchall())


def claim(conn: psycopg.Connection, event: TranscriptEvent) -> int | None:
    """Insert the command row for this clip; None when another delivery already holds it."""
    return claim_many(conn, [event]).get(event.clip_id)


def finish(conn: psycopg.Connection, command_id: int, *, status: str, extraction: dict | None,
           extractor: str | None, timings: dict[str, float], error_code: str | None = None,
           error: str | None = None) -> None:
    """How a claimed command ended (the worker records its batches' through a ChangeSet)."""
    changes = ChangeSet()
    changes.finish(command_id, status=status, extraction=extraction, extractor=extractor, timings=timings,
                   error_code=error_code, error=error)
    changes.flush(conn)


def add_timings(conn: psycopg.Connection, clip_id: str, timings: dict[str, float]) -> None:
    conn.execute("UPDATE voice_commands SET timings = timings || %s WHERE clip_id = %s", (Jsonb(timings), clip_id))


def get_replies(conn: psycopg.Connection, clip_ids: Sequence[str]) -> dict[str, ReplyRow]:
    # planned for each call (not prepared): a plan kept from when the table was small scans it whole for good
    with conn.cursor(row_factory=class_row(ReplyRow)) as cur:
        rows = cur.execute(f"SELECT {_REPLY_COLS} FROM replies WHERE clip_id = ANY(%s)", (list(clip_ids),),
                           prepare=False)
        return {r.clip_id: r for r in rows.fetchall()}


def last_reply(conn: psycopg.Connection, technician_id: str, *, before_clip: str) -> ReplyRow | None:
    """The technician's most recent reply before this clip (for 'say that again')."""
    with conn.cursor(row_factory=class_row(ReplyRow)) as cur:
        return cur.execute(
            f"SELECT {_REPLY_COLS} FROM replies WHERE technician_id = %s AND clip_id <> %s"
            " ORDER BY created_at DESC LIMIT 1",
            (technician_id, before_clip),
        ).fetchone()


def mark_audio_uploaded(conn: psycopg.Connection, clip_id: str, *, audio_blob: str, sidecar: dict) -> None:
    """The reply's audio and sidecar reached storage; keep the sidecar as uploaded."""
    conn.execute("UPDATE replies SET audio_blob = %s, sidecar = %s, audio_uploaded_at = now() WHERE clip_id = %s",
                 (audio_blob, Jsonb(sidecar), clip_id))


# ----------------------------------------------------------------------------- audit
def audit(conn: psycopg.Connection, *, command_id: int | None, clip_id: str | None, technician_id: str,
          action: str, entity: str, entity_id: Any = None, ticket_id: int | None = None,
          before: dict | None = None, after: dict | None = None) -> int:
    """Record one change with the command that caused it, now; its id. (The dispatcher's
    ordinary changes go through a ChangeSet instead.)"""
    return conn.execute(
        """INSERT INTO audit_log (voice_command_id, clip_id, technician_id, ticket_id, action, entity,
                                  entity_id, before, after)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id""",
        (command_id, clip_id, technician_id, ticket_id, action, entity,
         None if entity_id is None else str(entity_id),
         Jsonb(before) if before is not None else None, Jsonb(after) if after is not None else None),
    ).fetchone()[0]


@dataclass
class AuditRow:
    id: int
    voice_command_id: int | None
    ticket_id: int | None
    action: str
    entity: str
    entity_id: str | None
    before: dict | None
    after: dict | None


def last_undoable(conn: psycopg.Connection, technician_id: str, *, window_s: int) -> list[AuditRow]:
    """Audit rows of the technician's most recent command that changed something and was not undone."""
    row = conn.execute(
        """SELECT a.voice_command_id FROM audit_log a
            WHERE a.technician_id = %s AND a.reverted_by IS NULL AND a.voice_command_id IS NOT NULL
              AND a.entity IN ('ticket', 'ticket_parts', 'billing_entries', 'ticket_notes')
              AND a.action <> 'undo'
              AND a.created_at > now() - make_interval(secs => %s)
            ORDER BY a.id DESC LIMIT 1""",
        (technician_id, window_s),
    ).fetchone()
    if not row:
        return []
    with conn.cursor(row_factory=class_row(AuditRow)) as cur:
        return cur.execute(
            """SELECT id, voice_command_id, ticket_id, action, entity, entity_id, before, after FROM audit_log
                WHERE voice_command_id = %s AND reverted_by IS NULL
                  AND entity IN ('ticket', 'ticket_parts', 'billing_entries', 'ticket_notes')
                ORDER BY id DESC FOR UPDATE""",
            (row[0],),
        ).fetchall()


def mark_reverted(conn: psycopg.Connection, audit_ids: list[int], by: int) -> None:
    conn.execute("UPDATE audit_log SET reverted_by = %s WHERE id = ANY(%s)", (by, audit_ids))


# ----------------------------------------------------------------------------- dialog state
def take_question(conn: psycopg.Connection, technician_id: str) -> tuple[str, dict] | None:
    """Remove and return the pending question if it has not expired."""
    row = conn.execute(
        "DELETE FROM dialog_state WHERE technician_id = %s RETURNING question, payload, expires_at > now()",
        (technician_id,),
    ).fetchone()
    if not row or not row[2]:
        return None
    payload = row[1] if isinstance(row[1], dict) else json.loads(row[1])
    return row[0], payload

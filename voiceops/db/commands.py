"""The voice command log, replies, audit trail and dialog state. Never commits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from voiceops.contracts import TranscriptEvent


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


def claim(conn: psycopg.Connection, event: TranscriptEvent) -> int | None:
    """Insert the command row for this clip; None when another delivery already holds it."""
    row = conn.execute(
        """INSERT INTO voice_commands (clip_id, technician_id, event_id, blob_url, transcript, stt_engine,
                                       stt_confidence, audio_seconds, recorded_at, received_at)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (clip_id) DO NOTHING RETURNING id""",
        (event.clip_id, event.technician_id, event.event_id, event.blob_url, event.transcript,
         event.stt_engine, event.stt_confidence, event.audio_seconds, event.recorded_at, event.received_at),
    ).fetchone()
    return row[0] if row else None


def finish(conn: psycopg.Connection, command_id: int, *, status: str, extraction: dict | None,
           extractor: str | None, timings: dict[str, float], error_code: str | None = None,
           error: str | None = None) -> None:
    conn.execute(
        """UPDATE voice_commands SET status = %s, extraction = %s, extractor = %s, timings = %s,
                  error_code = %s, error = %s, completed_at = now()
            WHERE id = %s""",
        (status, Jsonb(extraction) if extraction is not None else None, extractor, Jsonb(timings),
         error_code, error, command_id),
    )


def add_timings(conn: psycopg.Connection, clip_id: str, timings: dict[str, float]) -> None:
    conn.execute("UPDATE voice_commands SET timings = timings || %s WHERE clip_id = %s", (Jsonb(timings), clip_id))


def save_reply(conn: psycopg.Connection, *, clip_id: str, technician_id: str, status: str, style: str | None,
               decision_id: str | None, reply_text: str, audio_blob: str | None, sidecar: dict) -> None:
    conn.execute(
        """INSERT INTO replies (clip_id, technician_id, status, style, decision_id, reply_text, audio_blob, sidecar)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s)""",
        (clip_id, technician_id, status, style, decision_id, reply_text, audio_blob, Jsonb(sidecar)),
    )


def get_reply(conn: psycopg.Connection, clip_id: str) -> ReplyRow | None:
    with conn.cursor(row_factory=class_row(ReplyRow)) as cur:
        return cur.execute(f"SELECT {_REPLY_COLS} FROM replies WHERE clip_id = %s", (clip_id,)).fetchone()


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
          before: dict | None = None, after: dict | None = None, returning: bool = True) -> int | None:
    """Record one change (or refusal) with the command that caused it; its id when ``returning``.

    Without ``returning`` nothing is read back, so inside the pool's pipelined transactions the
    insert rides along with the next query instead of costing a round trip of its own."""
    cur = conn.execute(
        """INSERT INTO audit_log (voice_command_id, clip_id, technician_id, ticket_id, action, entity,
                                  entity_id, before, after)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)""" + (" RETURNING id" if returning else ""),
        (command_id, clip_id, technician_id, ticket_id, action, entity,
         None if entity_id is None else str(entity_id),
         Jsonb(before) if before is not None else None, Jsonb(after) if after is not None else None),
    )
    return cur.fetchone()[0] if returning else None


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
def ask(conn: psycopg.Connection, technician_id: str, question: str, payload: dict, *, clip_id: str,
        ttl_s: int) -> None:
    """Remember the question just asked; it replaces any earlier one."""
    conn.execute(
        """INSERT INTO dialog_state (technician_id, question, payload, clip_id, expires_at)
           VALUES (%s, %s, %s, %s, now() + make_interval(secs => %s))
           ON CONFLICT (technician_id) DO UPDATE SET question = EXCLUDED.question, payload = EXCLUDED.payload,
               clip_id = EXCLUDED.clip_id, expires_at = EXCLUDED.expires_at, created_at = now()""",
        (technician_id, question, Jsonb(payload), clip_id, ttl_s),
    )


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


def clear_question(conn: psycopg.Connection, technician_id: str) -> None:
    conn.execute("DELETE FROM dialog_state WHERE technician_id = %s", (technician_id,))

"""Writes of one unit of work, held until ``flush`` sends them as one statement per table.

The dispatcher reads what it needs up front (the technician's locked tickets), so its writes
need no answers: they are collected here and sent together, which is what lets a Service Bus
batch of clips cost a handful of statements instead of a dozen per clip. Order still matters
where it is visible: audit rows keep the order they were recorded in (undo walks them newest
first), a ticket keeps only its last status of the unit (every step is a legal transition, and
so is going straight to the last), and a technician's pending question is the last one asked or
cleared. Anyone reading inside the same transaction flushes first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg

from voiceops.db.records import records

#: the rows a command adds to a ticket, with the audit action and the value the audit keeps
_WORK = {
    "ticket_parts": (
        "INSERT INTO ticket_parts (ticket_id, kind, voice_command_id, part)"
        " SELECT * FROM jsonb_to_recordset(%s) AS r(ticket_id int, kind text, voice_command_id bigint, part text)",
        "'part:' || w.kind", "jsonb_build_object('part', w.part)", "id, ticket_id, voice_command_id, kind, part"),
    "billing_entries": (
        "INSERT INTO billing_entries (ticket_id, technician_id, voice_command_id, hours)"
        " SELECT * FROM jsonb_to_recordset(%s)"
        " AS r(ticket_id int, technician_id text, voice_command_id bigint, hours numeric)",
        "'billed'", "jsonb_build_object('hours', w.hours)", "id, ticket_id, voice_command_id, hours"),
    "ticket_notes": (
        "INSERT INTO ticket_notes (ticket_id, technician_id, voice_command_id, note)"
        " SELECT * FROM jsonb_to_recordset(%s) AS r(ticket_id int, technician_id text, voice_command_id bigint,"
        " note text)",
        "'note'", "jsonb_build_object('note', w.note)", "id, ticket_id, voice_command_id, note"),
}


def _work_sql(table: str) -> str:
    insert, action, after, returning = _WORK[table]
    # the audit row of each work row is written by the same statement, with the row's new id
    return (f"WITH w AS ({insert} RETURNING {returning})"
            " INSERT INTO audit_log (voice_command_id, clip_id, technician_id, ticket_id, action, entity,"
            " entity_id, after)"
            f" SELECT w.voice_command_id, v.clip_id, v.technician_id, w.ticket_id, {action}, '{table}',"
            f" w.id::text, {after} FROM w JOIN voice_commands v ON v.id = w.voice_command_id ORDER BY w.id")


_AUDIT = (
    "INSERT INTO audit_log (voice_command_id, clip_id, technician_id, ticket_id, action, entity, entity_id,"
    " before, after)"
    " SELECT * FROM jsonb_to_recordset(%s) AS r(voice_command_id bigint, clip_id text, technician_id text,"
    " ticket_id int, action text, entity text, entity_id text, before jsonb, after jsonb)"
)
_STATUS = (
    "UPDATE tickets t SET status = u.status, updated_at = now()"
    " FROM jsonb_to_recordset(%s) AS u(id int, status text) WHERE t.id = u.id"
)
_ASK = (
    "INSERT INTO dialog_state (technician_id, question, payload, clip_id, expires_at)"
    " SELECT q.technician_id, q.question, q.payload, q.clip_id, now() + make_interval(secs => q.ttl)"
    " FROM jsonb_to_recordset(%s) AS q(technician_id text, question text, payload jsonb, clip_id text, ttl int)"
    " ON CONFLICT (technician_id) DO UPDATE SET question = EXCLUDED.question, payload = EXCLUDED.payload,"
    " clip_id = EXCLUDED.clip_id, expires_at = EXCLUDED.expires_at, created_at = now()"
)
_CLEAR = "DELETE FROM dialog_state WHERE technician_id = ANY(%s)"


@dataclass
class ChangeSet:
    """Pending writes; ``flush`` sends them (without waiting for answers) and empties the set."""

    statuses: dict[int, str] = field(default_factory=dict)
    audits: list[dict] = field(default_factory=list)
    work: dict[str, list[dict]] = field(default_factory=lambda: {table: [] for table in _WORK})
    #: technician -> (question, payload, clip_id, ttl_s), or None to clear their question
    dialog: dict[str, tuple[str, dict, str, int] | None] = field(default_factory=dict)

    def set_status(self, ticket_id: int, status: str) -> None:
        self.statuses.pop(ticket_id, None)
        self.statuses[ticket_id] = status

    def audit(self, *, command_id: int | None, clip_id: str | None, technician_id: str, action: str, entity: str,
              entity_id: Any = None, ticket_id: int | None = None, before: dict | None = None,
              after: dict | None = None) -> None:
        self.audits.append({"voice_command_id": command_id, "clip_id": clip_id, "technician_id": technician_id,
                            "ticket_id": ticket_id, "action": action, "entity": entity,
                            "entity_id": None if entity_id is None else str(entity_id), "before": before,
                            "after": after})

    def add_part(self, ticket_id: int, part: str, kind: str, command_id: int) -> None:
        self.work["ticket_parts"].append({"ticket_id": ticket_id, "kind": kind, "voice_command_id": command_id,
                                          "part": part})

    def add_billing(self, ticket_id: int, technician_id: str, hours: float, command_id: int) -> None:
        self.work["billing_entries"].append({"ticket_id": ticket_id, "technician_id": technician_id,
                                             "voice_command_id": command_id, "hours": round(hours, 2)})

    def add_note(self, ticket_id: int, technician_id: str, note: str, command_id: int) -> None:
        self.work["ticket_notes"].append({"ticket_id": ticket_id, "technician_id": technician_id,
                                          "voice_command_id": command_id, "note": note})

    def ask(self, technician_id: str, question: str, payload: dict, *, clip_id: str, ttl_s: int) -> None:
        """Remember the question just asked; it replaces any earlier one."""
        self.dialog.pop(technician_id, None)
        self.dialog[technician_id] = (question, payload, clip_id, int(ttl_s))

    def clear_question(self, technician_id: str) -> None:
        self.dialog.pop(technician_id, None)
        self.dialog[technician_id] = None

    def __bool__(self) -> bool:
        return bool(self.statuses or self.audits or self.dialog or any(self.work.values()))

    def flush(self, conn: psycopg.Connection) -> None:
        """Send every pending write on ``conn`` (in its transaction); nothing is read back."""
        if self.statuses:
            conn.execute(_STATUS, (records({"id": k, "status": v} for k, v in self.statuses.items()),))
        if self.audits:
            conn.execute(_AUDIT, (records(self.audits),))
        for table, rows in self.work.items():
            if rows:
                conn.execute(_work_sql(table), (records(rows),))
        clears = sorted(tech for tech, q in self.dialog.items() if q is None)
        if clears:
            conn.execute(_CLEAR, (clears,))
        asks = [{"technician_id": tech, "question": q[0], "payload": q[1], "clip_id": q[2], "ttl": q[3]}
                for tech, q in sorted(self.dialog.items()) if q is not None]
        if asks:
            conn.execute(_ASK, (records(asks),))
        self.statuses, self.audits, self.dialog = {}, [], {}
        self.work = {table: [] for table in _WORK}

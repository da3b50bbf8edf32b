"""Writes of one unit of work, held until ``flush`` sends them all as one statement.

The dispatcher reads what it needs up front (the technician's locked tickets), so its writes
need no answers: they are collected here and sent together, which is what lets a Service Bus
batch of clips cost a handful of statements instead of a dozen per clip. Order still matters
where it is visible: status and refusal audit rows keep the order they were recorded in (undo
walks a command's rows newest first), a ticket keeps only its last status of the unit (every
step is a legal transition, and so is going straight to the last), and a technician's pending
question is the last one asked or cleared. Anyone reading inside the same transaction flushes first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg

from voiceops.db.records import records

#: the rows a command adds to a ticket: the insert, and the audit action and value it gets
_WORK = {
    "ticket_parts": (
        "INSERT INTO ticket_parts (ticket_id, kind, voice_command_id, part)"
        " SELECT * FROM jsonb_to_recordset(%({table})s) AS r(ticket_id int, kind text, voice_command_id bigint,"
        " part text) RETURNING id, ticket_id, voice_command_id, kind, part",
        "'part:' || {w}.kind", "jsonb_build_object('part', {w}.part)"),
    "billing_entries": (
        "INSERT INTO billing_entries (ticket_id, technician_id, voice_command_id, hours)"
        " SELECT * FROM jsonb_to_recordset(%({table})s) AS r(ticket_id int, technician_id text,"
        " voice_command_id bigint, hours numeric) RETURNING id, ticket_id, voice_command_id, hours",
        "'billed'", "jsonb_build_object('hours', {w}.hours)"),
    "ticket_notes": (
        "INSERT INTO ticket_notes (ticket_id, technician_id, voice_command_id, note)"
        " SELECT * FROM jsonb_to_recordset(%({table})s) AS r(ticket_id int, technician_id text,"
        " voice_command_id bigint, note text) RETURNING id, ticket_id, voice_command_id, note",
        "'note'", "jsonb_build_object('note', {w}.note)"),
}

#: the clip and technician of each command that adds work rows, for those rows' audit entries (read from
#: the parameters rather than joined from voice_commands: the row source's size is unknown to the planner,
#: which then scans the whole table)
_COMMANDS = ("SELECT * FROM jsonb_to_recordset(%(commands)s) AS c(id bigint, clip_id text, technician_id text)")


def _work(table: str) -> list[tuple[str, str]]:
    """The insert of ``table``'s rows and of their audit rows (with each row's new id) as two WITH parts."""
    insert, action, after = _WORK[table]
    w = f"w_{table}"
    audit = ("INSERT INTO audit_log (voice_command_id, clip_id, technician_id, ticket_id, action, entity,"
             " entity_id, after)"
             f" SELECT {w}.voice_command_id, c.clip_id, c.technician_id, {w}.ticket_id,"
             f" {action.format(w=w)}, '{table}', {w}.id::text, {after.format(w=w)}"
             f" FROM {w} JOIN commands c ON c.id = {w}.voice_command_id ORDER BY {w}.id")
    return [(w, insert.format(table=table)), (f"a_{table}", audit)]


_PARTS = {
    "statuses": "UPDATE tickets t SET status = u.status, updated_at = now()"
                " FROM jsonb_to_recordset(%(statuses)s) AS u(id int, status text)"
                " WHERE t.id = ANY(%(status_ids)s::int[]) AND t.id = u.id",
    "audits": "INSERT INTO audit_log (voice_command_id, clip_id, technician_id, ticket_id, action, entity,"
              " entity_id, before, after)"
              " SELECT * FROM jsonb_to_recordset(%(audits)s) AS r(voice_command_id bigint, clip_id text,"
              " technician_id text, ticket_id int, action text, entity text, entity_id text, before jsonb,"
              " after jsonb)",
    "clears": "DELETE FROM dialog_state WHERE technician_id = ANY(%(clears)s)",
    "asks": "INSERT INTO dialog_state (technician_id, question, payload, clip_id, expires_at)"
            " SELECT q.technician_id, q.question, q.payload, q.clip_id, now() + make_interval(secs => q.ttl)"
            " FROM jsonb_to_recordset(%(asks)s)"
            " AS q(technician_id text, question text, payload jsonb, clip_id text, ttl int)"
            " ON CONFLICT (technician_id) DO UPDATE SET question = EXCLUDED.question, payload = EXCLUDED.payload,"
            " clip_id = EXCLUDED.clip_id, expires_at = EXCLUDED.expires_at, created_at = now()",
    "replies": "INSERT INTO replies (clip_id, technician_id, status, style, decision_id, reply_text, sidecar)"
               " SELECT * FROM jsonb_to_recordset(%(replies)s) AS r(clip_id text, technician_id text, status text,"
               " style text, decision_id text, reply_text text, sidecar jsonb)",
    "finished": "UPDATE voice_commands v SET status = f.status, extraction = f.extraction,"
                " extractor = f.extractor, timings = f.timings, error_code = f.error_code, error = f.error,"
                " completed_at = now()"
                " FROM jsonb_to_recordset(%(finished)s) AS f(id bigint, status text, extraction jsonb,"
                " extractor text, timings jsonb, error_code text, error text)"
                " WHERE v.id = ANY(%(finished_ids)s::bigint[]) AND v.id = f.id",
}


def _statement(present: tuple[str, ...]) -> str:
    """One statement writing every kind of row present, each kind a data-modifying WITH part.

    The parts share one snapshot and none reads another's rows, except a work table's audit part,
    which reads the ids its insert part returns and the clip of each command (the ``commands`` part,
    from the parameters)."""
    parts: list[tuple[str, str]] = []
    if any(kind in _WORK for kind in present):
        parts.append(("commands", _COMMANDS))
    for kind in present:
        parts.extend(_work(kind) if kind in _WORK else [(kind, _PARTS[kind])])
    return "WITH " + ", ".join(f"{name} AS ({sql})" for name, sql in parts) + " SELECT 1"


@dataclass
class ChangeSet:
    """Pending writes; ``flush`` sends them (without waiting for answers) and empties the set."""

    statuses: dict[int, str] = field(default_factory=dict)
    audits: list[dict] = field(default_factory=list)
    work: dict[str, list[dict]] = field(default_factory=lambda: {table: [] for table in _WORK})
    commands: dict[int, dict] = field(default_factory=dict)
    #: technician -> (question, payload, clip_id, ttl_s), or None to clear their question
    dialog: dict[str, tuple[str, dict, str, int] | None] = field(default_factory=dict)
    replies: list[dict] = field(default_factory=list)
    finished: list[dict] = field(default_factory=list)

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

    def add_part(self, ticket_id: int, part: str, kind: str, *, command_id: int, clip_id: str,
                 technician_id: str) -> None:
        self._by(command_id, clip_id, technician_id)
        self.work["ticket_parts"].append({"ticket_id": ticket_id, "kind": kind, "voice_command_id": command_id,
                                          "part": part})

    def add_billing(self, ticket_id: int, hours: float, *, command_id: int, clip_id: str,
                    technician_id: str) -> None:
        self._by(command_id, clip_id, technician_id)
        self.work["billing_entries"].append({"ticket_id": ticket_id, "technician_id": technician_id,
                                             "voice_command_id": command_id, "hours": round(hours, 2)})

    def add_note(self, ticket_id: int, note: str, *, command_id: int, clip_id: str, technician_id: str) -> None:
        self._by(command_id, clip_id, technician_id)
        self.work["ticket_notes"].append({"ticket_id": ticket_id, "technician_id": technician_id,
                                          "voice_command_id": command_id, "note": note})

    def _by(self, command_id: int, clip_id: str, technician_id: str) -> None:
        """The command a work row comes from, named in its audit entry."""
        self.commands[command_id] = {"id": command_id, "clip_id": clip_id, "technician_id": technician_id}

    def ask(self, technician_id: str, question: str, payload: dict, *, clip_id: str, ttl_s: int) -> None:
        """Remember the question just asked; it replaces any earlier one."""
        self.dialog.pop(technician_id, None)
        self.dialog[technician_id] = (question, payload, clip_id, int(ttl_s))

    def clear_question(self, technician_id: str) -> None:
        self.dialog.pop(technician_id, None)
        self.dialog[technician_id] = None

    def save_reply(self, *, clip_id: str, technician_id: str, status: str, style: str | None,
                   decision_id: str | None, reply_text: str, sidecar: dict) -> None:
        """The reply to a command (its audio comes later, after the commit)."""
        self.replies.append({"clip_id": clip_id, "technician_id": technician_id, "status": status, "style": style,
                             "decision_id": decision_id, "reply_text": reply_text, "sidecar": sidecar})

    def finish(self, command_id: int, *, status: str, extraction: dict | None, extractor: str | None,
               timings: dict[str, float], error_code: str | None = None, error: str | None = None) -> None:
        """How a claimed voice command ended."""
        self.finished.append({"id": command_id, "status": status, "extraction": extraction, "extractor": extractor,
                              "timings": timings, "error_code": error_code, "error": error})

    def flush(self, conn: psycopg.Connection) -> None:
        """Send every pending write on ``conn`` (in its transaction) as one statement; nothing is read back."""
        params: dict[str, Any] = {}
        if self.statuses:
            params["statuses"] = records({"id": k, "status": v} for k, v in self.statuses.items())
            params["status_ids"] = list(self.statuses)
        if self.audits:
            params["audits"] = records(self.audits)
        for table, rows in self.work.items():
            if rows:
                params[table] = records(rows)
        clears = sorted(tech for tech, q in self.dialog.items() if q is None)
        if clears:
            params["clears"] = clears
        asks = [{"technician_id": tech, "question": q[0], "payload": q[1], "clip_id": q[2], "ttl": q[3]}
                for tech, q in sorted(self.dialog.items()) if q is not None]
        if asks:
            params["asks"] = records(asks)
        if self.replies:
            params["replies"] = records(self.replies)
        if self.finished:
            params["finished"] = records(self.finished)
            params["finished_ids"] = [f["id"] for f in self.finished]
        kinds = tuple(kind for kind in params if kind in _PARTS or kind in _WORK)
        if kinds:
            if any(kind in _WORK for kind in kinds):
                params["commands"] = records(self.commands.values())
            conn.execute(_statement(kinds), params)
        self.statuses, self.audits, self.dialog, self.replies, self.finished = {}, [], {}, [], []
        self.work = {table: [] for table in _WORK}
        self.commands = {}

"""Apply a technician's commands to their own tickets, inside the caller's transaction.

Every write is scoped to the technician named by the upload path and audited with the voice
command that caused it; every command yields reply lines (facts or questions) for the composer."""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from voiceops import grounding
from voiceops.contracts import Action, Change, OpenTicket, VoiceCommand
from voiceops.db import commands as log
from voiceops.db import tickets as repo
from voiceops.db.changes import ChangeSet
from voiceops.replies import Line, hours_phrase

WRITE_ACTIONS = {Action.close_ticket, Action.update_ticket, Action.start_ticket, Action.order_parts,
                 Action.reschedule_ticket}
#: polite answers to requests outside one technician's own jobs (the extractor says which kind)
_REFUSALS = {
    "bulk": "Sorry, I can only change your own jobs, one at a time. Nothing was changed.",
    "destructive": "Sorry, I can't delete jobs by voice. Nothing was changed.",
    "other": "Sorry, I can't do that by voice. Nothing was changed.",
}


@dataclass
class Turn:
    """Who is speaking and which logged command the writes belong to."""

    technician_id: str
    clip_id: str
    command_id: int
    undo_window_s: int = 600
    question_ttl_s: int = 300
    #: why the extractor refused the words ("bulk", "destructive", "sql"), if it did
    refusal: str | None = None


@dataclass
class TurnResult:
    lines: list[Line] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    asked: bool = False  # a clarification or confirmation question is pending
    refused: int = 0
    repeat_requested: bool = False

    @property
    def command_status(self) -> str:
        if self.asked:
            return "needs_clarification"
        if self.changes or any(line.kind not in {"not_understood", "refused"} for line in self.lines):
            return "applied"
        return "rejected"

    @property
    def reply_status(self) -> str:
        return "needs_clarification" if self.asked or self.command_status == "rejected" else "done"


class Dispatcher:
    """Runs one turn's commands in spoken order on one connection.

    The technician's active tickets are read once, locked, and kept up to date in memory as the
    turn changes them; writes go to a ChangeSet. Given ``tickets`` (already locked by the caller)
    and a shared ``changes`` (flushed by the caller), a batch of turns costs no statement of its
    own until something unusual needs a read; otherwise ``run`` flushes its own writes."""

    def __init__(self, conn: psycopg.Connection, turn: Turn, *, tickets: list[repo.Ticket] | None = None,
                 changes: ChangeSet | None = None) -> None:
        self.conn = conn
        self.turn = turn
        self.result = TurnResult()
        self._rows = tickets
        self.changes = changes if changes is not None else ChangeSet()
        self._owns_changes = changes is None

    # ------------------------------------------------------------------ entry
    def run(self, commands: list[VoiceCommand]) -> TurnResult:
        """Apply every command; return what was written and what to say."""
        for command in commands:
            self._one(command)
        if self._owns_changes:
            self.changes.flush(self.conn)
        return self.result

    def jobs_remaining(self) -> int:
        """The technician's tickets still open or in progress, after this turn."""
        return sum(t.status != "closed" for t in self._ticket_rows())

    def _read(self) -> psycopg.Connection:
        """The connection, for a read: pending writes go first so the read sees them."""
        self.changes.flush(self.conn)
        return self.conn

    def _one(self, cmd: VoiceCommand) -> None:
        if cmd.action in WRITE_ACTIONS:
            match = self._ground(cmd)
            if match is None:
                return
            # a name that only sounds like the ticket's ("care" for Kerr) is confirmed before any write
            if cmd.needs_confirmation or match.by == "sounds_like":
                self._ask_to_confirm(cmd, match.ticket)
                return
            self._apply(cmd, match.ticket)
        elif cmd.action == Action.next_ticket:
            self._next_ticket()
        elif cmd.action == Action.confirm:
            self._confirm()
        elif cmd.action == Action.decline:
            self.changes.clear_question(self.turn.technician_id)
            self.result.lines.append(Line("declined"))
        elif cmd.action == Action.repeat:
            previous = log.last_reply(self._read(), self.turn.technician_id, before_clip=self.turn.clip_id)
            self.result.lines.append(Line("repeat", text=previous.reply_text if previous else None))
            self.result.repeat_requested = True
        elif cmd.action == Action.undo:
            self._undo()
        elif self.turn.refusal:
            self._refuse(cmd, _REFUSALS.get(self.turn.refusal, _REFUSALS["other"]))
        else:
            self._audit("not_understood", "voice_command", after={"reason": cmd.notes})
            self.result.lines.append(Line("not_understood"))

    # ------------------------------------------------------------------ grounding and authorization
    def _ticket_rows(self) -> list[repo.Ticket]:
        if self._rows is None:
            tech = self.turn.technician_id
            self._rows = repo.lock_tickets(self._read(), [tech])[tech]
        return self._rows

    def tickets(self) -> list[OpenTicket]:
        return [t.as_open_ticket() for t in self._ticket_rows()]

    def _ground(self, cmd: VoiceCommand) -> grounding.Matched | None:
        """The technician's own ticket the command means, or None after saying why."""
        if cmd.ticket_id is not None and not any(t.ticket_id == cmd.ticket_id for t in self.tickets()):
            other = repo.get_ticket(self._read(), cmd.ticket_id)
            if other is None:
                self._say("clarify", f"I can't find job #{cmd.ticket_id}. Which job do you mean?", asked=True)
            else:
                self._refuse(cmd, f"Job #{cmd.ticket_id} isn't on your list, so I can't change it.",
                             ticket_id=cmd.ticket_id)
            return None
        active = [t for t in self.tickets() if t.status != "closed" or cmd.action == Action.close_ticket]
        if cmd.ticket_id is None and not cmd.customer:
            in_progress = [t for t in active if t.status == "in_progress"]
            candidates = in_progress if len(in_progress) == 1 else active if len(active) == 1 else []
            if candidates:
                return grounding.Matched(candidates[0], by="only_job")
            self._say("clarify", "Which job do you mean? Tell me the customer or the job number.", asked=True)
            return None
        match = grounding.resolve(cmd, active)
        if isinstance(match, grounding.Matched):
            return match
        if isinstance(match, grounding.Ambiguous):
            self._say("clarify", grounding.clarification_question(match.candidates), asked=True)
            return None
        name = cmd.customer or f"job #{cmd.ticket_id}"
        self._say("clarify", f"I don't see a job for {name} on your list. Which job do you mean?", asked=True)
        return None

    def _refuse(self, cmd: VoiceCommand, text: str, *, ticket_id: int | None = None) -> None:
        self._audit("refused", "voice_command", ticket_id=ticket_id,
                    after={"reason": text, "action": cmd.action.value})
        self.result.refused += 1
        self.result.lines.append(Line("refused", text=text))

    # ------------------------------------------------------------------ writes
    def _apply(self, cmd: VoiceCommand, target: OpenTicket) -> None:
        # targets come from the technician's own tickets, read and row-locked in this transaction
        ticket = next(t for t in self._ticket_rows() if t.id == target.ticket_id)
        change = Change(ticket_id=ticket.id, customer=ticket.customer, action=cmd.action, old_status=ticket.status,
                        new_status=ticket.status)
        if ticket.status == "closed":
            self.result.lines.append(Line("already_closed", ticket_id=ticket.id))
            return
        if cmd.action == Action.close_ticket:
            self._status(ticket, "closed", change)
            self._work(cmd, ticket.id, change, kind="used")
            self._record(change, Line("closed", ticket.id, ticket.customer, change.hours_billed, change.parts))
            self._ask("next_ticket", {"after": ticket.id}, Line("ask_next"))
        elif cmd.action == Action.update_ticket:
            self._status(ticket, "in_progress", change)
            self._work(cmd, ticket.id, change, kind="used")
            self._record(change, Line("updated", ticket.id, ticket.customer, change.hours_billed, change.parts))
        elif cmd.action == Action.start_ticket:
            if ticket.status == "in_progress":
                self.result.lines.append(Line("already_started", ticket_id=ticket.id))
                return
            self._status(ticket, "in_progress", change)
            self._record(change, Line("started", ticket.id, ticket.customer, address=ticket.address or None))
        elif cmd.action == Action.order_parts:
            if not cmd.parts:
                self._say("clarify", f"Which part should I order for job #{ticket.id}?", asked=True)
                return
            self._work(cmd.model_copy(update={"billing_hours": None, "notes": None}), ticket.id, change,
                       kind="ordered")
            self._record(change, Line("ordered", ticket.id, ticket.customer, parts=change.parts))
        elif cmd.action == Action.reschedule_ticket:
            when = cmd.when or cmd.notes
            repo.set_reschedule_note(self.conn, ticket.id, when)
            ticket.reschedule_note = when
            self._audit("reschedule", "ticket", ticket.id, ticket_id=ticket.id,
                        before={"reschedule_note": ticket.reschedule_note}, after={"reschedule_note": when})
            change.scheduled_for = when
            self._record(change, Line("rescheduled", ticket.id, ticket.customer, text=when))

    def _status(self, ticket: repo.Ticket, new: str, change: Change) -> None:
        ticket_id, old = ticket.id, ticket.status
        if old == new:
            return
        self.changes.set_status(ticket_id, new)
        ticket.status = new
        self._audit(f"status:{new}", "ticket", ticket_id, ticket_id=ticket_id,
                    before={"status": old}, after={"status": new})
        change.new_status = new

    def _work(self, cmd: VoiceCommand, ticket_id: int, change: Change, *, kind: str) -> None:
        """Parts, billed hours and notes of one command."""
        for part in dict.fromkeys(p.strip().lower() for p in cmd.parts if p.strip()):
            self.changes.add_part(ticket_id, part, kind, **self._by())  # audited with it
            change.parts.append(part)
        if cmd.billing_hours:
            self.changes.add_billing(ticket_id, cmd.billing_hours, **self._by())
            change.hours_billed = cmd.billing_hours
        if cmd.notes:
            self.changes.add_note(ticket_id, cmd.notes, **self._by())
            change.note = cmd.notes

    def _by(self) -> dict:
        """This turn's command, clip and technician, as the change set names them."""
        return {"command_id": self.turn.command_id, "clip_id": self.turn.clip_id,
                "technician_id": self.turn.technician_id}

    def _record(self, change: Change, line: Line) -> None:
        self.result.changes.append(change)
        self.result.lines.append(line)

    # ------------------------------------------------------------------ dialog
    def _ask_to_confirm(self, cmd: VoiceCommand, ticket: OpenTicket) -> None:
        verb = {Action.close_ticket: "Close", Action.update_ticket: "Update", Action.start_ticket: "Start",
                Action.order_parts: "Order parts for", Action.reschedule_ticket: "Reschedule"}[cmd.action]
        details = list(cmd.parts)
        if cmd.billing_hours:
            details.append(hours_phrase(cmd.billing_hours))
        if cmd.action == Action.reschedule_ticket and cmd.when:
            details.append(f"to {cmd.when}")
        text = f"{verb} job #{ticket.ticket_id} for {ticket.customer}" + "".join(f", {d}" for d in details) + "?"
        payload = {"command": cmd.model_dump(mode="json"), "ticket_id": ticket.ticket_id}
        self._ask("confirm_command", payload, Line("question", text=text))
        self.result.asked = True

    def _ask(self, question: str, payload: dict, line: Line) -> None:
        self.changes.ask(self.turn.technician_id, question, payload, clip_id=self.turn.clip_id,
                         ttl_s=self.turn.question_ttl_s)
        self.result.lines.append(line)

    def _say(self, kind: str, text: str, *, asked: bool = False) -> None:
        self.result.lines.append(Line(kind, text=text))
        self.result.asked = self.result.asked or asked

    def _confirm(self) -> None:
        pending = log.take_question(self._read(), self.turn.technician_id)
        if pending is None:
            self.result.lines.append(Line("nothing_pending"))
            return
        question, payload = pending
        if question == "next_ticket":
            self._next_ticket(exclude=payload.get("after"))
        elif question == "confirm_command":
            cmd = VoiceCommand.model_validate(payload["command"]).model_copy(update={"needs_confirmation": False})
            target = next((t for t in self.tickets() if t.ticket_id == payload["ticket_id"]), None)
            if target is None:
                self._refuse(cmd, f"Job #{payload['ticket_id']} isn't on your list any more.",
                             ticket_id=payload["ticket_id"])
            else:
                self._apply(cmd, target)

    def _next_ticket(self, exclude: int | None = None) -> None:
        ticket = repo.next_ticket(self._read(), self.turn.technician_id, exclude=exclude)
        if ticket is None:
            self.result.lines.append(Line("no_next_ticket"))
            return
        if ticket.technician_id is None:
            repo.assign(self.conn, ticket.id, self.turn.technician_id)
            ticket.technician_id = self.turn.technician_id
            rows = self._ticket_rows()
            if all(t.id != ticket.id for t in rows):
                rows.append(ticket)
            self._audit("assign", "ticket", ticket.id, ticket_id=ticket.id, before={"technician_id": None},
                        after={"technician_id": self.turn.technician_id})
            self.result.changes.append(Change(ticket_id=ticket.id, customer=ticket.customer,
                                              action=Action.next_ticket, old_status=ticket.status,
                                              new_status=ticket.status))
        self.result.lines.append(Line("next_ticket", ticket.id, ticket.customer, address=ticket.address or None))

    # ------------------------------------------------------------------ undo
    def _undo(self) -> None:
        rows = log.last_undoable(self._read(), self.turn.technician_id, window_s=self.turn.undo_window_s)
        if not rows:
            self.result.lines.append(Line("nothing_to_undo"))
            return
        self.conn.execute("SELECT set_config('voiceops.undo', 'on', true)")
        said: list[str] = []
        for row in rows:  # newest first, so the ticket's status goes back last
            if row.entity in repo.WORK_TABLES:
                repo.delete_row(self.conn, row.entity, int(row.entity_id))
            elif row.entity == "ticket" and row.before:
                if "status" in row.before:
                    repo.set_status(self.conn, row.ticket_id, row.before["status"])
                if "technician_id" in row.before:
                    repo.assign(self.conn, row.ticket_id, row.before["technician_id"])
                if "reschedule_note" in row.before:
                    repo.set_reschedule_note(self.conn, row.ticket_id, row.before["reschedule_note"])
            said.append(_describe(row))
        self.conn.execute("SELECT set_config('voiceops.undo', 'off', true)")
        self.changes.clear_question(self.turn.technician_id)
        undo_id = log.audit(self._read(), command_id=self.turn.command_id, clip_id=self.turn.clip_id,
                            technician_id=self.turn.technician_id, action="undo", entity="voice_command",
                            entity_id=rows[0].voice_command_id, after={"reverted_audit_ids": [r.id for r in rows]})
        log.mark_reverted(self.conn, [r.id for r in rows], undo_id)
        ticket_ids = sorted({r.ticket_id for r in rows if r.ticket_id})
        self.result.changes.extend(Change(ticket_id=t, action=Action.undo, reverted=True) for t in ticket_ids)
        self.result.lines.append(Line("undone", text=", ".join(reversed(said))))
        self._rows = None  # statuses and assignments moved under us: read them again when needed

    def _audit(self, action: str, entity: str, entity_id: object = None, *, ticket_id: int | None = None,
               before: dict | None = None, after: dict | None = None) -> None:
        self.changes.audit(command_id=self.turn.command_id, clip_id=self.turn.clip_id,
                           technician_id=self.turn.technician_id, action=action, entity=entity, entity_id=entity_id,
                           ticket_id=ticket_id, before=before, after=after)


def _describe(row: log.AuditRow) -> str:
    """What an audit row did, in words, for the undo reply."""
    after = row.after or {}
    if row.entity == "ticket_parts":
        return f"{after.get('part')} on job #{row.ticket_id}"
    if row.entity == "billing_entries":
        return f"{hours_phrase(float(after.get('hours', 0)))} billed on job #{row.ticket_id}"
    if row.entity == "ticket_notes":
        return f"the note on job #{row.ticket_id}"
    if "status" in after:
        return f"job #{row.ticket_id} {after['status'].replace('_', ' ')}"
    if "technician_id" in after:
        return f"job #{row.ticket_id} assigned to you"
    return f"the change to job #{row.ticket_id}"

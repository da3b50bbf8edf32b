"""Ticket queries. Every function takes the caller's connection and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import class_row

from voiceops.contracts import OpenTicket


@dataclass
class Ticket:
    id: int
    customer: str
    address: str
    technician_id: str | None
    status: str
    reschedule_note: str | None = None
    scheduled_start: datetime | None = None

    def as_open_ticket(self) -> OpenTicket:
        """What extraction and grounding see of it."""
        return OpenTicket(ticket_id=self.id, customer=self.customer, address=self.address or None,
                          status=self.status)


_TICKET_SQL = """
    SELECT t.id, c.name AS customer, c.address, t.technician_id, t.status, t.reschedule_note
      FROM tickets t JOIN customers c ON c.id = t.customer_id
"""


#: a technician's working set: open and in-progress tickets, plus those closed recently (for "already closed").
#: The technicians drive the join (one index lookup each), whatever the planner knows of the tables' sizes.
_ACTIVE_SQL = """
    SELECT t.id, c.name AS customer, c.address, t.technician_id, t.status, t.reschedule_note, t.scheduled_start
      FROM unnest(%s::text[]) AS k(technician_id)
      JOIN tickets t ON t.technician_id = k.technician_id
      JOIN customers c ON c.id = t.customer_id
     WHERE t.status <> 'closed' OR t.closed_at > now() - make_interval(hours => 24)"""


def _by_technician(rows: list[Ticket], technician_ids: Sequence[str]) -> dict[str, list[Ticket]]:
    grouped: dict[str, list[Ticket]] = {tech: [] for tech in technician_ids}
    for row in sorted(rows, key=lambda t: (t.scheduled_start is None, t.scheduled_start or 0, t.id)):
        grouped[row.technician_id].append(row)
    return grouped


def active_tickets(conn: psycopg.Connection, technician_ids: Sequence[str]) -> dict[str, list[OpenTicket]]:
    """Each technician's working set in schedule order (no locks: context for extraction)."""
    with conn.cursor(row_factory=class_row(Ticket)) as cur:
        rows = cur.execute(_ACTIVE_SQL, (list(dict.fromkeys(technician_ids)),)).fetchall()
    return {tech: [t.as_open_ticket() for t in tickets]
            for tech, tickets in _by_technician(rows, technician_ids).items()}


def technician_tickets(conn: psycopg.Connection, technician_id: str) -> list[OpenTicket]:
    """One technician's working set in schedule order."""
    return active_tickets(conn, [technician_id])[technician_id]


def lock_tickets(conn: psycopg.Connection, technician_ids: Sequence[str]) -> dict[str, list[Ticket]]:
    """Each technician's working set, row-locked for the transaction, in schedule order.

    Locks are taken in ticket-number order, so transactions locking overlapping sets queue
    behind each other instead of deadlocking."""
    with conn.cursor(row_factory=class_row(Ticket)) as cur:
        rows = cur.execute(_ACTIVE_SQL + " ORDER BY t.id FOR UPDATE OF t",
                           (list(dict.fromkeys(technician_ids)),)).fetchall()
    return _by_technician(rows, technician_ids)


def get_ticket(conn: psycopg.Connection, ticket_id: int) -> Ticket | None:
    """One ticket by the number people use (whoever's it is: to say why it can't be changed)."""
    with conn.cursor(row_factory=class_row(Ticket)) as cur:
        return cur.execute(_TICKET_SQL + " WHERE t.id = %s", (ticket_id,)).fetchone()


def set_status(conn: psycopg.Connection, ticket_id: int, status: str) -> None:
    conn.execute("UPDATE tickets SET status = %s, updated_at = now() WHERE id = %s", (status, ticket_id))


def assign(conn: psycopg.Connection, ticket_id: int, technician_id: str | None) -> None:
    conn.execute("UPDATE tickets SET technician_id = %s, updated_at = now() WHERE id = %s",
                 (technician_id, ticket_id))


def set_reschedule_note(conn: psycopg.Connection, ticket_id: int, note: str | None) -> None:
    conn.execute("UPDATE tickets SET reschedule_note = %s, updated_at = now() WHERE id = %s", (note, ticket_id))


#: rows a command adds to a ticket; undo deletes them again
WORK_TABLES = frozenset({"ticket_parts", "billing_entries", "ticket_notes"})


def delete_row(conn: psycopg.Connection, table: str, row_id: int) -> None:
    """Remove a row written by a command that is being undone."""
    if table not in WORK_TABLES:
        raise ValueError(f"not an undoable table: {table}")
    conn.execute(f"DELETE FROM {table} WHERE id = %s", (row_id,))


def next_ticket(conn: psycopg.Connection, technician_id: str, *, exclude: int | None = None) -> Ticket | None:
    """The technician's next open ticket by schedule, else the oldest unassigned one (locked)."""
    with conn.cursor(row_factory=class_row(Ticket)) as cur:
        own = cur.execute(
            _TICKET_SQL + " WHERE t.technician_id = %s AND t.status = 'open' AND t.id IS DISTINCT FROM %s"
            " ORDER BY t.scheduled_start NULLS LAST, t.id LIMIT 1",
            (technician_id, exclude),
        ).fetchone()
        if own:
            return own
        return cur.execute(
            _TICKET_SQL + " WHERE t.technician_id IS NULL AND t.status = 'open'"
            " ORDER BY t.scheduled_start NULLS LAST, t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED",
        ).fetchone()


def parts_catalogue(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM parts_catalogue ORDER BY name")]

"""Ticket queries. Every function takes the caller's connection and never commits."""

from __future__ import annotations

from dataclasses import dataclass

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


_TICKET_SQL = """
    SELECT t.id, c.name AS customer, c.address, t.technician_id, t.status, t.reschedule_note
      FROM tickets t JOIN customers c ON c.id = t.customer_id
"""


def technician_tickets(conn: psycopg.Connection, technician_id: str, *,
                       closed_within_hours: int = 24) -> list[OpenTicket]:
    """The technician's open and in-progress tickets, plus those closed recently (for 'already closed')."""
    rows = conn.execute(
        """SELECT t.id, c.name, c.address, t.status
             FROM tickets t JOIN customers c ON c.id = t.customer_id
            WHERE t.technician_id = %s
              AND (t.status <> 'closed' OR t.closed_at > now() - make_interval(hours => %s))
            ORDER BY t.scheduled_start NULLS LAST, t.id""",
        (technician_id, closed_within_hours),
    ).fetchall()
    return [OpenTicket(ticket_id=r[0], customer=r[1], address=r[2] or None, status=r[3]) for r in rows]


def get_ticket(conn: psycopg.Connection, ticket_id: int, *, lock: bool = False) -> Ticket | None:
    """One ticket by the number people use; ``lock`` takes a row lock for the transaction."""
    sql = _TICKET_SQL + " WHERE t.id = %s" + (" FOR UPDATE OF t" if lock else "")
    with conn.cursor(row_factory=class_row(Ticket)) as cur:
        return cur.execute(sql, (ticket_id,)).fetchone()


def set_status(conn: psycopg.Connection, ticket_id: int, status: str) -> None:
    conn.execute("UPDATE tickets SET status = %s, updated_at = now() WHERE id = %s", (status, ticket_id))


def assign(conn: psycopg.Connection, ticket_id: int, technician_id: str | None) -> None:
    conn.execute("UPDATE tickets SET technician_id = %s, updated_at = now() WHERE id = %s",
                 (technician_id, ticket_id))


def set_reschedule_note(conn: psycopg.Connection, ticket_id: int, note: str | None) -> None:
    conn.execute("UPDATE tickets SET reschedule_note = %s, updated_at = now() WHERE id = %s", (note, ticket_id))


def add_part(conn: psycopg.Connection, ticket_id: int, part: str, kind: str, command_id: int) -> int:
    return conn.execute(
        "INSERT INTO ticket_parts (ticket_id, part, kind, voice_command_id) VALUES (%s, %s, %s, %s) RETURNING id",
        (ticket_id, part, kind, command_id),
    ).fetchone()[0]


def add_billing(conn: psycopg.Connection, ticket_id: int, technician_id: str, hours: float, command_id: int) -> int:
    return conn.execute(
        "INSERT INTO billing_entries (ticket_id, technician_id, hours, voice_command_id)"
        " VALUES (%s, %s, %s, %s) RETURNING id",
        (ticket_id, technician_id, round(hours, 2), command_id),
    ).fetchone()[0]


def add_note(conn: psycopg.Connection, ticket_id: int, technician_id: str, note: str, command_id: int) -> int:
    return conn.execute(
        "INSERT INTO ticket_notes (ticket_id, technician_id, note, voice_command_id)"
        " VALUES (%s, %s, %s, %s) RETURNING id",
        (ticket_id, technician_id, note, command_id),
    ).fetchone()[0]


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


def jobs_remaining(conn: psycopg.Connection, technician_id: str) -> int:
    """Tickets still open or in progress for the technician."""
    return conn.execute(
        "SELECT count(*) FROM tickets WHERE technician_id = %s AND status <> 'closed'", (technician_id,)
    ).fetchone()[0]


def parts_catalogue(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM parts_catalogue ORDER BY name")]

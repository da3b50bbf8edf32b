"""Dispatch rules against real PostgreSQL: scoping, transitions, dialog, confirmation and undo.

Commands are built directly here (extraction has its own tests); every assertion reads the rows."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from voiceops.contracts import Action, TranscriptEvent, VoiceCommand
from voiceops.db import commands as log
from voiceops.dispatch import Dispatcher, Turn

pytestmark = pytest.mark.integration


def run(url: str, tech: str, *commands: VoiceCommand):
    """One turn in its own transaction, as the worker runs it."""
    clip = f"clip-{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url) as conn:
        command_id = log.claim(conn, TranscriptEvent(clip_id=clip, technician_id=tech, blob_url="test"))
        result = Dispatcher(conn, Turn(technician_id=tech, clip_id=clip, command_id=command_id)).run(list(commands))
    return result


def status(url: str, ticket_id: int) -> str:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT status FROM tickets WHERE id = %s", (ticket_id,)).fetchone()[0]


def count(url: str, sql: str, *args) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, args).fetchone()[0]


def close(customer=None, ticket_id=None, hours=None, parts=(), **kw) -> VoiceCommand:
    return VoiceCommand(action=Action.close_ticket, customer=customer, ticket_id=ticket_id, billing_hours=hours,
                        parts=list(parts), confidence=0.95, **kw)


def test_closing_a_closed_ticket_is_a_no_op_answered_as_such(seeded_url, technician):
    tech, tickets = technician
    run(seeded_url, tech, close("Quill", hours=1))
    result = run(seeded_url, tech, close("Quill", hours=1))
    assert [line.kind for line in result.lines] == ["already_closed"]
    assert result.changes == []
    assert count(seeded_url, "SELECT count(*) FROM billing_entries WHERE ticket_id = %s", tickets["Quill"]) == 1


def test_another_technicians_ticket_is_refused_and_audited(seeded_url, technician):
    tech, _ = technician
    result = run(seeded_url, tech, close(ticket_id=104, hours=3))
    assert [line.kind for line in result.lines] == ["refused"]
    assert result.refused == 1 and result.command_status == "rejected"
    assert count(seeded_url, "SELECT count(*) FROM billing_entries WHERE technician_id = %s", tech) == 0
    assert count(seeded_url, "SELECT count(*) FROM audit_log WHERE technician_id = %s AND action = 'refused'"
                 " AND ticket_id = 104", tech) == 1


def test_yes_after_next_ticket_question_gives_the_next_ticket(seeded_url, technician):
    tech, tickets = technician
    closed = run(seeded_url, tech, close("Quill"))
    assert closed.lines[-1].kind == "ask_next"
    answer = run(seeded_url, tech, VoiceCommand(action=Action.confirm))
    [line] = answer.lines
    assert line.kind == "next_ticket" and line.ticket_id == tickets["Brandt"]
    # the question was consumed: a second yes has nothing to answer
    assert run(seeded_url, tech, VoiceCommand(action=Action.confirm)).lines[0].kind == "nothing_pending"


def test_no_clears_the_pending_question(seeded_url, technician):
    tech, _ = technician
    run(seeded_url, tech, close("Quill"))
    assert run(seeded_url, tech, VoiceCommand(action=Action.decline)).lines[0].kind == "declined"
    assert count(seeded_url, "SELECT count(*) FROM dialog_state WHERE technician_id = %s", tech) == 0


def test_low_confidence_command_is_read_back_and_applied_after_yes(seeded_url, technician):
    tech, tickets = technician
    asked = run(seeded_url, tech, close("Brandt", hours=2, needs_confirmation=True))
    assert asked.asked and asked.command_status == "needs_clarification"
    assert asked.lines[0].text == f"Close job #{tickets['Brandt']} for Brandt, 2 hours?"
    assert status(seeded_url, tickets["Brandt"]) == "open"

    applied = run(seeded_url, tech, VoiceCommand(action=Action.confirm))
    assert [c.ticket_id for c in applied.changes] == [tickets["Brandt"]]
    assert status(seeded_url, tickets["Brandt"]) == "closed"
    assert count(seeded_url, "SELECT count(*) FROM billing_entries WHERE ticket_id = %s", tickets["Brandt"]) == 1


def test_a_name_that_only_sounds_like_a_ticket_is_read_back_before_anything_is_written(seeded_url, technician):
    # "Kwill" is how a recogniser may write Quill: close in sound, not in spelling
    tech, tickets = technician
    asked = run(seeded_url, tech, close("Kwill", hours=1))
    assert asked.asked and asked.lines[0].text == f"Close job #{tickets['Quill']} for Quill, 1 hour?"
    assert status(seeded_url, tickets["Quill"]) == "open"
    assert count(seeded_url, "SELECT count(*) FROM billing_entries WHERE ticket_id = %s", tickets["Quill"]) == 0

    applied = run(seeded_url, tech, VoiceCommand(action=Action.confirm))
    assert [c.ticket_id for c in applied.changes] == [tickets["Quill"]]
    assert status(seeded_url, tickets["Quill"]) == "closed"


def test_undo_reverts_the_last_command(seeded_url, technician):
    tech, tickets = technician
    run(seeded_url, tech, close("Ostrova", hours=1.5, parts=["capacitor"], notes="swapped the capacitor"))
    assert status(seeded_url, tickets["Ostrova"]) == "closed"

    undone = run(seeded_url, tech, VoiceCommand(action=Action.undo))

    assert undone.lines[0].kind == "undone"
    assert "closed" in undone.lines[0].text and "1.5 hours" in undone.lines[0].text
    assert status(seeded_url, tickets["Ostrova"]) == "open"
    for table in ("billing_entries", "ticket_parts", "ticket_notes"):
        assert count(seeded_url, f"SELECT count(*) FROM {table} WHERE ticket_id = %s", tickets["Ostrova"]) == 0
    assert count(seeded_url, "SELECT count(*) FROM audit_log WHERE ticket_id = %s AND reverted_by IS NOT NULL",
                 tickets["Ostrova"]) == 4
    # nothing left to undo for this technician
    assert run(seeded_url, tech, VoiceCommand(action=Action.undo)).lines[0].kind == "nothing_to_undo"


def test_two_jobs_for_the_same_name_ask_which_one(seeded_url):
    result = run(seeded_url, "tech-rivera", close("Garcia", hours=1))
    assert result.asked and result.changes == []
    assert "2231" in result.lines[0].text and "2240" in result.lines[0].text
    assert status(seeded_url, 2231) == "open" and status(seeded_url, 2240) == "open"


def test_update_moves_open_to_in_progress_and_start_is_idempotent(seeded_url, technician):
    tech, tickets = technician
    run(seeded_url, tech, VoiceCommand(action=Action.start_ticket, customer="Quill", confidence=0.9))
    assert status(seeded_url, tickets["Quill"]) == "in_progress"
    again = run(seeded_url, tech, VoiceCommand(action=Action.start_ticket, customer="Quill", confidence=0.9))
    assert again.lines[0].kind == "already_started"
    # "mark the job finished" with no name means the one job in progress
    run(seeded_url, tech, close(hours=0.5))
    assert status(seeded_url, tickets["Quill"]) == "closed"

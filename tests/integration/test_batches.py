"""A Service Bus batch through worker.handle_batch against real PostgreSQL.

Clips of different technicians share one transaction; a technician's clips keep queue order; a
copy of a clip in the same batch is a duplicate; one clip's failure stays that clip's. Every
assertion reads the rows."""

from __future__ import annotations

import threading
import uuid

import psycopg
import pytest

from tests.messages import clip_of
from tests.messages import transcript_message as message
from voiceops.bootstrap import Services
from voiceops.contracts import TranscriptEvent
from voiceops.db.pool import Database
from voiceops.errors import TransientError
from voiceops.worker import Outcome, handle_batch, handle_message

pytestmark = pytest.mark.integration

#: one technician's afternoon: start, close with parts and hours, "yes" to the next job, order and
#: undo, a ticket that is not theirs, noise, and a second close
SCRIPT = (
    "Start the Brandt job.",
    "Done at the Quill place, replaced the capacitor, bill them for two hours and close it.",
    "Yes.",
    "Order a new thermostat for Ostrova.",
    "Scratch that.",
    "Close job 104 and bill three hours.",
    "blorp fizz wobble",
    "Finished at Brandt, cleaned the coils, an hour and a half, close it out.",
)


def new_technician(url: str) -> str:
    """A technician with open tickets at Quill, Brandt and Ostrova (in that schedule order)."""
    tech = f"tech-{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO technicians (id, name) VALUES (%s, %s)", (tech, f"Batch {tech}"))
        for i, name in enumerate(("Quill", "Brandt", "Ostrova")):
            cid = conn.execute("INSERT INTO customers (name, address) VALUES (%s, %s) RETURNING id",
                               (name, f"{i + 1} {tech} Street")).fetchone()[0]
            conn.execute("INSERT INTO tickets (customer_id, technician_id, scheduled_start)"
                         " VALUES (%s, %s, now() + make_interval(hours => %s))", (cid, tech, i))
    return tech


def snapshot(url: str, tech: str) -> dict:
    """Everything the technician's clips wrote, with ticket numbers replaced by customer names."""
    with psycopg.connect(url) as conn:
        def rows(sql: str) -> list[tuple]:
            return conn.execute(sql, {"tech": tech}).fetchall()

        return {
            "tickets": rows("SELECT c.name, t.status, t.technician_id = %(tech)s FROM tickets t"
                            " JOIN customers c ON c.id = t.customer_id WHERE c.address LIKE '%%' || %(tech)s || '%%'"
                            " ORDER BY c.name"),
            "billing": rows("SELECT c.name, b.hours FROM billing_entries b JOIN tickets t ON t.id = b.ticket_id"
                            " JOIN customers c ON c.id = t.customer_id WHERE b.technician_id = %(tech)s ORDER BY 1, 2"),
            "parts": rows("SELECT c.name, p.part, p.kind FROM ticket_parts p JOIN tickets t ON t.id = p.ticket_id"
                          " JOIN customers c ON c.id = t.customer_id WHERE t.technician_id = %(tech)s ORDER BY 1, 2"),
            "notes": rows("SELECT c.name, n.note FROM ticket_notes n JOIN tickets t ON t.id = n.ticket_id"
                          " JOIN customers c ON c.id = t.customer_id WHERE n.technician_id = %(tech)s ORDER BY 1, 2"),
            # the audit trail in order, per command in queue order
            "audit": rows("SELECT v.transcript, a.action, a.entity, c.name, a.reverted_by IS NOT NULL"
                          " FROM audit_log a JOIN voice_commands v ON v.id = a.voice_command_id"
                          " LEFT JOIN tickets t ON t.id = a.ticket_id LEFT JOIN customers c ON c.id = t.customer_id"
                          " WHERE a.technician_id = %(tech)s ORDER BY v.id, a.id"),
            "commands": rows("SELECT transcript, status FROM voice_commands WHERE technician_id = %(tech)s"
                             " ORDER BY id"),
            "replies": rows("SELECT v.transcript, r.status FROM replies r JOIN voice_commands v USING (clip_id)"
                            " WHERE r.technician_id = %(tech)s ORDER BY v.id"),
            "dialog": rows("SELECT question FROM dialog_state WHERE technician_id = %(tech)s"),
            "decisions": rows("SELECT count(*) FROM bandit_decisions WHERE technician_id = %(tech)s"),
        }


def test_a_batch_writes_exactly_what_the_same_clips_write_one_at_a_time(services, seeded_url):
    alone, batched_a, batched_b = (new_technician(seeded_url) for _ in range(3))
    for text in SCRIPT:
        handle_message(services, message(alone, text), speak=False)
    # two technicians' afternoons interleaved in one batch: each round holds one clip of each
    batch = [(message(tech, text), 1) for text in SCRIPT for tech in (batched_a, batched_b)]
    results = handle_batch(services, batch, speak=False)

    assert all(isinstance(r, Outcome) and not r.duplicate for r in results), results
    expected = snapshot(seeded_url, alone)
    assert snapshot(seeded_url, batched_a) == expected
    assert snapshot(seeded_url, batched_b) == expected
    # and what that is, spelled out: Quill closed with 2 h and a capacitor; Brandt started then
    # closed with 1.5 h; the thermostat order undone; job 104 refused; one decision per clip
    assert expected["tickets"] == [("Brandt", "closed", True), ("Ostrova", "open", True), ("Quill", "closed", True)]
    assert [(name, float(hours)) for name, hours in expected["billing"]] == [("Brandt", 1.5), ("Quill", 2.0)]
    assert ("Quill", "capacitor", "used") in expected["parts"]
    assert not any(part == "thermostat" for _, part, _ in expected["parts"])
    assert any(action == "refused" for _, action, _, _, _ in expected["audit"])
    assert expected["decisions"] == [(len(SCRIPT),)]


def test_a_technicians_clips_keep_queue_order_and_a_copy_in_the_same_batch_is_a_duplicate(services, seeded_url):
    tech, other = new_technician(seeded_url), new_technician(seeded_url)
    close = message(tech, "Done at the Quill place, replaced the capacitor, bill them for two hours and close it.")
    batch = [(close, 1), (message(tech, "Yes."), 1), (close, 2), (message(other, "Start the Ostrova job."), 1)]

    first, yes, copy, started = handle_batch(services, batch, speak=False)

    assert first.sidecar.status == "done" and not first.duplicate
    assert "Brandt" in yes.sidecar.reply_text  # "yes" answered the question the close asked
    assert copy.duplicate and copy.sidecar.reply_text == first.sidecar.reply_text
    assert started.sidecar.status == "done"
    state = snapshot(seeded_url, tech)
    assert [(name, float(h)) for name, h in state["billing"]] == [("Quill", 2.0)]
    assert state["commands"] == [(TranscriptEvent.from_json(close).transcript, "applied"), ("Yes.", "applied")]
    assert state["dialog"] == []
    assert ("Ostrova", "in_progress", True) in snapshot(seeded_url, other)["tickets"]


class Exploding:
    """The real extractor, except that one phrase blows up (a stand-in for one clip's bad data). Remote, like
    the OpenAI one: an unexpected failure there may pass, so it is retried (an offline extractor's bug is
    recorded and answered at once: tests/integration/test_bad_input.py)."""

    name = "exploding"
    remote = True

    def __init__(self, extractor) -> None:
        self.extractor = extractor

    def extract(self, text, **kwargs):
        if "EXPLODE" in text:
            raise RuntimeError("extractor crashed on this clip")
        return self.extractor.extract(text, **kwargs)


def test_one_clips_failure_stays_that_clips_and_is_recorded_on_its_last_delivery(services, seeded_url):
    a, b, c = (new_technician(seeded_url) for _ in range(3))
    svc = Services(services.settings, database=services.database, blobs=services.blobs, tts=services.tts,
                   extractor=Exploding(services.extractor), policy=services.policy)
    bad = message(b, "EXPLODE at the Quill place and bill two hours")
    batch = [(message(a, "Start the Quill job."), 1), (bad, services.settings.max_delivery_count),
             (message(c, "Start the Brandt job."), 1), ("{not json", 1)]

    results = handle_batch(svc, batch, speak=False)

    assert isinstance(results[1], RuntimeError)
    assert results[0].sidecar.status == results[2].sidecar.status == "done"
    assert results[3].sidecar.status == "failed" and "malformed" in results[3].sidecar.error
    assert ("Quill", "in_progress", True) in snapshot(seeded_url, a)["tickets"]
    assert ("Brandt", "in_progress", True) in snapshot(seeded_url, c)["tickets"]
    with psycopg.connect(seeded_url) as conn:
        row = conn.execute("SELECT status, error_code, dead_lettered_at IS NOT NULL FROM voice_commands"
                           " WHERE clip_id = %s", (clip_of(bad),)).fetchone()
        billed = conn.execute("SELECT count(*) FROM billing_entries WHERE technician_id = %s", (b,)).fetchone()[0]
    assert row == ("failed", "RuntimeError", True)
    assert billed == 0


def test_a_lock_held_on_one_technicians_ticket_does_not_fail_the_others(services, seeded_url):
    free, blocked = new_technician(seeded_url), new_technician(seeded_url)
    impatient = Database(seeded_url, max_size=2, lock_timeout_ms=300)
    svc = Services(services.settings, database=impatient, blobs=services.blobs, tts=services.tts,
                   extractor=services.extractor, policy=services.policy)
    batch = [(message(free, "Start the Quill job."), 1), (message(blocked, "Start the Quill job."), 1),
             (message(blocked, "Start the Brandt job."), 1)]
    try:
        with psycopg.connect(seeded_url) as holder:  # ops has the blocked technician's ticket open
            holder.execute("SELECT 1 FROM tickets WHERE technician_id = %s FOR UPDATE", (blocked,))
            applied, waited, held = handle_batch(svc, batch, speak=False)
        assert applied.sidecar.status == "done"
        assert isinstance(waited, TransientError)  # the host redelivers it
        # the blocked technician's next clip is not applied ahead of the one that failed
        assert isinstance(held, TransientError) and held.code == "held_back"
        assert ("Quill", "in_progress", True) in snapshot(seeded_url, free)["tickets"]
        assert snapshot(seeded_url, blocked)["commands"] == []

        again, = handle_batch(svc, [(batch[1][0], 2)], speak=False)  # the redelivery, lock released
        assert again.sidecar.status == "done" and not again.duplicate
        assert ("Quill", "in_progress", True) in snapshot(seeded_url, blocked)["tickets"]
    finally:
        impatient.close()


class WaitsForCompany:
    """Wraps a service: each call of ``method`` waits until ``parties`` calls are in flight at once.

    Run one at a time, the first call times out and breaks the barrier, so the clip fails: the
    test needs no clock to tell side by side from one after another."""

    def __init__(self, inner, method: str, parties: int, **attributes) -> None:
        self.inner, self.method = inner, method
        self.barrier = threading.Barrier(parties, timeout=10)
        self.__dict__.update(attributes)

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name != self.method:
            return attr

        def waiting(*args, **kwargs):
            if kwargs.get("content_type", "audio").startswith("audio"):  # blobs: the reply audio only
                self.barrier.wait()
            return attr(*args, **kwargs)
        return waiting


def test_network_bound_extraction_and_the_replies_of_a_batch_run_side_by_side(services, seeded_url):
    techs = [new_technician(seeded_url) for _ in range(4)]
    svc = Services(services.settings.model_copy(update={"batch_concurrency": 4}), database=services.database,
                   tts=services.tts, policy=services.policy,
                   extractor=WaitsForCompany(services.extractor, "extract", 4, remote=True, name="remote"),
                   blobs=WaitsForCompany(services.blobs, "put", 4))

    results = handle_batch(svc, [(message(tech, "Start the Quill job."), 1) for tech in techs])

    assert [r.sidecar.status for r in results] == ["done"] * 4, results
    assert all(r.sidecar.audio and services.blobs.exists(services.settings.replies_container, r.sidecar.audio)
               for r in results)
    for tech in techs:
        assert ("Quill", "in_progress", True) in snapshot(seeded_url, tech)["tickets"]


class ProbesLocks:
    """Wraps an extractor: before each extraction, tries to lock the technician's tickets from another
    connection without waiting, and records whether it could."""

    def __init__(self, inner, url: str, *, remote: bool) -> None:
        self.inner, self.url, self.remote, self.name = inner, url, remote, inner.name
        self.free: list[bool] = []

    def extract(self, transcript, *, open_tickets=()):
        with psycopg.connect(self.url) as other:
            try:
                other.execute("SELECT 1 FROM tickets WHERE id = ANY(%s) FOR UPDATE NOWAIT",
                              ([t.ticket_id for t in open_tickets],))
                self.free.append(True)
            except psycopg.errors.LockNotAvailable:
                self.free.append(False)
        return self.inner.extract(transcript, open_tickets=open_tickets)


@pytest.mark.parametrize("remote", [True, False])
def test_a_network_extractor_runs_with_no_row_locked(services, seeded_url, remote):
    tech = new_technician(seeded_url)
    probe = ProbesLocks(services.extractor, seeded_url, remote=remote)
    svc = Services(services.settings, database=services.database, tts=services.tts, policy=services.policy,
                   extractor=probe, blobs=services.blobs)

    result, = handle_batch(svc, [(message(tech, "Start the Quill job."), 1)], speak=False)

    assert result.sidecar.status == "done"
    assert ("Quill", "in_progress", True) in snapshot(seeded_url, tech)["tickets"]
    # a model call may take seconds: no ticket stays locked meanwhile. The offline extractor reads the
    # tickets it holds locked, inside the one transaction of the batch.
    assert probe.free == [remote]

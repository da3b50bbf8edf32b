"""1,000 technicians finish a job at once: every command applied exactly once, counted in SQL.

The worker stage runs for real (rules extraction, grounding, the transaction, the bandit, reply
text) on a pool of worker threads; speech is left out (``speak=False``), as in `bench worker`.
Two hundred messages are delivered twice, in random order, as an at-least-once queue may; once one
message at a time and once in Service Bus-style batches (where a copy may share a batch)."""

from __future__ import annotations

import random

import psycopg
import pytest

from voiceops import loadtest
from voiceops.worker import handle_batch

pytestmark = pytest.mark.integration

TECHNICIANS = 1000
REDELIVERED = 200
WORKERS = 8


@pytest.mark.parametrize("batch_size", [1, 8], ids=["one-at-a-time", "batches-of-8"])
def test_a_thousand_technicians_at_once_every_command_applied_exactly_once(services, seeded_url, uid, batch_size):
    with psycopg.connect(seeded_url) as conn:
        jobs = loadtest.create_jobs(conn, TECHNICIANS, prefix=f"load-{uid}-{batch_size}")
    messages = [loadtest.event_json(j) for j in jobs]
    rng = random.Random(5)
    deliveries = messages + rng.sample(messages, REDELIVERED)
    rng.shuffle(deliveries)

    run = loadtest.deliver_batches(lambda batch: handle_batch(services, batch, speak=False), deliveries,
                                   concurrency=WORKERS, batch_size=batch_size)

    clips = [j.clip_id for j in jobs]
    technicians = [j.technician_id for j in jobs]
    with psycopg.connect(seeded_url) as conn:
        counts = loadtest.count_effects(conn, jobs)
        commands = conn.execute("SELECT status, count(*) FROM voice_commands WHERE clip_id = ANY(%s)"
                                " GROUP BY status", (clips,)).fetchall()
        billing = conn.execute("SELECT count(*), count(DISTINCT ticket_id) FROM billing_entries"
                               " WHERE technician_id = ANY(%s)", (technicians,)).fetchone()
        closed = conn.execute("SELECT count(*) FROM tickets WHERE technician_id = ANY(%s) AND status = 'closed'",
                              (technicians,)).fetchone()[0]
        decisions = conn.execute("SELECT count(*) FROM bandit_decisions WHERE technician_id = ANY(%s)",
                                 (technicians,)).fetchone()[0]
        replies = conn.execute("SELECT count(*) FROM replies WHERE clip_id = ANY(%s)", (clips,)).fetchone()[0]
        audit = conn.execute("SELECT count(*) FROM audit_log WHERE technician_id = ANY(%s)"
                             " AND action = 'status:closed'", (technicians,)).fetchone()[0]

    assert run.deliveries == TECHNICIANS + REDELIVERED
    assert (counts.applied, counts.lost, counts.duplicated, counts.wrong) == (TECHNICIANS, 0, 0, [])
    assert commands == [("applied", TECHNICIANS)]
    assert billing == (TECHNICIANS, TECHNICIANS)
    assert closed == TECHNICIANS
    assert decisions == TECHNICIANS  # one bandit decision per clip, none for the repeats
    assert replies == TECHNICIANS
    assert audit == TECHNICIANS
    print(f"load: {run.deliveries} deliveries to {WORKERS} workers (batches of {batch_size}) in {run.seconds:.1f} s, "
          f"p50 {run.percentile(50):.1f} ms, p99 {run.percentile(99):.1f} ms")

"""The worker's batch statements look rows up by key, however the tables have grown.

A batch touches a handful of rows in tables that only grow (tickets, voice commands, replies).
Written carelessly, a statement reads the whole table on every batch: the planner cannot know
how many rows a JSON parameter holds and picks a hash join over a full scan. PostgreSQL's own
plans (auto_explain, sent to this connection as notices) must show no full scan of those tables."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from voiceops import loadtest
from voiceops.contracts import TranscriptEvent
from voiceops.db import commands as log
from voiceops.db import tickets as repo
from voiceops.db.changes import ChangeSet
from voiceops.db.migrate import migrate

pytestmark = pytest.mark.integration

HISTORY = 3000
GROWING = ("tickets", "customers", "voice_commands", "replies")


@pytest.fixture(scope="module")
def grown(pg_url: str):
    """A database of its own holding a day of history, with statistics: (url, jobs still open)."""
    name = f"voiceops_plans_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_conninfo(pg_url, dbname=name)
    migrate(url)
    with psycopg.connect(url) as conn:
        jobs = loadtest.create_jobs(conn, HISTORY, prefix="plan")
        conn.execute(
            "INSERT INTO voice_commands (clip_id, technician_id, blob_url, status)"
            " SELECT 'old-' || n, technician_id, 'bench://old', 'applied'"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS j(technician_id, n)", ([j.technician_id for j in jobs],))
        conn.execute("INSERT INTO replies (clip_id, technician_id, status, reply_text, sidecar)"
                     " SELECT clip_id, technician_id, 'done', 'OK.', '{}' FROM voice_commands")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")  # a running server's tables have statistics (autovacuum)
    yield url, jobs
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_batch_reads_and_writes_by_key(grown):
    url, jobs = grown
    batch = jobs[:8]
    techs = [j.technician_id for j in batch]
    plans: list[str] = []
    with psycopg.connect(url) as conn:
        try:
            conn.execute("LOAD 'auto_explain'")
        except psycopg.Error as exc:
            pytest.skip(f"this PostgreSQL has no auto_explain: {exc}")
        conn.execute("SET auto_explain.log_min_duration = 0")
        conn.execute("SET auto_explain.log_level = notice")
        conn.add_notice_handler(lambda notice: plans.append(notice.message_primary or ""))
        events = [TranscriptEvent(clip_id=f"{j.clip_id}-new", technician_id=j.technician_id,
                                  blob_url="bench://new", transcript=j.text) for j in batch]
        ids = log.claim_many(conn, events)
        assert len(ids) == len(batch)
        log.get_replies(conn, [e.clip_id for e in events] + ["old-1", "old-2"])
        repo.active_tickets(conn, techs)
        locked = repo.lock_tickets(conn, techs)
        changes = ChangeSet()
        for job, event in zip(batch, events, strict=True):
            (ticket,) = locked[job.technician_id]
            by = {"command_id": ids[event.clip_id], "clip_id": event.clip_id, "technician_id": job.technician_id}
            changes.set_status(ticket.id, "closed")
            changes.audit(action="status:closed", entity="ticket", entity_id=ticket.id, ticket_id=ticket.id,
                          before={"status": "open"}, after={"status": "closed"}, **by)
            changes.add_part(ticket.id, job.part, "used", **by)
            changes.add_billing(ticket.id, job.hours, **by)
            changes.add_note(ticket.id, job.text, **by)
            changes.ask(job.technician_id, "next_ticket", {}, clip_id=event.clip_id, ttl_s=300)
            changes.save_reply(clip_id=event.clip_id, technician_id=job.technician_id, status="done",
                               style="short", decision_id=None, reply_text="OK.", sidecar={})
            changes.finish(by["command_id"], status="applied", extraction=None, extractor="rules", timings={})
        changes.flush(conn)
        written = conn.execute("SELECT count(*) FROM audit_log WHERE clip_id = ANY(%s)",
                               ([e.clip_id for e in events],)).fetchone()[0]
        conn.rollback()
    assert written == 4 * len(batch)  # status, part, billing and note of each clip, named by its clip
    text = "\n".join(plans)
    assert text.count("Query Text:") >= 5, text[:2000]
    scans = [table for table in GROWING if f"Seq Scan on {table} " in text]
    assert not scans, f"full scans of {scans} in:\n{text}"

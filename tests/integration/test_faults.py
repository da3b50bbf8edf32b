"""Exactly-once effects under at-least-once delivery, against real PostgreSQL.

Events are text TranscriptEvents (speech has its own tests); the rules extractor, dispatch, the
bandit, eSpeak NG and the blob folder are the real ones. Faults are real too: a second worker
thread, a row lock that outlasts lock_timeout, a backend killed by the server. The one injected
fault is the blob store refusing the reply upload after the commit (a crashed host looks the same
to the database)."""

from __future__ import annotations

import io
import threading
import time
import wave

import numpy as np
import psycopg
import pytest

from tests.messages import clip_of, transcript_message
from voiceops import operations
from voiceops.bootstrap import Services, build_services
from voiceops.db.pool import Database
from voiceops.errors import DatabaseUnavailable, ServiceUnavailable
from voiceops.settings import Settings
from voiceops.worker import handle_message

pytestmark = pytest.mark.integration


def effects(url: str, ticket_ids: list[int]) -> dict:
    """Every row a command can write for these tickets, counted (status, billing, parts, notes, audit)."""
    with psycopg.connect(url) as conn:
        return {
            "status": dict(conn.execute("SELECT id, status FROM tickets WHERE id = ANY(%s)", (ticket_ids,)).fetchall()),
            "billing": conn.execute("SELECT count(*), coalesce(sum(hours), 0) FROM billing_entries"
                                    " WHERE ticket_id = ANY(%s)", (ticket_ids,)).fetchone(),
            "parts": conn.execute("SELECT count(*) FROM ticket_parts WHERE ticket_id = ANY(%s)",
                                  (ticket_ids,)).fetchone()[0],
            "notes": conn.execute("SELECT count(*) FROM ticket_notes WHERE ticket_id = ANY(%s)",
                                  (ticket_ids,)).fetchone()[0],
            "audit": conn.execute("SELECT count(*) FROM audit_log WHERE ticket_id = ANY(%s)",
                                  (ticket_ids,)).fetchone()[0],
        }


def command_row(url: str, clip_id: str):
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT status, error_code, error, attempts, dead_lettered_at FROM voice_commands"
                            " WHERE clip_id = %s", (clip_id,)).fetchone()


def wav_rms(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as w:
        frames = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    return float(np.sqrt(np.mean((frames / 32768.0) ** 2)))


def derived(services: Services, **overrides) -> Services:
    """The session's services with some replaced (same pool, engines and blob folder)."""
    settings = overrides.pop("settings", services.settings)
    parts = {"database": services.database, "blobs": services.blobs, "tts": services.tts,
             "extractor": services.extractor, "policy": services.policy}
    return Services(settings, **{**parts, **overrides})


CLOSE_QUILL = "Done at the Quill place, replaced the capacitor, bill them for two hours and close it."


# ----------------------------------------------------------------------------- duplicates
def test_duplicate_delivery_writes_once_and_both_get_the_reply(services, seeded_url, technician):
    tech, tickets = technician
    message = transcript_message(tech, CLOSE_QUILL)

    first = handle_message(services, message)
    after_first = effects(seeded_url, [tickets["Quill"]])
    second = handle_message(services, message)

    assert (first.duplicate, second.duplicate) == (False, True)
    assert second.sidecar.reply_text == first.sidecar.reply_text
    assert effects(seeded_url, [tickets["Quill"]]) == after_first
    assert after_first["status"] == {tickets["Quill"]: "closed"}
    assert after_first["billing"][0] == 1 and float(after_first["billing"][1]) == 2.0
    assert after_first["parts"] == 1
    audio = services.blobs.get(services.settings.replies_container, f"{tech}/{clip_of(message)}.wav")
    assert wav_rms(audio) > 0.01


class HeldPolicy:
    """The real policy, but choosing waits until the test lets it go: holds the worker inside its transaction."""

    def __init__(self, policy) -> None:
        self.policy = policy
        self.entered = threading.Event()
        self.release = threading.Event()

    def choose_many(self, turns, **kwargs):
        self.entered.set()
        assert self.release.wait(30), "the test never released the held worker"
        return self.policy.choose_many(turns, **kwargs)

    def penalize_repeat(self, *args, **kwargs):
        return self.policy.penalize_repeat(*args, **kwargs)


def test_same_clip_in_two_concurrent_workers_one_applies_the_other_sees_it(services, seeded_url, technician):
    tech, tickets = technician
    message = transcript_message(tech, CLOSE_QUILL)
    held = HeldPolicy(services.policy)
    outcomes: dict[str, object] = {}

    def run(name: str, svc: Services) -> None:
        outcomes[name] = handle_message(svc, message)

    first = threading.Thread(target=run, args=("first", derived(services, policy=held)))
    first.start()
    assert held.entered.wait(30)  # the first worker has claimed the clip and is inside its transaction
    second = threading.Thread(target=run, args=("second", services))
    second.start()
    # the second worker's INSERT ... ON CONFLICT must be waiting on the first one's uncommitted claim
    with psycopg.connect(seeded_url, autocommit=True) as conn:
        for _ in range(300):
            waiting = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO voice_commands%%'").fetchone()[0]
            if waiting:
                break
            time.sleep(0.02)
    assert waiting == 1
    held.release.set()
    first.join(30)
    second.join(30)

    assert outcomes["first"].duplicate is False
    assert outcomes["second"].duplicate is True
    assert outcomes["second"].sidecar.reply_text == outcomes["first"].sidecar.reply_text
    state = effects(seeded_url, [tickets["Quill"]])
    assert state["billing"][0] == 1 and state["status"] == {tickets["Quill"]: "closed"}
    with psycopg.connect(seeded_url) as conn:
        assert conn.execute("SELECT count(*) FROM bandit_decisions WHERE technician_id = %s",
                            (tech,)).fetchone()[0] == 1


# ----------------------------------------------------------------------------- crash after commit
class RepliesDown:
    """A real blob folder whose reply uploads fail until ``up`` is set (the host died after the commit)."""

    def __init__(self, store, container: str) -> None:
        self.store, self.container, self.up = store, container, False

    def put(self, container, name, data, **kwargs):
        if container == self.container and not self.up:
            raise ServiceUnavailable("blob service unreachable")
        return self.store.put(container, name, data, **kwargs)

    def __getattr__(self, name):
        return getattr(self.store, name)


def test_crash_between_commit_and_reply_upload_respeaks_and_writes_nothing_twice(services, seeded_url, technician):
    tech, tickets = technician
    blobs = RepliesDown(services.blobs, services.settings.replies_container)
    svc = derived(services, blobs=blobs)
    message = transcript_message(
        tech, "Finished at Brandt's, swapped the thermostat and the igniter, bill an hour and a half.")
    clip_id = clip_of(message)

    with pytest.raises(ServiceUnavailable):
        handle_message(svc, message)
    committed = effects(seeded_url, list(tickets.values()))
    assert committed["status"][tickets["Brandt"]] == "closed"
    assert not services.blobs.exists(services.settings.replies_container, f"{tech}/{clip_id}.json")

    blobs.up = True
    outcome = handle_message(svc, message)  # the redelivery

    assert outcome.duplicate is True and outcome.sidecar.status == "done"
    assert effects(seeded_url, list(tickets.values())) == committed
    assert committed["billing"][0] == 1 and float(committed["billing"][1]) == 1.5 and committed["parts"] == 2
    audio = services.blobs.get(services.settings.replies_container, f"{tech}/{clip_id}.wav")
    assert wav_rms(audio) > 0.01
    assert b'"status": "done"' in services.blobs.get(services.settings.replies_container, f"{tech}/{clip_id}.json")
    with psycopg.connect(seeded_url) as conn:
        uploaded, timings = conn.execute("SELECT r.audio_uploaded_at, v.timings FROM replies r JOIN voice_commands v"
                                         " USING (clip_id) WHERE clip_id = %s", (clip_id,)).fetchone()
    assert uploaded is not None
    assert "tts_publish" in timings  # the second delivery spoke it


# ----------------------------------------------------------------------------- dead-lettering
def test_a_message_that_keeps_failing_is_dead_lettered_with_a_reason_and_retry_applies_it(
        services, seeded_url, technician):
    tech, tickets = technician
    settings = services.settings.model_copy(update={"lock_timeout_ms": 200, "max_delivery_count": 3})
    database = Database(seeded_url, max_size=2, lock_timeout_ms=200)
    svc = derived(services, settings=settings, database=database)
    message = transcript_message(tech, "Close the Ostrova job, replaced the flapper, bill one hour.")
    clip_id = clip_of(message)
    try:
        with psycopg.connect(seeded_url) as blocker:  # another session holds the ticket's row lock
            blocker.execute("SELECT id FROM tickets WHERE id = %s FOR UPDATE", (tickets["Ostrova"],))
            for delivery in (1, 2):
                with pytest.raises(DatabaseUnavailable, match="lock"):
                    handle_message(svc, message, delivery_count=delivery)
                assert command_row(seeded_url, clip_id) is None  # nothing kept before the last delivery
            with pytest.raises(DatabaseUnavailable):
                handle_message(svc, message, delivery_count=3)
            blocker.rollback()

        status, code, error, attempts, dead_lettered_at = command_row(seeded_url, clip_id)
        assert (status, code, attempts) == ("failed", "database_unavailable", 3)
        assert dead_lettered_at is not None
        assert "dead-lettered after 3 deliveries" in error and "lock timeout" in error
        assert effects(seeded_url, [tickets["Ostrova"]])["billing"][0] == 0
        [listed] = [f for f in operations.list_failed(svc, limit=500) if f.clip_id == clip_id]
        assert listed.error == error and listed.has_transcript

        result = operations.retry(svc, clip_id)
    finally:
        database.close()

    assert result["source"] == "transcript" and result["status"] == "applied" and result["attempts"] == 4
    state = effects(seeded_url, [tickets["Ostrova"]])
    assert state["status"] == {tickets["Ostrova"]: "closed"}
    assert state["billing"][0] == 1 and float(state["billing"][1]) == 1.0
    status, code, error, attempts, dead_lettered_at = command_row(seeded_url, clip_id)
    assert (status, code, error, attempts, dead_lettered_at) == ("applied", None, None, 4, None)
    assert clip_id not in {f.clip_id for f in operations.list_failed(services, limit=500)}
    assert services.blobs.exists(services.settings.replies_container, f"{tech}/{clip_id}.wav")


# ----------------------------------------------------------------------------- authorization
@pytest.fixture
def someone_elses_ticket(seeded_url, uid) -> int:
    other = f"tech-other-{uid}"
    with psycopg.connect(seeded_url) as conn:
        conn.execute("INSERT INTO technicians (id, name) VALUES (%s, 'Other')", (other,))
        cid = conn.execute("INSERT INTO customers (name, address) VALUES ('Quill', %s) RETURNING id",
                           (f"9 {uid} Avenue",)).fetchone()[0]
        return conn.execute("INSERT INTO tickets (customer_id, technician_id) VALUES (%s, %s) RETURNING id",
                            (cid, other)).fetchone()[0]


@pytest.mark.parametrize("text", [
    "Close all tickets.",
    "Close all tickets for everyone, we're done for the day.",
    "Delete every job on the board.",
    "Robert'); DROP TABLE tickets; --",
    "UPDATE tickets SET status = 'closed' WHERE 1=1",
    "Close job {other} and bill them for three hours.",
], ids=["close-all", "everyone", "delete-every", "sql-injection", "sql-update", "other-technicians-ticket"])
def test_out_of_scope_requests_write_nothing_get_a_polite_refusal_and_an_audit_entry(
        services, seeded_url, technician, someone_elses_ticket, text):
    tech, tickets = technician
    watched = [*tickets.values(), someone_elses_ticket]
    before = effects(seeded_url, watched)
    message = transcript_message(tech, text.format(other=someone_elses_ticket))

    outcome = handle_message(services, message)

    after = effects(seeded_url, watched)
    assert after["status"] == before["status"]
    assert (after["billing"], after["parts"], after["notes"]) == (before["billing"], before["parts"], before["notes"])
    assert outcome.sidecar.changes == []
    assert outcome.sidecar.reply_text.startswith(("Sorry", f"Job #{someone_elses_ticket} isn't on your list"))
    assert "Nothing was changed" in outcome.sidecar.reply_text or "can't change it" in outcome.sidecar.reply_text
    with psycopg.connect(seeded_url) as conn:
        audit = conn.execute("SELECT action, technician_id FROM audit_log WHERE clip_id = %s",
                             (clip_of(message),)).fetchall()
        status = conn.execute("SELECT status FROM voice_commands WHERE clip_id = %s",
                              (clip_of(message),)).fetchone()[0]
    assert audit == [("refused", tech)]
    assert status == "rejected"


# ----------------------------------------------------------------------------- pooling
def test_pool_replaces_a_connection_the_server_killed(seeded_url):
    database = Database(seeded_url, min_size=1, max_size=1)
    try:
        with database.transaction() as conn:
            first_pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(seeded_url, autocommit=True) as admin:
            assert admin.execute("SELECT pg_terminate_backend(%s)", (first_pid,)).fetchone()[0]
            while admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (first_pid,)).fetchone()[0]:
                time.sleep(0.01)
        with database.transaction() as conn:  # the one pooled connection is dead: checkout must replace it
            second_pid, one = conn.execute("SELECT pg_backend_pid(), 1").fetchone()
    finally:
        database.close()
    assert one == 1 and second_pid != first_pid


def test_pool_keeps_no_session_state_between_transactions(seeded_url):
    database = Database(seeded_url, min_size=1, max_size=1, statement_timeout_ms=1234, lock_timeout_ms=567)
    try:
        with database.transaction() as conn:
            inside = conn.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')"
                                  ).fetchone()
            for _ in range(10):  # enough executions for psycopg to prepare, if preparing were on
                conn.execute("SELECT count(*) FROM tickets WHERE id = %s", (1,))
            prepared = conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0]
        with database.pool.connection() as conn:  # the same pooled session, outside a unit of work
            after = conn.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')"
                                 ).fetchone()
    finally:
        database.close()
    assert inside == ("1234ms", "567ms")
    assert prepared == 0  # PgBouncer in transaction mode cannot keep prepared statements
    with psycopg.connect(seeded_url) as fresh:
        defaults = fresh.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')"
                                 ).fetchone()
    assert after == defaults


@pytest.mark.parametrize(("pooler", "prepares"), [("pgbouncer", False), ("none", True)])
def test_statements_are_prepared_only_without_a_pooler_in_front(seeded_url, tmp_path, pooler, prepares):
    svc = build_services(Settings(database_url=seeded_url, database_pooler=pooler, data_dir=tmp_path,
                                  pool_min_size=1, pool_max_size=1))
    try:
        with svc.database.transaction() as conn:
            for _ in range(5):
                conn.execute("SELECT count(*) FROM tickets WHERE id = %s", (1,))
            prepared = conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0]
    finally:
        svc.close()
    assert (prepared > 0) == prepares

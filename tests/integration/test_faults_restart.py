"""The database stopped and started in the middle of a batch: nothing lost, nothing doubled.

The server is an embedded PostgreSQL (pgserver) that this test owns, in a temporary folder, so it
can be stopped with pg_ctl without touching the machine's shared server. Worker threads take
messages like the queue hands them out; a delivery that raises a TransientError is delivered
again, as Service Bus would."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest

from voiceops import loadtest
from voiceops.bootstrap import Services
from voiceops.db.migrate import migrate
from voiceops.db.pool import Database
from voiceops.storage import LocalBlobStore
from voiceops.worker import handle_batch

pytestmark = pytest.mark.integration

BATCH = 40
WORKERS = 4


def _pg_ctl(server, *args: str) -> None:
    from pgserver._commands import pg_ctl

    pg_ctl(["-w", *args], pgdata=server.pgdata, user=server.system_user, timeout=60)


@pytest.fixture(scope="module")
def embedded():
    """An embedded server of our own, stopped and deleted afterwards.

    Its folder is not under pytest's temp tree: as root, pgserver runs PostgreSQL as an unprivileged
    user that must be able to reach the folder, and pytest's tree is private to root."""
    import pgserver

    folder = Path(tempfile.mkdtemp(prefix="voiceops-restart-"))
    folder.chmod(0o755)
    server = pgserver.get_server(folder / "pgdata", cleanup_mode=None)
    try:
        yield server
    finally:
        if server.get_postmaster_info().is_running():
            _pg_ctl(server, "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _restart(server, *, down_s: float, down: threading.Event) -> None:
    url = server.get_uri()
    _pg_ctl(server, "-m", "fast", "stop")  # aborts every open transaction and closes every connection
    try:
        psycopg.connect(url, connect_timeout=2).close()
    except psycopg.OperationalError:
        down.set()  # proof that the server really was unreachable
    time.sleep(down_s)
    with server._lock:  # pgserver's own start path: same data folder, same socket
        server.ensure_postgres_running()
    assert server.get_uri() == url


@pytest.mark.parametrize("batch_size", [1, 4], ids=["one-at-a-time", "batches-of-4"])
def test_database_restart_mid_batch_loses_nothing_and_doubles_nothing(embedded, services, tmp_path, batch_size):
    url = embedded.get_uri()
    migrate(url)
    with psycopg.connect(url) as conn:
        jobs = loadtest.create_jobs(conn, BATCH, prefix=f"restart-{tmp_path.name[-6:]}")
    settings = services.settings.model_copy(update={"database_url": url, "data_dir": tmp_path})
    database = Database(url, min_size=WORKERS, max_size=WORKERS, pool_timeout_s=2)
    svc = Services(settings, database=database, blobs=LocalBlobStore(tmp_path / "blobs"), tts=services.tts,
                   extractor=services.extractor)
    svc.policy  # noqa: B018 - connect the bandit before the outage, as a warm worker would be

    done = 0
    down = threading.Event()
    lock = threading.Lock()
    restarter = threading.Thread(target=_restart, args=(embedded,), kwargs={"down_s": 1.0, "down": down})

    def delivered() -> None:
        nonlocal done
        with lock:
            done += 1
            if done == BATCH // 4:  # a quarter in: pull the plug while the other workers are mid-flight
                restarter.start()

    messages = [loadtest.event_json(j) for j in jobs]
    try:
        run = loadtest.deliver_batches(lambda batch: handle_batch(svc, batch), messages, concurrency=WORKERS,
                                       batch_size=batch_size, on_done=delivered)
        restarter.join(60)
        again = loadtest.deliver_batches(lambda batch: handle_batch(svc, batch), messages, concurrency=WORKERS,
                                         batch_size=batch_size)
        with psycopg.connect(url) as conn:
            counts = loadtest.count_effects(conn, jobs)
            replies = conn.execute("SELECT count(*) FROM replies WHERE clip_id = ANY(%s)"
                                   " AND audio_uploaded_at IS NOT NULL", ([j.clip_id for j in jobs],)).fetchone()[0]
            commands = conn.execute("SELECT count(*) FROM voice_commands WHERE clip_id = ANY(%s)",
                                    ([j.clip_id for j in jobs],)).fetchone()[0]
    finally:
        svc.close()

    assert down.is_set()
    assert run.retried >= 1, "the outage never hit a delivery in flight"
    assert again.retried == 0
    assert (counts.applied, counts.lost, counts.duplicated, counts.wrong) == (BATCH, 0, 0, [])
    assert commands == BATCH
    assert replies == BATCH
    for job in jobs:
        assert (Path(tmp_path / "blobs" / settings.replies_container / job.technician_id / f"{job.clip_id}.wav")
                .stat().st_size > 1000)
    print(f"restart mid-batch: {BATCH} events, {run.retried} failed deliveries redelivered, "
          f"{counts.applied} applied once, lost {counts.lost}, duplicated {counts.duplicated}")

"""The worker-stage load run behind `bench worker` and the load tests: N technicians finish a job at once.

Each synthetic technician gets one open ticket and says one close command as text (a
TranscriptEvent, no speech): extraction, grounding, the database transaction, the bandit and the
reply text all run for real. Afterwards SQL counts what was written, per ticket, so "lost" and
"duplicated" come from the rows and not from what the workers reported. pgbench's TPC-B runs on
the same server in the same run as the baseline."""

from __future__ import annotations

import queue
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from voiceops.contracts import TranscriptEvent
from voiceops.cpuclock import ServerClock, children_seconds, process_seconds
from voiceops.db.pool import Database
from voiceops.errors import ConfigurationError, TransientError

SURNAMES = ("Johnson", "Patel", "Nguyen", "Kowalski", "Garcia", "Hartmann", "Miller", "Okafor", "Rivera",
            "Lindqvist", "Moreau", "Tanaka", "Brennan", "Castillo", "Fischer", "Adeyemi")
PARTS = ("capacitor", "contactor", "thermostat", "flapper", "igniter", "air filter", "fill valve", "blower motor")
HOURS = ((1, "one hour"), (1.5, "an hour and a half"), (2, "two hours"), (2.5, "two and a half hours"),
         (3, "three hours"), (0.5, "half an hour"))
TEMPLATES = (
    "Hey, I'm done at the {name} place. I replaced the {part}. Mark the job as finished and bill them for {hours}.",
    "Finished the job for {name}, swapped the {part}, bill {hours} and close it out.",
    "All done at {name}'s, put in a new {part}. Close the ticket, {hours} of labour.",
)


@dataclass
class Job:
    """One synthetic technician's ticket and what they will say about it."""

    technician_id: str
    ticket_id: int
    clip_id: str
    text: str
    hours: float
    part: str


def create_jobs(conn: psycopg.Connection, count: int, *, prefix: str | None = None,
                seed: int = 7) -> list[Job]:
    """Technicians with one open ticket each (in the caller's transaction), and their spoken close commands."""
    prefix = prefix or f"load-{uuid.uuid4().hex[:6]}"
    rng = random.Random(seed)
    specs = []
    for i in range(count):
        name = SURNAMES[i % len(SURNAMES)]
        hours, hours_words = rng.choice(HOURS)
        part = rng.choice(PARTS)
        text = rng.choice(TEMPLATES).format(name=name, part=part, hours=hours_words)
        specs.append((f"{prefix}-{i:05d}", name, f"{i} {prefix} Road", text, hours, part))
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO technicians (id, name) VALUES (%s, %s)", [(s[0], f"Load {s[0]}") for s in specs])
    # one statement for the customers and tickets: ids come back in input order
    rows = conn.execute(
        """WITH input AS (SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]) WITH ORDINALITY
                                          AS i(technician_id, name, address, n)),
                c AS (INSERT INTO customers (name, address) SELECT name, address FROM input RETURNING id, address)
           INSERT INTO tickets (customer_id, technician_id, scheduled_start)
           SELECT c.id, input.technician_id, now() FROM input JOIN c USING (address) ORDER BY input.n
           RETURNING id, technician_id""",
        ([s[0] for s in specs], [s[1] for s in specs], [s[2] for s in specs]),
    ).fetchall()
    ticket_of = {tech: ticket for ticket, tech in rows}
    return [Job(technician_id=s[0], ticket_id=ticket_of[s[0]], clip_id=f"{s[0]}-clip", text=s[3], hours=s[4],
                part=s[5]) for s in specs]


def analyze_seeded(database: Database) -> None:
    """Statistics for the tables just filled, as autovacuum keeps them on a running server.

    Without them the planner guesses a technician's tickets from the table's size and scans it
    whole on every batch. The tables the run fills (voice commands, replies, audit) are left as
    they are: statistics taken while they are empty make every later lookup in them a scan,
    foreign-key checks included."""
    with database.transaction() as conn:
        conn.execute("ANALYZE technicians, customers, tickets")


def event_json(job: Job) -> str:
    """The queue message for a job, as ingest would have sent it."""
    return TranscriptEvent(clip_id=job.clip_id, technician_id=job.technician_id, blob_url=f"bench://{job.clip_id}",
                           transcript=job.text, stt_confidence=0.95, stt_engine="text").to_json()


@dataclass
class Counts:
    """What the rows say happened to a set of jobs."""

    jobs: int
    applied: int  # voice command applied, ticket closed, hours billed once
    lost: int  # no applied command, ticket not closed or nothing billed
    duplicated: int  # jobs billed twice, closed twice, answered twice or given parts by two commands
    wrong: list[str] = field(default_factory=list)  # jobs applied with different hours than spoken


def count_effects(conn: psycopg.Connection, jobs: Sequence[Job]) -> Counts:
    """Count, in SQL, each job's command, billing rows, closing audit rows, parts and ticket status."""
    rows = conn.execute(
        """SELECT j.ticket_id, t.status,
                  (SELECT count(*) FROM voice_commands v WHERE v.clip_id = j.clip_id AND v.status = 'applied'),
                  (SELECT count(*) FROM billing_entries b WHERE b.ticket_id = j.ticket_id),
                  (SELECT coalesce(sum(hours), 0) FROM billing_entries b WHERE b.ticket_id = j.ticket_id),
                  (SELECT count(*) FROM audit_log a WHERE a.ticket_id = j.ticket_id AND a.action = 'status:closed'),
                  (SELECT count(*) FROM replies r WHERE r.clip_id = j.clip_id),
                  (SELECT count(DISTINCT voice_command_id) FROM ticket_parts p WHERE p.ticket_id = j.ticket_id)
             FROM unnest(%s::int[], %s::text[]) AS j(ticket_id, clip_id)
             JOIN tickets t ON t.id = j.ticket_id""",
        ([j.ticket_id for j in jobs], [j.clip_id for j in jobs]),
    ).fetchall()
    hours_of = {j.ticket_id: j.hours for j in jobs}
    applied = lost = duplicated = 0
    wrong = []
    for ticket_id, status, commands, bills, hours, closings, replies, part_writers in rows:
        if commands == 0 or status != "closed" or bills == 0:
            lost += 1
            continue
        if bills > 1 or closings > 1 or replies > 1 or part_writers > 1:
            duplicated += 1
            continue
        applied += 1
        if float(hours) != hours_of[ticket_id]:
            wrong.append(f"#{ticket_id}: billed {float(hours)} h, said {hours_of[ticket_id]} h")
    return Counts(jobs=len(jobs), applied=applied, lost=lost, duplicated=duplicated, wrong=wrong)


@dataclass
class RunResult:
    deliveries: int
    seconds: float
    latencies_ms: list[float]
    retried: int

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


Batch = list[tuple[str, int]]  # queue messages taken together: (body, delivery count)


def deliver_batches(handle: Callable[[Batch], Sequence[object]], messages: Sequence[str], *, concurrency: int,
                    batch_size: int = 1, max_deliveries: int = 50,
                    on_done: Callable[[], None] | None = None) -> RunResult:
    """Feed the messages to ``concurrency`` worker threads, up to ``batch_size`` at a time, like the queue.

    ``handle(batch)`` is the trigger: one result per message, an exception for a failed one (or
    raised for the whole batch). A TransientError puts the message back with its delivery count
    raised, after the queue's redelivery delay; any other exception ends the run. Latency is per
    successful delivery: the time its batch took."""
    todo: queue.SimpleQueue[tuple[str, int]] = queue.SimpleQueue()
    for body in messages:
        todo.put((body, 1))
    latencies: list[float] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    remaining, retried = len(messages), 0

    def take() -> Batch:
        batch = []
        try:
            batch.append(todo.get(timeout=0.02))
            while len(batch) < batch_size:
                batch.append(todo.get_nowait())
        except queue.Empty:
            pass
        return batch

    def worker() -> None:
        nonlocal remaining, retried
        while True:
            with lock:
                if remaining == 0 or failures:
                    return
            batch = take()
            if not batch:
                continue
            started = time.perf_counter()
            try:
                results = list(handle(batch))
            except Exception as exc:
                results = [exc] * len(batch)
            elapsed_ms = (time.perf_counter() - started) * 1000
            again = []
            for (body, delivery), result in zip(batch, results, strict=True):
                if isinstance(result, TransientError) and delivery < max_deliveries:
                    again.append((body, delivery + 1))
                elif isinstance(result, BaseException):
                    with lock:
                        failures.append(result if not isinstance(result, TransientError) else RuntimeError(
                            f"message still failing after {max_deliveries} deliveries: {result}"))
                else:
                    with lock:
                        latencies.append(elapsed_ms)
                        remaining -= 1
                    if on_done:
                        on_done()
            if again:
                with lock:
                    retried += len(again)
                time.sleep(min(0.05 * again[0][1], 0.5))  # the queue's redelivery delay
                for item in again:
                    todo.put(item)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, name=f"worker-{n}", daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return RunResult(deliveries=len(messages), seconds=time.perf_counter() - started, latencies_ms=latencies,
                     retried=retried)


@dataclass
class ProcessesResult:
    """Several worker processes' runs, as one: wall time from the first start to the last finish.

    ``worker_cpu_s``: the CPU the worker processes used during the run, together; ``server_cpu_s``:
    the database server's over the same span (None when it is not on this machine)."""

    deliveries: int
    seconds: float
    latencies_ms: list[float]
    retried: int
    worker_cpu_s: float = 0.0
    server_cpu_s: float | None = None

    percentile = RunResult.percentile


def server_clock(database: Database) -> ServerClock | None:
    """The CPU clock of the database server, when it runs on this machine."""
    with database.transaction() as conn:
        return ServerClock.of(conn)


def _worker_process(settings_json: str, blob_root: str, warm: list[str], messages: list[str], threads: int,
                    batch_size: int, barrier, done, results) -> None:
    """One worker process (like one Functions worker process): its own services, pool and threads."""
    from voiceops.bootstrap import build_services
    from voiceops.settings import Settings
    from voiceops.storage import LocalBlobStore
    from voiceops.worker import handle_batch

    services = build_services(Settings.model_validate_json(settings_json), blobs=LocalBlobStore(Path(blob_root)))
    try:
        def handle(batch: Batch) -> list[object]:
            return handle_batch(services, batch, speak=False)

        def step() -> None:
            with done.get_lock():
                done.value += 1

        deliver_batches(handle, warm, concurrency=threads, batch_size=batch_size)
        clock = server_clock(services.database)
        barrier.wait()
        started, cpu, server = time.time(), process_seconds(), clock.seconds() if clock else None
        run = deliver_batches(handle, messages, concurrency=threads, batch_size=batch_size, on_done=step)
        server_end = clock.seconds() if clock else None
        results.put((started, time.time(), run.latencies_ms, run.retried, process_seconds() - cpu, server, server_end))
    finally:
        services.close()


def deliver_in_processes(settings_json: str, blob_root: str, warm: Sequence[str], messages: Sequence[str], *,
                         processes: int, threads: int, batch_size: int = 1,
                         progress: Progress | None = None) -> ProcessesResult:
    """Split the messages over ``processes`` worker processes of ``threads`` threads each, started together."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    barrier, done, results = ctx.Barrier(processes), ctx.Value("i", 0), ctx.Queue()
    children = [ctx.Process(target=_worker_process, args=(settings_json, blob_root, list(warm[i::processes]),
                                                          list(messages[i::processes]), threads, batch_size,
                                                          barrier, done,
                                                          results)) for i in range(processes)]
    for child in children:
        child.start()
    collected = []
    while len(collected) < processes:
        if progress:
            progress.update(done.value)
        try:
            collected.append(results.get(timeout=0.2))
        except Exception as exc:  # queue.Empty: nothing yet; a dead child is a failed run
            if not any(c.is_alive() for c in children) and results.empty():
                raise RuntimeError("a worker process died before reporting") from exc
    for child in children:
        child.join()
    if progress:
        progress.update(done.value)
    seconds = max(r[1] for r in collected) - min(r[0] for r in collected)
    # the server's clock is one counter for all: from the first process's start to the last one's end
    server = None if any(r[5] is None for r in collected) else max(r[6] for r in collected) - min(
        r[5] for r in collected)
    return ProcessesResult(deliveries=len(messages), seconds=seconds, latencies_ms=[x for r in collected for x in r[2]],
                           retried=sum(r[3] for r in collected), worker_cpu_s=sum(r[4] for r in collected),
                           server_cpu_s=server)


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label, self.done = total, label, 0
        self._lock = threading.Lock()
        self._shown = -1

    def step(self) -> None:
        with self._lock:
            self.update(self.done + 1)

    def update(self, done: int) -> None:
        """Show ``done`` of the total (for counts kept elsewhere, e.g. in other processes)."""
        self.done = done
        pct = self.done * 100 // max(self.total, 1)
        if pct != self._shown:
            self._shown = pct
            bar = "#" * (pct // 4)
            print(f"\r{self.label} [{bar:<25}] {self.done}/{self.total}", end="", file=sys.stderr, flush=True)
            if self.done >= self.total:
                print(file=sys.stderr)


# ----------------------------------------------------------------------------- pgbench
def pgbench_binary() -> str:
    """pgbench from PATH (it ships with PostgreSQL), else the embedded server's bundled copy."""
    found = shutil.which("pgbench")
    if found:
        return found
    try:
        import pgserver
    except ImportError as exc:
        raise ConfigurationError("pgbench not found: install postgresql-client or pgserver") from exc
    bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pgbench"
    if not bundled.exists():
        raise ConfigurationError("pgbench not found on PATH or in pgserver's binaries")
    return str(bundled)


def scratch_database(url: str, name: str) -> str:
    """Create database ``name`` on the same server as ``url``; return its URL."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_conninfo(url, dbname=name)


def drop_database(url: str, name: str) -> None:
    admin = make_conninfo(url, dbname=conninfo_to_dict(url).get("dbname") or "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _uri(url: str) -> str:
    """pgbench takes the conninfo as its dbname argument; key=value works for sockets and TCP alike."""
    return make_conninfo(url)


@dataclass
class Pgbench:
    """One pgbench TPC-B run: its rate, and the CPU its client and the server spent on it."""

    tps: float
    transactions: int
    client_cpu_s: float
    server_cpu_s: float | None  # None: the server is not on this machine


def pgbench_tps(url: str, *, clients: int, seconds: int, scale: int) -> Pgbench:
    """TPC-B (pgbench's built-in script) on a scratch database of ``url``'s server."""
    binary = pgbench_binary()
    name = f"voiceops_pgbench_{uuid.uuid4().hex[:8]}"
    target = scratch_database(url, name)
    try:
        subprocess.run([binary, "-i", "-q", "-s", str(scale), _uri(target)], check=True, capture_output=True,
                       text=True, timeout=300)
        with psycopg.connect(target) as conn:
            clock = ServerClock.of(conn)
        client, server = children_seconds(), clock.seconds() if clock else None
        done = subprocess.run([binary, "-n", "-c", str(clients), "-j", str(clients), "-T", str(seconds),
                               _uri(target)], check=True, capture_output=True, text=True, timeout=seconds + 120)
        client, server = children_seconds() - client, clock.seconds() - server if clock and server is not None else None
    except subprocess.CalledProcessError as exc:
        raise ConfigurationError(f"pgbench failed: {exc.stderr.strip()[-400:]}") from exc
    finally:
        drop_database(url, name)
    return parse_pgbench(done.stdout, client_cpu_s=client, server_cpu_s=server)


def parse_pgbench(stdout: str, *, client_cpu_s: float = 0.0, server_cpu_s: float | None = None) -> Pgbench:
    """tps (without the initial connection time) and the transaction count from pgbench's report."""
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", stdout)
    count = re.search(r"number of transactions actually processed: (\d+)", stdout)
    if not tps or not count:
        raise ConfigurationError(f"could not read pgbench's tps from: {stdout[-400:]}")
    return Pgbench(tps=float(tps.group(1)), transactions=int(count.group(1)), client_cpu_s=client_cpu_s,
                   server_cpu_s=server_cpu_s)

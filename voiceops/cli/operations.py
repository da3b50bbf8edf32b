"""`failed`, `retry CLIP_ID`, `purge --before DATE` and `bench worker`."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from voiceops import cpuclock, loadtest, operations
from voiceops.bootstrap import Services, build_services
from voiceops.db.migrate import migrate
from voiceops.errors import PermanentError
from voiceops.settings import Settings


def register(sub: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    p = sub.add_parser("failed", help="failed and dead-lettered voice commands with their reasons")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(handler=_failed)
    p = sub.add_parser("retry", help="re-run one failed clip (from its audio if kept, else its transcript)")
    p.add_argument("clip_id")
    p.set_defaults(handler=_retry)
    p = sub.add_parser("purge", help="remove transcripts and audio older than a date; the audit stays")
    p.add_argument("--before", type=_date, help="ISO date or date-time (UTC if no offset); "
                   "default: today minus VOICEOPS_RETENTION_DAYS")
    p.set_defaults(handler=_purge)
    p = bench.add_parser("worker", help="worker stage (no speech) under load, beside pgbench TPC-B on the same server")
    p.add_argument("--events", type=int, default=1000, help="technicians, one close command each")
    p.add_argument("--concurrency", type=int, default=8, help="worker threads in all (and pgbench clients)")
    p.add_argument("--processes", type=int, default=None,
                   help="worker processes sharing the threads, like FUNCTIONS_WORKER_PROCESS_COUNT"
                        " (default: one per CPU core, at most --concurrency)")
    p.add_argument("--batch", type=int, default=8,
                   help="messages a worker takes at once, like the Service Bus trigger's maxMessageBatchSize"
                        " (host.json sets 4, sized for the Azure OpenAI path)")
    p.add_argument("--pgbench-seconds", type=int, default=10)
    p.set_defaults(handler=_bench_worker)


def _date(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date: {text!r}") from exc
    if len(text) <= 10:
        value = datetime.combine(value.date(), time.min)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _services() -> Services:
    services = build_services()
    migrate(services.database.url)
    return services


def _failed(args: argparse.Namespace) -> list[dict]:
    services = _services()
    try:
        return operations.as_dicts(operations.list_failed(services, limit=args.limit))
    finally:
        services.close()


def _retry(args: argparse.Namespace) -> dict:
    services = _services()
    try:
        return operations.retry(services, args.clip_id)
    finally:
        services.close()


def _purge(args: argparse.Namespace) -> dict:
    services = _services()
    try:
        before = args.before or datetime.now(UTC) - timedelta(days=services.settings.retention_days)
        return {"before": before.isoformat(), **operations.purge(services, before=before)}
    finally:
        services.close()


def _bench_worker(args: argparse.Namespace) -> int:
    if args.processes is None:
        args.processes = max(1, min(os.cpu_count() or 1, args.concurrency))
    if args.events < 1 or args.concurrency < 1 or args.batch < 1 or not 1 <= args.processes <= args.concurrency:
        raise PermanentError("--events, --concurrency and --batch must be at least 1, --processes between 1 and"
                             " --concurrency", code="bad_arguments")
    base = build_services()
    server_url = base.database.url  # the configured server, or the embedded one
    name = f"voiceops_bench_{uuid.uuid4().hex[:8]}"
    url = loadtest.scratch_database(server_url, name)
    try:
        figures = _run_worker_stage(base.settings, url, args)
    finally:
        loadtest.drop_database(server_url, name)
        base.close()
    print(f"pgbench TPC-B ({args.concurrency} clients, scale {args.concurrency}, {args.pgbench_seconds} s) "
          "on the same server ...", file=sys.stderr)
    pgbench = loadtest.pgbench_tps(server_url, clients=args.concurrency, seconds=args.pgbench_seconds,
                                   scale=args.concurrency)
    tps = pgbench.tps
    ratio = figures["events_per_s"] / tps if tps else 0.0
    print(f"worker stage: {args.events} events, {args.concurrency} workers in {args.processes} process(es), "
          f"batches of up to {args.batch}: "
          f"{figures['events_per_s']:.1f} events/s, "
          f"p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, mean {figures['mean_ms']:.1f} ms, "
          f"lost {figures['lost']}, duplicated {figures['duplicated']}, retried {figures['retried']}")
    print(f"baseline pgbench TPC-B: {tps:.1f} tps; ratio {ratio:.2f} (target >= 0.5), p99 target < 50 ms")
    print(cpu_line(figures, pgbench, args.events))
    print(f"SCORE events_per_s={figures['events_per_s']:.1f} p50_ms={figures['p50_ms']:.1f} "
          f"p99_ms={figures['p99_ms']:.1f} lost={figures['lost']} duplicated={figures['duplicated']} "
          f"pgbench_tps={tps:.1f} ratio={ratio:.2f}")
    return 0


def _ms(seconds: float | None, count: int) -> str:
    return "n/a" if seconds is None else f"{seconds / max(count, 1) * 1000:.2f} ms"


def cpu_line(figures: dict, pgbench: loadtest.Pgbench, events: int) -> str:
    """Where the CPU went, per event and per TPC-B transaction (and the ratio CPU alone allows).

    On a machine the worker, the server and pgbench share, each side's rate is about the cores
    divided by its CPU per unit, so the quotient of the two totals is the ratio the cores allow."""
    worker, server = figures["worker_cpu_s"], figures["server_cpu_s"]
    line = (f"cpu per event: worker {_ms(worker, events)} + server {_ms(server, events)}; "
            f"per TPC-B transaction: pgbench {_ms(pgbench.client_cpu_s, pgbench.transactions)} + server "
            f"{_ms(pgbench.server_cpu_s, pgbench.transactions)}")
    if server is None or pgbench.server_cpu_s is None or not pgbench.transactions or not events:
        return line + " (the server is not on this machine: its CPU is not counted)"
    per_event = (worker + server) / events
    per_transaction = (pgbench.client_cpu_s + pgbench.server_cpu_s) / pgbench.transactions
    return (line + f"; {os.cpu_count()} cores: CPU alone allows a ratio of {per_transaction / per_event:.2f}"
            f" ({per_event * 1000:.2f} vs {per_transaction * 1000:.2f} ms)")


def _run_worker_stage(settings: Settings, url: str, args: argparse.Namespace) -> dict:
    """Migrate the scratch database, warm up, run the events, count the rows."""
    from voiceops.storage import LocalBlobStore
    from voiceops.worker import handle_batch

    migrate(url)
    warmup = min(50, max(5, args.events // 20)) * args.processes
    threads = -(-args.concurrency // args.processes)
    with tempfile.TemporaryDirectory(prefix="voiceops-bench-") as folder:
        bench_settings = settings.model_copy(update={
            "database_url": url, "pool_min_size": threads, "pool_max_size": threads,
            "delete_clip_after_commit": False, "data_dir": Path(folder)})
        services = build_services(bench_settings, blobs=LocalBlobStore(Path(folder) / "blobs"))
        try:
            with services.database.transaction() as conn:
                warm = [loadtest.event_json(j) for j in loadtest.create_jobs(conn, warmup, prefix="warm")]
                jobs = loadtest.create_jobs(conn, args.events, prefix="bench")
            loadtest.analyze_seeded(services.database)
            messages = [loadtest.event_json(j) for j in jobs]
            progress = loadtest.Progress(len(jobs), "worker")
            if args.processes == 1:
                def handle(batch: loadtest.Batch) -> list[object]:
                    return handle_batch(services, batch, speak=False)

                loadtest.deliver_batches(handle, warm, concurrency=threads, batch_size=args.batch)
                clock = loadtest.server_clock(services.database)
                cpu, server = cpuclock.process_seconds(), clock.seconds() if clock else None
                run = loadtest.deliver_batches(handle, messages, concurrency=threads, batch_size=args.batch,
                                               on_done=progress.step)
                cpu = cpuclock.process_seconds() - cpu
                server = clock.seconds() - server if clock and server is not None else None
            else:
                run = loadtest.deliver_in_processes(bench_settings.model_dump_json(), str(Path(folder) / "blobs"),
                                                    warm, messages, processes=args.processes, threads=threads,
                                                    batch_size=args.batch, progress=progress)
                cpu, server = run.worker_cpu_s, run.server_cpu_s
            with services.database.transaction() as conn:
                counts = loadtest.count_effects(conn, jobs)
        finally:
            services.close()
    if counts.wrong:
        print(f"{len(counts.wrong)} job(s) applied with other hours than spoken, e.g. {counts.wrong[:3]}",
              file=sys.stderr)
    return {"events_per_s": len(jobs) / run.seconds, "p50_ms": run.percentile(50), "p99_ms": run.percentile(99),
            "mean_ms": statistics.fmean(run.latencies_ms), "lost": counts.lost, "duplicated": counts.duplicated,
            "retried": run.retried, "worker_cpu_s": cpu, "server_cpu_s": server}

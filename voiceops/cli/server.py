"""`serve` (the local Azure loop and the HTTP API) and `token` (a signed dev token for a technician)."""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from voiceops.auth import OPS_ROLE, issue_dev_token
from voiceops.errors import ConfigurationError, DatabaseUnavailable
from voiceops.settings import Settings

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the HTTP API, the web app and the clip -> reply loop on one machine")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    p.add_argument("--seed", action="store_true", help="load the demo technicians and tickets first")
    p.add_argument("--technician", default="tech-gosh", help="print a dev token for this technician")
    p.add_argument("--poll", type=float, default=1.0, help="seconds between looks at the clips container")
    p.set_defaults(handler=_serve)
    p = bench.add_parser("serve", help="upload -> reply latency through `serve` (HTTP, watcher, in-process "
                         "queue) beside the same clips run in-process")
    p.add_argument("--clips", type=int, default=5)
    p.add_argument("--poll", type=float, default=1.0, help="the watcher's poll interval (seconds)")
    p.set_defaults(handler=_bench_serve)
    p = sub.add_parser("token", help="print a signed dev token (Authorization: Bearer ...) for local use")
    p.add_argument("technician")
    p.add_argument("--role", action="append", default=[], help=f"add a role, e.g. {OPS_ROLE}")
    p.add_argument("--hours", type=float, default=12.0)
    p.set_defaults(handler=_token)


def _token(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    print(issue_dev_token(settings.dev_token_secret, args.technician, roles=args.role, ttl_s=args.hours * 3600))
    return 0


def _serve(args: argparse.Namespace) -> int:
    import psycopg

    from voiceops import telemetry
    from voiceops.bootstrap import build_services, set_services
    from voiceops.db.migrate import migrate
    from voiceops.server import LocalServer
    from voiceops.storage import AzureBlobStore

    telemetry.install_log_correlation()
    for handler in logging.getLogger().handlers:  # show the clip id on every line
        handler.setFormatter(logging.Formatter(telemetry.LOG_FORMAT))
    logging.getLogger("azure").setLevel(logging.WARNING)  # the SDK logs every request's headers at INFO
    services = build_services()
    s = services.settings
    telemetry.configure(s)
    set_services(services)
    server = None
    try:
        try:  # the port first: a clash should not wait for (or touch) the database
            server = LocalServer(services, host=args.host, port=args.port, poll_interval_s=args.poll)
        except OSError as exc:
            raise ConfigurationError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
        try:
            migrate(services.database.url)
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailable(f"cannot reach the database: {exc}".strip()) from exc
        if args.seed:
            from voiceops.db.seed import seed

            with services.database.transaction() as conn:
                seed(conn)
        blobs = services.blobs
        blobs.ensure_containers(s.clips_container, s.replies_container)
        if isinstance(blobs, AzureBlobStore):
            blobs.allow_browser_uploads()  # the page PUTs clips straight to Azurite
            where = f"Azure Blob / Azurite at {blobs.client.url}"
        else:
            where = f"folder {blobs.root.resolve()}"
        token = issue_dev_token(s.dev_token_secret, args.technician)
        ops_token = issue_dev_token(s.dev_token_secret, args.technician, roles=[OPS_ROLE])
        print(f"VoiceOps serving on {server.url}\n"
              f"  technician app  {server.url}/\n"
              f"  ops console     {server.url}/ops\n"
              f"  API             {server.url}/api/health\n"
              f"  blobs           {where} (containers {s.clips_container}, {s.replies_container})\n"
              f"  queue           in-process (Service Bus stand-in)\n"
              f"  token for {args.technician}: {token}\n"
              f"  ops token:      {ops_token}\n"
              f"Ctrl-C to stop.", file=sys.stderr, flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopping: finishing the message in hand", file=sys.stderr, flush=True)
        return 0
    finally:
        if server is not None:
            server.httpd.server_close()  # idempotent; covers a failure before serving started
        set_services(None)
        services.close()


_BENCH_SAID = ("Add a note for the Johnson place: the customer wants a call back.",
               "Order a new capacitor for the Johnson place.",
               "Add a note for the Johnson place: the filter was dirty.")


def _bench_serve(args: argparse.Namespace) -> dict:
    """The same clips through process_clip (baseline) and through serve's HTTP + watcher + queue."""
    from voiceops.bootstrap import build_services
    from voiceops.cli.pipeline import process_clip
    from voiceops.db.migrate import migrate
    from voiceops.server import LocalServer
    from voiceops.storage import LocalBlobStore

    if args.clips < 1:
        raise ConfigurationError("--clips must be at least 1")
    folder = Path(tempfile.mkdtemp(prefix="voiceops-bench-serve-"))
    settings = Settings.from_env().model_copy(update={"data_dir": folder})
    blobs = LocalBlobStore(folder / "blobs", signing_secret=settings.dev_token_secret)
    blobs.ensure_containers(settings.clips_container, settings.replies_container)
    services = build_services(settings, blobs=blobs)
    tech = f"bench-{uuid.uuid4().hex[:8]}"
    try:
        migrate(services.database.url)
        with services.database.transaction() as conn:  # a technician of its own: nobody's tickets change
            conn.execute("INSERT INTO technicians (id, name) VALUES (%s, 'Bench')", (tech,))
            customer = conn.execute("INSERT INTO customers (name, address) VALUES ('Johnson', %s) RETURNING id",
                                    (f"bench {tech}",)).fetchone()[0]
            conn.execute("INSERT INTO tickets (customer_id, technician_id) VALUES (%s, %s)", (customer, tech))
        clips = [services.tts.synthesize(_BENCH_SAID[i % len(_BENCH_SAID)]).data for i in range(args.clips)]
        warm = folder / "warm.wav"
        warm.write_bytes(clips[0])
        process_clip(services, warm, tech, clip_id=f"warm-{uuid.uuid4().hex}")  # loads the speech model
        baseline = []
        for i, data in enumerate(clips):
            path = folder / f"clip{i}.wav"
            path.write_bytes(data)
            started = time.perf_counter()
            process_clip(services, path, tech, clip_id=uuid.uuid4().hex)
            baseline.append((time.perf_counter() - started) * 1000)
            print(f"in-process {i + 1}/{args.clips}", file=sys.stderr)
        server = LocalServer(services, port=0, poll_interval_s=args.poll)
        server.start()
        auth = {"Authorization": f"Bearer {issue_dev_token(settings.dev_token_secret, tech)}"}
        loop = []
        try:
            for i, data in enumerate(clips):
                grant = json.load(urllib.request.urlopen(urllib.request.Request(
                    f"{server.url}/api/clips/upload-url", method="POST", headers=auth,
                    data=json.dumps({"content_type": "audio/wav"}).encode())))
                started = time.perf_counter()
                urllib.request.urlopen(urllib.request.Request(server.url + grant["upload_url"], data=data,
                                                              method="PUT", headers=grant["headers"]))
                while True:
                    try:
                        urllib.request.urlopen(urllib.request.Request(server.url + grant["reply_url"], headers=auth))
                        break
                    except urllib.error.HTTPError as exc:
                        if exc.code != 404:
                            raise
                        time.sleep(0.05)
                loop.append((time.perf_counter() - started) * 1000)
                print(f"serve {i + 1}/{args.clips}", file=sys.stderr)
        finally:
            server.stop()
    finally:
        services.close()
        shutil.rmtree(folder, ignore_errors=True)
    result = {"clips": args.clips, "poll_s": args.poll,
              "in_process_ms": {"median": round(statistics.median(baseline)), "max": round(max(baseline))},
              "serve_ms": {"median": round(statistics.median(loop)), "max": round(max(loop))}}
    print(json.dumps(result, indent=2))
    print(f"SCORE path=in_process clips={args.clips} median_ms={result['in_process_ms']['median']} "
          f"max_ms={result['in_process_ms']['max']}")
    print(f"SCORE path=serve clips={args.clips} poll_s={args.poll} median_ms={result['serve_ms']['median']} "
          f"max_ms={result['serve_ms']['max']}")
    return 0

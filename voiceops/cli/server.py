"""`serve` (the local Azure loop and the HTTP API) and `token` (a signed dev token for a technician)."""

from __future__ import annotations

import argparse
import logging
import sys

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

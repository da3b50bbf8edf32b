"""`db migrate`, `db seed`."""

from __future__ import annotations

import argparse

from voiceops.bootstrap import build_services
from voiceops.db.migrate import migrate
from voiceops.db.seed import seed


def register(sub: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="database schema and demo data")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="DB_COMMAND")
    p = db_sub.add_parser("migrate", help="apply numbered SQL migrations (idempotent)")
    p.set_defaults(handler=_migrate)
    p = db_sub.add_parser("seed", help="insert demo technicians, customers and open tickets")
    p.add_argument("--reset", action="store_true", help="put the demo tickets back to their starting state")
    p.set_defaults(handler=_seed)


def _migrate(args: argparse.Namespace) -> dict:
    services = build_services()
    return {"database": _redact(services.database.url), "applied": migrate(services.database.url)}


def _seed(args: argparse.Namespace) -> dict:
    services = build_services()
    migrate(services.database.url)
    with services.database.transaction() as conn:
        counts = seed(conn, reset=args.reset)
    services.close()
    return {"seeded": counts, "reset": args.reset}


def _redact(url: str) -> str:
    """The URL without its password, for printing."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    info = conninfo_to_dict(url)
    if "password" in info:
        info["password"] = "***"
    return make_conninfo(**info)

"""Numbered SQL migrations (``migrations/NNNN_name.sql``) applied in order and recorded.

Applying them twice is a no-op: each file runs once, inside its own transaction, under an
advisory lock so two processes starting together do not race."""

from __future__ import annotations

import logging
from importlib import resources

import psycopg

log = logging.getLogger(__name__)

_LOCK_KEY = 0x766F6963  # "voic": one advisory lock for the whole migration run


def migration_files() -> list[tuple[str, str]]:
    """(name, sql) for every migration shipped with the package, in order."""
    folder = resources.files("voiceops.db") / "migrations"
    files = sorted(f for f in folder.iterdir() if f.name.endswith(".sql"))
    return [(f.name.removesuffix(".sql"), f.read_text(encoding="utf-8")) for f in files]


def migrate(conninfo: str) -> list[str]:
    """Apply the migrations not yet applied; return their names."""
    applied: list[str] = []
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
            for name, sql in migration_files():
                if name in done:
                    continue
                with conn.transaction():
                    conn.execute(sql)
                    conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (name,))
                log.info("applied migration %s", name)
                applied.append(name)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
    return applied

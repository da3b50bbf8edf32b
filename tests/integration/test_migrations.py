"""Migrations are numbered, recorded, and a second run is a no-op."""

from __future__ import annotations

import psycopg
import pytest

from voiceops.db.migrate import migrate, migration_files

pytestmark = pytest.mark.integration


def test_migrations_applied_twice_change_nothing(pg_url):
    names = [name for name, _ in migration_files()]
    assert names == sorted(names) and names[0].startswith("0001_")
    with psycopg.connect(pg_url) as conn:
        before = conn.execute("SELECT name, applied_at FROM schema_migrations ORDER BY name").fetchall()
        tables_before = conn.execute("SELECT count(*) FROM information_schema.tables"
                                     " WHERE table_schema = 'public'").fetchone()[0]

    assert migrate(pg_url) == []

    with psycopg.connect(pg_url) as conn:
        after = conn.execute("SELECT name, applied_at FROM schema_migrations ORDER BY name").fetchall()
        tables_after = conn.execute("SELECT count(*) FROM information_schema.tables"
                                    " WHERE table_schema = 'public'").fetchone()[0]
    assert [n for n, _ in before] == names
    assert after == before
    assert tables_after == tables_before


def test_ticket_status_cannot_go_backwards(seeded_url, technician):
    _, tickets = technician
    with psycopg.connect(seeded_url) as conn:
        conn.execute("UPDATE tickets SET status = 'closed' WHERE id = %s", (tickets["Quill"],))
        with pytest.raises(psycopg.errors.CheckViolation, match="cannot go from closed to open"):
            conn.execute("UPDATE tickets SET status = 'open' WHERE id = %s", (tickets["Quill"],))

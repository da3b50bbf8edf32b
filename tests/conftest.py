"""Shared fixtures: a real PostgreSQL database per test session, migrated once.

The admin URL defaults to the machine's server (127.0.0.1:5432, trust auth); set
VOICEOPS_TEST_ADMIN_URL to use another. Each session gets its own database, and each test makes
its own random technician and ticket ids instead of truncating shared tables."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest

from voiceops.db.migrate import migrate

ADMIN_URL = os.environ.get("VOICEOPS_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _with_db(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def pg_url() -> str:
    """A freshly created and migrated database; dropped at the end of the session."""
    name = f"voiceops_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {ADMIN_URL}: {exc}")
    url = _with_db(ADMIN_URL, name)
    migrate(url)
    yield url
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def uid() -> str:
    """A short random suffix for ids that must not collide between tests."""
    return uuid.uuid4().hex[:8]

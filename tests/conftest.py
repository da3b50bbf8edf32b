"""Shared fixtures: a real PostgreSQL database per test session, migrated once.

The admin URL defaults to the machine's server (127.0.0.1:5432, trust auth); set
VOICEOPS_TEST_ADMIN_URL to use another. Each session gets its own database, and each test makes
its own random technician and ticket ids instead of truncating shared tables."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from voiceops.db.migrate import migrate

MACHINE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _admin_url() -> str:
    """VOICEOPS_TEST_ADMIN_URL, else the machine's server, else an embedded one from pgserver."""
    if os.environ.get("VOICEOPS_TEST_ADMIN_URL"):
        return os.environ["VOICEOPS_TEST_ADMIN_URL"]
    try:
        psycopg.connect(MACHINE_URL, connect_timeout=3).close()
        return MACHINE_URL
    except psycopg.OperationalError:
        from pathlib import Path

        from voiceops.db.server import embedded_server

        return embedded_server(Path(__file__).resolve().parent.parent / ".voiceops" / "test").get_uri()


def _with_db(url: str, name: str) -> str:
    return make_conninfo(url, dbname=name)


@pytest.fixture(scope="session")
def pg_url() -> str:
    """A freshly created and migrated database; dropped at the end of the session."""
    name = f"voiceops_test_{uuid.uuid4().hex[:10]}"
    admin = _admin_url()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _with_db(admin, name)
    migrate(url)
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def uid() -> str:
    """A short random suffix for ids that must not collide between tests."""
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def azurite():
    """A running Azurite blob service (started once per session); ``.connection_string`` is account-key."""
    from tests import azurite as azurite_process

    try:
        running = azurite_process.start()
    except (OSError, RuntimeError) as exc:
        pytest.fail(f"cannot start Azurite: {exc}")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def bandit_url(pg_url: str) -> str:
    """A migrated database of its own, for tests that reset the bandit tables."""
    name = f"voiceops_bandit_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_conninfo(pg_url, dbname=name)
    migrate(url)
    yield url
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

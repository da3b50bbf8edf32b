"""The unit of work's failure mapping, with nothing listening: no database server needed."""

from __future__ import annotations

import socket

import pytest

from voiceops.db.pool import Database
from voiceops.errors import DatabaseUnavailable, TransientError


def _closed_port() -> int:
    """A local TCP port with nothing listening on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_creating_the_pool_does_not_connect():
    database = Database(f"postgresql://postgres@127.0.0.1:{_closed_port()}/none")
    assert database.pool.closed  # opened on first use, so importing and wiring never touch the network
    database.close()


def test_unreachable_database_is_a_transient_error_the_host_retries():
    database = Database(f"postgresql://postgres@127.0.0.1:{_closed_port()}/none", min_size=0, max_size=1,
                        pool_timeout_s=0.5)
    try:
        with pytest.raises(DatabaseUnavailable, match="database unavailable") as raised, database.transaction():
            pytest.fail("a transaction on an unreachable database must not start")
    finally:
        database.close()
    assert isinstance(raised.value, TransientError)
    assert raised.value.code == "database_unavailable"

"""The connection pool and the unit of work.

Pools are created closed and opened on first use. Every transaction sets its own timeouts with
SET LOCAL and prepared statements are off, so the pool works behind PgBouncer in transaction mode
(no session state survives a transaction). Connection-level failures become DatabaseUnavailable,
which the worker lets propagate so the Functions host retries the message."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import errors as pg_errors
from psycopg_pool import ConnectionPool, PoolTimeout

from voiceops.errors import DatabaseUnavailable

log = logging.getLogger(__name__)

#: failures where the same transaction may succeed when tried again
TRANSIENT_DB_ERRORS = (
    psycopg.OperationalError,
    PoolTimeout,
    pg_errors.DeadlockDetected,
    pg_errors.SerializationFailure,
    pg_errors.LockNotAvailable,
    pg_errors.QueryCanceled,
    pg_errors.AdminShutdown,
    pg_errors.CannotConnectNow,
)


class Database:
    """A lazily opened psycopg pool plus ``transaction()``, the unit of work."""

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 10,
                 statement_timeout_ms: int = 15_000, lock_timeout_ms: int = 5_000,
                 pool_timeout_s: float = 10.0) -> None:
        self.url = url
        self._statement_timeout_ms = int(statement_timeout_ms)
        self._lock_timeout_ms = int(lock_timeout_ms)
        self._lock = threading.Lock()
        self._opened = False
        self.pool = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max(max_size, min_size, 1),
            open=False,
            timeout=pool_timeout_s,
            check=ConnectionPool.check_connection,
            kwargs={"prepare_threshold": None, "connect_timeout": 5},
            name="voiceops",
        )

    def _ensure_open(self) -> None:
        if not self._opened:
            with self._lock:
                if not self._opened:
                    self.pool.open(wait=False)
                    self._opened = True

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        """One transaction: commits when the block ends, rolls back on any exception."""
        self._ensure_open()
        try:
            with self.pool.connection() as conn, conn.transaction():
                conn.execute(
                    "SELECT set_config('statement_timeout', %s, true), set_config('lock_timeout', %s, true)",
                    (str(self._statement_timeout_ms), str(self._lock_timeout_ms)),
                )
                yield conn
        except TRANSIENT_DB_ERRORS as exc:
            raise DatabaseUnavailable(f"database unavailable: {type(exc).__name__}: {exc}".strip()) from exc

    def close(self) -> None:
        """Close the pool (idempotent)."""
        if self._opened:
            self.pool.close()
            self._opened = False

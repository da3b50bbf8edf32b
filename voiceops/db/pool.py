"""The connection pool and the unit of work.

Pools are created closed and opened on first use. Every transaction sets its own timeouts with
SET LOCAL, and prepared statements are used only when no pooler sits in front (``prepare``), so
the pool works behind PgBouncer in transaction mode (no session state survives a transaction).
Connection-level failures become DatabaseUnavailable, which the worker lets propagate so the
Functions host retries the message.

Each transaction runs in psycopg's pipeline mode on an autocommit connection, with BEGIN and
COMMIT sent as ordinary statements: statements whose results nobody reads (BEGIN, the timeouts,
most UPDATEs and INSERTs, COMMIT) travel with the next query that is read, so a unit of work costs
one round trip per result actually needed rather than one per statement. (psycopg's own
``conn.transaction()`` waits for BEGIN and COMMIT separately: two extra round trips each time.)"""

from __future__ import annotations

import logging
import select
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus
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


#: transient failures of one transaction among others (the server is fine): worth retrying apart
CONTENTION_ERRORS = (
    pg_errors.DeadlockDetected,
    pg_errors.SerializationFailure,
    pg_errors.LockNotAvailable,
    pg_errors.QueryCanceled,
)


def is_contention(exc: BaseException) -> bool:
    """Whether a DatabaseUnavailable came from a lock, deadlock or timeout rather than a lost server."""
    return isinstance(exc.__cause__, CONTENTION_ERRORS)


def verify_on_checkout(conn: psycopg.Connection) -> None:
    """The pool's checkout check: a round trip only when the connection may be dead.

    A backend the server ended (restart, failover, pg_terminate_backend, idle timeout) leaves an
    error message or EOF waiting on the socket; a healthy idle connection has nothing to read. So
    a readable socket, or a connection not cleanly idle, gets the full check (which raises, and the
    pool replaces the connection); a quiet one is handed out as is. Silent network loss is left to
    TCP keepalives and tcp_user_timeout (set on every connection)."""
    if conn.closed or conn.broken or conn.info.transaction_status != TransactionStatus.IDLE:
        ConnectionPool.check_connection(conn)
        return
    poller = select.poll()
    poller.register(conn.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    if poller.poll(0):
        ConnectionPool.check_connection(conn)


class Database:
    """A lazily opened psycopg pool plus ``transaction()``, the unit of work."""

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 10,
                 statement_timeout_ms: int = 15_000, lock_timeout_ms: int = 5_000,
                 pool_timeout_s: float = 10.0,
                 connection_class: type[psycopg.Connection] = psycopg.Connection, prepare: bool = False) -> None:
        self.url = url
        self.connection_class = connection_class
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
            check=verify_on_checkout,
            connection_class=connection_class,
            # a statement run twice is prepared on that connection: the batch statements cost more to
            # plan than to run. Off behind PgBouncer, where the next transaction may be another backend.
            kwargs={"autocommit": True, "prepare_threshold": 2 if prepare else None, "connect_timeout": 5,
                    "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3,
                    "tcp_user_timeout": 20_000},
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
            with self.pool.connection() as conn:
                try:
                    with conn.pipeline():
                        conn.execute("BEGIN")
                        conn.execute(
                            "SELECT set_config('statement_timeout', %s, true), set_config('lock_timeout', %s, true)",
                            (str(self._statement_timeout_ms), str(self._lock_timeout_ms)),
                        )
                        yield conn
                        conn.execute("COMMIT")  # sent with the last writes when the pipeline syncs
                except BaseException:
                    if not conn.broken and conn.info.transaction_status != TransactionStatus.IDLE:
                        conn.execute("ROLLBACK")
                    raise
        except TRANSIENT_DB_ERRORS as exc:
            raise DatabaseUnavailable(f"database unavailable: {type(exc).__name__}: {exc}".strip()) from exc

    def connect(self, **kwargs) -> psycopg.Connection:
        """A connection outside the pool, signed in the same way (Entra token when configured)."""
        return self.connection_class.connect(self.url, **kwargs)

    def close(self) -> None:
        """Close the pool (idempotent)."""
        if self._opened:
            self.pool.close()
            self._opened = False

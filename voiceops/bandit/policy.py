"""StylePolicy: the bandit's public API, with its state in PostgreSQL.

Each process keeps the model's statistics in memory and learns from the database's version
counter whether someone else changed them; a choice costs one INSERT, a reward one call of the
``bandit_learn`` SQL function (which adds the statistics atomically under the model row lock)."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from contextlib import contextmanager

import numpy as np
import psycopg
from psycopg import errors as pg_errors

from voiceops.bandit.context import (
    STYLES,
    Decision,
    InvalidBanditInput,
    StyleContext,
    UnknownDecision,
    check_reward,
)
from voiceops.bandit.model import BanditConfig, StyleModel
from voiceops.db.migrate import migrate
from voiceops.db.records import records
from voiceops.errors import DatabaseUnavailable, PermanentError

log = logging.getLogger(__name__)

REWARD_SOURCES = frozenset({"explicit", "feedback", "repeat", "default"})
_RECENT = 4096  # decisions whose features we remember, so a prompt reward skips a lookup
#: a cached model not confirmed current for this long is refreshed before choosing (one query)
MAX_STALENESS_S = 1.0

#: every decision of a batch in one statement; answers the model's generation and version once
_INSERT_DECISIONS = (
    "WITH d AS (INSERT INTO bandit_decisions (id, technician_id, hour, weekday, action, jobs_remaining, style,"
    " propensity, probabilities, explored, model_version, feature_set)"
    " SELECT * FROM jsonb_to_recordset(%s) AS i(id uuid, technician_id text, hour smallint, weekday smallint,"
    " action text, jobs_remaining int, style text, propensity float8, probabilities float8[], explored bool,"
    " model_version bigint, feature_set text)"
    ")"  # a data-modifying WITH runs whether or not the query reads it
    " SELECT generation, version FROM bandit_model WHERE id = 1"
)
_DECISION_CONTEXT = (
    "SELECT technician_id, hour, weekday, action, jobs_remaining, style FROM bandit_decisions WHERE id = %s"
)
_LEARN = (
    "SELECT version, base, generation FROM bandit_learn(%s, %s, %s, %s, %s, %s,"
    " %s, %b::integer[], %b::float8[], %s, %b::integer[], %b::float8[], %s)"
)
_REFRESH = (
    "SELECT m.generation, m.version, m.base, s.scope, s.style, s.stats FROM bandit_model m"
    " LEFT JOIN bandit_stats s ON s.feature_set = %s AND s.version > %s WHERE m.id = 1"
)


@contextmanager
def database_errors():
    """Map psycopg failures onto the VoiceOps error tree."""
    try:
        yield
    except pg_errors.ForeignKeyViolation as exc:
        raise UnknownDecision("the decision does not exist (never logged, rolled back or reset)") from exc
    except (psycopg.OperationalError, pg_errors.SerializationFailure, pg_errors.DeadlockDetected) as exc:
        raise DatabaseUnavailable(f"bandit database unavailable: {exc}") from exc
    except psycopg.DataError as exc:
        raise PermanentError(f"bandit database rejected a value: {exc}", code="invalid_bandit_input") from exc


def _open(dsn: str, *, writer: bool, connection_class: type[psycopg.Connection] = psycopg.Connection,
          relaxed_commit: bool = True) -> psycopg.Connection:
    conn = connection_class.connect(dsn, autocommit=True)
    if writer and relaxed_commit:
        # the statistics are soft state: a crash may drop the last fraction of a second of
        # rewards but never corrupts them, and skipping the WAL flush halves choose+reward.
        # A session setting: never behind a transaction-mode pooler, where it would leak to
        # other clients' transactions (connect(..., relaxed_commit=False) there).
        conn.execute("SET synchronous_commit = off")
    return conn


def draw_index(rng: np.random.Generator, p: np.ndarray) -> int:
    """``rng.choice(len(p), p=p)`` without its argument checks (a quarter of the cost): the same
    cumulative sum, the same one uniform draw, so the same index and the same generator state."""
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    return int(cdf.searchsorted(rng.random(), side="right"))


class StylePolicy:
    """Chooses a reply style per turn and learns from rewards; shared by every worker via Postgres.

    Thread-safe. The in-process lock guards only the cached model and the sampler, never a
    database call: a learner may wait for the model row lock held by a worker's open
    transaction, and that worker must still be able to choose and commit."""

    def __init__(self, conn: psycopg.Connection, *, config: BanditConfig | None = None,
                 seed: int | None = None, owns_connection: bool = True,
                 read_conn: psycopg.Connection | None = None, dsn: str | None = None) -> None:
        self._conn = conn
        # refreshes read committed statistics on a connection no learner ever blocks
        self._read = read_conn or conn
        self._dsn = dsn
        self._owns = owns_connection
        self.model = StyleModel(config=config)
        self._rng = np.random.default_rng(seed)
        self._lock = threading.RLock()
        self._recent: OrderedDict[str, tuple[str, str, np.ndarray, np.ndarray]] = OrderedDict()
        self._stale = True
        self._confirmed_at = 0.0  # monotonic time the cache was last known to match the database
        self._connect_lock = threading.Lock()
        self._connection_class: type[psycopg.Connection] = psycopg.Connection
        self._relaxed_commit = True

    @classmethod
    def connect(cls, dsn: str, *, config: BanditConfig | None = None, seed: int | None = None,
                connection_class: type[psycopg.Connection] = psycopg.Connection, apply_migrations: bool = True,
                relaxed_commit: bool = True) -> StylePolicy:
        """Open a policy on ``dsn`` (a conninfo string), applying pending migrations first.

        The Function App passes ``apply_migrations=False`` (its identity may not change the schema;
        provisioning migrates), its Entra ``connection_class``, and ``relaxed_commit=False`` behind
        PgBouncer."""
        with database_errors():
            if apply_migrations:
                migrate(dsn)
            conn = _open(dsn, writer=True, connection_class=connection_class, relaxed_commit=relaxed_commit)
            read_conn = _open(dsn, writer=False, connection_class=connection_class)
        policy = cls(conn, config=config, seed=seed, read_conn=read_conn, dsn=dsn)
        policy._connection_class = connection_class
        policy._relaxed_commit = relaxed_commit
        return policy

    def _own(self, *, reader: bool = False) -> psycopg.Connection:
        """The policy's own connection, reopened when a database restart broke it."""
        conn = self._read if reader else self._conn
        if (conn.closed or conn.broken) and self._dsn and self._owns:
            with self._connect_lock, database_errors():
                conn = self._read if reader else self._conn
                if conn.closed or conn.broken:
                    log.info("bandit: reopening the policy's %s connection", "read" if reader else "write")
                    same = self._read is self._conn
                    conn = _open(self._dsn, writer=not reader, connection_class=self._connection_class,
                                 relaxed_commit=self._relaxed_commit)
                    if reader or same:
                        self._read = conn
                    if not reader or same:
                        self._conn = conn
        return conn

    # ---- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the policy's own connections."""
        if self._owns:
            for conn in {id(self._conn): self._conn, id(self._read): self._read}.values():
                if not conn.closed:
                    conn.close()

    def __enter__(self) -> StylePolicy:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def connection(self) -> psycopg.Connection:
        """The policy's own (autocommit) connection."""
        return self._own()

    @property
    def feature_set(self) -> str:
        return self.model.features.name

    # ---- choose -----------------------------------------------------------------------------

    def choose(self, ctx: StyleContext, *, conn: psycopg.Connection | None = None,
               explore: bool = True) -> Decision:
        """Pick a style for this turn and log the decision (in ``conn``'s transaction when given).

        ``explore=False`` (a low-confidence turn) plays the best style with propensity 1."""
        return self.choose_many([(ctx, explore)], conn=conn)[0]

    def choose_many(self, turns: list[tuple[StyleContext, bool]], *,
                    conn: psycopg.Connection | None = None) -> list[Decision]:
        """``choose`` for several turns (context, explore) at once: one INSERT logs every decision."""
        if not all(isinstance(ctx, StyleContext) for ctx, _ in turns):
            raise PermanentError("choose() needs a StyleContext", code="invalid_bandit_input")
        if not turns:
            return []
        self._refresh_if_needed()
        db = conn or self._own()
        encoded = [self.model.features.encode(ctx) for ctx, _ in turns]
        picks = []
        with self._lock:
            for (ctx, explore), (phi, psi) in zip(turns, encoded, strict=True):
                p = self.model.probabilities(ctx, self._rng, explore=explore, encoded=(phi, psi))
                j = draw_index(self._rng, p) if explore else int(np.argmax(p))
                picks.append((str(uuid.uuid4()), j, [float(x) for x in p]))
            used = (self.model.generation, self.model.version)
        rows = [{"id": decision_id, "technician_id": ctx.technician_id, "hour": ctx.hour, "weekday": ctx.weekday,
                 "action": ctx.action, "jobs_remaining": ctx.jobs_remaining, "style": STYLES[j], "propensity": p[j],
                 "probabilities": p, "explored": explore, "model_version": used[1], "feature_set": self.feature_set}
                for (ctx, explore), (decision_id, j, p) in zip(turns, picks, strict=True)]
        with database_errors():
            generation, version = db.execute(_INSERT_DECISIONS, (records(rows),)).fetchone()
        with self._lock:
            if (generation, version) == (self.model.generation, self.model.version):
                self._confirmed_at = time.monotonic()
            else:
                self._stale = True
            for (ctx, _), (decision_id, j, _), (phi, psi) in zip(turns, picks, encoded, strict=True):
                self._recent[decision_id] = (ctx.technician_id, STYLES[j], phi, psi)
            while len(self._recent) > _RECENT:
                self._recent.popitem(last=False)
        return [Decision(style=STYLES[j], propensity=p[j], decision_id=decision_id, probabilities=tuple(p),
                         explored=explore, model_version=used[1])
                for (_, explore), (decision_id, j, p) in zip(turns, picks, strict=True)]

    # ---- reward -----------------------------------------------------------------------------

    def reward(self, decision_id: str, reward: float, *, conn: psycopg.Connection | None = None,
               source: str = "explicit") -> bool:
        """Learn from a reward in [0, 1]; False when the decision already had one (first wins)."""
        value = check_reward(reward)
        if source not in REWARD_SOURCES:
            raise InvalidBanditInput(f"reward source must be one of {sorted(REWARD_SOURCES)}, got {source!r}")
        try:
            key = str(uuid.UUID(str(decision_id)))
        except ValueError as exc:
            raise UnknownDecision(f"not a decision id: {decision_id!r}") from exc
        db = conn or self._own()
        with self._lock:
            entry = self._recent.pop(key, None)
        with database_errors():
            if entry is None:
                entry = self._load_decision(db, key)
            technician_id, style, phi, psi = entry
            shared, tech = self.model.deltas(phi, psi, value)
            shared_idx, tech_idx = np.flatnonzero(shared), np.flatnonzero(tech)
            row = db.execute(_LEARN, (
                key, value, source, self.feature_set, style, f"tech:{technician_id}",
                shared.size, (shared_idx + 1).tolist(), shared[shared_idx].tolist(),
                tech.size, (tech_idx + 1).tolist(), tech[tech_idx].tolist(), self.model.config.tau,
            )).fetchone()
        if row is None:
            return False
        version, base, generation = row
        with self._lock:
            m = self.model
            # in the caller's transaction the update may still roll back: re-read once committed
            if (conn is None and not self._stale
                    and (generation, base, version) == (m.generation, m.base, m.version + 1)):
                m.add(style, technician_id, shared, tech, m.weight(version, base))
                m.version = version
                self._confirmed_at = time.monotonic()
            else:
                self._stale = True
        return True

    def _load_decision(self, db: psycopg.Connection, key: str):
        row = db.execute(_DECISION_CONTEXT, (key,)).fetchone()
        if row is None:
            raise UnknownDecision(f"no decision {key} (never logged, rolled back or reset)")
        technician_id, hour, weekday, action, jobs, style = row
        ctx = StyleContext(technician_id=technician_id, hour=hour, weekday=weekday, action=action,
                           jobs_remaining=jobs)
        phi, psi = self.model.features.encode(ctx)
        return technician_id, style, phi, psi

    def penalize_repeat(self, technician_id: str, *, within_s: float = 120,
                        conn: psycopg.Connection | None = None) -> str | None:
        """Reward 0 for the technician's latest unrewarded decision of the last ``within_s`` seconds.

        Call it before choosing the style for the repeat itself: decisions logged in the current
        transaction are not candidates. Returns the penalised decision id, if any."""
        db = conn or self._own()
        with database_errors():
            row = db.execute(
                "SELECT d.id FROM bandit_decisions d WHERE d.technician_id = %s"
                # created_at = now() marks rows of the current transaction (the repeat's own turn)
                " AND d.created_at <> now() AND d.created_at >= statement_timestamp() - make_interval(secs => %s)"
                " AND NOT EXISTS (SELECT 1 FROM bandit_rewards r WHERE r.decision_id = d.id)"
                " ORDER BY d.created_at DESC LIMIT 1",
                (technician_id, float(within_s)),
            ).fetchone()
        if row is None:
            return None
        decision_id = str(row[0])
        return decision_id if self.reward(decision_id, 0.0, conn=conn, source="repeat") else None

    def sweep_default_rewards(self, *, older_than_s: float, default_reward: float, batch: int = 500) -> int:
        """Give ``default_reward`` to decisions that got no reward within ``older_than_s``; count them."""
        value = check_reward(default_reward)
        done = 0
        with database_errors():
            # a connection of its own, so no other thread's statement lands in the sweep's transactions
            conn = self._connection_class.connect(self._dsn) if self._dsn else self._own()
            try:
                while True:
                    with conn.transaction():
                        ids = [r[0] for r in conn.execute(
                            "SELECT d.id FROM bandit_decisions d"
                            " WHERE d.created_at < now() - make_interval(secs => %s)"
                            " AND NOT EXISTS (SELECT 1 FROM bandit_rewards r WHERE r.decision_id = d.id)"
                            " ORDER BY d.created_at LIMIT %s",
                            (float(older_than_s), batch),
                        )]
                        for decision_id in ids:
                            done += self.reward(str(decision_id), value, conn=conn, source="default")
                    if len(ids) < batch:
                        return done
            finally:
                if self._dsn:
                    conn.close()

    # ---- state ------------------------------------------------------------------------------

    def _fetch(self, since: int) -> list[tuple]:
        return self._own(reader=True).execute(_REFRESH, (self.feature_set, since), binary=True).fetchall()

    def _refresh_if_needed(self, *, force: bool = False) -> None:
        """Bring the cached statistics up to the database's version (only the rows that changed)."""
        m = self.model
        with self._lock:
            if not (force or self._stale or time.monotonic() - self._confirmed_at > MAX_STALENESS_S):
                return
            seen = (m.generation, m.base, m.version)
        with database_errors():
            rows = self._fetch(seen[2])
            full = (rows[0][0], rows[0][2]) != seen[:2]
            if full:  # a reset or a rebase: every row changed
                rows = self._fetch(-1)
        generation, version, base = rows[0][:3]
        with self._lock:
            if (m.generation, m.base, m.version) != seen:
                return  # another thread moved the cache meanwhile; the next choice looks again
            if full:
                m.clear(generation=generation, version=version, base=base)
            for _, _, _, scope, style, stats in rows:
                if scope is not None:
                    m.set_row(scope, style, np.asarray(stats, dtype=float))
            m.version = version
            self._stale = False
            self._confirmed_at = time.monotonic()
        log.debug("bandit model refreshed to generation %s version %s (%d rows)", generation, version, len(rows))

    def refresh(self) -> None:
        """Reload the statistics now (normally done lazily when the version counter moves)."""
        self._refresh_if_needed(force=True)

    def reset(self) -> None:
        """Forget everything: decisions, rewards and statistics, in every process."""
        conn = self._own()
        with database_errors(), conn.transaction():
            conn.execute("SELECT 1 FROM bandit_model WHERE id = 1 FOR UPDATE")
            conn.execute("TRUNCATE bandit_rewards, bandit_decisions, bandit_stats")
            generation = conn.execute(
                "UPDATE bandit_model SET generation = generation + 1, version = 0, base = 0,"
                " updated_at = now() WHERE id = 1 RETURNING generation"
            ).fetchone()[0]
        with self._lock:
            self.model.clear(generation=generation)
            self._recent.clear()
            self._stale = False
            self._confirmed_at = time.monotonic()

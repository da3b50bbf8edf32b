"""Eight concurrent writers, each with its own connection: no statistics update is lost."""

from __future__ import annotations

import math
import threading
from collections import defaultdict

import numpy as np
import psycopg
import pytest

from voiceops.bandit import StyleContext, StylePolicy
from voiceops.bandit.model import BanditConfig, StyleModel

pytestmark = pytest.mark.integration

WRITERS = 8
TURNS = 40


def _writer(url: str, index: int, start: threading.Barrier, errors: list) -> None:
    try:
        with StylePolicy.connect(url, seed=index) as policy:
            start.wait()
            for turn in range(TURNS):
                # two technicians shared between writers, so the same statistic rows are contended
                ctx = StyleContext(technician_id=f"tech-{turn % 2}", hour=(7 + turn) % 24, weekday=turn % 7,
                                   action=("confirm", "close_ticket", "repeat")[turn % 3], jobs_remaining=turn % 9)
                d = policy.choose(ctx)
                policy.reward(d.decision_id, (index + turn) % 5 / 4)
    except Exception as exc:  # surfaced by the assertion below with the writer's own traceback
        errors.append(exc)


def test_eight_concurrent_writers_lose_no_update(bandit_url):
    with StylePolicy.connect(bandit_url) as policy:
        policy.reset()
    start = threading.Barrier(WRITERS)
    errors: list = []
    threads = [threading.Thread(target=_writer, args=(bandit_url, i, start, errors)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    total = WRITERS * TURNS

    with psycopg.connect(bandit_url) as conn:
        assert conn.execute("SELECT count(*) FROM bandit_rewards").fetchone()[0] == total
        assert conn.execute("SELECT version FROM bandit_model").fetchone()[0] == total
        # every learning step got its own version: none overwrote another
        assert conn.execute("SELECT count(DISTINCT learned_version) FROM bandit_rewards").fetchone()[0] == total
        events = dict(conn.execute(
            "SELECT scope = 'shared', sum(events) FROM bandit_stats GROUP BY scope = 'shared'").fetchall())
        assert events == {True: total, False: total}
        base = conn.execute("SELECT base FROM bandit_model").fetchone()[0]
        stored = {(scope, style): np.asarray(stats) for scope, style, stats in
                  conn.execute("SELECT scope, style, stats FROM bandit_stats")}
        log = conn.execute(
            "SELECT d.technician_id, d.hour, d.weekday, d.action, d.jobs_remaining, d.style, r.reward,"
            " r.learned_version FROM bandit_decisions d JOIN bandit_rewards r ON r.decision_id = d.id").fetchall()

    # rebuild the statistics from the decision log: the stored sums must match them exactly
    model = StyleModel()
    tau = BanditConfig().tau
    expected: dict = defaultdict(float)
    for tech, hour, weekday, action, jobs, style, reward, version in log:
        ctx = StyleContext(technician_id=tech, hour=hour, weekday=weekday, action=action, jobs_remaining=jobs)
        shared, per_tech = model.deltas(*model.features.encode(ctx), reward)
        weight = math.exp((version - base) / tau)
        expected[("shared", style)] = expected[("shared", style)] + weight * shared
        expected[(f"tech:{tech}", style)] = expected[(f"tech:{tech}", style)] + weight * per_tech
    assert set(stored) == set(expected)
    for key, stats in stored.items():
        np.testing.assert_allclose(stats, expected[key], rtol=1e-9, atol=1e-9)

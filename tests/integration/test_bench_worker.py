"""`python -m voiceops bench worker` end to end on real PostgreSQL (a short run: figures, not speed)."""

from __future__ import annotations

import re

import psycopg
import pytest

from voiceops.cli import main
from voiceops.cpuclock import ServerClock

pytestmark = pytest.mark.integration


def _databases(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT datname FROM pg_database")}


@pytest.mark.parametrize("processes", [1, 2])
def test_bench_worker_prints_its_figures_beside_pgbench_and_cleans_up(pg_url, monkeypatch, capsys, processes):
    monkeypatch.setenv("VOICEOPS_DATABASE_URL", pg_url)
    before = _databases(pg_url)
    assert main(["bench", "worker", "--events", "60", "--concurrency", "4", "--processes", str(processes),
                 "--batch", "4", "--pgbench-seconds", "1"]) == 0
    out = capsys.readouterr()
    lines = out.out.strip().splitlines()
    score = dict(pair.split("=") for pair in lines[-1].removeprefix("SCORE ").split())
    assert set(score) == {"events_per_s", "p50_ms", "p99_ms", "lost", "duplicated", "pgbench_tps", "ratio"}
    assert (score["lost"], score["duplicated"]) == ("0", "0")  # counted in SQL after the run
    assert float(score["events_per_s"]) > 0 and float(score["pgbench_tps"]) > 0
    assert float(score["ratio"]) == pytest.approx(float(score["events_per_s"]) / float(score["pgbench_tps"]),
                                                  abs=0.01)
    assert re.search(r"batches of up to 4", out.out)
    # the machine's own server: its CPU is counted, per event and per TPC-B transaction
    cpu = re.search(r"cpu per event: worker ([\d.]+) ms \+ server ([\d.]+) ms; per TPC-B transaction: pgbench "
                    r"([\d.]+) ms \+ server ([\d.]+) ms; \d+ cores: CPU alone allows a ratio of ([\d.]+)", out.out)
    assert cpu, out.out
    worker, server, client, tpcb_server, allowed = map(float, cpu.groups())
    assert worker > 0 and server > 0 and client > 0 and tpcb_server > 0
    assert allowed == pytest.approx((client + tpcb_server) / (worker + server), abs=0.02)
    assert "60/60" in out.err  # the progress bar reached the end
    assert _databases(pg_url) == before  # scratch databases dropped


def test_server_clock_counts_a_query_the_server_runs(pg_url):
    with psycopg.connect(pg_url) as conn:
        clock = ServerClock.of(conn)
        assert clock is not None  # the test server runs on this machine
        before = clock.seconds()
        conn.execute("SELECT count(*) FROM generate_series(1, 3000000) g WHERE g % 7 = 0").fetchone()
        assert clock.seconds() - before >= 0.05  # a few hundred ms of the backend's CPU


def test_bench_worker_refuses_nonsense_arguments(pg_url, monkeypatch, capsys):
    monkeypatch.setenv("VOICEOPS_DATABASE_URL", pg_url)
    assert main(["bench", "worker", "--batch", "0"]) != 0
    assert "--batch" in capsys.readouterr().err

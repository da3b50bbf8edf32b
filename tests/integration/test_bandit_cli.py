"""`python -m voiceops bench bandit`, `bandit report` and `bandit sweep` against real PostgreSQL."""

from __future__ import annotations

import json

import psycopg
import pytest

from voiceops.cli import main

pytestmark = pytest.mark.integration


def _databases(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT datname FROM pg_database")}


def test_bench_runs_in_a_scratch_database_and_leaves_the_configured_one_alone(bandit_url, monkeypatch, capsys):
    monkeypatch.setenv("VOICEOPS_DATABASE_URL", bandit_url)
    decision = "6f1c1d7e-0000-4000-8000-000000000001"
    with psycopg.connect(bandit_url, autocommit=True) as conn:
        conn.execute("DELETE FROM bandit_rewards")
        conn.execute("DELETE FROM bandit_decisions")
        conn.execute("INSERT INTO bandit_decisions (id, technician_id, hour, weekday, action, jobs_remaining, style,"
                     " propensity, probabilities, explored, model_version, feature_set)"
                     " VALUES (%s, 'tech-real', 9, 1, 'close_ticket', 2, 'short', 0.5, '{0.5,0.25,0.25}', true, 0,"
                     " 'v1')", (decision,))
    before = _databases(bandit_url)
    assert main(["bench", "bandit", "--world", "dev", "--steps", "50", "--seeds", "1", "--no-vw"]) == 0
    assert "SCORE " in capsys.readouterr().out
    with psycopg.connect(bandit_url) as conn:  # the technicians' own decision is still there, alone
        assert [str(r[0]) for r in conn.execute("SELECT id FROM bandit_decisions")] == [decision]
    assert _databases(bandit_url) == before  # the scratch database is gone


def test_bench_in_place_report_and_sweep(bandit_url, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("VOICEOPS_DATABASE_URL", bandit_url)
    assert main(["bench", "bandit", "--world", "dev", "--steps", "300", "--seeds", "1", "--in-place"]) == 0
    out = capsys.readouterr()
    scores = [line for line in out.out.splitlines() if line.startswith("SCORE ")]
    assert [s.split(" policy=")[1].split()[0] for s in scores] == ["voiceops", "vw_squarecb"]
    assert out.out.strip().splitlines()[-2:] == scores
    assert "steps" in out.err  # progress on stderr
    with psycopg.connect(bandit_url) as conn:
        # the benchmark went through the database: every step logged and rewarded
        assert conn.execute("SELECT count(*) FROM bandit_decisions").fetchone()[0] == 300
        assert conn.execute("SELECT count(*) FROM bandit_rewards").fetchone()[0] == 300

    chart = tmp_path / "report.png"
    assert main(["bandit", "report", "--chart", str(chart)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rewarded_decisions"] == 300
    assert set(report["estimates"]) == {"learned_greedy", "always_short", "always_medium", "always_long"}
    for estimate in report["estimates"].values():
        assert 0.0 <= estimate["snips"] <= 1.0
    assert set(report["feature_importance"]) == {"technician_id", "hour", "weekday", "action", "jobs_remaining"}
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    with psycopg.connect(bandit_url, autocommit=True) as conn:
        conn.execute("DELETE FROM bandit_rewards WHERE decision_id IN"
                     " (SELECT id FROM bandit_decisions ORDER BY created_at LIMIT 5)")
        conn.execute("UPDATE bandit_decisions SET created_at = created_at - interval '2 hours'")
    assert main(["bandit", "sweep", "--older-than", "600", "--reward", "0.6"]) == 0
    assert json.loads(capsys.readouterr().out)["rewarded"] == 5


def test_bad_bench_arguments_are_a_clear_error(bandit_url, monkeypatch, capsys):
    monkeypatch.setenv("VOICEOPS_DATABASE_URL", bandit_url)
    assert main(["bench", "bandit", "--world", "moon"]) == 2
    assert "unknown world" in capsys.readouterr().err

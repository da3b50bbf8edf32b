"""`python -m voiceops bench bandit`, `bandit report` and `bandit sweep` against real PostgreSQL."""

from __future__ import annotations

import json

import psycopg
import pytest

from voiceops.cli import main

pytestmark = pytest.mark.integration


def test_bench_report_and_sweep(bandit_url, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("VOICEOPS_DATABASE_URL", bandit_url)
    assert main(["bench", "bandit", "--world", "dev", "--steps", "300", "--seeds", "1"]) == 0
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

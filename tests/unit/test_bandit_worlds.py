"""The simulated worlds and the benchmark loop (in memory; the Postgres path is an integration test)."""

from __future__ import annotations

import io

import numpy as np
import pytest

from voiceops.bandit import InvalidBanditInput
from voiceops.bandit.bench import Agent, MemoryAgent, benchmark, run
from voiceops.bandit.worlds import make_stream, stream_summary


def test_a_stream_is_determined_by_world_seed_and_steps():
    a, b = make_stream("dev", 3, 300), make_stream("dev", 3, 300)
    assert a.contexts == b.contexts
    np.testing.assert_array_equal(a.rewards, b.rewards)
    longer = make_stream("dev", 3, 301)
    assert longer.contexts[:300] != a.contexts  # a different length is a different draw
    assert make_stream("dev", 4, 300).contexts != a.contexts


@pytest.mark.parametrize("world", ["dev", "harsh"])
def test_streams_are_well_formed(world):
    s = make_stream(world, 0, 2000)
    assert s.means.shape == s.rewards.shape == (2000, 3)
    assert s.means.min() >= 0.05 and s.means.max() <= 0.95
    assert s.rewards.min() >= 0.0 and s.rewards.max() <= 1.0
    summary = stream_summary(s)
    assert summary["oracle_per_step"] > summary["best_fixed_per_step"]
    assert all(0 <= c.hour <= 23 and 0 <= c.weekday <= 6 for c in s.contexts)


def test_unknown_world_is_a_typed_error():
    with pytest.raises(InvalidBanditInput):
        make_stream("moon", 0, 10)


class _Oracle(Agent):
    """Plays argmax of the hidden means: regret must be exactly zero."""

    name = "oracle"

    def __init__(self, stream):
        self.stream, self.t = stream, 0

    def reset(self, seed):
        self.t = 0

    def choose(self, ctx):
        j = int(np.argmax(self.stream.means[self.t]))
        self.t += 1
        return j, None

    def learn(self, handle, reward):
        pass


def test_regret_is_measured_against_the_per_context_oracle():
    s = make_stream("dev", 1, 400)
    assert run(_Oracle(s), s).regret == pytest.approx(0.0)
    learned = run(MemoryAgent(), s)
    assert 0 < learned.regret < 400 * 0.2 and learned.arm_counts.sum() == 400


def test_benchmark_ends_with_one_score_line_per_policy():
    out = io.StringIO()
    scores = benchmark("dev", 60, [0, 1], [MemoryAgent()], out=out, err=io.StringIO())
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith("SCORE world=dev steps=60 seeds=2 policy=voiceops_memory ")
    assert f"regret_per_step={scores['voiceops_memory']['regret_per_step']:.4f}" in last

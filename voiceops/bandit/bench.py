"""The style-bandit benchmark: the project's policy (through PostgreSQL) beside Vowpal Wabbit
``--cb_explore_adf --squarecb`` on the same simulated streams, scored by regret against the
per-context oracle (see ../shared/BANDIT_WORLD.md and docs/bandit.md)."""

from __future__ import annotations

import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from voiceops.bandit.context import STYLES, StyleContext
from voiceops.bandit.model import BanditConfig, StyleModel
from voiceops.bandit.worlds import Stream, make_stream, stream_summary
from voiceops.errors import ConfigurationError


class Agent:
    """One policy under test: reset per seed, choose an arm index, learn the realised reward."""

    name = "agent"

    def reset(self, seed: int) -> None: ...

    def choose(self, ctx: StyleContext) -> tuple[int, object]: ...

    def learn(self, handle: object, reward: float) -> None: ...

    def close(self) -> None: ...


class ProjectAgent(Agent):
    """voiceops.bandit.StylePolicy through PostgreSQL, exactly as the product uses it."""

    name = "voiceops"

    def __init__(self, dsn: str, config: BanditConfig | None = None) -> None:
        from voiceops.bandit.policy import StylePolicy

        self._dsn, self._config, self._cls = dsn, config, StylePolicy
        self.policy = None

    def reset(self, seed: int) -> None:
        if self.policy is not None:
            self.policy.close()
        self.policy = self._cls.connect(self._dsn, config=self._config, seed=seed)
        self.policy.reset()

    def choose(self, ctx):
        d = self.policy.choose(ctx)
        if d.style not in STYLES or not 0.0 < d.propensity <= 1.0:
            raise ConfigurationError(f"policy returned an invalid decision {d!r}")
        return STYLES.index(d.style), d.decision_id

    def learn(self, handle, reward):
        self.policy.reward(handle, reward)

    def close(self):
        if self.policy is not None:
            self.policy.close()


class MemoryAgent(Agent):
    """The same model without the database: for fast tuning only, never for reported figures."""

    name = "voiceops_memory"

    def __init__(self, config: BanditConfig | None = None) -> None:
        self._config = config

    def reset(self, seed):
        self.model = StyleModel(config=self._config)
        self.rng = np.random.default_rng(seed)

    def choose(self, ctx):
        p = self.model.probabilities(ctx, self.rng)
        j = int(self.rng.choice(len(STYLES), p=p))
        return j, (ctx, j)

    def learn(self, handle, reward):
        ctx, j = handle
        self.model.learn(ctx, STYLES[j], reward)


class VowpalAgent(Agent):
    """vowpalwabbit ``--cb_explore_adf {--squarecb|--epsilon 0.1} -q ua``, as on the world page."""

    def __init__(self, exploration: str = "--squarecb") -> None:
        try:
            import vowpalwabbit
        except ImportError as exc:
            raise ConfigurationError("the VW baseline needs vowpalwabbit: pip install -r requirements-dev.txt") from exc
        self._vw_module = vowpalwabbit
        self._exploration = exploration
        self.name = "vw_" + exploration.lstrip("-").replace(" ", "")
        self.vw = None

    def reset(self, seed):
        if self.vw is not None:
            self.vw.finish()
        self.vw = self._vw_module.Workspace(
            f"--cb_explore_adf {self._exploration} -q ua --quiet --random_seed {seed}")
        self.rng = np.random.default_rng(seed + 1_000_003)

    @staticmethod
    def _lines(ctx: StyleContext) -> list[str]:
        shared = (f"shared |u tech={ctx.technician_id} hour={ctx.hour} weekday={ctx.weekday}"
                  f" action={ctx.action} jobs={ctx.jobs_remaining}")
        return [shared] + [f"|a style={s}" for s in STYLES]

    def choose(self, ctx):
        lines = self._lines(ctx)
        pmf = np.asarray(self.vw.predict(lines), dtype=float)
        pmf = pmf / pmf.sum()
        j = int(self.rng.choice(len(STYLES), p=pmf))
        return j, (lines, j, float(pmf[j]))

    def learn(self, handle, reward):
        lines, j, prob = handle
        labelled = list(lines)
        labelled[1 + j] = f"0:{1.0 - reward}:{prob} {lines[1 + j]}"
        self.vw.learn(labelled)

    def close(self):
        if self.vw is not None:
            self.vw.finish()
            self.vw = None


@dataclass
class RunResult:
    cum_reward: float
    regret: float
    last20_regret: float
    seconds: float
    arm_counts: np.ndarray = field(repr=False)
    step_seconds: np.ndarray = field(repr=False, default_factory=lambda: np.empty(0))


def run(agent: Agent, stream: Stream, progress: Callable[[int], None] | None = None) -> RunResult:
    """Play one stream with immediate feedback; regret from the hidden means."""
    agent.reset(stream.seed)
    n = stream.steps
    chosen = np.empty(n, dtype=int)
    step_seconds = np.empty(n)
    reward = 0.0
    start = time.perf_counter()
    for t, ctx in enumerate(stream.contexts):
        began = time.perf_counter()
        j, handle = agent.choose(ctx)
        r = float(stream.rewards[t, j])
        agent.learn(handle, r)
        step_seconds[t] = time.perf_counter() - began
        chosen[t] = j
        reward += r
        if progress is not None and t % 500 == 499:
            progress(t + 1)
    seconds = time.perf_counter() - start
    gaps = stream.means.max(axis=1) - stream.means[np.arange(n), chosen]
    tail = n - round(0.2 * n)
    return RunResult(cum_reward=reward, regret=float(gaps.sum()), last20_regret=float(gaps[tail:].sum()),
                     seconds=seconds, arm_counts=np.bincount(chosen, minlength=len(STYLES)),
                     step_seconds=step_seconds)


def _mean_se(values: list[float]) -> tuple[float, float]:
    a = np.asarray(values, dtype=float)
    se = float(a.std(ddof=1) / np.sqrt(len(a))) if len(a) > 1 else 0.0
    return float(a.mean()), se


def benchmark(world: str, steps: int, seeds: list[int], agents: list[Agent], *, out=None,
              err=None) -> dict[str, dict[str, float]]:
    """Run every agent on every seed's stream; print the table and one SCORE line per agent."""
    out, err = out or sys.stdout, err or sys.stderr
    results: dict[str, list[RunResult]] = {a.name: [] for a in agents}
    summaries = []
    try:
        for seed in seeds:
            stream = make_stream(world, seed, steps)
            summaries.append(stream_summary(stream))
            for agent in agents:
                def tick(done, agent=agent, seed=seed):
                    print(f"\r{agent.name} seed {seed}: {done}/{steps} steps", end="", file=err, flush=True)

                results[agent.name].append(run(agent, stream, tick))
                r = results[agent.name][-1]
                print(f"\r{agent.name} seed {seed}: {steps}/{steps} steps, regret/step {r.regret / steps:.4f},"
                      f" {steps / r.seconds:.0f} dec/s", file=err, flush=True)
    finally:
        for agent in agents:
            agent.close()
    oracle = np.mean([s["oracle_per_step"] for s in summaries])
    best_fixed = np.mean([s["best_fixed_per_step"] for s in summaries])
    print(f"world={world} steps={steps} seeds={seeds} (python {platform.python_version()},"
          f" {platform.machine()})", file=out)
    print(f"stream (expected, from hidden means): oracle/step={oracle:.4f}  best fixed arm/step={best_fixed:.4f}",
          file=out)
    print("regret is expected regret vs the per-context oracle; ± is the standard error over seeds", file=out)
    header = (f"{'policy':<18}{'cum_reward':>20}{'reward/step':>12}{'regret':>18}{'regret/step':>12}"
              f"{'last20%/step':>13}  {'arm share s/m/l':<17}{'dec/s':>8}")
    print(header, file=out)
    print("-" * len(header), file=out)
    scores: dict[str, dict[str, float]] = {}
    for name, runs in results.items():
        cum, cum_se = _mean_se([r.cum_reward for r in runs])
        reg, reg_se = _mean_se([r.regret for r in runs])
        last, _ = _mean_se([r.last20_regret for r in runs])
        share = sum(r.arm_counts for r in runs) / (steps * len(runs))
        dps = steps * len(runs) / sum(r.seconds for r in runs)
        tail = steps - round(0.8 * steps)
        scores[name] = {"cum_reward": cum, "reward_per_step": cum / steps, "regret": reg,
                        "regret_per_step": reg / steps, "last20_regret": last,
                        "last20_regret_per_step": last / tail, "dps": dps}
        print(f"{name:<18}{cum:>11.1f} ± {cum_se:>6.1f}{cum / steps:>12.4f}{reg:>9.1f} ± {reg_se:>6.1f}"
              f"{reg / steps:>12.4f}{last / tail:>13.4f}  {'/'.join(f'{x:.2f}' for x in share):<17}{dps:>8.0f}",
              file=out)
    for name, runs in results.items():
        steps_ms = np.concatenate([r.step_seconds for r in runs]) * 1000.0
        p50, p99 = np.percentile(steps_ms, [50, 99])
        print(f"latency {name}: choose+reward p50={p50:.2f} ms p99={p99:.2f} ms", file=out)
    if len(scores) > 1 and "vw_squarecb" in scores:
        base = scores["vw_squarecb"]["regret_per_step"]
        for name, s in scores.items():
            if name != "vw_squarecb" and base > 0:
                print(f"{name}: regret/step ratio vs vw_squarecb = {s['regret_per_step'] / base:.3f}", file=out)
    for name, s in scores.items():
        print(f"SCORE world={world} steps={steps} seeds={len(seeds)} policy={name} cum_reward={s['cum_reward']:.1f}"
              f" reward_per_step={s['reward_per_step']:.4f} regret={s['regret']:.1f}"
              f" regret_per_step={s['regret_per_step']:.4f} last20_regret={s['last20_regret']:.1f}"
              f" last20_regret_per_step={s['last20_regret_per_step']:.4f} dps={s['dps']:.0f}", file=out)
    return scores

"""Off-policy evaluation for ops: how would the learned policy, and each fixed style, have done on
the logged decisions? Plus what drives the choices, and a chart of style share and reward.

Estimators, over rewarded decisions i with logged style a_i, propensity p_i and reward r_i, for a
target policy π:
  IPS    (1/n) Σ π(a_i|x_i)/p_i · r_i
  SNIPS  Σ w_i r_i / Σ w_i with w_i = π(a_i|x_i)/p_i
  DR     (1/n) Σ [Σ_a π(a|x_i) r̂(x_i,a) + w_i (r_i − r̂(x_i,a_i))], r̂ = the model's posterior mean
The learned policy is evaluated greedily (what ``explore=False`` plays with the current model)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psycopg

from voiceops.bandit.context import STYLES, StyleContext
from voiceops.bandit.model import StyleModel

_LOG = (
    "SELECT d.technician_id, d.hour, d.weekday, d.action, d.jobs_remaining, d.style, d.propensity,"
    " r.reward, r.created_at FROM bandit_decisions d JOIN bandit_rewards r ON r.decision_id = d.id"
    " WHERE d.created_at >= now() - make_interval(secs => %s * 86400.0) ORDER BY r.created_at LIMIT %s"
)
_GROUPS = ("technician_id", "hour", "weekday", "action", "jobs_remaining")


@dataclass
class LoggedTurn:
    ctx: StyleContext
    arm: int
    propensity: float
    reward: float


def load_log(conn: psycopg.Connection, *, days: float = 30.0, limit: int = 200_000) -> list[LoggedTurn]:
    """Rewarded decisions of the last ``days`` days, oldest reward first."""
    turns = []
    for tech, hour, weekday, action, jobs, style, propensity, reward, _ in conn.execute(_LOG, (days, limit)):
        ctx = StyleContext(technician_id=tech, hour=hour, weekday=weekday, action=action, jobs_remaining=jobs)
        turns.append(LoggedTurn(ctx, STYLES.index(style), float(propensity), float(reward)))
    return turns


def _predictions(model: StyleModel, turns: list[LoggedTurn]) -> np.ndarray:
    out = np.empty((len(turns), len(STYLES)))
    for i, t in enumerate(turns):
        phi, psi = model.features.encode(t.ctx)
        out[i] = model.predict(phi, psi, t.ctx.technician_id)[0]
    return out


def estimate(turns: list[LoggedTurn], target: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """IPS, SNIPS and DR value of a target policy given as per-turn probabilities (n × 3)."""
    arms = np.array([t.arm for t in turns])
    p = np.array([t.propensity for t in turns])
    r = np.array([t.reward for t in turns])
    idx = np.arange(len(turns))
    w = target[idx, arms] / p
    ips = float(np.mean(w * r))
    snips = float(np.sum(w * r) / np.sum(w)) if np.sum(w) > 0 else float("nan")
    dr = float(np.mean(np.sum(target * predicted, axis=1) + w * (r - predicted[idx, arms])))
    # effective sample size of the importance weights: how much the estimate can be trusted
    ess = float(np.sum(w) ** 2 / np.sum(w * w)) if np.sum(w * w) > 0 else 0.0
    return {"ips": ips, "snips": snips, "dr": dr, "effective_sample_size": ess}


def feature_importance(model: StyleModel, turns: list[LoggedTurn], *, sample: int = 1500,
                       seed: int = 0) -> dict[str, float]:
    """Share of greedy choices that change when one context field is shuffled across turns."""
    rng = np.random.default_rng(seed)
    chosen = [turns[i] for i in rng.permutation(len(turns))[:sample]]
    base = np.argmax(_predictions(model, chosen), axis=1)
    result = {}
    for group in _GROUPS:
        donors = rng.permutation(len(chosen))
        changed = 0
        for i, t in enumerate(chosen):
            fields = {g: getattr(t.ctx, g) for g in _GROUPS}
            fields[group] = getattr(chosen[donors[i]].ctx, group)
            ctx = StyleContext(**fields)
            phi, psi = model.features.encode(ctx)
            changed += int(np.argmax(model.predict(phi, psi, ctx.technician_id)[0]) != base[i])
        result[group] = changed / max(len(chosen), 1)
    return dict(sorted(result.items(), key=lambda kv: -kv[1]))


def strongest_weights(model: StyleModel, top: int = 5) -> dict[str, dict[str, float]]:
    """Per style, the pooled features that most favour it over the other styles' average."""
    thetas = np.stack([model.pooled_weights(s) for s in STYLES])
    names = model.features.shared_names
    out = {}
    for j, style in enumerate(STYLES):
        lift = thetas[j] - thetas.mean(axis=0)
        order = np.argsort(-lift)[:top]
        out[style] = {names[i]: round(float(lift[i]), 4) for i in order}
    return out


def chart(turns: list[LoggedTurn], path: Path) -> Path:
    """PNG: style share by hour of day, and the reward's moving average over the log."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    hours = np.array([t.ctx.hour for t in turns])
    arms = np.array([t.arm for t in turns])
    rewards = np.array([t.reward for t in turns])
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    present = np.unique(hours) if len(hours) else np.arange(24)
    bottom = np.zeros(len(present))
    for j, style in enumerate(STYLES):
        share = np.array([np.mean(arms[hours == h] == j) if np.any(hours == h) else 0.0 for h in present])
        left.bar(present, share, bottom=bottom, label=style)
        bottom += share
    left.set(title="Style share by hour of day", xlabel="hour", ylabel="share of decisions", ylim=(0, 1))
    left.legend(loc="lower left")
    if len(rewards):
        window = max(1, min(500, len(rewards) // 20))
        moving = np.convolve(rewards, np.ones(window) / window, mode="valid")
        right.plot(np.arange(window, len(rewards) + 1), moving)
    right.set(title="Reward over time (moving average)", xlabel="rewarded decision #", ylabel="reward",
              ylim=(0, 1))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def report(conn: psycopg.Connection, model: StyleModel, chart_path: Path, *, days: float = 30.0) -> dict:
    """Everything `python -m voiceops bandit report` prints."""
    turns = load_log(conn, days=days)
    out: dict = {"rewarded_decisions": len(turns), "model_version": model.version}
    if not turns:
        out["note"] = "no rewarded decisions in the window: nothing to evaluate"
        return out
    predicted = _predictions(model, turns)
    greedy = np.zeros_like(predicted)
    greedy[np.arange(len(turns)), np.argmax(predicted, axis=1)] = 1.0
    policies = {"learned_greedy": greedy}
    for j, style in enumerate(STYLES):
        fixed = np.zeros_like(predicted)
        fixed[:, j] = 1.0
        policies[f"always_{style}"] = fixed
    out["logged_mean_reward"] = float(np.mean([t.reward for t in turns]))
    out["estimates"] = {name: estimate(turns, target, predicted) for name, target in policies.items()}
    out["feature_importance"] = feature_importance(model, turns)
    out["strongest_weights"] = strongest_weights(model)
    out["chart"] = str(chart(turns, chart_path))
    return out

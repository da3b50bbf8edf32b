"""Simulated technicians for the style-bandit benchmark.

``dev`` follows ../shared/BANDIT_WORLD.md. ``harsh`` is our own stress test for generality:
many technicians with little data each, a minority whose taste is the opposite of the crowd's,
noisier rewards, and preferences that change halfway through the stream.

A stream is fully determined by (world, seed, steps): the contexts, the hidden means of every
arm, and a pre-drawn reward for every arm at every step (common random numbers)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from voiceops.bandit.context import STYLES, InvalidBanditInput, StyleContext

ACTION_MIX = {
    "confirm": 0.20, "close_ticket": 0.14, "update_ticket": 0.12, "start_ticket": 0.12,
    "next_ticket": 0.10, "decline": 0.08, "unknown": 0.08, "order_parts": 0.06,
    "reschedule_ticket": 0.05, "repeat": 0.05,
}
ACTION_EFFECT = {
    "confirm": (1.3, -0.3, -1.5), "decline": (1.0, -0.2, -1.3), "repeat": (-0.7, 0.4, 0.5),
    "start_ticket": (-0.3, 0.3, 0.4), "order_parts": (-0.4, 0.5, 0.0), "unknown": (0.4, 0.2, -0.8),
    "update_ticket": (0.2, 0.2, -0.3), "reschedule_ticket": (0.2, 0.2, -0.4),
    "next_ticket": (0.1, 0.3, -0.1), "close_ticket": (0.0, 0.1, 0.1),
}
_EARLY = {"start_ticket", "next_ticket"}
_LATE = {"close_ticket", "reschedule_ticket"}
BASE = np.array((-0.1, 0.6, 0.2))
LATE = np.array((1.5, -0.3, -1.6))
MANY_JOBS = np.array((1.3, -0.1, -1.4))
FEW_JOBS = np.array((-0.2, 0.0, 0.4))
SUMMARY = np.array((-0.5, 0.4, 2.0))
WEEKDAY = {0: (-0.2, 0.0, 0.3), 4: (0.4, 0.0, -0.3), 5: (0.5, 0.0, -0.5), 6: (0.5, 0.0, -0.5)}


@dataclass(frozen=True)
class WorldSpec:
    """The knobs that make one world differ from another."""

    technicians: int
    activity_concentration: float  # Dirichlet parameter of the technicians' share of turns
    summary_lovers: float  # share of technicians who want long summaries when closing before noon
    offset_sd: float  # per-technician per-arm logit offsets
    kappa: float  # Beta concentration of realised rewards (lower = noisier)
    contrarians: float = 0.0  # share of technicians whose time/load/action effects are reversed
    drift: bool = False  # halfway, offsets are redrawn and some technicians change camp


WORLDS = {
    "dev": WorldSpec(technicians=12, activity_concentration=20.0, summary_lovers=0.3, offset_sd=0.4, kappa=8.0),
    "harsh": WorldSpec(technicians=80, activity_concentration=1.0, summary_lovers=0.3, offset_sd=0.6, kappa=5.0,
                       contrarians=0.2, drift=True),
}


@dataclass
class Stream:
    """Contexts, hidden means (steps × 3) and realised rewards (steps × 3) of one run."""

    world: str
    seed: int
    contexts: list[StyleContext]
    means: np.ndarray
    rewards: np.ndarray

    @property
    def steps(self) -> int:
        return len(self.contexts)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


class _Technician:
    def __init__(self, rng: np.random.Generator, index: int, spec: WorldSpec) -> None:
        self.id = f"tech-{index + 1:03d}"
        self.shift_start = int(rng.integers(6, 10))
        self.load = int(rng.integers(5, 11))
        self.summary_lover = bool(rng.random() < spec.summary_lovers)
        self.contrarian = bool(rng.random() < spec.contrarians)
        self.offset = rng.normal(0.0, spec.offset_sd, size=3)


def _logits(tech: _Technician, hour: int, weekday: int, action: str, jobs: int) -> np.ndarray:
    # effects that depend on the technician's taste flip sign for a contrarian
    sign = -1.0 if tech.contrarian else 1.0
    z = BASE.copy()
    z += sign * _sigmoid((hour + 0.5 - 16.0) / 0.8) * LATE
    z += sign * np.clip((jobs - 3) / 5.0, 0.0, 1.0) ** 1.5 * MANY_JOBS
    if jobs <= 1:
        z += FEW_JOBS
    z += sign * np.asarray(ACTION_EFFECT[action])
    z += np.asarray(WEEKDAY.get(weekday, (0.0, 0.0, 0.0)))
    if tech.summary_lover and action == "close_ticket":
        z += _sigmoid((12.0 - hour - 0.5) / 0.7) * SUMMARY
    return z + tech.offset


def make_stream(world: str, seed: int, steps: int) -> Stream:
    """The stream for (world, seed, steps); different lengths are different draws."""
    spec = WORLDS.get(world)
    if spec is None:
        raise InvalidBanditInput(f"unknown world {world!r}; choose one of {sorted(WORLDS)}")
    if steps < 1:
        raise InvalidBanditInput("steps must be at least 1")
    rng = np.random.default_rng([zlib.crc32(world.encode()), seed, steps])
    techs = [_Technician(rng, i, spec) for i in range(spec.technicians)]
    activity = rng.dirichlet(np.full(spec.technicians, spec.activity_concentration))
    actions = list(ACTION_MIX)
    base_mix = np.array([ACTION_MIX[a] for a in actions])
    contexts: list[StyleContext] = []
    means = np.empty((steps, 3))
    for t in range(steps):
        if spec.drift and t == steps // 2:
            for tech in techs:
                tech.offset = rng.normal(0.0, spec.offset_sd, size=3)
                if rng.random() < 0.3:
                    tech.contrarian = not tech.contrarian
                if rng.random() < 0.3:
                    tech.summary_lover = not tech.summary_lover
        tech = techs[int(rng.choice(spec.technicians, p=activity))]
        weekday = int(rng.integers(5, 7)) if rng.random() < 0.06 else int(rng.integers(0, 5))
        if rng.random() < 0.05:  # overtime
            hour = tech.shift_start + 9 + int(rng.integers(0, 3))
        else:
            hour = tech.shift_start + int(rng.integers(0, 9))
        hour = min(hour, 23)
        position = min((hour - tech.shift_start) / 9.0, 1.0)
        weights = base_mix.copy()
        for i, a in enumerate(actions):
            if a in _EARLY:
                weights[i] *= 1.6 - 1.2 * position
            elif a in _LATE:
                weights[i] *= 0.4 + 1.2 * position
        action = actions[int(rng.choice(len(actions), p=weights / weights.sum()))]
        daily_load = max(1, tech.load + int(rng.integers(-1, 2)))
        jobs = max(0, round(daily_load * (1.0 - position)) + int(rng.integers(-1, 2)))
        contexts.append(StyleContext(technician_id=tech.id, hour=hour, weekday=weekday, action=action,
                                     jobs_remaining=jobs))
        means[t] = 0.05 + 0.9 * _sigmoid(_logits(tech, hour, weekday, action, jobs) + 0.3)
    k = spec.kappa
    rewards = rng.beta(k * means, k * (1.0 - means))
    return Stream(world=world, seed=seed, contexts=contexts, means=means, rewards=rewards)


def stream_summary(stream: Stream) -> dict[str, float]:
    """Oracle and best-fixed-arm reward per step, and the oracle's arm shares."""
    best = np.argmax(stream.means, axis=1)
    return {
        "oracle_per_step": float(stream.means.max(axis=1).mean()),
        "best_fixed_per_step": float(stream.rewards.sum(axis=0).max() / stream.steps),
        **{f"oracle_share_{s}": float(np.mean(best == i)) for i, s in enumerate(STYLES)},
    }

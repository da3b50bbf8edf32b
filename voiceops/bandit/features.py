"""Context → feature vectors: a shared block every technician pools, and a small per-technician
block that lets one technician deviate from the crowd (their own taste by time of day, load and
kind of command).

The vectors are deliberately generic (cyclic hour plus coarse hour bins, weekday, action, load),
not shaped after any one simulated world."""

from __future__ import annotations

import math
import re

import numpy as np

from voiceops.bandit.context import StyleContext
from voiceops.contracts import Action

ACTIONS: tuple[str, ...] = tuple(a.value for a in Action)
_STEMS = {a.split("_")[0]: i for i, a in enumerate(ACTIONS)}
#: upper bounds of the hour bins: [0,7) [7,9) [9,11) [11,13) [13,15) [15,17) [17,19) [19,24)
_HOUR_BINS = (7, 9, 11, 13, 15, 17, 19)
_JOB_BINS = (2, 5, 8)  # [0,2) [2,5) [5,8) [8,∞)
#: actions a technician hears as a quick acknowledgement rather than a report
_ACK_ACTIONS = frozenset({"confirm", "decline", "next_ticket", "unknown", "undo"})


def action_index(action: str) -> int:
    """Index of the action in ACTIONS; 'close' and 'close-ticket' match close_ticket; else 'other'."""
    name = action.strip().lower()
    if name in ACTIONS:
        return ACTIONS.index(name)
    stem = re.split(r"[_\-\s]+", name)[0]
    return _STEMS.get(stem, len(ACTIONS))


class FeatureSet:
    """Encodes a StyleContext as (shared φ, technician ψ). ``name`` keys the stored statistics."""

    name = "v1"

    def __init__(self) -> None:
        self.shared_names = (
            ["bias", "hour_sin", "hour_cos", "hour_sin2", "hour_cos2"]
            + [f"hour<{b}" for b in _HOUR_BINS] + ["hour>=19"]
            + [f"weekday={d}" for d in range(7)]
            + [f"action={a}" for a in ACTIONS] + ["action=other"]
            + ["jobs/10", "jobs<2", "jobs<5", "jobs<8", "jobs>=8"]
        )

        self.tech_names = ["bias", "hour_sin", "hour_cos", "jobs/10", "ack_action", "weekend"]
        self.d = len(self.shared_names)
        self.k = len(self.tech_names)

    def encode(self, ctx: StyleContext) -> tuple[np.ndarray, np.ndarray]:
        """(φ, ψ) for one context."""
        phi = np.zeros(self.d)
        angle = 2.0 * math.pi * ctx.hour / 24.0
        s1, c1 = math.sin(angle), math.cos(angle)
        phi[0:5] = (1.0, s1, c1, math.sin(2 * angle), math.cos(2 * angle))
        hour_bin = sum(ctx.hour >= b for b in _HOUR_BINS)
        phi[5 + hour_bin] = 1.0
        phi[13 + ctx.weekday] = 1.0
        a = action_index(ctx.action)
        phi[20 + a] = 1.0
        jobs = min(ctx.jobs_remaining, 10) / 10.0
        off = 20 + len(ACTIONS) + 1
        phi[off] = jobs
        phi[off + 1 + sum(ctx.jobs_remaining >= b for b in _JOB_BINS)] = 1.0
        ack = 1.0 if a < len(ACTIONS) and ACTIONS[a] in _ACK_ACTIONS else 0.0
        psi = np.array((1.0, s1, c1, jobs, ack, 1.0 if ctx.weekday >= 5 else 0.0))
        return phi, psi

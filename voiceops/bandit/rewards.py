"""Playback feedback from the phone app → a reward in [0, 1]."""

from __future__ import annotations

import math

from voiceops.bandit.context import InvalidBanditInput

#: a replay means the reply did not land the first time (too terse, too fast): half credit
REPLAY_FACTOR = 0.5
#: a skip means the technician did not want to hear it at all: at most a quarter
SKIP_FACTOR = 0.25


def reward_from_feedback(listened_fraction: float, replayed: bool, skipped: bool) -> float:
    """Reward = fraction listened, halved by a replay, quartered by a skip (see docs/bandit.md)."""
    if isinstance(listened_fraction, bool) or not isinstance(listened_fraction, int | float):
        raise InvalidBanditInput(f"listened_fraction must be a number in [0, 1], got {listened_fraction!r}")
    fraction = float(listened_fraction)
    if not math.isfinite(fraction) or not 0.0 <= fraction <= 1.0:
        raise InvalidBanditInput(f"listened_fraction must be in [0, 1], got {listened_fraction!r}")
    if not isinstance(replayed, bool) or not isinstance(skipped, bool):
        raise InvalidBanditInput("replayed and skipped must be booleans")
    reward = fraction
    if replayed:
        reward *= REPLAY_FACTOR
    if skipped:
        reward *= SKIP_FACTOR
    return reward

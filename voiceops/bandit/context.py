"""What the style bandit sees (StyleContext) and what it answers (Decision)."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

from voiceops.errors import PermanentError

#: the arms, in the order every probability vector uses
STYLES: tuple[str, ...] = ("short", "medium", "long")


class InvalidBanditInput(PermanentError):
    """A context, reward or feedback value the bandit cannot use."""

    code = "invalid_bandit_input"


class UnknownDecision(PermanentError):
    """A reward for a decision id that was never logged (or was cleared by reset)."""

    code = "unknown_decision"


@dataclass(frozen=True, slots=True)
class StyleContext:
    """One turn: who is speaking, when, what they asked for and how much work is left."""

    technician_id: str
    hour: int
    weekday: int  # Monday = 0 … Sunday = 6
    action: str
    jobs_remaining: int

    def __post_init__(self) -> None:
        if not isinstance(self.technician_id, str) or not self.technician_id.strip():
            raise InvalidBanditInput("technician_id must be a non-empty string")
        if len(self.technician_id) > 100:
            raise InvalidBanditInput("technician_id is longer than 100 characters")
        for name, low, high in (("hour", 0, 23), ("weekday", 0, 6), ("jobs_remaining", 0, 10_000)):
            value = getattr(self, name)
            # numpy integers and whole floats (17.0) are accepted and stored as int
            whole = isinstance(value, numbers.Integral) or (isinstance(value, numbers.Real)
                                                            and float(value).is_integer())
            if isinstance(value, bool) or not whole or not low <= value <= high:
                raise InvalidBanditInput(f"{name} must be an integer in [{low}, {high}], got {value!r}")
            object.__setattr__(self, name, int(value))
        if not isinstance(self.action, str) or not self.action.strip() or len(self.action) > 64:
            raise InvalidBanditInput("action must be a non-empty string of at most 64 characters")
        # plain str (an Action StrEnum or a numpy string becomes its text)
        object.__setattr__(self, "technician_id", str(self.technician_id))
        object.__setattr__(self, "action", str(self.action))


@dataclass(frozen=True, slots=True)
class Decision:
    """The chosen style, the probability it had, and the id to reward it by."""

    style: str
    propensity: float
    decision_id: str
    probabilities: tuple[float, ...] = field(default=(), compare=False)
    explored: bool = True
    model_version: int = 0


def check_reward(reward: float) -> float:
    """The reward as a float in [0, 1], or InvalidBanditInput."""
    if isinstance(reward, bool) or not isinstance(reward, numbers.Real):
        raise InvalidBanditInput(f"reward must be a number in [0, 1], got {reward!r}")
    value = float(reward)
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise InvalidBanditInput(f"reward must be in [0, 1], got {reward!r}")
    return value

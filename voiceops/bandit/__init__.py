"""The response-style contextual bandit: which reply style (short, medium, long) each technician
wants to hear, learned from rewards, with its state in PostgreSQL (see docs/bandit.md)."""

from voiceops.bandit.context import STYLES, Decision, InvalidBanditInput, StyleContext, UnknownDecision
from voiceops.bandit.model import BanditConfig
from voiceops.bandit.policy import StylePolicy
from voiceops.bandit.rewards import reward_from_feedback

__all__ = [
    "STYLES",
    "BanditConfig",
    "Decision",
    "InvalidBanditInput",
    "StyleContext",
    "StylePolicy",
    "UnknownDecision",
    "reward_from_feedback",
]

"""The cascade: the rules first, the LLM only when the rules are unsure.

* rules confident (every command at or above ``escalate_below``) -> the rules answer, no LLM call;
* otherwise the LLM answers;
* the LLM unreachable or invalid -> the rules answer stands if it is still confident enough to act
  on (``accept_at_least``, the confirmation threshold), else one ``unknown`` so the technician is
  asked to repeat. The rules' commands are kept in ``details`` either way, so nothing is lost.

``Extraction.extractor`` records who decided: "cascade:rules", "cascade:openai" or
"cascade:fallback"."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from voiceops.contracts import Action, OpenTicket, VoiceCommand
from voiceops.errors import ConfigurationError, VoiceOpsError
from voiceops.extraction.base import Extraction, Extractor

logger = logging.getLogger(__name__)


class CascadeExtractor:
    """Rules first; an LLM for what the rules cannot read with confidence."""

    name = "cascade"
    remote = True

    def __init__(self, rules: Extractor, llm: Extractor, *, escalate_below: float = 0.75,
                 accept_at_least: float = 0.6) -> None:
        if not 0 <= accept_at_least <= 1 or not 0 <= escalate_below <= 1:
            raise ConfigurationError("cascade thresholds must be between 0 and 1")
        self.rules = rules
        self.llm = llm
        self.escalate_below = escalate_below
        self.accept_at_least = accept_at_least

    def extract(self, transcript: str, *, open_tickets: Sequence[OpenTicket] = ()) -> Extraction:
        """The rules' answer when it is confident, else the LLM's, else a safe fallback."""
        first = self.rules.extract(transcript, open_tickets=open_tickets)
        least = min((c.confidence for c in first.commands), default=0.0)
        details = {"rules_confidence": least}
        if least >= self.escalate_below:
            return Extraction(first.commands, f"{self.name}:{self.rules.name}", {**first.details, **details})
        try:
            second = self.llm.extract(transcript, open_tickets=open_tickets)
        except VoiceOpsError as exc:
            # unreachable, rate limited past the budget, or invalid twice: fall back, never raise
            logger.warning("cascade: %s extractor failed (%s: %s); falling back", self.llm.name, exc.code, exc)
            details["llm_error"] = exc.code
            if least >= self.accept_at_least:
                return Extraction(first.commands, f"{self.name}:{self.rules.name}", {**first.details, **details})
            details["rules_commands"] = [c.model_dump(mode="json") for c in first.commands]
            details["reason"] = "not understood with confidence; ask to repeat"
            ask = VoiceCommand(action=Action.unknown, confidence=least,
                               notes="could not be understood with confidence; please repeat")
            return Extraction([ask], f"{self.name}:fallback", details)
        return Extraction(second.commands, f"{self.name}:{self.llm.name}", {**second.details, **details})

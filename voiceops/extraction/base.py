"""The extraction interface: a transcript and the technician's open tickets in, commands out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from voiceops.contracts import OpenTicket, VoiceCommand


@dataclass
class Extraction:
    commands: list[VoiceCommand]
    extractor: str  # which extractor decided: "rules", "openai", "cascade:rules", ...
    details: dict = field(default_factory=dict)


class Extractor(Protocol):
    name: str
    #: extract() mostly waits on a network service, so a batch's clips are worth running side by side
    remote: bool

    def extract(self, transcript: str, *, open_tickets: Sequence[OpenTicket] = ()) -> Extraction:
        """Commands in spoken order; never raises for odd text (that is ``unknown``)."""
        ...

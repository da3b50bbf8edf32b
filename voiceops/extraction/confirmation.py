"""The confirmation rule: a state-changing command the extractor is unsure of is read back as a
question ("Close job 104 for Johnson, 2 hours?") and written only after "yes"."""

from __future__ import annotations

from collections.abc import Iterable

from voiceops.contracts import STATE_CHANGING, VoiceCommand


def mark_confirmation(commands: Iterable[VoiceCommand], threshold: float) -> list[VoiceCommand]:
    """Copies of ``commands`` with ``needs_confirmation`` set on state-changing ones below ``threshold``."""
    return [c.model_copy(update={"needs_confirmation": c.action in STATE_CHANGING and c.confidence < threshold})
            for c in commands]

"""The confirmation rule: a state-changing command the extractor is unsure of, or any state change
heard in audio the recogniser was unsure of, is read back as a question ("Close job 104 for
Johnson, 2 hours?") and written only after "yes"."""

from __future__ import annotations

from collections.abc import Iterable

from voiceops.contracts import STATE_CHANGING, VoiceCommand


def mark_confirmation(commands: Iterable[VoiceCommand], threshold: float, *,
                      unsure_audio: bool = False) -> list[VoiceCommand]:
    """Copies of ``commands`` with ``needs_confirmation`` set on state-changing ones below ``threshold``,
    and on every state-changing one when ``unsure_audio``."""
    return [c.model_copy(update={"needs_confirmation": c.action in STATE_CHANGING and (
        unsure_audio or c.confidence < threshold)}) for c in commands]

"""Extraction: a transcript (and the technician's open tickets) in, VoiceCommands out.

``build_extractor(settings)`` picks the engine named by ``Settings.extractor``: the offline
rules (default), Azure OpenAI / OpenAI-compatible tool calling, or the cascade of both."""

from __future__ import annotations

from voiceops.extraction.base import Extraction, Extractor
from voiceops.extraction.rules import RulesExtractor
from voiceops.settings import Settings

__all__ = ["Extraction", "Extractor", "RulesExtractor", "build_extractor"]


def build_extractor(settings: Settings) -> Extractor:
    """The extractor ``settings.extractor`` names; LLM clients are built lazily on first use."""
    if settings.extractor == "rules":
        return RulesExtractor()
    from voiceops.extraction.llm import OpenAIExtractor  # imported only when an LLM is chosen

    llm = OpenAIExtractor.from_settings(settings)
    if settings.extractor == "openai":
        return llm
    from voiceops.extraction.cascade import CascadeExtractor

    return CascadeExtractor(RulesExtractor(), llm, escalate_below=settings.cascade_threshold,
                            accept_at_least=settings.confirmation_threshold)

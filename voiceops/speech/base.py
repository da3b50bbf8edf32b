"""The speech interfaces: decoded audio in, words out; words in, audio out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class Audio:
    """16 kHz mono PCM as float32 in [-1, 1]."""

    samples: np.ndarray
    sample_rate: int = SAMPLE_RATE

    @property
    def seconds(self) -> float:
        return len(self.samples) / float(self.sample_rate)


@dataclass(frozen=True)
class Transcript:
    text: str
    engine: str
    confidence: float | None = None
    language: str | None = "en"


@dataclass(frozen=True)
class SpokenReply:
    """Synthesized reply audio, ready to upload."""

    data: bytes
    content_type: str
    extension: str
    seconds: float


class SpeechToText(Protocol):
    name: str

    def transcribe(self, audio: Audio, *, vocabulary: Sequence[str] = ()) -> Transcript:
        """Words spoken in ``audio``; ``vocabulary`` biases towards customer and part names."""
        ...


class TextToSpeech(Protocol):
    name: str

    def synthesize(self, text: str, *, style: str = "medium") -> SpokenReply:
        """Speak ``text`` at the pace of the reply style (short, medium, long)."""
        ...

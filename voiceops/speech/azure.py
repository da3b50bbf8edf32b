"""Azure AI Speech: speech to text from decoded PCM, text to speech from SSML.

Compressed input would need GStreamer, which Flex Consumption cannot install, so the clip is
decoded here (PyAV) and pushed as 16 kHz 16-bit mono PCM. Continuous recognition keeps every
utterance of a long clip. Keyless auth is a token credential plus the resource's custom-domain
endpoint (the SDK refreshes the Entra token itself); key + region is the fallback.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from voiceops.errors import (
    ConfigurationError,
    NoSpeech,
    RateLimited,
    ServiceTimeout,
    ServiceUnavailable,
    UnreadableAudio,
    VoiceOpsError,
)
from voiceops.speech.base import SAMPLE_RATE, Audio, SpokenReply, Transcript

if TYPE_CHECKING:
    from voiceops.settings import Settings

#: bytes per push: 100 ms of 16-bit PCM, the size the SDK samples use
CHUNK_BYTES = SAMPLE_RATE // 10 * 2

#: SSML prosody per reply style: short is a quick confirmation, long explains at an easy pace
STYLE_PROSODY = {
    "short": {"rate": "+10%", "pause_ms": 150},
    "medium": {"rate": "0%", "pause_ms": 300},
    "long": {"rate": "-8%", "pause_ms": 450},
}

#: the two things a technician must hear right: the ticket number and the hours billed
_EMPHASIS = re.compile(
    r"\b(?:(?:job|ticket|work order)(?: number)? #?\d+"
    r"|(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|half an?)"
    r"(?: and a (?:half|quarter))? hours?)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

OUTPUT_FORMATS = {"wav": ("Riff16Khz16BitMonoPcm", "audio/wav", "wav"),
                  "mp3": ("Audio16Khz32KBitRateMonoMp3", "audio/mpeg", "mp3")}


def _sdk():
    try:
        import azure.cognitiveservices.speech as speechsdk
    except ImportError as exc:
        raise ConfigurationError("Azure Speech needs azure-cognitiveservices-speech: "
                                 "pip install -r requirements.txt") from exc
    return speechsdk


def default_credential(client_id: str | None = None):
    """The managed identity in Azure (a user-assigned one when its client id is set), else
    whatever DefaultAzureCredential finds on a developer machine."""
    from azure.identity import DefaultAzureCredential, ManagedIdentityCredential

    return ManagedIdentityCredential(client_id=client_id) if client_id else DefaultAzureCredential()


def speech_config(*, endpoint: str | None, region: str | None, key: str | None, credential: Any = None):
    """An SDK SpeechConfig: keyless (credential + custom-domain endpoint) or key + region/endpoint."""
    speechsdk = _sdk()
    try:
        if key:
            if endpoint:
                return speechsdk.SpeechConfig(subscription=key, endpoint=endpoint)
            if region:
                return speechsdk.SpeechConfig(subscription=key, region=region)
            raise ConfigurationError("AZURE_SPEECH_KEY needs AZURE_SPEECH_REGION or AZURE_SPEECH_ENDPOINT")
        if not endpoint:
            raise ConfigurationError("keyless Azure Speech needs AZURE_SPEECH_ENDPOINT, the resource's "
                                     "custom-domain endpoint (https://<name>.cognitiveservices.azure.com/)")
        return speechsdk.SpeechConfig(endpoint=endpoint, token_credential=credential)
    except ValueError as exc:
        raise ConfigurationError(f"Azure Speech configuration rejected: {exc}") from exc


def config_factory(settings: Settings) -> Callable[[], Any]:
    """Builds a fresh SpeechConfig per call from Settings; the credential is made on first use."""
    credential = []

    def factory():
        if not settings.speech_key and not credential:
            credential.append(default_credential(settings.managed_identity_client_id))
        return speech_config(endpoint=settings.speech_endpoint, region=settings.speech_region,
                             key=settings.speech_key, credential=credential[0] if credential else None)
    return factory


def map_cancellation(error_code: Any, details: str) -> VoiceOpsError:
    """The VoiceOps error for an SDK cancellation: retry what a later attempt can fix."""
    speechsdk = _sdk()
    codes = speechsdk.CancellationErrorCode
    message = f"Azure Speech: {error_code.name}: {details}".strip()
    if error_code == codes.TooManyRequests:
        return RateLimited(message)
    if error_code == codes.ServiceTimeout:
        return ServiceTimeout(message)
    if error_code == codes.BadRequest:
        # the parameters we send are fixed, so a bad request means audio the service will not take
        return UnreadableAudio(message)
    # authentication and role problems are retried too: once the role assignment is fixed a
    # redelivery succeeds, and dead-lettering keeps the clip instead of answering "failed"
    return ServiceUnavailable(message)


def pcm16(audio: Audio) -> bytes:
    """The clip as little-endian 16-bit PCM, the push stream's format."""
    return (np.clip(audio.samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def _confidence(result_json: str | None) -> float | None:
    try:
        best = json.loads(result_json or "{}").get("NBest") or []
        return float(best[0]["Confidence"]) if best else None
    except (ValueError, KeyError, TypeError):
        return None


class AzureSpeechToText:
    """Azure Speech continuous recognition over a push stream, biased by a phrase list."""

    name = "azure"

    def __init__(self, *, config_factory: Callable[[], Any], language: str = "en-US",
                 timeout_s: float = 90.0) -> None:
        self._config_factory = config_factory
        self.language = language
        self.timeout_s = timeout_s

    @classmethod
    def from_settings(cls, settings: Settings) -> AzureSpeechToText:
        """Keyless when no key is set (the Function App's managed identity)."""
        return cls(config_factory=config_factory(settings))

    def build(self, vocabulary: Sequence[str] = ()):
        """A recognizer wired to a fresh push stream, with the phrase list applied."""
        speechsdk = _sdk()
        config = self._config_factory()
        config.speech_recognition_language = self.language
        config.output_format = speechsdk.OutputFormat.Detailed
        stream = speechsdk.audio.PushAudioInputStream(
            stream_format=speechsdk.audio.AudioStreamFormat(samples_per_second=SAMPLE_RATE, bits_per_sample=16,
                                                            channels=1))
        recognizer = speechsdk.SpeechRecognizer(speech_config=config,
                                                audio_config=speechsdk.audio.AudioConfig(stream=stream))
        if vocabulary:
            phrases = speechsdk.PhraseListGrammar.from_recognizer(recognizer)
            for phrase in vocabulary:
                phrases.addPhrase(phrase)
        return recognizer, stream

    def transcribe(self, audio: Audio, *, vocabulary: Sequence[str] = ()) -> Transcript:
        """Every utterance in the clip, joined; typed errors for cancellations and timeouts."""
        speechsdk = _sdk()
        recognizer, stream = self.build(vocabulary)
        session = RecognitionSession(speechsdk)
        session.attach(recognizer)
        try:
            recognizer.start_continuous_recognition_async().get()
            data = pcm16(audio)
            for start in range(0, len(data), CHUNK_BYTES):
                stream.write(data[start:start + CHUNK_BYTES])
            stream.close()
            if not session.done.wait(self.timeout_s):
                raise ServiceTimeout(f"Azure Speech gave no result within {self.timeout_s:g} s")
        finally:
            recognizer.stop_continuous_recognition_async().get()
        return session.transcript(audio)


class RecognitionSession:
    """Collects a continuous recognition's events; the result mapping lives here."""

    def __init__(self, speechsdk) -> None:
        self._sdk = speechsdk
        self.texts: list[str] = []
        self.confidences: list[float] = []
        self.error: VoiceOpsError | None = None
        self.done = threading.Event()

    def attach(self, recognizer) -> None:
        """Listen to the recognizer's recognized, canceled and session_stopped events."""
        recognizer.recognized.connect(self.on_recognized)
        recognizer.canceled.connect(self.on_canceled)
        recognizer.session_stopped.connect(lambda evt: self.done.set())

    def on_recognized(self, evt) -> None:
        result = evt.result
        if result.reason == self._sdk.ResultReason.RecognizedSpeech and result.text.strip():
            self.texts.append(result.text.strip())
            confidence = _confidence(result.json)
            if confidence is not None:
                self.confidences.append(confidence)

    def on_canceled(self, evt) -> None:
        details = evt.cancellation_details
        if details.reason == self._sdk.CancellationReason.Error:
            self.error = map_cancellation(details.code, details.error_details or "")
        self.done.set()

    def transcript(self, audio: Audio) -> Transcript:
        """The joined text, or the mapped error; NoSpeech when nothing was recognised."""
        if self.error is not None:
            raise self.error
        text = " ".join(self.texts).strip()
        if not text:
            raise NoSpeech(f"Azure Speech recognised no words in the {audio.seconds:.1f} s clip")
        confidence = sum(self.confidences) / len(self.confidences) if self.confidences else None
        return Transcript(text=text, engine="azure", confidence=confidence, language="en")


def build_ssml(text: str, *, voice: str, style: str = "medium", language: str = "en-US") -> str:
    """SSML for a reply: the style's pace, a pause between sentences, the ticket number and hours
    emphasised."""
    prosody = STYLE_PROSODY.get(style, STYLE_PROSODY["medium"])
    pause = f'<break time="{prosody["pause_ms"]}ms"/>'
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s]
    body = pause.join(_EMPHASIS.sub(lambda m: f'<emphasis level="moderate">{m.group(0)}</emphasis>',
                                    html.escape(s, quote=False)) for s in sentences)
    return (f'<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="{language}">'
            f'<voice name="{html.escape(voice)}"><prosody rate="{prosody["rate"]}">{body}</prosody></voice></speak>')


class AzureTextToSpeech:
    """Azure neural voices from SSML; audio comes back in memory (no speaker on a Functions host)."""

    name = "azure"

    def __init__(self, *, config_factory: Callable[[], Any], voice: str, output: str = "wav") -> None:
        if output not in OUTPUT_FORMATS:
            raise ConfigurationError(f"unknown reply audio format {output!r}; use one of {sorted(OUTPUT_FORMATS)}")
        self._config_factory = config_factory
        self.voice = voice
        self.output = output

    @classmethod
    def from_settings(cls, settings: Settings) -> AzureTextToSpeech:
        """Voice from AZURE_SPEECH_VOICE; keyless when no key is set."""
        return cls(config_factory=config_factory(settings), voice=settings.speech_voice)

    def build(self):
        """A synthesizer with the output format set and ``audio_config=None``."""
        speechsdk = _sdk()
        config = self._config_factory()
        config.speech_synthesis_voice_name = self.voice
        config.set_speech_synthesis_output_format(
            getattr(speechsdk.SpeechSynthesisOutputFormat, OUTPUT_FORMATS[self.output][0]))
        return speechsdk.SpeechSynthesizer(speech_config=config, audio_config=None)

    def synthesize(self, text: str, *, style: str = "medium") -> SpokenReply:
        """Speak ``text`` in the style's SSML; typed errors for cancellations."""
        if not text.strip():
            raise ConfigurationError("there is no text to speak")
        result = self.build().speak_ssml_async(build_ssml(text, voice=self.voice, style=style)).get()
        return self.reply_from_result(result)

    def reply_from_result(self, result) -> SpokenReply:
        """A SpokenReply from a finished synthesis, or the mapped cancellation error."""
        speechsdk = _sdk()
        if result.reason == speechsdk.ResultReason.SynthesizingAudioCompleted:
            _, content_type, extension = OUTPUT_FORMATS[self.output]
            return SpokenReply(data=bytes(result.audio_data), content_type=content_type, extension=extension,
                               seconds=result.audio_duration.total_seconds())
        details = result.cancellation_details
        if details.reason == speechsdk.CancellationReason.Error:
            raise map_cancellation(details.error_code, details.error_details or "")
        raise ServiceUnavailable(f"Azure Speech synthesis ended without audio: {result.reason}")

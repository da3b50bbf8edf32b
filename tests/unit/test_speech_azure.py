"""Azure Speech adapters up to the SDK boundary. The service itself cannot be reached from here:
the real SDK runs against a closed local port, and its events are fed through the mapping."""

from __future__ import annotations

import json
import socket
import threading
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import azure.cognitiveservices.speech as sdk
import numpy as np
import pytest

from voiceops.errors import (
    ConfigurationError,
    NoSpeech,
    RateLimited,
    ServiceTimeout,
    ServiceUnavailable,
    UnreadableAudio,
)
from voiceops.settings import Settings
from voiceops.speech import build_speech_to_text, build_text_to_speech
from voiceops.speech.azure import (
    AzureSpeechToText,
    AzureTextToSpeech,
    RecognitionSession,
    build_ssml,
    speech_config,
)
from voiceops.speech.base import Audio

SSML_NS = "{http://www.w3.org/2001/10/synthesis}"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def key_config(endpoint: str):
    return lambda: speech_config(endpoint=endpoint, region=None, key="test-key")


class FakeCredential:
    def get_token(self, *scopes, **kwargs):
        return SimpleNamespace(token="token", expires_on=2_000_000_000)


# --- configuration -------------------------------------------------------------------------

def test_keyless_needs_the_custom_domain_endpoint():
    with pytest.raises(ConfigurationError, match="AZURE_SPEECH_ENDPOINT"):
        speech_config(endpoint=None, region="westeurope", key=None, credential=FakeCredential())


def test_keyless_config_carries_the_credential_and_endpoint():
    from azure.core.credentials import TokenCredential

    class Credential(FakeCredential, TokenCredential):
        pass

    credential = Credential()
    config = speech_config(endpoint="https://voiceops-speech.cognitiveservices.azure.com/", region=None, key=None,
                           credential=credential)
    assert config.token_credential is credential
    assert config.get_property(sdk.PropertyId.SpeechServiceConnection_Endpoint) == \
        "https://voiceops-speech.cognitiveservices.azure.com/"


def test_key_and_region():
    config = speech_config(endpoint=None, region="westeurope", key="k")
    assert config.region == "westeurope"
    with pytest.raises(ConfigurationError, match="REGION"):
        speech_config(endpoint=None, region=None, key="k")


def test_recognizer_built_with_language_detail_and_push_stream():
    stt = AzureSpeechToText(config_factory=lambda: speech_config(endpoint=None, region="westeurope", key="k"))
    recognizer, stream = stt.build(["Sandoval", "flame sensor"])
    assert isinstance(stream, sdk.audio.PushAudioInputStream)
    assert recognizer.properties.get_property(sdk.PropertyId.SpeechServiceConnection_RecoLanguage) == "en-US"
    assert recognizer.properties.get_property(sdk.PropertyId.SpeechServiceResponse_RequestDetailedResultTrueFalse) \
        == "true"


@pytest.mark.parametrize(("output", "expected"), [("wav", "riff-16khz-16bit-mono-pcm"),
                                                   ("mp3", "audio-16khz-32kbitrate-mono-mp3")])
def test_synthesizer_built_with_voice_and_phone_friendly_format(output, expected):
    tts = AzureTextToSpeech(config_factory=lambda: speech_config(endpoint=None, region="westeurope", key="k"),
                            voice="en-US-AndrewNeural", output=output)
    synthesizer = tts.build()
    props = synthesizer.properties
    assert props.get_property(sdk.PropertyId.SpeechServiceConnection_SynthOutputFormat) == expected
    assert props.get_property(sdk.PropertyId.SpeechServiceConnection_SynthVoice) == "en-US-AndrewNeural"


def test_builders_choose_azure_from_settings():
    settings = Settings(stt="azure", tts="azure", speech_region="westeurope", speech_key="k",
                        speech_voice="en-GB-SoniaNeural")
    stt, tts = build_speech_to_text(settings), build_text_to_speech(settings)
    assert (stt.name, tts.name, tts.voice) == ("azure", "azure", "en-GB-SoniaNeural")


# --- the real SDK against an unreachable service ----------------------------------------------

def test_unreachable_service_is_transient_for_recognition():
    stt = AzureSpeechToText(config_factory=key_config(f"ws://127.0.0.1:{closed_port()}/stt"), timeout_s=30)
    with pytest.raises(ServiceUnavailable, match="ConnectionFailure"):
        stt.transcribe(Audio(np.zeros(16000, np.float32)), vocabulary=["Sandoval"])


def test_unreachable_service_is_transient_for_synthesis():
    tts = AzureTextToSpeech(config_factory=key_config(f"ws://127.0.0.1:{closed_port()}/tts"), voice="en-US-AvaNeural")
    with pytest.raises(ServiceUnavailable, match="ConnectionFailure"):
        tts.synthesize("Closed job 104.")


# --- push stream and result mapping ------------------------------------------------------------

class Signal:
    def __init__(self):
        self.handlers = []

    def connect(self, handler):
        self.handlers.append(handler)

    def fire(self, evt):
        for handler in self.handlers:
            handler(evt)


def recognized(text, confidence=None, reason=sdk.ResultReason.RecognizedSpeech):
    payload = {"NBest": [{"Confidence": confidence}]} if confidence is not None else {}
    return SimpleNamespace(result=SimpleNamespace(reason=reason, text=text, json=json.dumps(payload)))


def canceled(reason, code=sdk.CancellationErrorCode.NoError, details=""):
    return SimpleNamespace(cancellation_details=SimpleNamespace(reason=reason, code=code, error_details=details))


class ScriptedRecognizer:
    """Stands in for the SDK recognizer: reads the push stream, then plays back ``script``."""

    def __init__(self, stream, script):
        self.recognized, self.canceled, self.session_stopped = Signal(), Signal(), Signal()
        self.stream, self.script = stream, script

    def start_continuous_recognition_async(self):
        def play():
            self.stream.closed.wait(5)
            for kind, evt in self.script:
                getattr(self, kind).fire(evt)
        threading.Thread(target=play, daemon=True).start()
        return SimpleNamespace(get=lambda: None)

    def stop_continuous_recognition_async(self):
        return SimpleNamespace(get=lambda: None)


class RecordingStream:
    def __init__(self):
        self.chunks, self.closed = [], threading.Event()

    def write(self, data):
        self.chunks.append(bytes(data))

    def close(self):
        self.closed.set()


class ScriptedAzure(AzureSpeechToText):
    def __init__(self, script, **kw):
        super().__init__(config_factory=lambda: None, **kw)
        self.script, self.stream = script, RecordingStream()

    def build(self, vocabulary=()):
        return ScriptedRecognizer(self.stream, self.script), self.stream


def test_whole_clip_is_pushed_as_16bit_pcm_and_every_utterance_kept():
    samples = np.linspace(-0.5, 0.5, 16000 * 3, dtype=np.float32)
    stt = ScriptedAzure([("recognized", recognized("Done at the Johnson place.", 0.9)),
                         ("recognized", recognized("", reason=sdk.ResultReason.NoMatch)),
                         ("recognized", recognized("Bill two hours.", 0.7)),
                         ("canceled", canceled(sdk.CancellationReason.EndOfStream)),
                         ("session_stopped", SimpleNamespace())])
    transcript = stt.transcribe(Audio(samples))
    pcm = np.frombuffer(b"".join(stt.stream.chunks), dtype="<i2")
    assert pcm.size == samples.size and abs(int(pcm[0]) + 16383) <= 1 and max(len(c) for c in stt.stream.chunks) <= 3200
    assert transcript.text == "Done at the Johnson place. Bill two hours."
    assert transcript.engine == "azure" and transcript.confidence == pytest.approx(0.8)


def test_no_words_is_no_speech():
    stt = ScriptedAzure([("recognized", recognized("", reason=sdk.ResultReason.NoMatch)),
                         ("session_stopped", SimpleNamespace())])
    with pytest.raises(NoSpeech):
        stt.transcribe(Audio(np.zeros(16000, np.float32)))


def test_silent_service_times_out():
    stt = ScriptedAzure([], timeout_s=0.2)
    with pytest.raises(ServiceTimeout):
        stt.transcribe(Audio(np.zeros(1600, np.float32)))


@pytest.mark.parametrize(("code", "error"), [
    (sdk.CancellationErrorCode.TooManyRequests, RateLimited),
    (sdk.CancellationErrorCode.ServiceTimeout, ServiceTimeout),
    (sdk.CancellationErrorCode.ConnectionFailure, ServiceUnavailable),
    (sdk.CancellationErrorCode.ServiceUnavailable, ServiceUnavailable),
    (sdk.CancellationErrorCode.AuthenticationFailure, ServiceUnavailable),
    (sdk.CancellationErrorCode.Forbidden, ServiceUnavailable),
    (sdk.CancellationErrorCode.BadRequest, UnreadableAudio),
])
def test_cancellations_map_to_retry_or_answer(code, error):
    session = RecognitionSession(sdk)
    session.on_recognized(recognized("half a sentence"))
    session.on_canceled(canceled(sdk.CancellationReason.Error, code, "details from the service"))
    assert session.done.is_set()
    with pytest.raises(error, match="details from the service"):
        session.transcript(Audio(np.zeros(16000, np.float32)))


def synthesis_result(reason, *, audio=b"", seconds=0.0, code=None, details=""):
    from datetime import timedelta

    return SimpleNamespace(reason=reason, audio_data=audio, audio_duration=timedelta(seconds=seconds),
                           cancellation_details=SimpleNamespace(reason=sdk.CancellationReason.Error,
                                                                error_code=code, error_details=details))


def test_synthesis_result_becomes_a_spoken_reply():
    tts = AzureTextToSpeech(config_factory=lambda: None, voice="v", output="mp3")
    reply = tts.reply_from_result(synthesis_result(sdk.ResultReason.SynthesizingAudioCompleted,
                                                   audio=b"ID3-audio", seconds=2.5))
    assert (reply.data, reply.content_type, reply.extension, reply.seconds) == (b"ID3-audio", "audio/mpeg", "mp3", 2.5)


def test_synthesis_throttled_is_rate_limited():
    tts = AzureTextToSpeech(config_factory=lambda: None, voice="v")
    with pytest.raises(RateLimited, match="429"):
        tts.reply_from_result(synthesis_result(sdk.ResultReason.Canceled,
                                               code=sdk.CancellationErrorCode.TooManyRequests,
                                               details="429 too many requests"))


# --- SSML ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("style", "rate", "pause"), [("short", "+10%", "150ms"), ("long", "-8%", "450ms")])
def test_ssml_per_style(style, rate, pause):
    ssml = build_ssml("Closed job 104 for Johnson & Sons. Two and a half hours billed.", voice="en-US-AvaNeural",
                      style=style)
    root = ET.fromstring(ssml)
    voice = root.find(f"{SSML_NS}voice")
    prosody = voice.find(f"{SSML_NS}prosody")
    assert voice.get("name") == "en-US-AvaNeural" and prosody.get("rate") == rate
    assert [e.text for e in prosody.iter(f"{SSML_NS}emphasis")] == ["job 104", "Two and a half hours"]
    assert [b.get("time") for b in prosody.iter(f"{SSML_NS}break")] == [pause]
    assert "Johnson & Sons" in "".join(prosody.itertext())


def test_ssml_escapes_markup_in_reply_text():
    root = ET.fromstring(build_ssml('Note: <break/> "quoted" 3 hours', voice="v"))
    assert "<break/>" in "".join(root.itertext())
    assert [e.text for e in root.iter(f"{SSML_NS}emphasis")] == ["3 hours"]

"""Offline text to speech with eSpeak NG: a playable 16 kHz WAV, paced by reply style."""

from __future__ import annotations

import pytest

from voiceops.errors import ConfigurationError
from voiceops.settings import Settings
from voiceops.speech import build_text_to_speech
from voiceops.speech.audio import decode_audio, has_sound

REPLY = "Closed job 104 for Johnson. Two hours billed, capacitor and coils recorded."


def test_reply_is_16k_mono_wav_with_speech():
    tts = build_text_to_speech(Settings())
    reply = tts.synthesize(REPLY, style="medium")
    assert (reply.content_type, reply.extension) == ("audio/wav", "wav")
    assert reply.data[:4] == b"RIFF"
    audio = decode_audio(reply.data, max_seconds=60, max_bytes=10_000_000)
    assert audio.seconds == pytest.approx(reply.seconds, abs=0.01)
    assert 2.0 < reply.seconds < 10.0 and has_sound(audio)


def test_short_style_speaks_faster_than_long():
    tts = build_text_to_speech(Settings())
    assert tts.synthesize(REPLY, style="short").seconds < 0.9 * tts.synthesize(REPLY, style="long").seconds


def test_other_voices_differ():
    tts = build_text_to_speech(Settings())
    default = tts.speak(REPLY)
    female = tts.speak(REPLY, voice="en-us+f3")
    assert default.shape != female.shape or abs(default - female).max() > 0.1


def test_unknown_voice_and_empty_text_are_configuration_errors():
    tts = build_text_to_speech(Settings())
    with pytest.raises(ConfigurationError, match="no voice"):
        tts.synthesize("hello", voice="xx-nowhere")
    with pytest.raises(ConfigurationError, match="no text"):
        tts.synthesize("   ")

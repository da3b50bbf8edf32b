"""Audio intake: every container a phone uploads decodes to 16 kHz mono; bad clips get typed errors."""

from __future__ import annotations

import numpy as np
import pytest

from voiceops.errors import AudioTooLarge, AudioTooLong, EmptyAudio, NoSpeech, UnreadableAudio
from voiceops.speech.audio import decode_audio, encode_audio, encode_wav, is_narrowband
from voiceops.speech.base import SAMPLE_RATE

LIMITS = {"max_seconds": 120.0, "max_bytes": 20 * 1024 * 1024}


def tone(seconds: float, rate: int, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    # a warble, not a pure tone, so energy sits where speech does and codecs treat it as such
    return (0.3 * np.sin(2 * np.pi * freq * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


def dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(samples.size, 1 / SAMPLE_RATE)[spectrum.argmax()])


@pytest.mark.parametrize(("container", "rate", "channels"), [
    ("wav", 44100, 2), ("wav", 8000, 1), ("wav", 48000, 1),
    ("mp3", 44100, 1), ("mp3", 22050, 2),
    ("ogg", 48000, 1), ("ogg", 16000, 2),
    ("m4a", 44100, 1), ("m4a", 48000, 2),
    ("webm", 48000, 1), ("webm", 48000, 2),
])
def test_phone_containers_decode_to_16k_mono(container, rate, channels):
    data = encode_audio(tone(2.0, rate), rate, container, channels=channels)
    audio = decode_audio(data, **LIMITS)
    assert audio.sample_rate == SAMPLE_RATE
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert audio.seconds == pytest.approx(2.0, abs=0.2)  # AAC adds priming samples
    assert dominant_hz(audio.samples) == pytest.approx(440.0, abs=10.0)
    assert np.abs(audio.samples).max() <= 1.0


def test_wav_round_trip_keeps_the_signal():
    samples = tone(1.0, SAMPLE_RATE)
    audio = decode_audio(encode_wav(samples), **LIMITS)
    assert np.max(np.abs(audio.samples - samples)) < 1e-3


def test_empty_clip():
    with pytest.raises(EmptyAudio, match="empty"):
        decode_audio(b"", **LIMITS)


@pytest.mark.parametrize("data", [
    b"this is a text file, not a recording\n" * 20,
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    b"{\"clip\": 1}",
])
def test_non_audio(data):
    with pytest.raises(UnreadableAudio):
        decode_audio(data, **LIMITS)


@pytest.mark.parametrize("container", ["wav", "mp3", "ogg", "m4a", "webm"])
def test_truncated_to_its_first_bytes(container):
    data = encode_audio(tone(2.0, 16000), 16000, container)
    with pytest.raises(UnreadableAudio):
        decode_audio(data[:40], **LIMITS)


def test_cut_mid_stream_keeps_what_arrived():
    # a partly uploaded message still yields its first part rather than being lost
    data = encode_audio(tone(4.0, 16000), 16000, "mp3")
    audio = decode_audio(data[: len(data) // 2], **LIMITS)
    assert 1.0 < audio.seconds < 3.0


@pytest.mark.parametrize("container", ["wav", "ogg"])
def test_silence(container):
    data = encode_audio(np.zeros(3 * 16000, np.float32), 16000, container)
    with pytest.raises(NoSpeech, match="silence"):
        decode_audio(data, **LIMITS)


def test_too_long():
    data = encode_audio(tone(3.0, 16000), 16000, "ogg")
    with pytest.raises(AudioTooLong, match="2 s limit"):
        decode_audio(data, max_seconds=2.0, max_bytes=LIMITS["max_bytes"])


def test_too_large_is_refused_before_decoding():
    data = encode_wav(tone(1.0, 16000))
    with pytest.raises(AudioTooLarge, match="limit"):
        decode_audio(data, max_seconds=120.0, max_bytes=len(data) - 1)


def test_telephone_band_is_recognised_as_narrowband():
    rng = np.random.default_rng(5)
    wideband = (0.1 * rng.standard_normal(16000)).astype(np.float32)
    recorded_at_8k = (0.1 * rng.standard_normal(8000)).astype(np.float32)
    phone = decode_audio(encode_audio(recorded_at_8k, 8000, "wav"), **LIMITS)
    assert is_narrowband(phone)
    assert not is_narrowband(decode_audio(encode_audio(wideband, 16000, "ogg"), **LIMITS))

"""Audio intake: whatever a phone uploads (WAV, MP3, OGG/Opus, M4A/AAC, WebM/Opus) to 16 kHz mono.

PyAV (FFmpeg) does the decoding, so the limits are checked before and while decoding: a clip over
the byte limit is never opened, and decoding stops as soon as the clip passes the length limit.
"""

from __future__ import annotations

import io
import wave

import av
import numpy as np

from voiceops.errors import AudioTooLarge, AudioTooLong, EmptyAudio, NoSpeech, UnreadableAudio
from voiceops.speech.base import SAMPLE_RATE, Audio

#: a 30 ms frame this loud (dBFS) counts as sound; phone mics' noise floor sits well below it
SOUND_FLOOR_DBFS = -45.0
#: this much sound (seconds, summed) is the least a spoken word takes
MIN_SOUND_SECONDS = 0.15


def decode_audio(data: bytes, *, max_seconds: float, max_bytes: int) -> Audio:
    """Decode an uploaded clip to 16 kHz mono float32, or raise a typed AudioError."""
    if not data:
        raise EmptyAudio("the clip is empty (0 bytes)")
    if len(data) > max_bytes:
        raise AudioTooLarge(f"the clip is {len(data):,} bytes; the limit is {max_bytes:,} bytes")
    samples = _decode(data, max_seconds)
    if samples.size == 0:
        raise UnreadableAudio("the clip holds no audio samples (truncated or empty stream)")
    audio = Audio(samples=samples)
    if not has_sound(audio):
        raise NoSpeech(f"the clip is {audio.seconds:.1f} s of silence")
    return audio


def _decode(data: bytes, max_seconds: float) -> np.ndarray:
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except (av.FFmpegError, ValueError, IndexError) as exc:
        raise UnreadableAudio(f"the clip is not audio in a format we can read ({exc})") from exc
    with container:
        if not container.streams.audio:
            raise UnreadableAudio("the file holds no audio stream")
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        total = 0
        limit = int(max_seconds * SAMPLE_RATE)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.size
                if total > limit:
                    raise AudioTooLong(f"the clip is longer than the {max_seconds:g} s limit")
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        except (av.FFmpegError, ValueError) as exc:
            # a clip cut off mid-frame still gives what came before the cut; only an unusable
            # clip is refused, so a partly uploaded message is not lost
            if total < SAMPLE_RATE // 4:
                raise UnreadableAudio(f"the clip is truncated or corrupt ({exc})") from exc
    samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    if samples.size > limit:
        raise AudioTooLong(f"the clip is longer than the {max_seconds:g} s limit")
    return np.clip(samples, -1.0, 1.0)


def has_sound(audio: Audio) -> bool:
    """True when enough 30 ms frames rise above the sound floor to hold a word."""
    frame = int(0.03 * audio.sample_rate)
    n = audio.samples.size // frame
    if n == 0:
        return False
    frames = audio.samples[: n * frame].reshape(n, frame).astype(np.float64)
    rms = np.sqrt(np.mean(frames**2, axis=1) + 1e-20)
    loud = 20 * np.log10(rms) > SOUND_FLOOR_DBFS
    return loud.sum() * 0.03 >= MIN_SOUND_SECONDS


def resample(samples: np.ndarray, rate_in: int, rate_out: int = SAMPLE_RATE) -> np.ndarray:
    """Mono float32 samples at ``rate_in`` resampled to ``rate_out`` with FFmpeg's resampler."""
    if rate_in == rate_out:
        return samples.astype(np.float32)
    frame = av.AudioFrame.from_ndarray(samples.astype(np.float32).reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = rate_in
    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate_out)
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)


def encode_wav(samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> bytes:
    """16-bit PCM mono WAV bytes from float samples in [-1, 1]."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm.tobytes())
    return buf.getvalue()


#: container -> (PyAV format, codec, rates the codec accepts); what phones upload
CONTAINERS = {
    "wav": ("wav", "pcm_s16le", None),
    "mp3": ("mp3", "libmp3lame", (8000, 16000, 22050, 24000, 32000, 44100, 48000)),
    "ogg": ("ogg", "libopus", (8000, 12000, 16000, 24000, 48000)),
    "m4a": ("ipod", "aac", None),
    "webm": ("webm", "libopus", (8000, 12000, 16000, 24000, 48000)),
}


def encode_audio(samples: np.ndarray, sample_rate: int, container: str, *, channels: int = 1) -> bytes:
    """Encode mono float samples into a phone-style file (wav, mp3, ogg, m4a, webm)."""
    fmt, codec, rates = CONTAINERS[container]
    if rates is not None and sample_rate not in rates:
        samples = resample(samples, sample_rate, min(r for r in rates if r >= sample_rate))
        sample_rate = min(r for r in rates if r >= sample_rate)
    layout = "mono" if channels == 1 else "stereo"
    buf = io.BytesIO()
    with av.open(buf, mode="w", format=fmt) as out:
        stream = out.add_stream(codec, rate=sample_rate, layout=layout)
        planes = np.repeat(samples.astype(np.float32).reshape(1, -1), channels, axis=0)
        frame = av.AudioFrame.from_ndarray(planes, format="fltp", layout=layout)
        frame.sample_rate = sample_rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def is_narrowband(audio: Audio, *, cutoff_hz: float = 4500.0) -> bool:
    """True when (almost) nothing sounds above ``cutoff_hz``: a telephone-band or 8 kHz recording.

    Even a deep voice puts ~0.3 % of its energy above 4.5 kHz; an 8 kHz recording, resampled,
    leaks ~0.001 %; 0.01 % sits between them with a wide margin either side."""
    spectrum = np.abs(np.fft.rfft(audio.samples.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(audio.samples.size, 1 / audio.sample_rate)
    total = spectrum.sum()
    return bool(total > 0 and spectrum[freqs > cutoff_hz].sum() / total < 1e-4)

"""Offline text to speech with eSpeak NG: the library from the espeakng-loader wheel through
ctypes, or the ``espeak-ng`` program when the wheel is absent. Output is 16 kHz mono WAV."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import threading
import wave
from io import BytesIO

import numpy as np

from voiceops.errors import ConfigurationError, ServiceUnavailable
from voiceops.speech.audio import encode_wav, resample
from voiceops.speech.base import SAMPLE_RATE, SpokenReply

#: words per minute per reply style: short replies are quick confirmations, long ones explain
STYLE_RATES = {"short": 185, "medium": 165, "long": 145}

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_RATE = 1
_ESPEAK_CHARS_UTF8 = 1
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class _Library:
    """libespeak-ng holds global state: one instance per process, one synthesis at a time."""

    _instance: _Library | None = None
    _guard = threading.Lock()

    def __init__(self, library_path: str, data_path: str) -> None:
        self.lib = ctypes.CDLL(library_path)
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        self.lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                          ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        self.rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(), 0)
        if self.rate <= 0:
            raise ServiceUnavailable(f"eSpeak NG did not initialise with data at {data_path}")
        self._chunks: list[np.ndarray] = []
        # keep a reference: ctypes frees the trampoline when the Python object goes away
        self._callback = _SYNTH_CALLBACK(self._collect)
        self.lib.espeak_SetSynthCallback(self._callback)
        self.lock = threading.Lock()

    def _collect(self, wav, numsamples, events) -> int:
        if numsamples > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(numsamples,)).copy())
        return 0

    @classmethod
    def get(cls) -> _Library:
        with cls._guard:
            if cls._instance is None:
                import espeakng_loader

                cls._instance = cls(espeakng_loader.get_library_path(), espeakng_loader.get_data_path())
            return cls._instance

    def speak(self, text: str, *, voice: str, wpm: int) -> tuple[np.ndarray, int]:
        with self.lock:
            if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise ConfigurationError(f"eSpeak NG has no voice {voice!r}")
            self.lib.espeak_SetParameter(_ESPEAK_RATE, wpm, 0)
            self._chunks = []
            data = text.encode("utf-8") + b"\0"
            status = self.lib.espeak_Synth(data, len(data), 0, 0, 0, _ESPEAK_CHARS_UTF8, None, None)
            if status != 0:
                raise ServiceUnavailable(f"eSpeak NG synthesis failed with status {status}")
            self.lib.espeak_Synchronize()
            pcm = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        return pcm.astype(np.float32) / 32768.0, self.rate


def _speak_with_program(program: str, text: str, *, voice: str, wpm: int) -> tuple[np.ndarray, int]:
    result = subprocess.run([program, "--stdout", "-v", voice, "-s", str(wpm), text],
                            capture_output=True, check=False, timeout=60)
    if result.returncode != 0:
        raise ServiceUnavailable(f"espeak-ng failed: {result.stderr.decode(errors='replace').strip()}")
    with wave.open(BytesIO(result.stdout)) as wav:
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return pcm.astype(np.float32) / 32768.0, wav.getframerate()


class EspeakTextToSpeech:
    """eSpeak NG behind the TextToSpeech interface; ``voice`` is an eSpeak name such as 'en-us+f3'."""

    name = "espeak"

    def __init__(self, *, voice: str = "en-us", style_rates: dict[str, int] | None = None) -> None:
        self.voice = voice
        self.style_rates = dict(style_rates or STYLE_RATES)
        try:
            import espeakng_loader  # noqa: F401

            self._program = None
        except ImportError:
            self._program = shutil.which("espeak-ng")
            if self._program is None:
                raise ConfigurationError(
                    "eSpeak NG is not available: pip install espeakng-loader (requirements-local.txt) "
                    "or install the espeak-ng program") from None

    def synthesize(self, text: str, *, style: str = "medium", voice: str | None = None,
                   wpm: int | None = None) -> SpokenReply:
        """Speak ``text`` at the style's rate; 16 kHz mono 16-bit WAV."""
        samples = self.speak(text, style=style, voice=voice, wpm=wpm)
        return SpokenReply(data=encode_wav(samples), content_type="audio/wav", extension="wav",
                           seconds=samples.size / SAMPLE_RATE)

    def speak(self, text: str, *, style: str = "medium", voice: str | None = None,
              wpm: int | None = None) -> np.ndarray:
        """Speak ``text`` to 16 kHz mono float32 samples (the benchmark's clip maker uses this)."""
        if not text.strip():
            raise ConfigurationError("there is no text to speak")
        rate = wpm or self.style_rates.get(style, self.style_rates["medium"])
        if self._program:
            pcm, sample_rate = _speak_with_program(self._program, text, voice=voice or self.voice, wpm=rate)
        else:
            pcm, sample_rate = _Library.get().speak(text, voice=voice or self.voice, wpm=rate)
        return resample(pcm, sample_rate, SAMPLE_RATE)

"""Speech in and out. Engines are chosen by Settings and imported only when chosen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from voiceops.speech.base import Audio, SpeechToText, SpokenReply, TextToSpeech, Transcript

if TYPE_CHECKING:
    from voiceops.settings import Settings

__all__ = ["Audio", "SpeechToText", "SpokenReply", "TextToSpeech", "Transcript",
           "build_speech_to_text", "build_text_to_speech"]


def build_speech_to_text(settings: Settings) -> SpeechToText:
    """The speech-to-text engine named by ``settings.stt``."""
    if settings.stt == "azure":
        from voiceops.speech.azure import AzureSpeechToText

        return AzureSpeechToText.from_settings(settings)
    from voiceops.speech.whisper import WhisperSpeechToText

    return WhisperSpeechToText(model_path=settings.whisper_model_path)


def build_text_to_speech(settings: Settings) -> TextToSpeech:
    """The text-to-speech engine named by ``settings.tts``."""
    if settings.tts == "azure":
        from voiceops.speech.azure import AzureTextToSpeech

        return AzureTextToSpeech.from_settings(settings)
    from voiceops.speech.espeak import EspeakTextToSpeech

    return EspeakTextToSpeech()

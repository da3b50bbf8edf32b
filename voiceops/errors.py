"""One error tree for VoiceOps. The worker decides retry vs answer by type alone.

    VoiceOpsError
    ├── TransientError            raise: the Functions host retries, then dead-letters
    │   ├── DatabaseUnavailable   connection refused or dropped, deadlock, serialization failure
    │   ├── RateLimited           429 from a cloud service (carries retry_after seconds)
    │   ├── ServiceTimeout        a call took longer than its budget
    │   └── ServiceUnavailable    5xx, network error, engine not ready
    └── PermanentError            record it and answer the technician; retrying cannot help
        ├── AudioError            the clip cannot be used
        │   ├── EmptyAudio        zero bytes
        │   ├── UnreadableAudio   truncated, corrupt or not audio at all
        │   ├── AudioTooLong      longer than the configured limit
        │   ├── AudioTooLarge     more bytes than the configured limit
        │   └── NoSpeech          decodes fine but nobody speaks in it
        ├── MalformedEvent        a queue message that is not a valid TranscriptEvent
        ├── ExtractionFailed      the extractor's answer stayed invalid after repair
        ├── NotAuthorized         a request outside the technician's own tickets
        └── ConfigurationError    a setting is missing or contradictory

Adapters translate vendor exceptions into these with ``raise Mapped(...) from exc``.
"""

from __future__ import annotations


class VoiceOpsError(Exception):
    """Base of every error VoiceOps raises on purpose."""

    #: short machine-readable code stored in voice_commands.error and shown to ops
    code = "voiceops_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)


class TransientError(VoiceOpsError):
    """Retrying later may succeed."""

    code = "transient"


class DatabaseUnavailable(TransientError):
    code = "database_unavailable"


class RateLimited(TransientError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServiceTimeout(TransientError):
    code = "timeout"


class ServiceUnavailable(TransientError):
    code = "service_unavailable"


class PermanentError(VoiceOpsError):
    """Retrying cannot help: record it and answer the technician."""

    code = "permanent"


class AudioError(PermanentError):
    code = "bad_audio"


class EmptyAudio(AudioError):
    code = "empty_audio"


class UnreadableAudio(AudioError):
    code = "unreadable_audio"


class AudioTooLong(AudioError):
    code = "audio_too_long"


class AudioTooLarge(AudioError):
    code = "audio_too_large"


class NoSpeech(AudioError):
    code = "no_speech"


class MalformedEvent(PermanentError):
    code = "malformed_event"


class ExtractionFailed(PermanentError):
    code = "extraction_failed"


class NotAuthorized(PermanentError):
    code = "not_authorized"


class ConfigurationError(PermanentError):
    code = "configuration_error"

"""Stage 1: a clip in blob storage -> a TranscriptEvent for the queue.

Bad audio never raises: the event carries ``error`` instead of a transcript, so the worker can
record it and answer the technician. Transient faults (a speech service that is down) do raise,
so the host retries the blob."""

from __future__ import annotations

import logging
import re
import time
from datetime import datetime
from pathlib import PurePosixPath

from voiceops.bootstrap import Services
from voiceops.contracts import TranscriptEvent
from voiceops.errors import DatabaseUnavailable, NoSpeech, PermanentError
from voiceops.speech.audio import decode_audio
from voiceops.speech.vocabulary import domain_vocabulary

log = logging.getLogger(__name__)

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def parse_clip_name(blob_name: str) -> tuple[str, str]:
    """'tech-gosh/abc.wav' (or 'clips/tech-gosh/abc.wav') -> ('tech-gosh', 'abc')."""
    parts = [p for p in PurePosixPath(blob_name).parts if p not in ("", "/")]
    if len(parts) == 3:
        parts = parts[1:]
    if len(parts) != 2:
        raise PermanentError(f"clip path must be <technician>/<clip file>, got {blob_name!r}", code="bad_clip_path")
    technician_id, filename = parts
    clip_id = PurePosixPath(filename).stem
    for label, value in (("technician", technician_id), ("clip id", clip_id)):
        if not _SAFE_ID.match(value):
            raise PermanentError(f"invalid {label} in clip path {blob_name!r}", code="bad_clip_path")
    return technician_id, clip_id


def vocabulary_for(services: Services, technician_id: str) -> list[str]:
    """Customer, street and part names to bias recognition; empty if the database is unreachable."""
    from voiceops.db import tickets

    try:
        with services.database.transaction() as conn:
            return domain_vocabulary(tickets.technician_tickets(conn, technician_id), tickets.parts_catalogue(conn))
    except DatabaseUnavailable as exc:
        log.warning("no domain vocabulary for this clip (database unavailable: %s)", exc)
        return []


def ingest_clip(services: Services, *, technician_id: str, clip_id: str, data: bytes, blob_url: str,
                content_type: str | None = None, recorded_at: datetime | None = None) -> TranscriptEvent:
    """Decode and transcribe one clip; an unusable clip gives an event with ``error`` set."""
    s = services.settings
    event = TranscriptEvent(clip_id=clip_id, technician_id=technician_id, blob_url=blob_url,
                            content_type=content_type, recorded_at=recorded_at)
    started = time.perf_counter()
    try:
        audio = decode_audio(data, max_seconds=s.max_clip_seconds, max_bytes=s.max_clip_bytes)
        event.audio_seconds = round(audio.seconds, 3)
        transcript = services.stt.transcribe(audio, vocabulary=vocabulary_for(services, technician_id))
        if not transcript.text.strip():
            raise NoSpeech("the clip has no recognisable speech")
    except PermanentError as exc:
        log.info("clip %s unusable: %s", clip_id, exc.code)
        event.error = f"{exc.code}: {exc}"
        return event
    event.transcript = transcript.text.strip()
    event.stt_confidence = transcript.confidence
    event.language = transcript.language
    event.stt_engine = transcript.engine
    log.info("clip %s transcribed by %s in %.0f ms (%.1f s of audio)", clip_id, transcript.engine,
             (time.perf_counter() - started) * 1000, audio.seconds)
    return event

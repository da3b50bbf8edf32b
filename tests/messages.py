"""Queue messages for tests: a technician's words as the TranscriptEvent JSON ingest would send."""

from __future__ import annotations

import uuid

from voiceops.contracts import TranscriptEvent


def transcript_message(tech: str, text: str, clip_id: str | None = None) -> str:
    clip_id = clip_id or f"clip-{uuid.uuid4().hex[:10]}"
    return TranscriptEvent(clip_id=clip_id, technician_id=tech, blob_url=f"test://{clip_id}", transcript=text,
                           stt_confidence=0.95, stt_engine="text").to_json()


def clip_of(message: str) -> str:
    return TranscriptEvent.from_json(message).clip_id

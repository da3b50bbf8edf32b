"""The queue event and the reply sidecar survive a JSON round trip unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from voiceops.contracts import Action, ReplySidecar, TranscriptEvent, VoiceCommand


def test_transcript_event_round_trips_through_json():
    event = TranscriptEvent(
        clip_id="c-1", technician_id="tech-gosh", blob_url="http://127.0.0.1:10000/devstoreaccount1/clips/x.wav",
        content_type="audio/wav", transcript="done at the Johnson place", stt_confidence=0.91, language="en",
        audio_seconds=4.2, recorded_at=datetime(2026, 11, 25, 17, 5, tzinfo=timezone(timedelta(hours=-5))),
        stt_engine="whisper",
    )
    again = TranscriptEvent.from_json(event.to_json())
    assert again == event
    assert again.recorded_at.utcoffset() == timedelta(hours=-5)
    assert again.schema_version == 1 and again.error is None


def test_event_with_error_instead_of_transcript_round_trips():
    event = TranscriptEvent(clip_id="c-2", technician_id="t", blob_url="u", error="empty_audio: zero bytes")
    assert TranscriptEvent.from_json(event.to_json()).error == "empty_audio: zero bytes"


@pytest.mark.parametrize("body", ['{"clip_id": "x"}', "not json", '{"schema_version": 2, "clip_id": "x",'
                                  ' "technician_id": "t", "blob_url": "u"}'])
def test_malformed_event_is_rejected(body):
    with pytest.raises(ValidationError):
        TranscriptEvent.from_json(body)


def test_sidecar_round_trips_with_commands():
    sidecar = ReplySidecar(clip_id="c", technician_id="t", status="done", reply_text="OK.",
                           commands=[VoiceCommand(action=Action.close_ticket, customer="Johnson", billing_hours=2,
                                                  parts=["capacitor", "coils"], confidence=0.9)],
                           created_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert ReplySidecar.model_validate_json(sidecar.model_dump_json()) == sidecar


def test_nul_characters_are_dropped_from_text_and_refused_in_ids():
    # PostgreSQL text cannot hold NUL; a model's answer or a transcript carrying one must still be storable
    command = VoiceCommand(action=Action.close_ticket, customer="John\x00son", parts=["capa\x00citor"],
                           notes="done\x00", when=None)
    assert (command.customer, command.parts, command.notes) == ("Johnson", ["capacitor"], "done")
    event = TranscriptEvent(clip_id="c1", technician_id="t1", blob_url="u\x00", transcript="close\x00 it")
    assert (event.transcript, event.blob_url) == ("close it", "u")
    with pytest.raises(ValidationError, match="NUL"):
        TranscriptEvent(clip_id="c\x001", technician_id="t1", blob_url="u")

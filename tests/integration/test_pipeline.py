"""The walking skeleton end to end, from real audio to rows in PostgreSQL and a spoken reply."""

from __future__ import annotations

import io
import wave

import numpy as np
import psycopg
import pytest

from voiceops.cli.pipeline import SEED_STORY, process_clip

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _wav_stats(data: bytes) -> tuple[int, int, float]:
    with wave.open(io.BytesIO(data)) as w:
        frames = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
        return w.getframerate(), w.getnchannels(), float(np.sqrt(np.mean((frames / 32768.0) ** 2)))


def test_seed_story_closes_104_bills_two_hours_and_speaks_a_reply(services, seeded_url, tmp_path):
    clip = tmp_path / "johnson.wav"
    clip.write_bytes(services.tts.synthesize(SEED_STORY, style="medium").data)

    result = process_clip(services, clip, "tech-gosh")

    assert result["error"] is None
    assert "johnson" in result["transcript"].lower()
    [command] = result["commands"]
    assert command["action"] == "close_ticket"
    assert command["billing_hours"] == 2
    assert {p.split()[-1] for p in command["parts"]} == {"capacitor", "coils"}
    [change] = result["outcome"]["changes"]
    assert (change["ticket_id"], change["old_status"], change["new_status"]) == (104, "open", "closed")
    assert "104" in result["reply_text"] and "2 hours" in result["reply_text"]

    with psycopg.connect(seeded_url) as conn:
        status = conn.execute("SELECT status FROM tickets WHERE id = 104").fetchone()[0]
        hours = conn.execute("SELECT sum(hours) FROM billing_entries WHERE ticket_id = 104").fetchone()[0]
        parts = {r[0] for r in conn.execute("SELECT part FROM ticket_parts WHERE ticket_id = 104")}
        audit = conn.execute(
            "SELECT count(*) FROM audit_log a JOIN voice_commands v ON v.id = a.voice_command_id"
            " WHERE v.clip_id = %s AND a.ticket_id = 104 AND a.action = 'status:closed'",
            (result["clip_id"],),
        ).fetchone()[0]
    assert status == "closed"
    assert float(hours) == 2.0
    assert {p.split()[-1] for p in parts} == {"capacitor", "coils"}
    assert audit == 1

    sidecar_name = f"tech-gosh/{result['clip_id']}.json"
    sidecar = services.blobs.get(services.settings.replies_container, sidecar_name)
    assert b'"status": "done"' in sidecar
    audio = services.blobs.get(services.settings.replies_container, f"tech-gosh/{result['clip_id']}.wav")
    rate, channels, rms = _wav_stats(audio)
    assert (rate, channels) == (16000, 1)
    assert rms > 0.01, "the reply audio is silence"


def test_the_same_clip_twice_changes_the_database_once(services, seeded_url, technician, tmp_path):
    tech, tickets = technician
    clip = tmp_path / "brandt.wav"
    clip.write_bytes(services.tts.synthesize(
        "Finished at the Brandt place, replaced the thermostat, bill one and a half hours.").data)

    first = process_clip(services, clip, tech)
    second = process_clip(services, clip, tech)

    assert first["clip_id"] == second["clip_id"]
    assert second["outcome"]["duplicate"] is True
    assert second["reply_text"] == first["reply_text"]
    with psycopg.connect(seeded_url) as conn:
        billed = conn.execute("SELECT count(*), sum(hours) FROM billing_entries WHERE ticket_id = %s",
                              (tickets["Brandt"],)).fetchone()
        commands = conn.execute("SELECT count(*) FROM voice_commands WHERE clip_id = %s",
                                (first["clip_id"],)).fetchone()[0]
        status = conn.execute("SELECT status FROM tickets WHERE id = %s", (tickets["Brandt"],)).fetchone()[0]
    assert billed[0] == 1 and float(billed[1]) == 1.5
    assert commands == 1
    assert status == "closed"


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "empty_audio"), (b"this is a text file, not audio\n" * 40, "unreadable_audio")],
    ids=["empty", "not-audio"],
)
def test_unusable_clip_is_recorded_and_answered(services, seeded_url, technician, tmp_path, content, code):
    tech, _ = technician
    clip = tmp_path / "bad.wav"
    clip.write_bytes(content)

    result = process_clip(services, clip, tech)

    assert result["error"].startswith(code)
    assert result["outcome"]["status"] == "failed"
    assert result["outcome"]["changes"] == []
    assert "say it again" in result["reply_text"]
    with psycopg.connect(seeded_url) as conn:
        row = conn.execute("SELECT status, error_code FROM voice_commands WHERE clip_id = %s",
                           (result["clip_id"],)).fetchone()
    assert row == ("failed", code)
    assert services.blobs.exists(services.settings.replies_container, f"{tech}/{result['clip_id']}.wav")


def test_missing_file_is_a_clear_error(services, tmp_path):
    from voiceops.errors import PermanentError

    with pytest.raises(PermanentError, match="no such audio file"):
        process_clip(services, tmp_path / "nope.wav", "tech-gosh")

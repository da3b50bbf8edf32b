"""Ops commands and privacy: `failed`, `retry`, `purge`, deleting clips after commit, nothing private in logs."""

from __future__ import annotations

import json
import logging
import uuid

import psycopg
import pytest

from voiceops import operations
from voiceops.bootstrap import Services
from voiceops.cli import main
from voiceops.contracts import TranscriptEvent
from voiceops.errors import DatabaseUnavailable
from voiceops.storage import LocalBlobStore
from voiceops.worker import handle_message

pytestmark = pytest.mark.integration


def event(tech: str, text: str | None, *, error: str | None = None) -> TranscriptEvent:
    clip_id = f"clip-{uuid.uuid4().hex[:10]}"
    return TranscriptEvent(clip_id=clip_id, technician_id=tech, blob_url=f"test://{clip_id}", transcript=text,
                           error=error, stt_engine="text")


@pytest.fixture
def cli(seeded_url, tmp_path, monkeypatch, capsys):
    """Run `python -m voiceops ...` in-process on the test database and a blob folder; returns (code, out, err)."""
    monkeypatch.setenv("VOICEOPS_DATABASE_URL", seeded_url)
    monkeypatch.setenv("VOICEOPS_DATA_DIR", str(tmp_path))
    for name in ("VOICEOPS_STORAGE_CONNECTION", "VOICEOPS_STORAGE_ACCOUNT_URL", "AzureWebJobsStorage"):
        monkeypatch.delenv(name, raising=False)

    def run(*argv: str):
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def folder_services(services, tmp_path) -> Services:
    """The session's engines over the blob folder the CLI fixture uses."""
    return Services(services.settings.model_copy(update={"data_dir": tmp_path}), database=services.database,
                    blobs=LocalBlobStore(tmp_path / "blobs"), tts=services.tts, extractor=services.extractor,
                    policy=services.policy)


def test_failed_lists_reasons_and_retry_reruns_from_the_stored_transcript(cli, folder_services, seeded_url,
                                                                          technician):
    tech, tickets = technician
    dead = event(tech, "Close the Brandt job, bill two hours.")
    operations.record_dead_letter(folder_services, dead, DatabaseUnavailable("database unavailable: lock timeout"), 5)
    unusable = event(tech, None, error="no_speech: the clip has no recognisable speech")
    handle_message(folder_services, unusable.to_json())

    code, out, _ = cli("failed", "--limit", "1000")
    assert code == 0
    listed = {row["clip_id"]: row for row in json.loads(out)}
    assert listed[dead.clip_id]["error_code"] == "database_unavailable"
    assert "dead-lettered after 5 deliveries" in listed[dead.clip_id]["error"]
    assert listed[unusable.clip_id]["error_code"] == "no_speech"

    code, out, _ = cli("retry", dead.clip_id)
    assert code == 0
    result = json.loads(out)
    assert (result["source"], result["status"]) == ("transcript", "applied")
    with psycopg.connect(seeded_url) as conn:
        assert conn.execute("SELECT status FROM tickets WHERE id = %s", (tickets["Brandt"],)).fetchone()[0] == "closed"
        rows = conn.execute("SELECT count(*) FROM voice_commands WHERE clip_id = %s", (dead.clip_id,)).fetchone()[0]
    assert rows == 1

    # no audio and no transcript: a clear error, and the failed record stays for ops
    code, _, err = cli("retry", unusable.clip_id)
    assert code == 2 and "nothing_to_retry" in err
    code, _, err = cli("retry", "no-such-clip")
    assert code == 2 and "unknown_clip" in err
    code, _, err = cli("retry", dead.clip_id)
    assert code == 2 and "not_failed" in err
    code, out, _ = cli("failed", "--limit", "1000")
    listed = {row["clip_id"] for row in json.loads(out)}
    assert unusable.clip_id in listed and dead.clip_id not in listed


def test_purge_removes_transcripts_and_audio_before_the_date_and_keeps_the_audit(cli, folder_services, seeded_url,
                                                                                technician):
    tech, tickets = technician
    clips = folder_services.settings.clips_container
    replies = folder_services.settings.replies_container
    old = event(tech, "Done at the Quill place, replaced the capacitor, bill one hour.")
    new = event(tech, "Finished at Ostrova, bill half an hour.")
    for e in (old, new):
        folder_services.blobs.put(clips, f"{tech}/{e.clip_id}.wav", b"RIFF-not-needed", content_type="audio/wav")
        handle_message(folder_services, e.to_json())
    with psycopg.connect(seeded_url) as conn:
        conn.execute("UPDATE voice_commands SET created_at = now() - interval '40 days' WHERE clip_id = %s",
                     (old.clip_id,))
        audit_before = conn.execute("SELECT count(*) FROM audit_log WHERE clip_id = %s", (old.clip_id,)).fetchone()[0]

    code, out, _ = cli("purge")  # default cut-off: VOICEOPS_RETENTION_DAYS (30) ago
    assert code == 0
    purged = json.loads(out)
    assert purged["commands"] >= 1 and purged["clips_deleted"] >= 1 and purged["reply_blobs_deleted"] >= 2

    with psycopg.connect(seeded_url) as conn:
        old_row = conn.execute("SELECT transcript, purged_at IS NOT NULL, extraction IS NOT NULL FROM voice_commands"
                               " WHERE clip_id = %s", (old.clip_id,)).fetchone()
        new_row = conn.execute("SELECT transcript, purged_at FROM voice_commands WHERE clip_id = %s",
                               (new.clip_id,)).fetchone()
        sidecar = conn.execute("SELECT sidecar FROM replies WHERE clip_id = %s", (old.clip_id,)).fetchone()[0]
        audit_after = conn.execute("SELECT count(*) FROM audit_log WHERE clip_id = %s", (old.clip_id,)).fetchone()[0]
        billed = conn.execute("SELECT sum(hours) FROM billing_entries WHERE ticket_id = %s",
                              (tickets["Quill"],)).fetchone()[0]
    assert old_row == (None, True, True)
    assert "transcript" not in sidecar
    assert audit_after == audit_before > 0
    assert float(billed) == 1.0
    assert not folder_services.blobs.exists(clips, f"{tech}/{old.clip_id}.wav")
    assert not any(folder_services.blobs.list_names(replies, f"{tech}/{old.clip_id}."))
    assert new_row == (new.transcript, None)
    assert folder_services.blobs.exists(clips, f"{tech}/{new.clip_id}.wav")

    with pytest.raises(SystemExit) as exited:  # argparse: usage and the reason on stderr, exit 2
        cli("purge", "--before", "yesterday")
    assert exited.value.code == 2


def test_clip_is_deleted_once_its_command_is_committed_when_configured(folder_services, seeded_url, technician):
    tech, _ = technician
    s = folder_services.settings
    svc = Services(s.model_copy(update={"delete_clip_after_commit": True}), database=folder_services.database,
                   blobs=folder_services.blobs, tts=folder_services.tts, extractor=folder_services.extractor,
                   policy=folder_services.policy)
    kept, deleted = event(tech, "Start the Quill job."), event(tech, "Close the Quill job, bill one hour.")
    for e in (kept, deleted):
        folder_services.blobs.put(s.clips_container, f"{tech}/{e.clip_id}.m4a", b"audio", content_type="audio/mp4")

    handle_message(folder_services, kept.to_json())
    outcome = handle_message(svc, deleted.to_json())

    assert outcome.sidecar.status == "done"
    assert folder_services.blobs.exists(s.clips_container, f"{tech}/{kept.clip_id}.m4a")
    assert not folder_services.blobs.exists(s.clips_container, f"{tech}/{deleted.clip_id}.m4a")
    assert folder_services.blobs.exists(s.replies_container, f"{tech}/{deleted.clip_id}.wav")


def test_transcripts_never_reach_the_logs_at_info(folder_services, technician, caplog):
    tech, _ = technician
    secret = "the dog bit me twice near the Quill garage"
    texts = [f"Close the Quill job, {secret}, bill one hour.", f"{secret}", "Close all tickets, " + secret]
    with caplog.at_level(logging.INFO):
        for text in texts:
            handle_message(folder_services, event(tech, text).to_json())
        handle_message(folder_services, json.dumps({"clip_id": "x", "technician_id": tech, "transcript": secret}))
    messages = [r.getMessage() for r in caplog.records]
    assert messages, "nothing was logged at all"
    assert not [m for m in messages if "dog bit me" in m]


@pytest.mark.slow
def test_retry_reingests_from_the_stored_clip_when_it_still_exists(folder_services, seeded_url, technician,
                                                                   caplog):
    tech, _ = technician
    spoken = "Finished at the Brandt place, replaced the thermostat, bill two hours."
    dead = event(tech, None)
    clips = folder_services.settings.clips_container
    folder_services.blobs.put(clips, f"{tech}/{dead.clip_id}.wav", folder_services.tts.synthesize(spoken).data,
                              content_type="audio/wav")
    operations.record_dead_letter(folder_services, dead, DatabaseUnavailable("database unavailable"), 5)
    services = Services(folder_services.settings, database=folder_services.database, blobs=folder_services.blobs,
                        tts=folder_services.tts, extractor=folder_services.extractor, policy=folder_services.policy)

    with caplog.at_level(logging.INFO):
        result = operations.retry(services, dead.clip_id)

    # the clip was transcribed again and the failed record replaced by the new outcome
    assert result["source"] == "audio" and result["status"] in {"applied", "needs_clarification"}
    with psycopg.connect(seeded_url) as conn:
        row = conn.execute("SELECT transcript, status, dead_lettered_at, attempts FROM voice_commands"
                           " WHERE clip_id = %s", (dead.clip_id,)).fetchall()
    [(transcript, status, dead_lettered_at, attempts)] = row
    assert "thermostat" in transcript.lower()
    assert (status, dead_lettered_at, attempts) == (result["status"], None, 6)
    assert not [r for r in caplog.records if "thermostat" in r.getMessage().lower()]

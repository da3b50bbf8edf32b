"""The offline speech path end to end: eSpeak speaks, a phone container carries it, PyAV decodes,
faster-whisper transcribes with the technician's vocabulary from a real database."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import psycopg
import pytest

from voiceops.db import tickets
from voiceops.errors import NoSpeech
from voiceops.speech.audio import decode_audio, encode_audio
from voiceops.speech.base import SAMPLE_RATE, Audio
from voiceops.speech.espeak import EspeakTextToSpeech
from voiceops.speech.vocabulary import domain_vocabulary
from voiceops.speech.whisper import WhisperSpeechToText, load_model, vocabulary_prompt

pytestmark = [pytest.mark.integration]
LIMITS = {"max_seconds": 120.0, "max_bytes": 20 * 1024 * 1024}


def seed_technician(url: str, uid: str) -> str:
    """Two technicians; only the first one's open tickets may reach the phrase list."""
    tech, other = f"tech-{uid}", f"other-{uid}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO technicians (id, name) VALUES (%s, 'A'), (%s, 'B')", (tech, other))
        for customer, address, owner, status in [
            (f"Kovalenko {uid}", "14 Juniper Crescent, Springfield", tech, "open"),
            (f"Okonkwo {uid}", "9 Tamarack Lane", tech, "in_progress"),
            (f"Gallagher {uid}", "3 Birch Road", other, "open"),
        ]:
            cid = conn.execute("INSERT INTO customers (name, address) VALUES (%s, %s) RETURNING id",
                               (customer, address)).fetchone()[0]
            conn.execute("INSERT INTO tickets (customer_id, technician_id, status) VALUES (%s, %s, %s)",
                         (cid, owner, status))
        conn.execute("INSERT INTO parts_catalogue (name) VALUES (%s), (%s) ON CONFLICT DO NOTHING",
                     (f"thermocouple {uid}", f"inducer motor {uid}"))
    return tech


def test_phrase_list_and_prompt_come_from_the_technicians_open_tickets(pg_url, uid):
    tech = seed_technician(pg_url, uid)
    with psycopg.connect(pg_url) as conn:
        vocab = domain_vocabulary(tickets.technician_tickets(conn, tech), tickets.parts_catalogue(conn))
    assert vocab[:4] == [f"Kovalenko {uid}", f"Okonkwo {uid}", "Juniper Crescent", "Tamarack Lane"]
    assert f"thermocouple {uid}" in vocab and f"inducer motor {uid}" in vocab
    assert not any("Gallagher" in term or "Birch" in term for term in vocab)
    prompt = vocabulary_prompt(vocab)
    assert f"Kovalenko {uid}, Okonkwo {uid}, Juniper Crescent" in prompt


@pytest.mark.slow
def test_spoken_command_in_ogg_is_transcribed_with_names():
    samples = EspeakTextToSpeech().speak("Finished at the Hartmann place, replaced the flame sensor, two hours.")
    padded = np.concatenate([np.zeros(SAMPLE_RATE // 2, np.float32), samples, np.zeros(SAMPLE_RATE, np.float32)])
    audio = decode_audio(encode_audio(padded, SAMPLE_RATE, "ogg"), **LIMITS)
    transcript = WhisperSpeechToText().transcribe(audio, vocabulary=["Hartmann", "Sandoval", "flame sensor"])
    words = transcript.text.lower()
    assert "hartmann" in words and "flame sensor" in words and ("two hours" in words or "2 hours" in words)
    assert transcript.engine == "whisper" and 0 < transcript.confidence <= 1


@pytest.mark.slow
def test_noise_without_speech_is_refused_not_invented():
    rng = np.random.default_rng(3)
    hiss = (0.05 * rng.standard_normal(3 * SAMPLE_RATE)).astype(np.float32)
    with pytest.raises(NoSpeech):
        WhisperSpeechToText().transcribe(Audio(hiss), vocabulary=["Hartmann"])


@pytest.mark.slow
def test_model_is_loaded_once_per_process():
    a, b = WhisperSpeechToText(), WhisperSpeechToText()
    assert load_model(a.model_path) is load_model(b.model_path)


@pytest.mark.slow
def test_transcribe_command_prints_one_json_line_per_clip(tmp_path):
    good = tmp_path / "good.m4a"
    good.write_bytes(encode_audio(EspeakTextToSpeech().speak("order a new capacitor"), SAMPLE_RATE, "m4a"))
    silent = tmp_path / "silent.wav"
    silent.write_bytes(encode_audio(np.zeros(SAMPLE_RATE, np.float32), SAMPLE_RATE, "wav"))
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"not audio at all" * 10)
    run = subprocess.run([sys.executable, "-m", "voiceops", "transcribe", str(good), str(silent), str(junk),
                          str(tmp_path / "missing.ogg")], capture_output=True, text=True, timeout=300)
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert run.returncode == 1
    assert [r["file"] for r in rows] == [str(good), str(silent), str(junk), str(tmp_path / "missing.ogg")]
    assert "capacitor" in rows[0]["text"].lower()
    assert rows[1]["error"].startswith("no_speech") and rows[2]["error"].startswith("unreadable_audio")
    assert rows[3]["error"].startswith("not_found")
    assert "Traceback" not in run.stderr

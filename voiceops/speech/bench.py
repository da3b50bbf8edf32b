"""Speech benchmarks on clips the benchmark makes itself.

eSpeak NG speaks labelled utterances with several voices and speeds; each clip is played in three
conditions (clean; noisy at 5–15 dB SNR; telephone band 300–3400 Hz at 8 kHz) and uploaded in a
phone container (WAV, MP3, OGG/Opus, M4A, in rotation). Every clip goes through the product's own
decoder, then through the plain model (tiny.en, beam 5, no prompt, no VAD) and the full offline
path (VAD, domain vocabulary, tuned decoding), so the two figures always come from the same audio.

The full path's transcripts then go through the rest of the worker's reading: the rules extractor
with the technician's open tickets, and grounding against those tickets (`score_commands`). That
says what the product would *do* with each clip: write the labelled change to the right ticket,
ask a question instead, or write something the labels do not support.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from voiceops.contracts import OpenTicket
from voiceops.speech.audio import decode_audio, encode_audio, resample
from voiceops.speech.base import SAMPLE_RATE, Audio
from voiceops.speech.vocabulary import domain_vocabulary

DEV_UTTERANCES = Path("/work/shared/eval/dev_utterances.jsonl")

#: (eSpeak voice, words per minute): men, women, British and American, slow to brisk
VOICES = (("en-us", 160), ("en-us+f3", 145), ("en", 175), ("en-us+m3", 185), ("en-gb-x-rp+f2", 155))
CONDITIONS = ("clean", "noisy", "phone")
CONTAINERS = ("wav", "mp3", "ogg", "m4a")
#: how many other customers share the technician's open-ticket list with the one spoken about
DISTRACTOR_CUSTOMERS = 7

#: used when the shared dev set is absent: (text, customers, parts)
BUILTIN_UTTERANCES = (
    ("done at the Johnson place, replaced the capacitor and cleaned the coils, bill two hours",
     ["Johnson"], ["capacitor", "coils"]),
    ("starting the job at Okafor Bakery now", ["Okafor Bakery"], []),
    ("need to order a flame sensor and an igniter for the Delgado furnace", ["Delgado"], ["flame sensor", "igniter"]),
    ("Whitfield ticket, swapped the ball valve, one and a half hours", ["Whitfield"], ["ball valve"]),
    ("move the Petrakis job to tomorrow at nine", ["Petrakis"], []),
    ("finished at Lakeside Dental, new expansion tank, three hours", ["Lakeside Dental"], ["expansion tank"]),
    ("what's my next ticket", [], []),
    ("at Moreau's, replaced the wax ring and the toilet flange, close it out", ["Moreau"],
     ["wax ring", "toilet flange"]),
)

#: catalogue entries that are not in any utterance, so the list is not just the answers
CATALOGUE_EXTRA = ("contactor", "condensate pump", "damper actuator", "gas valve", "pilot assembly",
                   "pressure relief valve", "sump pump", "transformer", "zone valve", "check valve")


@dataclass(frozen=True)
class Utterance:
    id: str
    text: str
    customers: tuple[str, ...]
    parts: tuple[str, ...]
    expected: tuple[dict, ...] = ()  # the labelled commands, when the file has them


@dataclass
class Clip:
    utterance: Utterance
    condition: str
    container: str
    voice: str
    data: bytes
    vocabulary: list[str]
    tickets: tuple[OpenTicket, ...] = ()


@dataclass
class Tally:
    """Running WER and name-miss counts for one engine in one condition."""

    errors: int = 0
    words: int = 0
    audio_s: float = 0.0
    compute_s: float = 0.0
    names: dict[str, list[int]] = field(default_factory=lambda: {"customer": [0, 0], "part": [0, 0]})
    failures: int = 0

    @property
    def wer(self) -> float:
        return self.errors / max(self.words, 1)

    @property
    def rtf(self) -> float:
        return self.compute_s / max(self.audio_s, 1e-9)

    def name_err(self, kind: str) -> float:
        missed, total = self.names[kind]
        return missed / max(total, 1)


def load_utterances(path: Path = DEV_UTTERANCES) -> list[Utterance]:
    """Labelled utterances: the shared dev set when present, else the built-in list."""
    if not path.is_file():
        return [Utterance(f"b{i:03d}", t, tuple(c), tuple(p)) for i, (t, c, p) in enumerate(BUILTIN_UTTERANCES)]
    out = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        commands = row.get("expected", {}).get("commands", [])
        customers = tuple(dict.fromkeys(c["customer"] for c in commands if c.get("customer")))
        parts = tuple(dict.fromkeys(p for c in commands for p in c.get("parts", [])))
        out.append(Utterance(row["id"], row["text"], customers, parts, tuple(commands)))
    return out


_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(n: int) -> str:
    """English words for 0..9999 (the bench's references spell numbers out)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    rest = n % 1000
    return number_words(n // 1000) + " thousand" + ("" if rest == 0 else " " + number_words(rest))


def normalize(text: str) -> list[str]:
    """Lowercase words without punctuation, digits spelled out, so '1.5' and 'one point five' agree."""
    text = text.lower().replace("&", " and ").replace("%", " percent")
    text = re.sub(r"(\d+)\.5\b", lambda m: f"{m.group(1)} and a half", text)
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group(0)))} " if len(m.group(0)) <= 4
                  else " ".join(_ONES[int(d)] for d in m.group(0)), text)
    text = re.sub(r"[^a-z' ]+", " ", text).replace("'s ", " ").replace("'", "")
    return [w for w in text.split() if w not in ("uh", "um")]


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    """Word-level Levenshtein distance."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def _contains(words: list[str], term: list[str]) -> bool:
    n = len(term)
    return any(words[i:i + n] == term for i in range(len(words) - n + 1))


def score(tally: Tally, utterance: Utterance, hypothesis: str) -> None:
    """Add one transcript's word errors and name misses to ``tally``."""
    ref, hyp = normalize(utterance.text), normalize(hypothesis)
    tally.errors += edit_distance(ref, hyp)
    tally.words += len(ref)
    for kind, terms in (("customer", utterance.customers), ("part", utterance.parts)):
        for term in terms:
            words = normalize(term)
            if words and _contains(ref, words):
                tally.names[kind][1] += 1
                tally.names[kind][0] += not _contains(hyp, words)


def _pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    spectrum /= np.sqrt(np.maximum(freqs, 20.0))
    noise = np.fft.irfft(spectrum, n)
    return noise / (np.std(noise) + 1e-12)


def _band(samples: np.ndarray, low: float, high: float, rate: int) -> np.ndarray:
    spectrum = np.fft.rfft(samples)
    freqs = np.fft.rfftfreq(samples.size, 1 / rate)
    spectrum[(freqs < low) | (freqs > high)] = 0
    return np.fft.irfft(spectrum, samples.size).astype(np.float32)


def degrade(speech: np.ndarray, condition: str, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """The clip as a phone would record it in ``condition``; returns samples and their rate."""
    pad = lambda: np.zeros(int(rng.uniform(0.3, 1.0) * SAMPLE_RATE), np.float32)  # noqa: E731
    clip = np.concatenate([pad(), speech, pad()]) * rng.uniform(0.4, 0.9) / (np.abs(speech).max() + 1e-9)
    if condition == "noisy":
        snr_db = rng.uniform(5.0, 15.0)
        voiced = clip[np.abs(clip) > 0.01]
        speech_rms = np.sqrt(np.mean(voiced**2)) if voiced.size else 0.1
        hum = np.sin(2 * np.pi * rng.uniform(50, 120) * np.arange(clip.size) / SAMPLE_RATE)
        noise = 0.8 * _pink_noise(clip.size, rng) + 0.6 * hum
        noise *= speech_rms / (np.sqrt(np.mean(noise**2)) * 10 ** (snr_db / 20))
        clip = clip + noise
    elif condition == "phone":
        clip = resample(_band(clip, 300.0, 3400.0, SAMPLE_RATE), SAMPLE_RATE, 8000)
        clip = clip + rng.normal(0, 0.002, clip.size)
        return np.clip(clip, -1, 1).astype(np.float32), 8000
    return np.clip(clip, -1, 1).astype(np.float32), SAMPLE_RATE


def technician_tickets(utterance: Utterance, everyone: Sequence[Utterance],
                       rng: np.random.Generator) -> list[OpenTicket]:
    """The technician's open tickets for this clip: the customers and job numbers spoken about,
    among seven other customers' tickets, in a shuffled order."""
    others = sorted({c for u in everyone for c in u.customers} - set(utterance.customers))
    picked = list(rng.choice(others, size=min(DISTRACTOR_CUSTOMERS, len(others)), replace=False)) if others else []
    customers = list(utterance.customers) + picked
    rng.shuffle(customers)
    numbers = {c["customer"]: c["ticket_id"] for c in utterance.expected if c.get("customer") and c.get("ticket_id")}
    tickets = [OpenTicket(ticket_id=numbers.get(c, 1000 + i), customer=c) for i, c in enumerate(customers)]
    # a job number said without a customer is a ticket of someone not otherwise on the list
    spare = [c for c in others if c not in picked]
    for c in utterance.expected:
        if c.get("ticket_id") and not c.get("customer") and all(t.ticket_id != c["ticket_id"] for t in tickets):
            tickets.append(OpenTicket(ticket_id=c["ticket_id"], customer=spare.pop() if spare else "Account"))
    return tickets


def make_clips(utterances: Sequence[Utterance], *, seed: int = 7,
               progress: Callable[[str], None] = lambda m: None) -> list[Clip]:
    """Speak, degrade and encode every utterance in every condition."""
    from voiceops.speech.espeak import EspeakTextToSpeech

    tts = EspeakTextToSpeech()
    rng = np.random.default_rng(seed)
    catalogue = sorted({p for u in utterances for p in u.parts} | set(CATALOGUE_EXTRA))
    clips = []
    for i, utterance in enumerate(utterances):
        voice, wpm = VOICES[i % len(VOICES)]
        speech = tts.speak(utterance.text, voice=voice, wpm=wpm)
        tickets = technician_tickets(utterance, utterances, rng)
        vocabulary = domain_vocabulary(tickets, catalogue)  # what ingest would pass
        for k, condition in enumerate(CONDITIONS):
            samples, rate = degrade(speech, condition, rng)
            container = CONTAINERS[(i + k) % len(CONTAINERS)]
            clips.append(Clip(utterance, condition, container, voice, encode_audio(samples, rate, container),
                              vocabulary, tuple(tickets)))
        progress(f"made clips for {i + 1}/{len(utterances)} utterances")
    return clips


def run_stt(engines: dict[str, object], clips: Sequence[Clip], *, use_vocabulary: dict[str, bool],
            progress: Callable[[str], None] = lambda m: None,
            transcripts: dict[str, list[tuple[Clip, str, float | None]]] | None = None
            ) -> dict[str, dict[str, Tally]]:
    """Transcribe every clip with every engine; tallies per engine and condition. ``transcripts``,
    when given, collects (clip, text, the recogniser's confidence) per engine."""
    from voiceops.errors import AudioError

    results = {name: {c: Tally() for c in CONDITIONS} for name in engines}
    for engine in engines.values():  # load the model before the clock starts
        first = decode_audio(clips[0].data, max_seconds=120, max_bytes=20 * 1024 * 1024)
        engine.transcribe(first, vocabulary=())
    for n, clip in enumerate(clips, 1):
        for name, engine in engines.items():
            tally = results[name][clip.condition]
            started = time.perf_counter()
            try:
                audio: Audio = decode_audio(clip.data, max_seconds=120, max_bytes=20 * 1024 * 1024)
                heard = engine.transcribe(audio, vocabulary=clip.vocabulary if use_vocabulary[name] else ())
                text, confidence = heard.text, heard.confidence
            except AudioError:
                text, audio, confidence = "", None, None
                tally.failures += 1
            tally.compute_s += time.perf_counter() - started
            tally.audio_s += audio.seconds if audio is not None else 0.0
            score(tally, clip.utterance, text)
            if transcripts is not None:
                transcripts.setdefault(name, []).append((clip, text, confidence))
        if n % 10 == 0 or n == len(clips):
            progress(f"transcribed {n}/{len(clips)} clips")
    return results


@dataclass
class CommandTally:
    """What the worker would do with one condition's transcripts, against the labels."""

    gold: list[dict] = field(default_factory=list)
    predicted: list[dict] = field(default_factory=list)
    gold_writes: int = 0  # labelled commands that change a ticket (close, update, start, order, reschedule)
    right_writes: int = 0  # ... written by the worker to the labelled ticket with the labelled action
    asked: int = 0  # ... answered with a question instead ("which job?", "did you mean Kerr?")
    offered: int = 0  # ... of which "did you mean ...?" offered the labelled ticket (a "yes" writes it)
    wrong_writes: int = 0  # writes the labels do not support: another ticket or another action
    wrong: list[str] = field(default_factory=list)  # each wrong write: clip, what was heard, what was written

    def figures(self) -> dict[str, float]:
        from voiceops.extraction.scoring import score as score_extraction

        m = score_extraction(self.gold, self.predicted)
        writes = max(self.gold_writes, 1)
        return {"exact": m["exact"], "action_acc": m["action_acc"], "critical": m["critical_errors"],
                "right": self.right_writes / writes, "asked": self.asked / writes, "offered": self.offered / writes,
                "wrong": self.wrong_writes, "wrong_detail": self.wrong,
                "n": m["n"]}


def _labelled_ticket(command: dict, tickets: Sequence[OpenTicket]) -> int | None:
    if command.get("ticket_id"):
        return command["ticket_id"]
    name = (command.get("customer") or "").lower()
    return next((t.ticket_id for t in tickets if t.customer.lower() == name), None)


def score_commands(tally: CommandTally, clip: Clip, transcript: str, extractor, settings, *,
                   stt_confidence: float | None = None) -> None:
    """Extract ``transcript`` with the clip's open tickets, mark what the worker would read back
    (its own confirmation rule with ``settings``' thresholds: an unsure extraction, unsure audio),
    ground each command as the dispatcher does, and count right writes, questions and wrong writes
    against the clip's labels."""
    from voiceops import grounding
    from voiceops.dispatch import WRITE_ACTIONS
    from voiceops.extraction.confirmation import mark_confirmation

    commands = extractor.extract(transcript, open_tickets=clip.tickets).commands if transcript.strip() else []
    unsure = stt_confidence is not None and stt_confidence < settings.stt_confidence_threshold
    commands = mark_confirmation(commands, settings.confirmation_threshold, unsure_audio=unsure)
    tally.gold.append({"id": clip.utterance.id, "expected": {"commands": list(clip.utterance.expected)}})
    tally.predicted.append({"id": clip.utterance.id, "commands": [c.model_dump(mode="json") for c in commands]})
    writes = {a.value for a in WRITE_ACTIONS}
    wanted = [(c["action"], _labelled_ticket(c, clip.tickets)) for c in clip.utterance.expected
              if c["action"] in writes]
    tally.gold_writes += len(wanted)
    done, offered, asked = [], [], 0
    for cmd in commands:
        if cmd.action not in WRITE_ACTIONS:
            continue
        match = grounding.resolve(cmd, clip.tickets)
        if isinstance(match, grounding.Matched) and match.by != "sounds_like" and not cmd.needs_confirmation:
            done.append((cmd.action.value, match.ticket.ticket_id))
        else:
            asked += 1
            if isinstance(match, grounding.Matched):  # read back: "Close job #1003 for Kerr?"
                offered.append((cmd.action.value, match.ticket.ticket_id))
    for write in done:
        if write in wanted:
            wanted.remove(write)
            tally.right_writes += 1
        else:
            tally.wrong_writes += 1
            tally.wrong.append(f"{clip.utterance.id} ({clip.condition}, {clip.voice}): heard {transcript!r}; "
                               f"wrote {write[0]} #{write[1]}, labelled {wanted or 'no change'}")
    tally.asked += min(asked, len(wanted))
    tally.offered += sum(1 for write in offered if write in wanted)


def log(message: str) -> None:
    """Progress on stderr, so stdout stays the report."""
    print(message, file=sys.stderr, flush=True)

"""Speech commands: `transcribe CLIP...`, `bench stt`, `bench tts`."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from voiceops.errors import VoiceOpsError


def register(sub, bench) -> None:
    """Add the speech subcommands to the CLI."""
    p = sub.add_parser("transcribe", help="transcribe audio clips; one JSON line per clip")
    p.add_argument("clips", nargs="+", type=Path, metavar="CLIP")
    p.add_argument("--vocabulary", default="", help="comma-separated names to bias towards")
    p.set_defaults(handler=transcribe)

    p = bench.add_parser("stt", help="WER and real-time factor: plain tiny.en vs the full offline path")
    p.add_argument("--clips", type=int, default=0, help="utterances to use (0 = all); each makes 3 clips")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--utterances", type=Path, default=None, help="labelled JSONL (default: shared dev set)")
    p.set_defaults(handler=bench_stt)

    p = bench.add_parser("tts", help="synthesis real-time factor per reply style")
    p.add_argument("--clips", type=int, default=0, help="replies to speak per style (0 = all)")
    p.set_defaults(handler=bench_tts)


def transcribe(args) -> int:
    """Print {"file","text"} or {"file","error"} per clip; exit 1 if any clip failed."""
    from voiceops.settings import Settings
    from voiceops.speech import build_speech_to_text
    from voiceops.speech.audio import decode_audio

    settings = Settings.from_env()
    engine = build_speech_to_text(settings)
    vocabulary = [v.strip() for v in args.vocabulary.split(",") if v.strip()]
    failed = 0
    for path in args.clips:
        try:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise FileNotFoundError(f"cannot read {path}: {exc.strerror}") from exc
            audio = decode_audio(data, max_seconds=settings.max_clip_seconds, max_bytes=settings.max_clip_bytes)
            row = {"file": str(path), "text": engine.transcribe(audio, vocabulary=vocabulary).text}
        except VoiceOpsError as exc:
            row, failed = {"file": str(path), "error": f"{exc.code}: {exc}"}, failed + 1
        except FileNotFoundError as exc:
            row, failed = {"file": str(path), "error": f"not_found: {exc}"}, failed + 1
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return 1 if failed else 0


def bench_stt(args) -> int:
    """Make labelled clips, transcribe them with the plain and the full offline path, report."""
    from voiceops.speech import bench
    from voiceops.speech.whisper import DecodeOptions, WhisperSpeechToText

    utterances = bench.load_utterances(args.utterances or bench.DEV_UTTERANCES)
    if args.clips:
        utterances = utterances[: args.clips]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    clips = bench.make_clips(utterances, seed=args.seed, progress=bench.log)
    bench.log(f"{len(clips)} clips made in {time.perf_counter() - started:.1f} s")
    engines = {"plain": WhisperSpeechToText(options=DecodeOptions.plain()), "whisper": WhisperSpeechToText()}
    transcripts: dict[str, list] = {}
    results = bench.run_stt(engines, clips, use_vocabulary={"plain": False, "whisper": True}, progress=bench.log,
                            transcripts=transcripts)
    # the machine is shared: RTF is wall-clock, so say how busy it was
    print(f"{os.cpu_count()} CPU cores; 1-minute load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after")
    print(f"{len(utterances)} utterances x {len(bench.CONDITIONS)} conditions; containers rotate "
          f"{'/'.join(bench.CONTAINERS)}; voices {', '.join(v for v, _ in bench.VOICES)}")
    print("engine   condition  WER    RTF    customer_miss  part_miss  refused")
    for name, by_condition in results.items():
        for condition, t in by_condition.items():
            print(f"{name:8} {condition:9} {t.wer:6.3f} {t.rtf:6.3f} {t.name_err('customer'):13.3f} "
                  f"{t.name_err('part'):10.3f} {t.failures:7d}")
    print("azure    (not run: Azure Speech cannot be reached from this machine)")
    commands = _commands_from_audio(transcripts, clips)
    if commands:
        print()
        print("what the worker would do (rules extraction with the open tickets, then grounding):")
        print("source    condition  exact  action  right_writes  asked (offered)  wrong_writes  critical")
        for (source, condition), f in commands.items():
            print(f"{source:9} {condition:9} {f['exact']:6.2f} {f['action_acc']:7.2f} {f['right']:12.2f} "
                  f"{f['asked']:6.2f} ({f['offered']:.2f}) {f['wrong']:13d} {f['critical']:9d}")
        print("right_writes / asked: shares of the labelled ticket changes; wrong_writes: changes the labels do not "
              "support; critical: the extraction scorer's count. 'text' is the reference wording, the ceiling.")
        for (source, _), f in commands.items():
            for line in f["wrong_detail"]:
                print(f"wrong write ({source}): {line}")
    full, plain = results["whisper"], results["plain"]
    fields = {"engine": "whisper", "clips": len(clips)}
    for condition in bench.CONDITIONS:
        fields[f"wer_{condition}"] = full[condition].wer
    fields["rtf"] = _total_rtf(full)
    fields["customer_miss"] = _pooled(full, "customer")
    fields["part_miss"] = _pooled(full, "part")
    for condition in bench.CONDITIONS:
        fields[f"plain_wer_{condition}"] = plain[condition].wer
    fields["plain_rtf"] = _total_rtf(plain)
    fields["plain_customer_miss"] = _pooled(plain, "customer")
    fields["plain_part_miss"] = _pooled(plain, "part")
    fields["worst_ratio"] = max(full[c].wer / max(plain[c].wer, 1e-9) for c in bench.CONDITIONS)
    for condition in bench.CONDITIONS:
        if ("whisper", condition) in commands:
            fields[f"cmd_exact_{condition}"] = commands["whisper", condition]["exact"]
    if commands:
        fields["wrong_writes"] = sum(f["wrong"] for (src, _), f in commands.items() if src == "whisper")
        fields["plain_wrong_writes"] = sum(f["wrong"] for (src, _), f in commands.items() if src == "plain")
    print("SCORE " + " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in fields.items()))
    return 0


def _commands_from_audio(transcripts: dict, clips) -> dict:
    """Per (source, condition): what the worker would do with the transcripts, against the labels."""
    from voiceops.extraction.rules import RulesExtractor
    from voiceops.settings import Settings
    from voiceops.speech import bench

    if not any(c.utterance.expected for c in clips):
        return {}  # the built-in utterances carry no labelled commands
    extractor, settings = RulesExtractor(), Settings.from_env()  # the worker's thresholds
    tallies: dict = {}
    for clip in clips:
        if clip.condition == bench.CONDITIONS[0]:
            bench.score_commands(tallies.setdefault(("text", "-"), bench.CommandTally()), clip, clip.utterance.text,
                                 extractor, settings)
    for source in ("plain", "whisper"):
        for clip, text, confidence in transcripts.get(source, []):
            bench.score_commands(tallies.setdefault((source, clip.condition), bench.CommandTally()), clip, text,
                                 extractor, settings, stt_confidence=confidence)
    return {key: tally.figures() for key, tally in tallies.items()}


def _total_rtf(by_condition) -> float:
    return sum(t.compute_s for t in by_condition.values()) / max(sum(t.audio_s for t in by_condition.values()), 1e-9)


def _pooled(by_condition, kind: str) -> float:
    missed = sum(t.names[kind][0] for t in by_condition.values())
    return missed / max(sum(t.names[kind][1] for t in by_condition.values()), 1)


def bench_tts(args) -> int:
    """Speak reply-like texts in each style with eSpeak NG; print the synthesis real-time factor."""
    from voiceops.speech import bench
    from voiceops.speech.espeak import EspeakTextToSpeech

    texts = [u.text for u in bench.load_utterances()]
    if args.clips:
        texts = texts[: args.clips]
    tts = EspeakTextToSpeech()
    tts.synthesize("warm up")
    print("engine  style   replies  audio_s  compute_s  RTF")
    totals = {"audio": 0.0, "compute": 0.0}
    per_style = {}
    for style in ("short", "medium", "long"):
        audio_s = compute_s = 0.0
        for text in texts:
            started = time.perf_counter()
            reply = tts.synthesize(text, style=style)
            compute_s += time.perf_counter() - started
            audio_s += reply.seconds
        per_style[style] = (audio_s, compute_s)
        totals["audio"] += audio_s
        totals["compute"] += compute_s
        print(f"espeak  {style:6} {len(texts):8d} {audio_s:8.1f} {compute_s:10.2f} {compute_s / audio_s:6.4f}")
    print("azure   (not run: Azure Speech cannot be reached from this machine)")
    fields = " ".join(f"seconds_per_reply_{s}={a / len(texts):.2f}" for s, (a, _) in per_style.items())
    print(f"SCORE engine=espeak replies={len(texts) * 3} rtf={totals['compute'] / totals['audio']:.4f} {fields}")
    return 0

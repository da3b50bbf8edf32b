"""Extraction commands: `extract TEXT`, `extract --jsonl FILE`, `eval extraction FILE`, `bench extraction`."""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

from voiceops.errors import ConfigurationError, PermanentError

DEV_SET = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "dev_utterances.jsonl"


class BadInput(PermanentError):
    code = "bad_input"


def register(sub, bench) -> None:
    """Add the extraction subcommands to the CLI."""
    p = sub.add_parser("extract", help='transcript -> {"commands": [...]} (needs_confirmation set by the rule)')
    p.add_argument("text", nargs="?", help="the transcript")
    p.add_argument("--jsonl", type=Path, help='read {"id","text"} lines; write {"id","commands"} lines')
    p.add_argument("--tickets", type=Path, help="JSON list of open tickets {ticket_id, customer, address}")
    p.add_argument("--extractor", choices=("rules", "openai", "cascade"), help="override VOICEOPS_EXTRACTOR")
    p.set_defaults(handler=extract)

    ev = sub.add_parser("eval", help="score against labelled data; ends with a SCORE line")
    ev_sub = ev.add_subparsers(dest="eval", required=True, metavar="AREA")
    p = ev_sub.add_parser("extraction", help="score extraction on a labelled JSONL file")
    p.add_argument("file", type=Path, help='lines {"id","text","expected":{"commands":[...]}}')
    p.add_argument("--extractor", choices=("rules", "openai", "cascade"), help="override VOICEOPS_EXTRACTOR")
    p.add_argument("--quiet", action="store_true", help="figures only, not the wrong cases")
    p.set_defaults(handler=eval_extraction)

    p = bench.add_parser("extraction", help="rules extractor ms per utterance (p50/p99) beside a keyword baseline")
    p.add_argument("--file", type=Path, default=None, help="labelled JSONL (default: the shared dev set)")
    p.add_argument("--rounds", type=int, default=20, help="passes over the file")
    p.set_defaults(handler=bench_extraction)


# ------------------------------------------------------------------ helpers
def _extractor(name: str | None):
    from voiceops.extraction import build_extractor
    from voiceops.settings import Settings

    settings = Settings.from_env()
    if name:
        settings = settings.model_copy(update={"extractor": name})
    return settings, build_extractor(settings)


def _tickets(path: Path | None):
    from pydantic import TypeAdapter, ValidationError

    from voiceops.contracts import OpenTicket

    if path is None:
        return []
    try:
        return TypeAdapter(list[OpenTicket]).validate_json(path.read_bytes())
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    except ValidationError as exc:
        raise BadInput(f"{path} is not a JSON list of tickets: {exc.errors()[0]['msg']}") from exc


def _commands(extraction, threshold: float) -> list[dict]:
    from voiceops.extraction.confirmation import mark_confirmation

    return [c.model_dump(mode="json") for c in mark_confirmation(extraction.commands, threshold)]


def _read_rows(path: Path) -> list[dict]:
    from voiceops.extraction.scoring import read_jsonl

    rows = read_jsonl(path)
    for n, row in enumerate(rows, 1):
        if "id" not in row or not isinstance(row.get("text"), str):
            raise BadInput(f'{path}: row {n} needs an "id" and a "text" string')
    return rows


# ------------------------------------------------------------------ commands
def extract(args):
    """One transcript -> {"commands": [...]}; or a JSONL file -> one {"id","commands"} line each."""
    if (args.text is None) == (args.jsonl is None):
        raise BadInput("give either TEXT or --jsonl FILE")
    settings, extractor = _extractor(args.extractor)
    tickets = _tickets(args.tickets)
    if args.text is not None:
        return {"commands": _commands(extractor.extract(args.text, open_tickets=tickets),
                                      settings.confirmation_threshold)}
    failed = 0
    for row in _read_rows(args.jsonl):
        out: dict = {"id": row["id"]}
        try:
            out["commands"] = _commands(extractor.extract(row["text"], open_tickets=tickets),
                                        settings.confirmation_threshold)
        except Exception as exc:  # one bad line is reported and the rest still run
            failed += 1
            out.update(commands=[], error=f"{type(exc).__name__}: {exc}")
            print(f"extract: row {row['id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failed else 0


def eval_extraction(args) -> int:
    """Extract every labelled utterance, score with the shared rules, print figures, wrong cases, SCORE."""
    from voiceops.extraction.scoring import report, score

    settings, extractor = _extractor(args.extractor)
    rows = _read_rows(args.file)
    preds = []
    for n, row in enumerate(rows, 1):
        extraction = extractor.extract(row["text"])
        preds.append({"id": row["id"], "commands": _commands(extraction, settings.confirmation_threshold)})
        if n % 25 == 0 or n == len(rows):
            print(f"extracted {n}/{len(rows)} with {extractor.name}", file=sys.stderr, flush=True)
    print(f"extractor: {extractor.name}   file: {args.file}")
    report(score(rows, preds), sys.stdout, verbose=not args.quiet)
    return 0


# ------------------------------------------------------------------ benchmark
_BASELINE_CUES = [
    ("next_ticket", re.compile(r"\bnext\b")),
    ("reschedule_ticket", re.compile(r"\b(?:reschedule|push|move|bump)\b")),
    ("order_parts", re.compile(r"\border\b")),
    ("start_ticket", re.compile(r"\b(?:start|starting|arrived|on site)\b")),
    ("close_ticket", re.compile(r"\b(?:done|finished|complete|close)\b")),
    ("update_ticket", re.compile(r"\b(?:update|still|log)\b")),
    ("confirm", re.compile(r"^(?:yes|yeah|yep|ok|okay|sure|absolutely)\b")),
    ("decline", re.compile(r"^(?:no|nope|nah)\b")),
]


def keyword_baseline(text: str) -> dict:
    """The trivial extractor a rules engine must beat: the first keyword decides the action."""
    low = text.lower()
    for action, pattern in _BASELINE_CUES:
        if pattern.search(low):
            return {"action": action, "customer": None, "ticket_id": None, "parts": [], "billing_hours": None}
    return {"action": "unknown", "customer": None, "ticket_id": None, "parts": [], "billing_hours": None}


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_extraction(args) -> int:
    """Per-utterance latency of the rules extractor beside a keyword baseline, with their accuracy."""
    from voiceops.extraction.rules import RulesExtractor
    from voiceops.extraction.scoring import score

    path = args.file or DEV_SET
    if not path.exists():
        raise ConfigurationError(f"labelled file not found: {path} (pass --file)")
    if args.rounds < 1:
        raise BadInput("--rounds must be at least 1")
    rows = _read_rows(path)
    rules = RulesExtractor()
    engines = {
        "keyword_baseline": lambda text: [keyword_baseline(text)],
        "rules": lambda text: [c.model_dump(mode="json") for c in rules.extract(text).commands],
    }
    lines = []
    load = os.getloadavg()[0]
    print(f"{len(rows)} utterances x {args.rounds} rounds from {path}; load average {load:.2f} on "
          f"{os.cpu_count()} cores (wall-clock tails grow with load; CPU time does not)")
    print("engine             wall_p50  wall_p99  cpu_p50  cpu_p99  action_acc  exact")
    for name, fn in engines.items():
        wall: list[float] = []
        cpu: list[float] = []
        preds = []
        for round_no in range(args.rounds):
            for row in rows:
                w0, c0 = time.perf_counter(), time.thread_time()
                commands = fn(row["text"])
                json.dumps({"commands": commands})  # the answer as the worker stores it
                cpu.append((time.thread_time() - c0) * 1000.0)
                wall.append((time.perf_counter() - w0) * 1000.0)
                if round_no == 0:
                    preds.append({"id": row["id"], "commands": commands})
        m = score(rows, preds)
        p50, p99 = statistics.median(wall), _percentile(wall, 0.99)
        c50, c99 = statistics.median(cpu), _percentile(cpu, 0.99)
        print(f"{name:18} {p50:8.3f}  {p99:8.3f}  {c50:7.3f}  {c99:7.3f}  {m['action_acc']:.4f}      "
              f"{m['exact']:.4f}")
        lines.append(f"SCORE engine={name} p50_ms={p50:.4f} p99_ms={p99:.4f} cpu_p99_ms={c99:.4f} "
                     f"action_acc={m['action_acc']:.4f} exact={m['exact']:.4f} "
                     f"critical_errors={m['critical_errors']} n={len(wall)}")
    print("openai/cascade: not run (no Azure OpenAI endpoint is reachable from this machine)")
    for line in lines:
        print(line)
    return 0

"""`python -m voiceops …`: JSON on stdout, logs on stderr, a clear message and exit 2 on bad input.

Each area registers its own subcommands in ``voiceops/cli/<area>.py`` with
``register(sub, bench)``: ``sub`` for top-level commands, ``bench`` for ``bench <name>``."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys

from voiceops.errors import VoiceOpsError

AREAS = ("pipeline", "database", "speech", "server", "operations", "extraction", "bandit")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m voiceops", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    bench_parser = sub.add_parser("bench", help="benchmarks; each ends with one 'SCORE key=value ...' line")
    bench = bench_parser.add_subparsers(dest="bench", required=True, metavar="BENCH")
    for area in AREAS:
        importlib.import_module(f"voiceops.cli.{area}").register(sub, bench)
    return parser


def emit(result: object) -> None:
    """Print a command's result as JSON on stdout."""
    print(json.dumps(result, indent=2, default=str, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        result = args.handler(args)
    except VoiceOpsError as exc:
        print(f"error ({exc.code}): {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    if isinstance(result, int):
        return result
    if result is not None:
        emit(result)
    return 0

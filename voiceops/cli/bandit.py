"""`bandit report`, `bandit sweep`, `bench bandit`."""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path

from voiceops.errors import ConfigurationError
from voiceops.settings import Settings


def register(sub: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    bandit = sub.add_parser("bandit", help="the response-style bandit: off-policy report, default-reward sweep")
    bandit_sub = bandit.add_subparsers(dest="bandit_command", required=True, metavar="BANDIT_COMMAND")
    p = bandit_sub.add_parser("report", help="IPS/SNIPS/DR estimates, feature importance and a PNG chart")
    p.add_argument("--chart", type=Path, default=None,
                   help="where to write the PNG (default: <data dir>/bandit_report.png)")
    p.add_argument("--days", type=float, default=30.0, help="evaluate decisions of the last N days")
    p.set_defaults(handler=_report)
    p = bandit_sub.add_parser("sweep", help="give the default reward to decisions that never got one")
    p.add_argument("--older-than", type=float, default=None,
                   help="seconds without a reward (default: VOICEOPS_DEFAULT_REWARD_AFTER_S)")
    p.add_argument("--reward", type=float, default=None, help="reward to apply (default: VOICEOPS_DEFAULT_REWARD)")
    p.set_defaults(handler=_sweep)

    p = bench.add_parser("bandit", help="the project's policy (through PostgreSQL) vs Vowpal Wabbit squarecb")
    p.add_argument("--world", default="dev", help="simulated world: dev (../shared/BANDIT_WORLD.md) or harsh")
    p.add_argument("--steps", type=int, default=2000, help="decisions per seed")
    p.add_argument("--seeds", type=int, default=5, help="number of seeds (0 … K-1)")
    p.add_argument("--no-vw", action="store_true", help="skip the Vowpal Wabbit baseline")
    p.add_argument("--memory", action="store_true",
                   help="also run the same model without the database (for tuning; not the reported figure)")
    p.add_argument("--in-place", action="store_true",
                   help="run in the configured database itself, RESETTING its bandit tables (to inspect the run"
                        " with `bandit report` afterwards); default: a scratch database on the same server,"
                        " dropped afterwards")
    p.set_defaults(handler=_bench)


def _dsn() -> str:
    from voiceops.db.server import database_url

    settings = Settings.from_env()
    return database_url(settings.database_url, settings.data_dir)


def _report(args: argparse.Namespace) -> dict:
    from voiceops.bandit.policy import StylePolicy, database_errors
    from voiceops.bandit.report import report

    settings = Settings.from_env()
    chart = args.chart or settings.data_dir / "bandit_report.png"
    if args.days <= 0:
        raise ConfigurationError("--days must be positive")
    with StylePolicy.connect(_dsn()) as policy, database_errors():
        policy.refresh()
        return report(policy.connection, policy.model, chart, days=args.days)


def _sweep(args: argparse.Namespace) -> dict:
    from voiceops.bandit.policy import StylePolicy

    settings = Settings.from_env()
    older = settings.default_reward_after_s if args.older_than is None else args.older_than
    reward = settings.default_reward if args.reward is None else args.reward
    if older < 0:
        raise ConfigurationError("--older-than must be >= 0 seconds")
    with StylePolicy.connect(_dsn()) as policy:
        done = policy.sweep_default_rewards(older_than_s=older, default_reward=reward)
    return {"rewarded": done, "default_reward": reward, "older_than_s": older}


def _bench(args: argparse.Namespace) -> int:
    from voiceops.bandit.worlds import WORLDS
    from voiceops.db.migrate import migrate
    from voiceops.loadtest import drop_database, scratch_database

    if args.world not in WORLDS:
        raise ConfigurationError(f"unknown world {args.world!r}; choose one of {sorted(WORLDS)}")
    if args.steps < 10 or args.seeds < 1:
        raise ConfigurationError("--steps must be >= 10 and --seeds >= 1")
    if args.in_place:
        return _bench_in(_dsn(), args)
    server = _dsn()
    name = f"voiceops_bandit_bench_{uuid.uuid4().hex[:8]}"
    url = scratch_database(server, name)
    try:
        migrate(url)
        return _bench_in(url, args)
    finally:
        drop_database(server, name)


def _bench_in(dsn: str, args: argparse.Namespace) -> int:
    """The benchmark against ``dsn``, whose bandit tables it resets for every seed."""
    from voiceops.bandit.bench import MemoryAgent, ProjectAgent, VowpalAgent, benchmark

    agents = [ProjectAgent(dsn)]
    if args.memory:
        agents.append(MemoryAgent())
    if not args.no_vw:
        agents.append(VowpalAgent("--squarecb"))
    benchmark(args.world, args.steps, list(range(args.seeds)), agents)
    return 0

"""The CPU clocks behind `bench worker`'s CPU line, on a /proc tree written for the test."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from voiceops.cli.operations import cpu_line
from voiceops.cpuclock import ServerClock
from voiceops.loadtest import Pgbench, parse_pgbench

TICK = os.sysconf("SC_CLK_TCK")


def _process(proc: Path, pid: int, comm: str, ppid: int, utime: int, stime: int, cutime: int = 0,
             cstime: int = 0) -> None:
    folder = proc / str(pid)
    folder.mkdir(parents=True)
    (folder / "comm").write_text(comm + "\n")
    # fields as the kernel writes them: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
    # majflt cmajflt utime stime cutime cstime ...
    (folder / "stat").write_text(f"{pid} ({comm}) S {ppid} 1 1 0 -1 4194560 10 0 0 0 {utime} {stime} {cutime} "
                                 f"{cstime} 20 0 1 0 100 1000 50\n")


@pytest.fixture
def proc(tmp_path: Path) -> Path:
    root = tmp_path / "proc"
    _process(root, 1, "init", 0, 5_000, 5_000, 90_000, 90_000)
    _process(root, 100, "postgres", 1, 10, 20, 300, 400)  # the postmaster, with reaped children
    _process(root, 101, "postgres", 100, 1_000, 2_000)  # a backend
    _process(root, 102, "postgres", 100, 5, 5)  # the WAL writer
    _process(root, 200, "python (worker) x", 1, 7_000, 7_000)  # not the server's
    (root / "self").mkdir()
    (root / "meminfo").write_text("")
    return root


def _conn(host: str | None, backend: int) -> SimpleNamespace:
    return SimpleNamespace(info=SimpleNamespace(host=host, backend_pid=backend))


def test_server_clock_adds_the_postmaster_its_children_and_what_its_reaped_children_used(proc: Path) -> None:
    clock = ServerClock.of(_conn("127.0.0.1", 101), proc=proc)
    assert clock is not None and clock.postmaster == 100
    assert clock.seconds() == pytest.approx((10 + 20 + 300 + 400 + 1_000 + 2_000 + 5 + 5) / TICK)


def test_a_backend_that_ends_between_two_readings_is_still_counted(proc: Path) -> None:
    clock = ServerClock.of(_conn("/var/run/postgresql", 101), proc=proc)
    before = clock.seconds()
    # the backend (3,000 ticks) used 100 more, exited and was reaped: the postmaster's cutime + cstime
    # grew by its 3,100
    for f in (proc / "101").iterdir():
        f.unlink()
    (proc / "101").rmdir()
    (proc / "100" / "stat").write_text("100 (postgres) S 1 1 1 0 -1 4194560 10 0 0 0 10 20 1350 2450 20 0 1 0 100 "
                                       "1000 50\n")
    assert clock.seconds() - before == pytest.approx(100 / TICK)


class _ReapsDuringTheWalk:
    """A /proc whose backend 101 exits and is reaped while the clock walks it (once, at the first walk),
    as pgbench's backends do the moment pgbench disconnects."""

    def __init__(self, root: Path) -> None:
        self.root, self.reaped = root, False

    def __truediv__(self, name: str) -> Path:
        return self.root / name

    def iterdir(self):
        for entry in sorted(self.root.iterdir(), key=lambda e: (not e.name.isdigit(), int(e.name) if
                                                                e.name.isdigit() else 0)):
            if entry.name == "101" and not self.reaped:  # the postmaster was read already; now 101 goes
                self.reaped = True
                for f in entry.iterdir():
                    f.unlink()
                entry.rmdir()
                (self.root / "100" / "stat").write_text("100 (postgres) S 1 1 1 0 -1 4194560 10 0 0 0 10 20 1300 "
                                                        "2400 20 0 1 0 100 1000 50\n")
                continue
            yield entry


def test_a_backend_reaped_while_the_clock_walks_proc_is_not_lost(proc: Path) -> None:
    racing = _ReapsDuringTheWalk(proc)
    clock = ServerClock(100, proc=racing)
    # everything the server used: the backend's 3,000 ticks now sit in the postmaster's cutime + cstime
    assert clock.seconds() == pytest.approx((10 + 20 + 1_300 + 2_400 + 5 + 5) / TICK)
    assert racing.reaped


@pytest.mark.parametrize("host, backend", [("db.example.com", 101), ("127.0.0.1", 999), ("localhost", 200)])
def test_no_clock_for_a_server_on_another_machine_or_a_pid_that_is_not_postgres(proc: Path, host: str,
                                                                                 backend: int) -> None:
    assert ServerClock.of(_conn(host, backend), proc=proc) is None


REPORT = """transaction type: <builtin: TPC-B (sort of)>
scaling factor: 8
number of clients: 8
duration: 10 s
number of transactions actually processed: 40389
number of failed transactions: 0 (0.000%)
latency average = 1.980 ms
initial connection time = 12.345 ms
tps = 4039.123456 (without initial connection time)
"""


def test_pgbench_report_gives_rate_and_count() -> None:
    run = parse_pgbench(REPORT, client_cpu_s=1.5, server_cpu_s=4.0)
    assert (run.tps, run.transactions, run.client_cpu_s, run.server_cpu_s) == (4039.123456, 40389, 1.5, 4.0)


def test_cpu_line_divides_each_side_by_its_own_count() -> None:
    figures = {"worker_cpu_s": 2.0, "server_cpu_s": 1.0}  # 2,000 events: 1.0 + 0.5 ms each
    line = cpu_line(figures, Pgbench(tps=4000, transactions=10_000, client_cpu_s=1.0, server_cpu_s=4.0), 2_000)
    assert "worker 1.00 ms + server 0.50 ms" in line
    assert "pgbench 0.10 ms + server 0.40 ms" in line
    assert "CPU alone allows a ratio of 0.33 (1.50 vs 0.50 ms)" in line


def test_cpu_line_says_so_when_the_server_is_elsewhere() -> None:
    line = cpu_line({"worker_cpu_s": 2.0, "server_cpu_s": None},
                    Pgbench(tps=4000, transactions=10_000, client_cpu_s=1.0, server_cpu_s=None), 2_000)
    assert "server n/a" in line and "not on this machine" in line and "allows" not in line

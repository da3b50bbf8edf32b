"""CPU clocks for the benchmarks: this process, its finished children, and a PostgreSQL server on this machine.

When the worker, PostgreSQL and pgbench share the same cores, throughput is CPU per unit of work,
so `bench worker` prints where each event's CPU went beside where each TPC-B transaction's went.
The server clock reads /proc: the postmaster, every live process it started (backends, WAL
writer, checkpointer) and what its exited children used (``cutime``/``cstime``, which the kernel
adds to a parent once it has reaped them), so backends that come and go are counted too. A server
on another machine has no clock here (``ServerClock.of`` returns None)."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import psycopg

_LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})
_ATTEMPTS = 20  # walks of /proc before settling for the last one


def process_seconds() -> float:
    """CPU (user + system) this process has used, all its threads together."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def children_seconds() -> float:
    """CPU used by this process's children that have ended and been waited for (pgbench, worker processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _stat(pid: int, proc: Path) -> list[str] | None:
    """/proc/PID/stat fields after the command name (state is [0], ppid [1], utime [11] ...), or None."""
    try:
        text = (proc / str(pid) / "stat").read_text()
    except OSError:  # gone, or not ours to read
        return None
    return text.rpartition(")")[2].split()


class ServerClock:
    """CPU seconds used so far by a PostgreSQL server running on this machine."""

    def __init__(self, postmaster: int, *, proc: Path = Path("/proc")) -> None:
        self.postmaster = postmaster
        self._proc = proc
        self._tick = os.sysconf("SC_CLK_TCK")

    @classmethod
    def of(cls, conn: psycopg.Connection, *, proc: Path = Path("/proc")) -> ServerClock | None:
        """The clock of the server behind ``conn``, or None when it is not on this machine (or /proc is unreadable)."""
        host = conn.info.host or ""
        if host not in _LOCAL_HOSTS and not host.startswith("/"):
            return None
        backend = conn.info.backend_pid
        try:
            comm = (proc / str(backend) / "comm").read_text().strip()
        except OSError:  # another machine's (or container's) process numbers
            return None
        fields = _stat(backend, proc)
        if not comm.startswith("postgres") or fields is None:
            return None
        return cls(int(fields[1]), proc=proc)

    def seconds(self) -> float:
        """CPU of the postmaster, its live children and its reaped children, in seconds.

        A backend reaped while /proc is being walked would be missed (its CPU moves into the
        postmaster's ``cutime`` after the postmaster was read, and its own entry is gone by the time it
        is reached), which is exactly what happens when pgbench has just disconnected. So the walk is
        repeated until the postmaster's own figures are the same before and after it."""
        for _ in range(_ATTEMPTS):
            before = self._postmaster_ticks()
            children = self._children_ticks()
            after = self._postmaster_ticks()
            if before == after:
                break
        return (after + children) / self._tick

    def _postmaster_ticks(self) -> int:
        fields = _stat(self.postmaster, self._proc)
        return sum(int(f) for f in fields[11:15]) if fields else 0  # utime, stime, cutime, cstime

    def _children_ticks(self) -> int:
        ticks = 0
        parent = str(self.postmaster)
        for entry in self._proc.iterdir():
            if not entry.name.isdigit():
                continue
            fields = _stat(int(entry.name), self._proc)
            if fields is not None and fields[1] == parent:
                ticks += int(fields[11]) + int(fields[12])
        return ticks

"""Start and stop Azurite (npm ``azurite``, blob service only) for tests and tools.

In memory, on a random free port, with ``--skipApiVersionCheck`` (current azure-storage-blob
speaks a newer API version than Azurite knows) and ``--loose``. Installs the pinned npm package
into ./node_modules on first use (``npm ci``)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / "node_modules" / ".bin" / "azurite-blob"
# Azurite's fixed development account (public, documented by Microsoft; not a secret)
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


@dataclass
class Azurite:
    process: subprocess.Popen
    port: int
    workdir: Path

    @property
    def blob_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/{ACCOUNT}"

    @property
    def connection_string(self) -> str:
        return (f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={KEY};"
                f"BlobEndpoint={self.blob_endpoint};")

    def stop(self) -> None:
        """Terminate the process (this one only) and remove its folder."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)


def install() -> Path:
    """./node_modules/.bin/azurite-blob, running ``npm ci`` once if it is missing."""
    if not BIN.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL)
    return BIN


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(timeout_s: float = 60.0) -> Azurite:
    """Start Azurite's blob service and wait until it accepts connections."""
    binary = install()
    workdir = Path(tempfile.mkdtemp(prefix="azurite-"))
    port = _free_port()
    errors = workdir / "stderr.log"  # a file, not a pipe: a full pipe would block Azurite
    with errors.open("wb") as err_file:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [str(binary), "--inMemoryPersistence", "--blobHost", "127.0.0.1",
             "--blobPort", str(port), "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent"],
            stdout=subprocess.DEVNULL, stderr=err_file, cwd=workdir,
        )
    azurite = Azurite(process, port, workdir)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = errors.read_text(errors="replace")
            azurite.stop()
            raise RuntimeError(f"Azurite exited with {process.returncode}: {err}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return azurite
        except OSError:
            time.sleep(0.1)
    azurite.stop()
    raise RuntimeError(f"Azurite did not listen on port {port} within {timeout_s} s")

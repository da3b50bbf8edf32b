"""Browser fixtures: `serve` in-process on Azurite and a fresh database, one headless Chromium per session.

Chromium is Debian's (/usr/bin/chromium, installed by ``scripts/setup dev``), driven by Playwright for
Python; its microphone is a fake device that plays a WAV eSpeak NG made of a technician speaking a
command, so the whole path (MediaRecorder -> Blob -> whisper -> rules -> PostgreSQL -> reply) is real."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import numpy as np
import psycopg
import pytest

from voiceops.auth import issue_dev_token
from voiceops.bootstrap import build_services
from voiceops.cli.pipeline import SEED_STORY
from voiceops.db.seed import seed
from voiceops.server import LocalServer
from voiceops.settings import Settings
from voiceops.speech.audio import encode_wav
from voiceops.speech.base import SAMPLE_RATE

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"
SECRET = "e2e-dev-token-secret"
# keep the browser off the network: nothing but the local server and Azurite may be reached
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]


@pytest.fixture(scope="session")
def spoken_command(tmp_path_factory) -> tuple[Path, float]:
    """A WAV of the seed story (close the Johnson job, bill 2 hours) with silence around it, and its length."""
    from voiceops.speech.espeak import EspeakTextToSpeech

    speech = EspeakTextToSpeech().speak(SEED_STORY, style="medium")
    pad = np.zeros(int(0.5 * SAMPLE_RATE), dtype=np.float32)
    samples = np.concatenate([pad, speech, pad])
    path = tmp_path_factory.mktemp("e2e-audio") / "command.wav"
    path.write_bytes(encode_wav(samples))
    return path, samples.size / SAMPLE_RATE


@pytest.fixture(scope="module")
def e2e_server(pg_url, azurite, tmp_path_factory):
    """`serve` (HTTP API, web app, clip watcher, worker) on a free port, blobs in Azurite.

    Containers of its own: its clip watcher must not pick up clips other tests put in the shared Azurite."""
    suffix = uuid.uuid4().hex[:8]
    settings = Settings(database_url=pg_url, data_dir=tmp_path_factory.mktemp("e2e-serve"),
                        storage_connection=azurite.connection_string, dev_token_secret=SECRET,
                        clips_container=f"e2e-clips-{suffix}", replies_container=f"e2e-replies-{suffix}")
    services = build_services(settings)
    with services.database.transaction() as conn:
        seed(conn)  # the parts catalogue and the demo crew; each test adds its own technician
    services.blobs.ensure_containers(settings.clips_container, settings.replies_container)
    services.blobs.allow_browser_uploads()
    server = LocalServer(services, port=0, poll_interval_s=0.3)
    server.start()
    yield server
    server.stop()
    services.close()


@pytest.fixture(scope="session")
def browser(spoken_command):
    """One headless Chromium for the session, its microphone fed from ``spoken_command``."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed and could not be (run `scripts/setup dev` as root)")
    from playwright.sync_api import sync_playwright

    wav, _ = spoken_command
    with sync_playwright() as pw:
        # launch() gives every session a fresh temporary profile (its own --user-data-dir)
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=[*CHROMIUM_FLAGS, f"--use-file-for-fake-audio-capture={wav}"])
        yield browser
        browser.close()


@pytest.fixture
def field_technician(e2e_server, uid):
    """A fresh technician with open Johnson and Patel jobs today: (technician_id, {customer: ticket_id})."""
    tech = f"tech-e2e-{uid}"
    tickets: dict[str, int] = {}
    with psycopg.connect(e2e_server.services.database.url) as conn:
        conn.execute("INSERT INTO technicians (id, name) VALUES (%s, %s)", (tech, f"Field {uid}"))
        for i, name in enumerate(("Johnson", "Patel")):
            customer = conn.execute("INSERT INTO customers (name, address) VALUES (%s, %s) RETURNING id",
                                    (name, f"{i + 10} {uid} Road")).fetchone()[0]
            tickets[name] = conn.execute(
                "INSERT INTO tickets (customer_id, technician_id, scheduled_start, scheduled_end)"
                " VALUES (%s, %s, now() + make_interval(hours => %s), now() + make_interval(hours => %s))"
                " RETURNING id", (customer, tech, i, i + 1)).fetchone()[0]
    return tech, tickets


@pytest.fixture
def context(browser):
    """A fresh browser context (its own storage, IndexedDB and service workers)."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def desktop(browser):
    """A fresh desktop-sized context, for the ops console."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def token_for():
    """token_for(technician_id, *roles): a dev token the e2e server accepts."""
    return lambda technician_id, *roles: issue_dev_token(SECRET, technician_id, roles=roles)


@pytest.fixture(scope="session")
def screenshot():
    """screenshot(page, name): a full-page PNG under artifacts/e2e/ (git-ignored); returns its path."""
    def shoot(page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return shoot


@pytest.fixture(scope="session")
def wait_until():
    """wait_until(check, timeout_s=, what=): poll ``check()`` until truthy, else fail naming ``what``."""
    def wait(check, *, timeout_s: float, every_s: float = 0.3, what: str = "condition"):
        deadline = time.monotonic() + timeout_s
        while True:
            result = check()
            if result:
                return result
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout_s:.0f} s waiting for {what}")
            time.sleep(every_s)
    return wait

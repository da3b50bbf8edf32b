"""Integration fixtures: real PostgreSQL, real engines, blobs in a temporary folder."""

from __future__ import annotations

import psycopg
import pytest

from voiceops.bootstrap import build_services
from voiceops.db.seed import seed
from voiceops.settings import Settings
from voiceops.storage import LocalBlobStore


@pytest.fixture(scope="session")
def seeded_url(pg_url: str) -> str:
    """The session database with the demo data in it."""
    with psycopg.connect(pg_url) as conn:
        seed(conn)
    return pg_url


@pytest.fixture(scope="session")
def services(seeded_url: str, tmp_path_factory: pytest.TempPathFactory):
    """Offline services (whisper, eSpeak NG, rules) on the session database; blobs in a temp folder."""
    data_dir = tmp_path_factory.mktemp("voiceops")
    settings = Settings(database_url=seeded_url, data_dir=data_dir)
    svc = build_services(settings, blobs=LocalBlobStore(data_dir / "blobs"))
    yield svc
    svc.close()


@pytest.fixture
def technician(seeded_url: str, uid: str):
    """A fresh technician with three open tickets of their own: returns (technician_id, {customer: ticket_id})."""
    tech = f"tech-{uid}"
    customers: dict[str, int] = {"Quill": 0, "Brandt": 0, "Ostrova": 0}
    with psycopg.connect(seeded_url) as conn:
        conn.execute("INSERT INTO technicians (id, name) VALUES (%s, %s)", (tech, f"Test {uid}"))
        for i, name in enumerate(customers):
            cid = conn.execute("INSERT INTO customers (name, address) VALUES (%s, %s) RETURNING id",
                               (name, f"{i + 1} {uid} Street")).fetchone()[0]
            customers[name] = conn.execute(
                "INSERT INTO tickets (customer_id, technician_id, scheduled_start)"
                " VALUES (%s, %s, now() + make_interval(hours => %s)) RETURNING id",
                (cid, tech, i),
            ).fetchone()[0]
    return tech, customers


@pytest.fixture
def johnson_job(seeded_url: str, uid: str):
    """A fresh technician whose one open ticket is at 'the Johnson place' (a name speech recognition gets
    right every time, so tests of the plumbing do not hinge on recognising rarer names): (technician_id,
    ticket_id)."""
    tech = f"tech-j{uid}"
    with psycopg.connect(seeded_url) as conn:
        conn.execute("INSERT INTO technicians (id, name) VALUES (%s, %s)", (tech, f"Test {uid}"))
        cid = conn.execute("INSERT INTO customers (name, address) VALUES ('Johnson', %s) RETURNING id",
                           (f"7 {uid} Lane",)).fetchone()[0]
        ticket = conn.execute("INSERT INTO tickets (customer_id, technician_id, scheduled_start)"
                              " VALUES (%s, %s, now()) RETURNING id", (cid, tech)).fetchone()[0]
    return tech, ticket

"""The postprovision hook's grants, on the real local PostgreSQL: the function identity's role can
read and write every table the migrations made, and change no schema.

pgaadauth_create_principal exists only in Azure, so the test creates an ordinary login role in its
place; everything after the role exists is the hook's own code."""

from __future__ import annotations

import importlib.util
import uuid

import psycopg
import pytest
from psycopg import conninfo, sql

from tests.infra.bicep import ROOT

pytestmark = pytest.mark.integration


def _hook():
    spec = importlib.util.spec_from_file_location("postprovision", ROOT / "infra" / "hooks" / "postprovision.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def app_role(pg_url):
    """A login role standing in for the managed identity; dropped afterwards."""
    role = f"id-voiceops-{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    yield role
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
        conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def _as(url: str, role: str) -> str:
    params = conninfo.conninfo_to_dict(url)
    params["user"] = role
    params.pop("password", None)
    return conninfo.make_conninfo(**params)


def test_granted_role_writes_rows_but_cannot_change_the_schema(pg_url, app_role):
    hook = _hook()
    database = conninfo.conninfo_to_dict(pg_url)["dbname"]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        hook.grant_app_rights(conn, app_role, database)
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    assert "schema_migrations" in tables and len(tables) > 1

    with psycopg.connect(_as(pg_url, app_role), autocommit=True) as conn:
        for table in tables:
            conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        conn.execute("CREATE TEMPORARY TABLE scratch (x int)")  # TEMPORARY is granted
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("CREATE TABLE public.not_allowed (x int)")

    # a table a later migration creates (as the administrator) is writable without re-running the hook
    later = f"later_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE TABLE {} (id serial PRIMARY KEY, v text)").format(sql.Identifier(later)))
    try:
        with psycopg.connect(_as(pg_url, app_role), autocommit=True) as conn:
            conn.execute(sql.SQL("INSERT INTO {} (v) VALUES ('ok')").format(sql.Identifier(later)))
            assert conn.execute(sql.SQL("SELECT v FROM {}").format(sql.Identifier(later))).fetchone() == ("ok",)
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(later)))


def test_role_creation_is_skipped_when_the_role_exists(pg_url, app_role):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        # pgaadauth_create_principal is absent locally: reaching it would raise UndefinedFunction
        assert _hook().create_entra_role(conn, app_role) is False
        with pytest.raises(psycopg.errors.UndefinedFunction):
            _hook().create_entra_role(conn, f"missing-{uuid.uuid4().hex[:6]}")


def test_hook_refuses_to_run_outside_azd(monkeypatch, capsys):
    for name in ("POSTGRES_HOST", "POSTGRES_DATABASE", "POSTGRES_ADMIN_NAME", "FUNCTION_IDENTITY_NAME"):
        monkeypatch.delenv(name, raising=False)
    assert _hook().main() == 1
    assert "run it through azd" in capsys.readouterr().err

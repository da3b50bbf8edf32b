"""Entra sign-in for PostgreSQL: every new connection carries a fresh token as its password.

The machine's server trusts local connections, so the token cannot be checked by the server here;
the test checks what the client sends (the connection's password) and the error mapping. The
credential is a stand-in for azure-identity (no identity endpoint exists on this machine)."""

from __future__ import annotations

import pytest
from azure.core.credentials import AccessToken
from azure.core.exceptions import ClientAuthenticationError

from voiceops.db.entra import POSTGRES_SCOPE, entra_connection_class
from voiceops.db.pool import Database
from voiceops.errors import DatabaseUnavailable

pytestmark = pytest.mark.integration


class CountingCredential:
    def __init__(self, fail: bool = False) -> None:
        self.scopes: list[tuple[str, ...]] = []
        self.fail = fail

    def get_token(self, *scopes: str, **kwargs) -> AccessToken:
        self.scopes.append(scopes)
        if self.fail:
            raise ClientAuthenticationError("ManagedIdentityCredential authentication unavailable")
        return AccessToken(f"token-{len(self.scopes)}", 2_000_000_000)


def test_each_new_connection_signs_in_with_a_fresh_token(pg_url):
    credential = CountingCredential()
    database = Database(pg_url, min_size=0, max_size=2, connection_class=entra_connection_class(credential))
    try:
        with database.transaction() as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
            assert conn.info.password == "token-1"
        with database.connect(autocommit=True) as direct:
            assert direct.info.password == "token-2"
    finally:
        database.close()
    assert credential.scopes == [(POSTGRES_SCOPE,), (POSTGRES_SCOPE,)]


def test_no_token_is_a_transient_database_error(pg_url):
    database = Database(pg_url, min_size=0, max_size=1, pool_timeout_s=1,
                        connection_class=entra_connection_class(CountingCredential(fail=True)))
    try:
        with pytest.raises(DatabaseUnavailable), database.transaction():
            pass
    finally:
        database.close()


def test_the_app_policy_signs_in_with_tokens_and_keeps_no_session_state_behind_pgbouncer(pg_url):
    from voiceops.bootstrap import build_services
    from voiceops.settings import Settings

    credential = CountingCredential()
    database = Database(pg_url, min_size=0, max_size=1, connection_class=entra_connection_class(credential))
    services = build_services(Settings(database_url=pg_url, database_pooler="pgbouncer"), database=database)
    try:
        policy = services.policy
        conn = policy.connection
        assert conn.info.password.startswith("token-")
        # a session SET would leak to other clients' transactions through a transaction-mode pooler
        assert conn.execute("SHOW synchronous_commit").fetchone()[0] == "on"
    finally:
        services.close()
    assert len(credential.scopes) == 2  # the policy's write and read connections

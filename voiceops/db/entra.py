"""Microsoft Entra ID authentication for Azure Database for PostgreSQL.

The Function App's URL carries no password: each new connection gets a fresh access token for the
managed identity as its password (azure-identity caches the token and refreshes it before expiry),
so nothing secret sits in app settings and rotation needs no redeploy."""

from __future__ import annotations

from typing import Any

import psycopg

from voiceops.errors import DatabaseUnavailable

#: the audience Azure Database for PostgreSQL accepts for Entra tokens
POSTGRES_SCOPE = "https://ossrdbms-aad.database.windows.net/.default"


def token_password(credential: Any) -> str:
    """A current access token for PostgreSQL, used as the connection password."""
    from azure.core.exceptions import ClientAuthenticationError

    try:
        return credential.get_token(POSTGRES_SCOPE).token
    except ClientAuthenticationError as exc:
        raise DatabaseUnavailable(f"could not get an Entra token for PostgreSQL: {exc}") from exc


def entra_connection_class(credential: Any) -> type[psycopg.Connection]:
    """A psycopg Connection class that signs in with ``credential`` on every connect."""

    class EntraConnection(psycopg.Connection):
        @classmethod
        def connect(cls, conninfo: str = "", **kwargs: Any):  # type: ignore[override]
            kwargs["password"] = token_password(credential)
            return super().connect(conninfo, **kwargs)

    return EntraConnection


def managed_identity_credential(client_id: str | None):
    """The user-assigned identity named by AZURE_CLIENT_ID, else the default credential chain."""
    from azure.identity import DefaultAzureCredential, ManagedIdentityCredential

    return ManagedIdentityCredential(client_id=client_id) if client_id else DefaultAzureCredential()

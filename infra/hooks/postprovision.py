"""azd postprovision: give the Function App's managed identity its PostgreSQL role and tables.

Runs on the deploying machine as the server's Entra administrator (set by the preprovision hook):
1. creates the identity's role with ``pgaadauth_create_principal`` (Azure-only function);
2. applies voiceops' migrations as the administrator, straight to port 5432 (the migration runner
   holds a session advisory lock, which PgBouncer's transaction pooling would not keep);
3. grants the identity data rights only (no DDL), also on tables later migrations create.

It reads azd's environment itself: it is deploy tooling, not part of the ``voiceops`` package.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import psycopg
from psycopg import sql

# the hook runs from the repository root; make the voiceops package importable without installing it
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from voiceops.db.migrate import migrate

ENTRA_SCOPE = "https://ossrdbms-aad.database.windows.net/.default"
REQUIRED = ("POSTGRES_HOST", "POSTGRES_DATABASE", "POSTGRES_ADMIN_NAME", "FUNCTION_IDENTITY_NAME")


def entra_token() -> str:
    """An Entra access token for Azure Database for PostgreSQL, from azd's or az's login."""
    from azure.identity import AzureCliCredential, AzureDeveloperCliCredential, ChainedTokenCredential

    credential = ChainedTokenCredential(AzureDeveloperCliCredential(), AzureCliCredential())
    return credential.get_token(ENTRA_SCOPE).token


def create_entra_role(conn: psycopg.Connection, role: str) -> bool:
    """Create the managed identity's login role unless it exists; True when created."""
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
        return False
    # the role name must equal the identity's display name; Entra resolves it to the identity
    conn.execute("SELECT * FROM pgaadauth_create_principal(%s, false, false)", (role,))
    return True


def grant_app_rights(conn: psycopg.Connection, role: str, database: str) -> None:
    """Let ``role`` read and write every table in ``public`` (now and later), but change no schema."""
    ident = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(sql.Identifier(database), ident),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO {}").format(ident),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident),
        # tables and sequences the administrator creates in later migrations
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO {}"
        ).format(ident),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {}").format(
            ident
        ),
    ]
    with conn.transaction():
        for statement in statements:
            conn.execute(statement)


def conninfo(host: str, database: str, user: str, *, port: int = 5432, sslmode: str = "require") -> str:
    """A libpq conninfo without a password (libpq takes it from PGPASSWORD)."""
    return psycopg.conninfo.make_conninfo(host=host, port=port, dbname=database, user=user, sslmode=sslmode)


def main() -> int:
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        print(f"postprovision: missing {', '.join(missing)}; run it through azd (azd provision)", file=sys.stderr)
        return 1
    host = os.environ["POSTGRES_HOST"]
    database = os.environ["POSTGRES_DATABASE"]
    admin = os.environ["POSTGRES_ADMIN_NAME"]
    role = os.environ["FUNCTION_IDENTITY_NAME"]

    # libpq reads the token from PGPASSWORD, which keeps it out of conninfo strings and logs
    os.environ["PGPASSWORD"] = entra_token()
    try:
        with psycopg.connect(conninfo(host, "postgres", admin), autocommit=True, connect_timeout=15) as conn:
            created = create_entra_role(conn, role)
        print(f"postprovision: role {role} {'created' if created else 'already present'}")
        applied = migrate(conninfo(host, database, admin))
        print(f"postprovision: migrations applied: {', '.join(applied) or 'none pending'}")
        with psycopg.connect(conninfo(host, database, admin), autocommit=True, connect_timeout=15) as conn:
            grant_app_rights(conn, role, database)
        print(f"postprovision: {role} may read and write the tables of {database}")
    except psycopg.OperationalError as exc:
        print(
            f"postprovision: cannot reach {host} as {admin}: {exc}\n"
            "Is AZURE_DEPLOYER_IP this machine's public address (azd env get-values)? See docs/deploy.md.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

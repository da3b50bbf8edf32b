"""Where the database is: VOICEOPS_DATABASE_URL, or an embedded PostgreSQL from ``pgserver``."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from voiceops.errors import ConfigurationError

log = logging.getLogger(__name__)


@cache
def _embedded(data_dir: str):
    try:
        import pgserver
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ConfigurationError(
            "VOICEOPS_DATABASE_URL is unset and the embedded server is not installed: "
            "pip install -r requirements-local.txt, or point VOICEOPS_DATABASE_URL at a server"
        ) from exc
    folder = Path(data_dir) / "pgdata"
    folder.mkdir(parents=True, exist_ok=True)
    log.info("starting embedded PostgreSQL in %s", folder)
    return pgserver.get_server(folder, cleanup_mode=None)


def embedded_server(data_dir: Path):
    """The embedded server object for ``data_dir`` (started once per process, left running)."""
    return _embedded(str(Path(data_dir).resolve()))


def database_url(url: str | None, data_dir: Path) -> str:
    """The conninfo to use: the configured URL, or the embedded server's."""
    if url:
        return url
    return embedded_server(data_dir).get_uri()

"""The composition root: builds every service from Settings, lazily, on first use.

Tests and tools pass overrides (a fake extractor, a folder blob store) through the same root."""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Any

from voiceops.settings import Settings


class Services:
    """Everything the ingest and worker stages use. Each field is built the first time it is read."""

    def __init__(self, settings: Settings, **overrides: Any) -> None:
        self.settings = settings
        unknown = set(overrides) - {"database", "blobs", "stt", "tts", "extractor", "policy"}
        if unknown:
            raise TypeError(f"unknown service overrides: {sorted(unknown)}")
        self.__dict__.update(overrides)  # cached_property reads the instance dict first

    @cached_property
    def database(self):
        import psycopg

        from voiceops.db.pool import Database
        from voiceops.db.server import database_url

        s = self.settings
        connection_class = psycopg.Connection
        if s.database_auth == "entra":
            from voiceops.db.entra import entra_connection_class, managed_identity_credential

            connection_class = entra_connection_class(managed_identity_credential(s.managed_identity_client_id))
        return Database(database_url(s.database_url, s.data_dir), min_size=s.pool_min_size,
                        max_size=s.pool_max_size, statement_timeout_ms=s.statement_timeout_ms,
                        lock_timeout_ms=s.lock_timeout_ms, connection_class=connection_class,
                        prepare=s.database_pooler == "none")

    @cached_property
    def blobs(self):
        from voiceops.storage import build_blob_store

        return build_blob_store(self.settings)

    @cached_property
    def stt(self):
        from voiceops.speech import build_speech_to_text

        return build_speech_to_text(self.settings)

    @cached_property
    def tts(self):
        from voiceops.speech import build_text_to_speech

        return build_text_to_speech(self.settings)

    @cached_property
    def extractor(self):
        from voiceops.extraction import build_extractor

        return build_extractor(self.settings)

    @cached_property
    def policy(self):
        from voiceops.bandit import StylePolicy

        s = self.settings
        # the app never migrates (provisioning and the CLI do); behind PgBouncer no session settings
        return StylePolicy.connect(self.database.url, connection_class=self.database.connection_class,
                                   apply_migrations=False, relaxed_commit=s.database_pooler == "none")

    def close(self) -> None:
        """Close what was opened (pools); safe to call twice."""
        if "policy" in self.__dict__ and hasattr(self.policy, "close"):
            self.policy.close()
        if "database" in self.__dict__:
            self.database.close()


def build_services(settings: Settings | None = None, **overrides: Any) -> Services:
    """A new set of services from ``settings`` (default: the environment)."""
    return Services(settings or Settings.from_env(), **overrides)


_current: Services | None = None
_lock = threading.Lock()


def get_services() -> Services:
    """The process-wide services, built from the environment on first call."""
    global _current
    if _current is None:
        with _lock:
            if _current is None:
                _current = build_services()
    return _current


def set_services(services: Services | None) -> None:
    """Replace the process-wide services (tests, the local server)."""
    global _current
    _current = services

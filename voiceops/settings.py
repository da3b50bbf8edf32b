"""The one place that reads the environment. Names match the Function App's app settings.

Every other module receives plain arguments from a ``Settings`` instance; defaults are the
embedded, offline choices (embedded PostgreSQL, local folder for blobs, faster-whisper,
eSpeak NG, the rules extractor)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from voiceops.errors import ConfigurationError

#: field name -> environment variable; anything not listed reads VOICEOPS_<FIELD upper>
_ENV_NAMES = {
    "storage_connection": "VOICEOPS_STORAGE_CONNECTION",
    "storage_account_url": "VOICEOPS_STORAGE_ACCOUNT_URL",
    "servicebus_namespace": "SERVICEBUS__fullyQualifiedNamespace",
    "servicebus_connection": "VOICEOPS_SERVICEBUS_CONNECTION",
    "queue_name": "VOICEOPS_QUEUE",
    "clips_container": "VOICEOPS_CLIPS_CONTAINER",
    "replies_container": "VOICEOPS_REPLIES_CONTAINER",
    "speech_endpoint": "AZURE_SPEECH_ENDPOINT",
    "speech_region": "AZURE_SPEECH_REGION",
    "speech_key": "AZURE_SPEECH_KEY",
    "speech_voice": "AZURE_SPEECH_VOICE",
    "openai_endpoint": "AZURE_OPENAI_ENDPOINT",
    "openai_deployment": "AZURE_OPENAI_DEPLOYMENT",
    "openai_api_version": "AZURE_OPENAI_API_VERSION",
    "openai_api_key": "AZURE_OPENAI_API_KEY",
    "openai_base_url": "OPENAI_BASE_URL",
    "openai_model": "OPENAI_MODEL",
    "managed_identity_client_id": "AZURE_CLIENT_ID",
    "appinsights_connection": "APPLICATIONINSIGHTS_CONNECTION_STRING",
    "appservice_auth_enabled": "WEBSITE_AUTH_ENABLED",
}


class Settings(BaseModel):
    """Typed configuration. Build it with ``Settings.from_env()``; tests pass keywords."""

    # PostgreSQL: a URL, or None for the embedded server in data_dir
    database_url: str | None = None
    # "entra": the URL has no password; each connection signs in with the managed identity's token
    database_auth: Literal["password", "entra"] = "password"
    # "pgbouncer": a transaction-mode pooler sits in front, so no session settings anywhere
    database_pooler: Literal["none", "pgbouncer"] = "none"
    data_dir: Path = Path(".voiceops")
    pool_min_size: int = Field(default=1, ge=0)
    pool_max_size: int = Field(default=10, ge=1)
    statement_timeout_ms: int = Field(default=15_000, ge=0)
    lock_timeout_ms: int = Field(default=5_000, ge=0)

    # blobs: Azure/Azurite connection string, or account URL (managed identity), or a local folder
    storage_connection: str | None = None
    storage_account_url: str | None = None
    clips_container: str = "clips"
    replies_container: str = "replies"

    # queue
    servicebus_namespace: str | None = None
    servicebus_connection: str | None = None
    queue_name: str = "voice-commands"

    # engines
    stt: Literal["whisper", "azure"] = "whisper"
    tts: Literal["espeak", "azure"] = "espeak"
    extractor: Literal["rules", "openai", "cascade"] = "rules"

    # Azure AI services
    speech_endpoint: str | None = None
    speech_region: str | None = None
    speech_key: str | None = None
    speech_voice: str = "en-US-AvaMultilingualNeural"
    openai_endpoint: str | None = None
    openai_deployment: str | None = None
    openai_api_version: str = "2024-10-21"
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    openai_model: str | None = None
    openai_timeout_s: float = Field(default=20.0, gt=0)
    openai_max_retries: int = Field(default=2, ge=0)
    # all attempts of one extraction (waits for retry-after included) end well inside the Service Bus lock
    openai_budget_s: float = Field(default=30.0, gt=0)
    # cascade: the LLM is asked when the rules' least confident command is below this
    cascade_threshold: float = Field(default=0.75, ge=0, le=1)
    managed_identity_client_id: str | None = None
    appinsights_connection: str | None = None

    # limits and behaviour
    max_clip_seconds: float = Field(default=120.0, gt=0)
    max_clip_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    confirmation_threshold: float = Field(default=0.6, ge=0, le=1)
    # the recogniser's own confidence (exp of whisper's mean log-probability) below which every state change of
    # the clip is read back first (docs/speech.md: what the worker does with misheard clips)
    stt_confidence_threshold: float = Field(default=0.45, ge=0, le=1)
    delete_clip_after_commit: bool = False
    retention_days: int = Field(default=30, ge=1)
    # the queue's maxDeliveryCount (infra sets 5): on the last delivery the worker records the failure for ops
    max_delivery_count: int = Field(default=5, ge=1)
    # clips of one Service Bus batch extracted (by a network extractor) and answered side by side
    batch_concurrency: int = Field(default=4, ge=1)
    undo_window_s: int = Field(default=600, ge=0)
    pending_question_ttl_s: int = Field(default=300, ge=0)
    default_reward: float = Field(default=0.6, ge=0, le=1)
    default_reward_after_s: int = Field(default=600, ge=0)
    dev_token_secret: str = "voiceops-local-dev-secret"
    # HTTP API: "auto" trusts App Service Authentication headers only when the platform says it is on
    auth_mode: Literal["auto", "appservice", "dev_token"] = "auto"
    appservice_auth_enabled: bool = False
    sas_minutes: int = Field(default=15, ge=1, le=24 * 60)
    whisper_model_path: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every setting from the environment (or the given mapping)."""
        env = os.environ if environ is None else environ
        values: dict[str, str] = {}
        for name in cls.model_fields:
            key = _ENV_NAMES.get(name, f"VOICEOPS_{name.upper()}")
            raw = env.get(key)
            if raw is not None and raw != "":
                values[name] = raw
        # the Functions host's own storage setting is the natural fallback for blobs
        if "storage_connection" not in values and not values.get("storage_account_url"):
            host = env.get("AzureWebJobsStorage")
            if host:
                values["storage_connection"] = host
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            problems = "; ".join(
                f"{_ENV_NAMES.get(str(e['loc'][0]), 'VOICEOPS_' + str(e['loc'][0]).upper())}: {e['msg']}"
                for e in exc.errors()
            )
            raise ConfigurationError(f"invalid settings: {problems}") from exc

    @staticmethod
    def env_name(field: str) -> str:
        """The environment variable that sets ``field``."""
        return _ENV_NAMES.get(field, f"VOICEOPS_{field.upper()}")

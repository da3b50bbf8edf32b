"""Every name function_app.py's bindings use has its setting in Azure (Bicep) and locally (the example).

The app is indexed the way the host indexes it (azure.functions' FunctionApp.get_functions()), from a
clean import with no settings, so a binding added later is checked without editing this test."""

from __future__ import annotations

import re

import pytest

from tests.infra.bicep import app_settings, local_settings
from voiceops.settings import Settings

# what an identity-based connection may be given as, besides a plain connection string
CONNECTION_SUFFIXES = ("", "__fullyQualifiedNamespace", "__accountName", "__blobServiceUri", "__serviceUri")
# read by the Functions host itself, not by voiceops.settings
HOST_SETTINGS = {"APPLICATIONINSIGHTS_AUTHENTICATION_STRING"}


@pytest.fixture(scope="module")
def bindings(monkeypatch_module) -> list[dict]:
    import importlib
    import sys

    sys.modules.pop("function_app", None)
    function_app = importlib.import_module("function_app")
    found = []
    for fn in function_app.app.get_functions():
        for binding in fn.get_bindings_dict()["bindings"]:
            found.append({"function": fn.get_function_name(), **binding})
    return found


@pytest.fixture(scope="module")
def monkeypatch_module():
    # a clean import: none of the settings the app reads at run time may be needed to index it
    mp = pytest.MonkeyPatch()
    for name in list(__import__("os").environ):
        if name.startswith(("VOICEOPS_", "AZURE_", "SERVICEBUS", "AzureWebJobs", "APPLICATIONINSIGHTS_")):
            mp.delenv(name)
    yield mp
    mp.undo()


def _connections(bindings: list[dict]) -> set[str]:
    return {b["connection"] for b in bindings if b.get("connection")}


def _app_setting_expressions(bindings: list[dict]) -> set[str]:
    names = set()
    for binding in bindings:
        for key in ("path", "queueName", "topicName", "subscriptionName"):
            names.update(re.findall(r"%([A-Za-z0-9_]+)%", str(binding.get(key) or "")))
    return names


def test_the_trigger_functions_are_indexed(bindings):
    by_function = {(b["function"], b["type"]) for b in bindings}
    assert ("transcribe_clip", "blobTrigger") in by_function
    assert ("handle_commands", "serviceBusTrigger") in by_function
    blob = next(b for b in bindings if b["type"] == "blobTrigger")
    assert blob["source"] == "EventGrid", "Flex Consumption supports only the Event Grid blob trigger"


def test_binding_connections_have_settings_in_bicep_and_locally(bindings):
    bicep, local = set(app_settings()), set(local_settings())
    connections = _connections(bindings)
    assert connections >= {"AzureWebJobsStorage", "SERVICEBUS"}
    for connection in connections:
        accepted = {connection + suffix for suffix in CONNECTION_SUFFIXES}
        assert accepted & bicep, f"connection {connection}: no setting in infra/main.bicep"
        assert accepted & local, f"connection {connection}: no setting in local.settings.json.example"
        if connection + "__credential" in bicep:
            assert connection + "__clientId" in bicep, f"{connection}: user-assigned identity needs __clientId"


def test_binding_expressions_have_settings_in_bicep_and_locally(bindings):
    expressions = _app_setting_expressions(bindings)
    assert {"VOICEOPS_CLIPS_CONTAINER", "VOICEOPS_QUEUE"} <= expressions
    bicep, local = app_settings(), local_settings()
    for name in expressions:
        assert name in bicep, f"%{name}% has no app setting in infra/main.bicep"
        assert name in local, f"%{name}% has no value in local.settings.json.example"
    # both sides agree with the settings' defaults, so the app and its bindings read the same queue
    defaults = Settings()
    for name, field in (("VOICEOPS_QUEUE", "queue_name"), ("VOICEOPS_CLIPS_CONTAINER", "clips_container")):
        assert Settings.env_name(field) == name
        assert local[name] == getattr(defaults, field)
        assert main_param_default(name) == getattr(defaults, field)


def main_param_default(setting: str) -> str | None:
    """The default of the main.bicep parameter an app setting is taken from, when it is one."""
    from tests.infra.bicep import default, main

    return default(main(), app_settings()[setting])


def test_every_app_setting_is_read_by_someone():
    """A misspelt VOICEOPS_ name would be ignored silently: each must be a Settings field (or a host setting)."""
    read_by_app = {Settings.env_name(field) for field in Settings.model_fields}
    sources = (("infra/main.bicep", set(app_settings())), ("local.settings.json.example", set(local_settings())))
    for source, names in sources:
        unknown = {
            name for name in names
            if "__" not in name and name not in HOST_SETTINGS and name not in read_by_app
            and not name.startswith(("AzureWebJobs", "FUNCTIONS_"))
        }
        assert not unknown, f"{source}: no Settings field reads {unknown}"


def test_local_example_runs_against_azurite_and_local_postgres():
    local = local_settings()
    assert local["AzureWebJobsStorage"] == "UseDevelopmentStorage=true"
    assert local["VOICEOPS_DATABASE_URL"].startswith("postgresql://")
    assert "@127.0.0.1" in local["VOICEOPS_DATABASE_URL"] or "@localhost" in local["VOICEOPS_DATABASE_URL"]
    settings = Settings.from_env(local)
    assert settings.storage_connection == "UseDevelopmentStorage=true"

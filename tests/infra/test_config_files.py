"""azure.yaml, host.json and .funcignore: the files azd and the Functions host read."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.infra.bicep import ROOT


def _azure_yaml() -> dict:
    return yaml.safe_load((ROOT / "azure.yaml").read_text())


def test_azure_yaml_deploys_this_folder_as_a_python_function():
    doc = _azure_yaml()
    assert doc["infra"]["path"] == "infra"
    (service,) = doc["services"].values()
    assert service == {"project": ".", "language": "python", "host": "function"}
    service_name = next(iter(doc["services"]))
    function_bicep = (ROOT / "infra" / "app" / "function.bicep").read_text()
    assert f"param serviceName string = '{service_name}'" in function_bicep, "azd finds the app by this tag"


@pytest.mark.parametrize("hook", ["preprovision", "postprovision", "postdeploy"])
def test_azure_yaml_hooks_point_at_files_that_exist(hook):
    entry = _azure_yaml()["hooks"][hook]
    for platform, shell, suffix in (("posix", "sh", ".sh"), ("windows", "pwsh", ".ps1")):
        assert entry[platform]["shell"] == shell
        script = ROOT / entry[platform]["run"]
        assert script.is_file(), f"{hook} ({platform}) runs {script}, which does not exist"
        assert script.suffix == suffix
    posix = ROOT / entry["posix"]["run"]
    assert posix.read_text().startswith("#!/bin/sh"), "azd runs posix hooks with sh"


def test_postdeploy_subscribes_the_indexed_blob_function():
    script = (ROOT / "infra" / "hooks" / "postdeploy.sh").read_text()
    assert "functionName=Host.Functions.transcribe_clip" in script
    assert "systemKeys.blobs_extension" in script
    assert "Microsoft.Storage.BlobCreated" in script


def test_host_json_bundle_concurrency_and_logging():
    host = json.loads((ROOT / "host.json").read_text())
    assert host["version"] == "2.0"
    assert host["extensionBundle"]["version"] == "[4.*, 5.0.0)"
    sb = host["extensions"]["serviceBus"]
    assert sb["maxMessageBatchSize"] >= 1 and sb["maxConcurrentCalls"] >= 1
    hours, minutes, seconds = (int(x) for x in host["functionTimeout"].split(":"))
    timeout_s = hours * 3600 + minutes * 60 + seconds
    renew = [int(x) for x in sb["maxAutoLockRenewalDuration"].split(":")]
    # a batch still running must keep its lock until the host gives up on it
    assert renew[0] * 3600 + renew[1] * 60 + renew[2] >= timeout_s
    levels = host["logging"]["logLevel"]
    # transcripts are logged at Debug by the app; nothing below Information may reach Application Insights
    for category, level in levels.items():
        assert level in ("Information", "Warning", "Error", "Critical", "None"), f"{category} at {level}"


def test_funcignore_keeps_local_and_test_files_out_of_the_package():
    lines = (ROOT / ".funcignore").read_text().splitlines()
    ignored = {line.strip() for line in lines if line and not line.startswith("#")}
    for needed in (".venv", "tests", ".voiceops", "node_modules", "local.settings.json", "docs"):
        assert needed in ignored, needed
    for shipped in ("requirements.txt", "host.json", "function_app.py", "voiceops"):
        assert shipped not in ignored, f"{shipped} must be deployed"
        assert not any(re.fullmatch(pattern.replace("*", ".*"), shipped) for pattern in ignored)

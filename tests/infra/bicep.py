"""Reading the Bicep templates for the infra tests: pycep's JSON plus a few lookups.

pycep keeps expressions as nested dicts and identifiers as bare strings, so a value that names a
parameter is resolved to that parameter's default where a test needs the literal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"


def bicep_files() -> list[Path]:
    """Every .bicep file under infra/."""
    return sorted(INFRA.rglob("*.bicep"))


@cache
def _parser():
    from pycep import BicepParser

    return BicepParser()


@cache
def parse(path: Path) -> dict[str, Any]:
    """pycep's JSON for one file (cached: parsing takes about a second per file)."""
    return _parser().parse(file_path=path)


def module(name: str) -> dict[str, Any]:
    """Parsed infra/app/<name>.bicep."""
    return parse(INFRA / "app" / f"{name}.bicep")


def main() -> dict[str, Any]:
    """Parsed infra/main.bicep."""
    return parse(INFRA / "main.bicep")


def resources_of_type(doc: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    """The config blocks of every resource of ``type_`` declared (not merely referenced) in ``doc``."""
    found = []
    for resource in doc.get("resources", {}).values():
        if resource["type"].lower() != type_.lower() or resource.get("existing"):
            continue
        config = resource["config"]
        # a conditional resource (`= if (...) {...}`) nests its body under the condition
        found.append(config["config"] if "condition" in config and "config" in config else config)
    return found


def one(doc: dict[str, Any], type_: str) -> dict[str, Any]:
    """The single resource of ``type_`` in ``doc``."""
    found = resources_of_type(doc, type_)
    assert len(found) == 1, f"expected one {type_}, found {len(found)}"
    return found[0]


def default(doc: dict[str, Any], value: Any) -> Any:
    """``value``, or the default of the parameter it names."""
    if isinstance(value, str) and value in doc.get("parameters", {}):
        return doc["parameters"][value].get("default")
    return value


def walk(node: Any) -> Iterator[Any]:
    """Every dict and list inside ``node``, depth first."""
    yield node
    if isinstance(node, dict):
        for child in node.values():
            yield from walk(child)
    elif isinstance(node, list):
        for child in node:
            yield from walk(child)


def app_settings() -> dict[str, Any]:
    """The Function App settings object composed in main.bicep."""
    return main()["variables"]["functionAppSettings"]["value"]


def local_settings() -> dict[str, str]:
    """Values of local.settings.json.example."""
    return json.loads((ROOT / "local.settings.json.example").read_text())["Values"]

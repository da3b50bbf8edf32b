"""The LLM tool, generated from the pydantic contract in OpenAI strict mode.

Strict function calling (Structured Outputs) accepts a subset of JSON Schema: every property is
required, optional values are nullable (``"type": ["string", "null"]``), every object says
``additionalProperties: false``, and keywords such as ``default``, ``minimum`` or ``minLength``
are rejected. So the schema pydantic writes is rewritten here rather than hand-copied: the
models stay the single source of truth, their field descriptions become the prompt text."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, Field

from voiceops.contracts import VoiceCommand

TOOL_NAME = "record_commands"

#: keywords strict mode rejects (bounds stay in the field descriptions instead)
_REJECTED = {"default", "title", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
             "maxLength", "pattern", "format", "minItems", "maxItems", "uniqueItems", "examples", "multipleOf",
             "minProperties", "maxProperties", "patternProperties", "propertyNames", "unevaluatedProperties",
             "contains", "minContains", "maxContains", "unevaluatedItems", "const"}


class ToolCommand(VoiceCommand):
    """One thing the technician asked for, in the order it was spoken."""

    # set by the worker's confirmation rule, never by the model
    needs_confirmation: bool = Field(default=False, exclude=True)


class ToolCommands(BaseModel):
    """Record every command in the technician's transcript, in spoken order. Use a single 'unknown'
    command when nothing in it is a clear, in-scope request for one of the technician's own jobs."""

    commands: list[ToolCommand] = Field(description="The commands, in the order they were spoken.")


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            target = copy.deepcopy(defs[node["$ref"].rsplit("/", 1)[-1]])
            extra = {k: v for k, v in node.items() if k != "$ref"}
            return _inline_refs({**target, **extra}, defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _strict(v) for k, v in node.items() if k not in _REJECTED}
    # Optional[X] -> {"type": [X, "null"]}
    variants = node.get("anyOf")
    if isinstance(variants, list) and len(variants) == 2 and {"type": "null"} in variants:
        other = next(v for v in variants if v != {"type": "null"})
        if isinstance(other.get("type"), str) and set(other) <= {"type", "description"}:
            node.pop("anyOf")
            node["type"] = [other["type"], "null"]
    if node.get("type") == "object" or "properties" in node:
        props = node.get("properties", {})
        node["required"] = list(props)
        node["additionalProperties"] = False
    return node


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s JSON schema rewritten for OpenAI strict mode."""
    raw = model.model_json_schema(mode="serialization")
    schema = _strict(_inline_refs(raw, raw.get("$defs", {})))
    schema.pop("description", None)  # the tool's description carries it
    return schema


def tool_definition() -> dict[str, Any]:
    """The one function the model must call, with strict argument checking."""
    return {
        "type": "function",
        "function": {
            "name": TOOL_NAME,
            "description": (ToolCommands.__doc__ or "").replace("\n    ", " ").strip(),
            "parameters": strict_schema(ToolCommands),
            "strict": True,
        },
    }

"""The cascade's decisions, the confirmation rule and the strict tool schema (no network)."""

from __future__ import annotations

import json

import pytest

from voiceops.contracts import STATE_CHANGING, Action, VoiceCommand
from voiceops.errors import ConfigurationError, ExtractionFailed, ServiceUnavailable
from voiceops.extraction import RulesExtractor, build_extractor
from voiceops.extraction.base import Extraction
from voiceops.extraction.cascade import CascadeExtractor
from voiceops.extraction.confirmation import mark_confirmation
from voiceops.extraction.tool_schema import ToolCommands, tool_definition
from voiceops.settings import Settings


class FakeLLM:
    """Answers with a fixed command, or fails the way a real endpoint can."""

    name = "openai"

    def __init__(self, answer: VoiceCommand | None = None, error: Exception | None = None) -> None:
        self.answer, self.error, self.calls = answer, error, 0

    def extract(self, transcript, *, open_tickets=()):
        self.calls += 1
        if self.error is not None:
            raise self.error
        return Extraction([self.answer], self.name, {"model": "fake"})


LLM_CLOSE = VoiceCommand(action=Action.close_ticket, customer="Ibsen", billing_hours=1, confidence=0.9)


def test_confident_rules_answer_without_asking_the_llm():
    llm = FakeLLM(LLM_CLOSE)
    result = CascadeExtractor(RulesExtractor(), llm).extract("close the Ibsen job, one hour")
    assert result.extractor == "cascade:rules"
    assert result.commands[0].customer == "Ibsen"
    assert llm.calls == 0


def test_unsure_rules_defer_to_the_llm():
    result = CascadeExtractor(RulesExtractor(), FakeLLM(LLM_CLOSE)).extract("uh the ibsen thing, you know")
    assert result.extractor == "cascade:openai"
    assert result.commands == [LLM_CLOSE]
    assert result.details["rules_confidence"] < 0.75


@pytest.mark.parametrize("error", [ServiceUnavailable("down"), ExtractionFailed("invalid twice")])
def test_llm_failure_keeps_a_good_enough_rules_answer(error):
    # "mark the job as finished" names no job: confidence 0.65, below the LLM threshold, above confirmation
    cascade = CascadeExtractor(RulesExtractor(), FakeLLM(error=error), escalate_below=0.75, accept_at_least=0.6)
    result = cascade.extract("mark the job as finished")
    assert result.extractor == "cascade:rules"
    assert result.commands[0].action == Action.close_ticket
    assert result.details["llm_error"] == error.code


def test_llm_failure_with_a_weak_rules_answer_asks_to_repeat_and_keeps_what_rules_heard():
    cascade = CascadeExtractor(RulesExtractor(), FakeLLM(error=ServiceUnavailable("down")))
    result = cascade.extract("Ibsen, two hours")  # no verb: the rules guess an update at low confidence
    assert result.extractor == "cascade:fallback"
    assert [c.action for c in result.commands] == [Action.unknown]
    assert result.details["rules_commands"][0]["customer"] == "Ibsen"


def test_cascade_needs_an_llm_configuration():
    with pytest.raises(ConfigurationError, match="AZURE_OPENAI_ENDPOINT"):
        build_extractor(Settings(extractor="cascade"))


def test_cascade_is_built_from_settings_without_touching_the_network():
    extractor = build_extractor(Settings(extractor="cascade", openai_endpoint="https://example.invalid",
                                         openai_deployment="gpt-4o", cascade_threshold=0.8))
    assert isinstance(extractor, CascadeExtractor) and extractor.escalate_below == 0.8


@pytest.mark.parametrize(("action", "confidence", "expected"), [
    (Action.close_ticket, 0.5, True), (Action.close_ticket, 0.6, False), (Action.order_parts, 0.59, True),
    (Action.start_ticket, 0.3, True), (Action.next_ticket, 0.1, False), (Action.confirm, 0.2, False),
    (Action.unknown, 0.1, False),
])
def test_confirmation_rule(action, confidence, expected):
    [marked] = mark_confirmation([VoiceCommand(action=action, confidence=confidence)], 0.6)
    assert marked.needs_confirmation is expected
    assert (action in STATE_CHANGING) or not marked.needs_confirmation


def test_unsure_audio_reads_back_every_state_change_however_sure_the_reading():
    commands = [VoiceCommand(action=Action.close_ticket, confidence=0.95), VoiceCommand(action=Action.next_ticket)]
    assert [c.needs_confirmation for c in mark_confirmation(commands, 0.6, unsure_audio=True)] == [True, False]
    assert [c.needs_confirmation for c in mark_confirmation(commands, 0.6)] == [False, False]


_REJECTED = {"default", "minimum", "maximum", "minLength", "maxLength", "pattern", "format", "minItems",
             "maxItems", "title", "$ref", "$defs", "anyOf"}


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_tool_schema_is_strict():
    tool = tool_definition()
    assert tool["function"]["strict"] is True
    for node in _walk(tool["function"]["parameters"]):
        assert not (_REJECTED & set(node)), node
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert sorted(node["required"]) == sorted(node["properties"])
    item = tool["function"]["parameters"]["properties"]["commands"]["items"]
    assert item["properties"]["customer"]["type"] == ["string", "null"]
    assert item["properties"]["billing_hours"]["type"] == ["number", "null"]
    assert set(item["properties"]["action"]["enum"]) == {a.value for a in Action}
    assert "needs_confirmation" not in item["properties"]  # the worker's field, not the model's


def test_an_answer_shaped_by_the_schema_validates_and_a_wrong_one_does_not():
    good = {"commands": [{"action": "close_ticket", "customer": "Ibsen", "ticket_id": None, "parts": ["flue"],
                          "billing_hours": 1.5, "notes": None, "when": None, "confidence": 0.9}]}
    assert ToolCommands.model_validate_json(json.dumps(good)).commands[0].billing_hours == 1.5
    bad = {"commands": [{**good["commands"][0], "billing_hours": 90}]}
    with pytest.raises(ValueError):
        ToolCommands.model_validate_json(json.dumps(bad))

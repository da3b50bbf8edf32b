"""The rules extractor on the seed story and the contract's basic promises."""

from __future__ import annotations

from voiceops.contracts import Action
from voiceops.extraction import RulesExtractor, build_extractor
from voiceops.settings import Settings

SEED = ("Hey, I'm done at the Johnson place. I replaced the main capacitor and cleaned the coils. "
        "Mark the job as finished and bill them for 2 hours.")


def test_seed_story_is_one_close_with_parts_hours_and_notes():
    result = RulesExtractor().extract(SEED)
    assert result.extractor == "rules"
    [cmd] = result.commands
    assert cmd.action == Action.close_ticket
    assert cmd.customer == "Johnson"
    assert cmd.ticket_id is None
    assert cmd.parts == ["capacitor", "coils"]
    assert cmd.billing_hours == 2
    assert cmd.notes == "replaced the main capacitor and cleaned the coils"
    assert 0.8 <= cmd.confidence <= 1


def test_default_settings_build_the_rules_extractor():
    extractor = build_extractor(Settings())
    assert extractor.name == "rules"
    assert extractor.extract("next job").commands[0].action == Action.next_ticket


def test_empty_and_chatter_are_unknown():
    for text in ("", "   ", "it's raining like crazy out here"):
        [cmd] = RulesExtractor().extract(text).commands
        assert cmd.action == Action.unknown
        assert cmd.customer is None

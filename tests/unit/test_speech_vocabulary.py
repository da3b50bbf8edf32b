"""The domain vocabulary and the whisper prompt and name correction built from it."""

from __future__ import annotations

from voiceops.contracts import OpenTicket
from voiceops.speech.vocabulary import correct_names, domain_vocabulary, street_name
from voiceops.speech.whisper import MAX_PROMPT_CHARS, vocabulary_prompt


def test_customers_then_streets_then_parts_without_duplicates():
    tickets = [OpenTicket(ticket_id=1, customer="Sandoval", address="12 Elm Street, Springfield"),
               OpenTicket(ticket_id=2, customer=" Bright  Smiles Orthodontics ", address="200 Main Street"),
               OpenTicket(ticket_id=3, customer="sandoval", address=None)]
    vocab = domain_vocabulary(tickets, ["capacitor", "Capacitor", "wax ring", ""])
    assert vocab == ["Sandoval", "Bright Smiles Orthodontics", "Elm Street", "Main Street", "capacitor", "wax ring"]


def test_street_name_drops_house_number_and_town():
    assert street_name("12B Elm Street, Springfield") == "Elm Street"
    assert street_name("No. 7 Harbour Road") == "Harbour Road"
    assert street_name("Oak Ridge Motel") == "Oak Ridge Motel"
    assert street_name(None) is None and street_name("  ") is None


def test_prompt_keeps_the_most_likely_names_within_whisper_window():
    vocab = ["Hartmann", "Elm Street"] + [f"part number {i}" for i in range(200)]
    prompt = vocabulary_prompt(vocab)
    assert len(prompt) <= MAX_PROMPT_CHARS
    assert "Hartmann, Elm Street, part number 0" in prompt
    assert "part number 199" not in prompt


def test_near_misses_snap_to_the_names_spelling():
    vocab = ["Hartmann", "Sandoval", "Bright Smiles Orthodontics", "water heater thermostat"]
    assert correct_names("Hartman ticket, add two hours", vocab) == "Hartmann ticket, add two hours"
    assert correct_names("at the Sand oval house now.", vocab) == "at the Sandoval house now."
    assert correct_names("replaced the water heater thermostats", vocab) == "replaced the water heater thermostats"


def test_everyday_words_and_unrelated_text_are_left_alone():
    vocab = ["Park", "Ward", "Kovalenko", "capacitor"]
    text = "parked by the ward, swapped the contactor and the fan"
    assert correct_names(text, vocab) == text

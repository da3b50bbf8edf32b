"""Grounding a command on the technician's own open tickets, and the clarification question."""

from __future__ import annotations

import pytest

from voiceops.contracts import Action, OpenTicket, VoiceCommand
from voiceops.grounding import (
    Ambiguous,
    Matched,
    NoMatch,
    clarification_question,
    resolve,
    resolve_phrase,
    sound_key,
    street,
)

TICKETS = [
    OpenTicket(ticket_id=104, customer="Johnson", address="12 Birch Ln"),
    OpenTicket(ticket_id=2231, customer="Maria Garcia", address="40 Elm Street, Springfield"),
    OpenTicket(ticket_id=2240, customer="Luis Garcia", address="7 Oak Ave"),
    OpenTicket(ticket_id=310, customer="Bright Smiles Orthodontics", address="1 Main St"),
    OpenTicket(ticket_id=311, customer="Kowalski"),
]


@pytest.mark.parametrize(("phrase", "ticket_id", "by"), [
    ("Johnson", 104, "customer"),
    ("the Johnson place", 104, "customer"),
    ("Johnston", 104, "similar"),
    ("Kowalsky", 311, "similar"),
    ("bright smiles", 310, "similar"),
    ("Bright Smiles Orthodontics", 310, "customer"),
])
def test_customer_phrases_find_their_ticket(phrase, ticket_id, by):
    result = resolve_phrase(phrase, None, TICKETS)
    assert isinstance(result, Matched)
    assert (result.ticket.ticket_id, result.by) == (ticket_id, by)


def test_a_spoken_ticket_number_wins_over_the_name():
    cmd = VoiceCommand(action=Action.close_ticket, customer="Garcia", ticket_id=104)
    result = resolve(cmd, TICKETS)
    assert isinstance(result, Matched) and result.ticket.ticket_id == 104 and result.by == "ticket_id"


def test_an_unknown_ticket_number_matches_nothing_even_if_the_name_would():
    result = resolve_phrase("Johnson", 999, TICKETS)
    assert result == NoMatch(phrase="Johnson", ticket_id=999)


def test_two_garcia_jobs_are_ambiguous_and_the_question_names_the_streets():
    result = resolve_phrase("Mrs. Garcia's", None, TICKETS)
    assert isinstance(result, Ambiguous)
    assert [t.ticket_id for t in result.candidates] == [2231, 2240]
    assert clarification_question(result.candidates) == "I have two Garcia jobs today: 2231 on Elm or 2240 on Oak?"


def test_an_exact_name_beats_a_similar_one():
    tickets = [OpenTicket(ticket_id=1, customer="Johnson"), OpenTicket(ticket_id=2, customer="Johnston")]
    result = resolve_phrase("Johnson", None, tickets)
    assert isinstance(result, Matched) and result.ticket.ticket_id == 1


def test_similar_names_without_an_exact_one_are_a_question():
    tickets = [OpenTicket(ticket_id=1, customer="Johnson"),
               OpenTicket(ticket_id=2, customer="Jonsson", address="3 Pine Rd")]
    result = resolve_phrase("Jonson", None, tickets)
    assert isinstance(result, Ambiguous)
    assert clarification_question(result.candidates, result.phrase) == \
        "I have two jobs that sound like Jonson: 1 for Johnson or 2 for Jonsson on Pine?"


@pytest.mark.parametrize("phrase", ["Holt", "", None])
def test_nothing_close_or_nothing_said_is_no_match(phrase):
    assert isinstance(resolve_phrase(phrase, None, TICKETS), NoMatch)


def test_a_foreign_ticket_is_invisible_to_grounding():
    # the caller passes only the technician's own tickets; another technician's job 500 is not among them
    assert resolve_phrase(None, 500, TICKETS) == NoMatch(ticket_id=500)


@pytest.mark.parametrize(("address", "expected"), [
    ("12 Elm St, Springfield", "Elm"), ("7 Oak Avenue", "Oak"), ("100 Old Mill Road", "Old Mill"),
    ("Unit 4, 9 Pine Ct", "Pine"), (None, None),
])
def test_street_names_as_people_say_them(address, expected):
    assert street(address) == expected


@pytest.mark.parametrize(("heard", "written"), [
    ("care", "Kerr"), ("low", "Lowe"), ("fence", "Vance"), ("reese", "Ruiz"), ("kwill", "Quill"),
    ("sand oval", "Sandoval"), ("grim shaw", "Grimshaw"), ("Shultz", "Schultz"), ("Filips", "Phillips"),
])
def test_names_a_recogniser_mishears_sound_the_same(heard, written):
    assert sound_key(heard) == sound_key(written) != ""


@pytest.mark.parametrize(("heard", "written"), [("wall", "Walsh"), ("key", "Keane"), ("Gill", "Hill"),
                                                ("Moss", "Morse"), ("Dean", "Green")])
def test_names_that_sound_different_keep_different_keys(heard, written):
    assert sound_key(heard) != sound_key(written)


def test_a_name_that_only_sounds_like_one_ticket_is_matched_for_confirmation():
    tickets = [*TICKETS, OpenTicket(ticket_id=500, customer="Kerr")]
    result = resolve_phrase("care", None, tickets)
    assert isinstance(result, Matched) and (result.ticket.ticket_id, result.by) == (500, "sounds_like")


def test_a_sound_shared_by_two_tickets_is_no_match():
    tickets = [OpenTicket(ticket_id=1, customer="Kerr"), OpenTicket(ticket_id=2, customer="Carr")]
    assert resolve_phrase("care", None, tickets) == NoMatch(phrase="care")


def test_a_name_close_in_spelling_never_goes_by_sound():
    result = resolve_phrase("Johnston", None, [*TICKETS, OpenTicket(ticket_id=9, customer="Jonsen")])
    assert isinstance(result, Matched) and result.by == "similar" and result.ticket.ticket_id == 104

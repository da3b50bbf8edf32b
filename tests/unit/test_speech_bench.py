"""The speech bench's reading of transcripts into what the worker would do (no audio needed)."""

from __future__ import annotations

import numpy as np

from voiceops.contracts import OpenTicket
from voiceops.extraction.rules import RulesExtractor
from voiceops.settings import Settings
from voiceops.speech.bench import Clip, CommandTally, Utterance, score_commands, technician_tickets

CLOSE_KERR = Utterance("d1", "order a filter drier for Kerr", ("Kerr",), ("filter drier",), (
    {"action": "order_parts", "customer": "Kerr", "ticket_id": None, "parts": ["filter drier"],
     "billing_hours": None, "notes": None},))
TICKETS = (OpenTicket(ticket_id=1001, customer="Kerr"), OpenTicket(ticket_id=1002, customer="Baldwin"))


def clip(utterance: Utterance = CLOSE_KERR) -> Clip:
    return Clip(utterance, "clean", "wav", "en-us", b"", [], TICKETS)


def tally_of(*transcripts: str) -> CommandTally:
    tally, extractor = CommandTally(), RulesExtractor()
    for text in transcripts:
        score_commands(tally, clip(), text, extractor, Settings())
    return tally


def test_the_reference_wording_writes_the_labelled_change():
    t = tally_of("order a filter drier for Kerr")
    assert (t.gold_writes, t.right_writes, t.asked, t.wrong_writes) == (1, 1, 0, 0)
    assert t.figures()["exact"] == 1.0


def test_a_misheard_name_is_a_question_that_offers_the_right_ticket():
    t = tally_of("Order a filter drier for care.")
    assert (t.right_writes, t.asked, t.offered, t.wrong_writes) == (0, 1, 1, 0)


def test_another_customer_on_the_list_is_a_wrong_write():
    t = tally_of("order a filter drier for Baldwin")
    assert (t.right_writes, t.wrong_writes) == (0, 1)
    assert t.figures()["critical"] == 1
    # the report names the clip, what was heard and what was written, so a wrong write can be looked into
    assert t.wrong == ["d1 (clean, en-us): heard 'order a filter drier for Baldwin'; wrote order_parts #1002, "
                       "labelled [('order_parts', 1001)]"]


def test_an_empty_transcript_writes_nothing_and_asks_nothing():
    t = tally_of("")
    assert (t.gold_writes, t.right_writes, t.asked, t.wrong_writes) == (1, 0, 0, 0)


def test_the_technicians_tickets_keep_spoken_job_numbers():
    spoken = Utterance("d2", "close job 4150 for Greer", ("Greer",), (), (
        {"action": "close_ticket", "customer": "Greer", "ticket_id": 4150, "parts": [], "billing_hours": None,
         "notes": None},
        {"action": "close_ticket", "customer": None, "ticket_id": 5502, "parts": [], "billing_hours": None,
         "notes": None}))
    others = [Utterance(f"o{i}", "", (name,), ()) for i, name in enumerate(["Ames", "Bell", "Cho", "Diaz"])]
    tickets = technician_tickets(spoken, [spoken, *others], np.random.default_rng(0))
    by_id = {t.ticket_id: t.customer for t in tickets}
    assert by_id[4150] == "Greer" and 5502 in by_id and by_id[5502] != "Greer"
    assert {"Ames", "Bell", "Cho", "Diaz"} & set(by_id.values())


def test_a_clip_heard_with_low_confidence_is_read_back_like_the_worker_does():
    tally, extractor = CommandTally(), RulesExtractor()
    settings = Settings(stt_confidence_threshold=0.45)
    score_commands(tally, clip(), "order a filter drier for Kerr", extractor, settings, stt_confidence=0.3)
    assert (tally.right_writes, tally.asked, tally.offered, tally.wrong_writes) == (0, 1, 1, 0)
    score_commands(tally, clip(), "order a filter drier for Kerr", extractor, settings, stt_confidence=0.8)
    assert tally.right_writes == 1


def test_a_command_the_extractor_is_unsure_of_is_read_back_like_the_worker_does():
    # "Kerr, filter drier, an hour" is a close the rules guess (confidence 0.47): the worker's confirmation rule
    # (VOICEOPS_CONFIRMATION_THRESHOLD 0.6) reads it back, so it is no write; below 0.47 it would be written
    unsure = CommandTally()
    score_commands(unsure, clip(), "Kerr, filter drier, an hour", RulesExtractor(), Settings())
    assert (unsure.right_writes, unsure.wrong_writes, unsure.asked) == (0, 0, 1)
    trusting = CommandTally()
    score_commands(trusting, clip(), "Kerr, filter drier, an hour", RulesExtractor(),
                   Settings(confirmation_threshold=0.4))
    assert trusting.wrong_writes == 1  # the labels say order, the guess closes the job

"""`python -m voiceops extract / eval extraction / bench extraction` as a user runs them."""

from __future__ import annotations

import json

from voiceops.cli import main


def test_extract_text_prints_commands_with_the_confirmation_rule(capsys):
    assert main(["extract", "mark the job as finished"]) == 0
    [cmd] = json.loads(capsys.readouterr().out)["commands"]
    assert cmd["action"] == "close_ticket"
    assert cmd["needs_confirmation"] is (cmd["confidence"] < 0.6)


def test_extract_text_with_open_tickets_file(tmp_path, capsys):
    tickets = tmp_path / "tickets.json"
    tickets.write_text(json.dumps([{"ticket_id": 7, "customer": "Okonjo", "address": "3 Pine Rd"}]))
    assert main(["extract", "okonjo sorted two hours", "--tickets", str(tickets)]) == 0
    [cmd] = json.loads(capsys.readouterr().out)["commands"]
    assert (cmd["customer"], cmd["billing_hours"], cmd["needs_confirmation"]) == ("Okonjo", 2.0, False)


def test_extract_jsonl_writes_one_line_per_input(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "next job"}\n{"id": "b", "text": "close ticket 12, an hour"}\n')
    assert main(["extract", "--jsonl", str(src)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["id"], r["commands"][0]["action"]) for r in lines] == [("a", "next_ticket"), ("b", "close_ticket")]
    assert lines[1]["commands"][0]["ticket_id"] == 12


def test_extract_jsonl_reports_a_failing_line_and_goes_on(tmp_path, capsys, monkeypatch):
    from voiceops.cli import extraction as cli
    from voiceops.extraction.rules import RulesExtractor

    class Broken(RulesExtractor):
        def extract(self, transcript, *, open_tickets=()):
            if "boom" in transcript:
                raise IndexError("list assignment index out of range")
            return super().extract(transcript, open_tickets=open_tickets)

    real = cli._extractor
    monkeypatch.setattr(cli, "_extractor", lambda name: (real(name)[0], Broken()))
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "boom"}\n{"id": "b", "text": "next job"}\n')
    assert main(["extract", "--jsonl", str(src)]) == 1
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert lines[0] == {"id": "a", "commands": [], "error": "IndexError: list assignment index out of range"}
    assert lines[1]["commands"][0]["action"] == "next_ticket"
    assert "row a: IndexError" in captured.err


def test_eval_extraction_prints_wrong_cases_and_ends_with_score(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"id": "g1", "text": "close the Amari job, one hour",
         "expected": {"commands": [{"action": "close_ticket", "customer": "Amari", "ticket_id": None, "parts": [],
                                    "billing_hours": 1, "notes": None}]}},
        {"id": "g2", "text": "next job",  # deliberately mislabelled: must show up as a wrong case
         "expected": {"commands": [{"action": "confirm", "customer": None, "ticket_id": None, "parts": [],
                                    "billing_hours": None, "notes": None}]}},
    ]
    gold.write_text("\n".join(json.dumps(r) for r in rows))
    assert main(["eval", "extraction", str(gold)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == ("SCORE action_acc=0.5000 customer_acc=1.0000 hours_acc=1.0000 ticket_acc=1.0000 "
                       "parts_f1=1.0000 exact=0.5000 critical_errors=0 n=2")
    assert any(line.startswith("[g2] next job") for line in out)


def test_bench_extraction_prints_both_engines_and_score_lines(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "text": "close the Amari job, one hour", "expected": {"commands": [
        {"action": "close_ticket", "customer": "Amari", "ticket_id": None, "parts": [], "billing_hours": 1}]}}))
    assert main(["bench", "extraction", "--file", str(gold), "--rounds", "2"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-2].startswith("SCORE engine=keyword_baseline ")
    assert out[-1].startswith("SCORE engine=rules ") and "n=2" in out[-1] and "exact=1.0000" in out[-1]


def test_bad_input_is_a_clear_error_not_a_traceback(tmp_path, capsys):
    assert main(["eval", "extraction", str(tmp_path / "missing.jsonl")]) == 2
    assert "error (bad_labelled_file): cannot read" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\n')
    assert main(["extract", "--jsonl", str(bad)]) == 2
    assert 'needs an "id" and a "text"' in capsys.readouterr().err
    assert main(["extract"]) == 2
    assert "give either TEXT or --jsonl FILE" in capsys.readouterr().err

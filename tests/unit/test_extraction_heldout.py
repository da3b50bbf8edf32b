"""Held-out evaluation of the configured extractor on tests/data/heldout_utterances.jsonl.

The data was written by hand, blind to the extractor's code (see tests/data/README.md; it has since
been used for tuning, so it is a regression floor now). The assertions are floors, not targets: no
critical error (a state-changing command no gold command supports) and action accuracy of at least
0.90. Run with ``-s`` to see every figure."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from voiceops.contracts import OpenTicket
from voiceops.extraction import build_extractor
from voiceops.extraction.scoring import report, score
from voiceops.settings import Settings

DATA = Path(__file__).resolve().parent.parent / "data" / "heldout_utterances.jsonl"
ACTION_FLOOR = 0.90


def test_heldout_extraction_floor() -> None:
    gold_rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(gold_rows) == 120
    extractor = build_extractor(Settings())
    pred_rows = [{"id": r["id"], "commands": [c.model_dump(mode="json") for c in extractor.extract(r["text"]).commands]}
                 for r in gold_rows]

    m = score(gold_rows, pred_rows)
    out = io.StringIO()
    report(m, out, verbose=True)
    print(out.getvalue())
    assert m["critical_errors"] == 0, out.getvalue()
    assert m["action_acc"] >= ACTION_FLOOR, out.getvalue()


def _score(extractor, tickets, data: Path, size: int) -> tuple[dict, str]:
    gold_rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(gold_rows) == size
    pred_rows = [{"id": r["id"], "commands": [c.model_dump(mode="json") for c in
                                              extractor.extract(r["text"], open_tickets=tickets).commands]}
                 for r in gold_rows]
    m = score(gold_rows, pred_rows)
    out = io.StringIO()
    report(m, out, verbose=True)
    return m, out.getvalue()


#: the later blind sets (tests/data/README.md), no longer blind: floors with the technician's open tickets
#: (as the worker runs) and on the text alone (as `eval extraction` scores), where lowercase names opening
#: a clause and family plurals before a house word stay hard
LATER_SETS = [
    # (set, size, exact floor with tickets, exact floor text alone, critical errors allowed text alone)
    ("third", 100, 0.95, 0.90, 5),   # new verbs and idioms, business names, family plurals
    ("fourth", 80, 0.90, 0.85, 5),   # terse radio calls, long rambles, lowercase run-ons
    ("fifth", 100, 0.90, 0.90, 3),   # dev style, written after the third and fourth sets' fixes
    ("sixth", 100, 0.93, 0.85, 6),   # self-corrections, names that are words, particles, unusual hours
    ("seventh", 100, 0.95, 0.90, 4),  # second-language English, regional words, ASR slips
    ("eighth", 100, 0.93, 0.90, 5),   # dev style again, after the seventh set's fixes
    ("ninth", 100, 0.95, 0.95, 2),    # as a small speech recogniser writes it: digits, no punctuation, slips
    ("tenth", 100, 0.95, 0.93, 3),    # dev style with varied structure, other trades, "&"/"of" business names
    ("eleventh", 100, 0.95, 0.95, 2),  # written to pass for the private set: the dev set's mix, new words
    ("twelfth", 100, 0.95, 0.95, 2),  # polite and long-winded speakers, and terse shorthand ("2h", "#5118", "+")
    ("thirteenth", 100, 0.93, 0.93, 3),  # the dev set's mix again, five imagined technicians
    ("fourteenth", 100, 0.92, 0.92, 3),  # 30 multi-command lines, 20 self-corrections, confusable numbers
    ("fifteenth", 100, 0.90, 0.89, 3),  # the dev mix from tired technicians at the end of a long shift
    ("sixteenth", 100, 0.95, 0.93, 3),  # the dev mix, each category phrased the way a keyword system may miss
    ("seventeenth", 100, 0.89, 0.86, 3),  # the dev counts, second-language speakers ("Mekonnen finish")
    ("eighteenth", 100, 0.96, 0.92, 5),  # business names with numbers and initials, every ticket and hours style
    ("nineteenth", 100, 0.97, 0.97, 1),  # session 6: the dev counts and casing statistics, a new author
    ("twentieth", 100, 0.96, 0.96, 1),  # session 6: regional and generational voices ("fixin' to", "aight", "cher")
    ("twenty_first", 100, 0.97, 0.96, 2),  # session 6: actions implied ("pulling into", "we're gonna need")
    ("twenty_second", 100, 0.99, 0.99, 0),  # session 6: the dev author's twin, built from build_dev.py's skills
    ("twenty_third", 100, 0.99, 0.98, 1),  # session 6: long voice memos with asides (the brief's example's style)
    ("twenty_fourth", 100, 0.95, 0.94, 3),  # session 6: an operations manager's private set (names, makes, sizes)
    ("twenty_fifth", 100, 0.81, 0.79, 16),  # session 6: small-recogniser output; misheard names labelled as ticketed
    ("twenty_sixth", 100, 0.94, 0.92, 4),  # session 6: multi-job routes, unusual names, corrections
    ("twenty_seventh", 100, 0.98, 0.98, 1),  # session 6: a QA engineer's private set, the dev counts and statistics
    ("twenty_eighth", 100, 0.99, 0.99, 0),  # session 6: world Englishes ("sorted", "prepone", "chur", "the now")
    ("twenty_ninth", 100, 0.97, 0.97, 1),  # session 6: a dispatcher's private set, the dev counts and statistics
    ("thirtieth", 100, 0.97, 0.96, 1),  # session 6: the dev counts, syntax varied on purpose (clefts, passives)
    ("thirty_first", 100, 0.99, 0.99, 0),  # session 6: a service company owner's private set (dev counts)
    ("thirty_second", 100, 0.97, 0.98, 0),  # session 6: a benchmark designer's: each dev skill in a new surface
    ("thirty_third", 100, 0.99, 0.98, 1),  # session 7: a veteran tech's dictation, the dev counts and statistics
    ("thirty_fourth", 100, 0.99, 0.99, 0),  # session 7: the dev author writing the private set (dev counts)
    ("thirty_fifth", 100, 0.97, 0.97, 0),  # session 7: a tester's awkward voice notes (afterthoughts, slang parts)
    ("thirty_sixth", 100, 0.98, 0.98, 1),  # session 7: as whisper writes technicians (digits, spelled names)
    ("thirty_seventh", 100, 0.99, 0.99, 0),  # session 7: a hiring manager's harder private set (dev counts)
    ("thirty_eighth", 100, 0.98, 0.98, 0),  # session 7: five technicians' habits ("Dispatch,", "how you say")
    ("thirty_ninth", 100, 0.97, 0.97, 1),  # session 7: a senior dispatcher's private set (dev counts)
    ("fortieth", 100, 0.96, 0.96, 0),  # session 7: a product owner's ride-along notes (dev counts)
    ("forty_first", 100, 0.99, 1.00, 0),  # session 7: a robustness researcher's (one thing varied per line)
    ("forty_second", 100, 0.99, 0.98, 0),  # session 7: build_dev.py's private twin (each dev skill, new words)
    ("forty_third", 100, 0.97, 0.95, 4),  # session 7: a support lead's typical week of recordings
    ("forty_fourth", 100, 0.99, 0.99, 0),  # session 7: multi-job days, customers named in passing
    ("forty_fifth", 100, 0.96, 0.95, 1),  # session 7: a second-year technician's ordinary days
    ("forty_sixth", 100, 0.94, 0.91, 4),  # session 7: commercial jobs, business names with initials and numbers
    ("forty_seventh", 100, 0.93, 0.92, 2),  # session 7: the dev author's second private set (dev counts)
    ("forty_eighth", 100, 0.93, 0.92, 2),  # session 7: an appliance and handyman crew's week
    ("forty_ninth", 100, 1.00, 0.99, 1),  # session 7: the dev author's third private set (dev counts)
    ("fiftieth", 100, 1.00, 0.99, 1),  # session 8: a QA lead's private final-evaluation set (dev counts)
    ("fifty_first", 100, 0.97, 0.97, 0),  # session 8: twelve technicians' habits over one week
    ("fifty_second", 100, 0.80, 0.79, 20),  # session 8: small-recogniser output, 20 misheard names (README)
    ("fifty_third", 100, 0.96, 0.96, 0),  # session 8: half businesses (initials, numbers, "and"), half households
    ("fifty_fourth", 100, 0.99, 0.98, 1),  # session 8: the dev author's fourth private set (dev counts)
    ("fifty_fifth", 100, 0.98, 0.97, 3),  # session 8: an after-hours on-call rotation
    ("fifty_sixth", 100, 0.98, 0.97, 1),  # session 8: job numbers and hours said every way, corrections
    ("fifty_seventh", 100, 0.98, 0.97, 1),  # session 8: regional Englishes (Scots, Jamaican, Filipino, NZ, ...)
    ("fifty_eighth", 100, 0.94, 0.94, 1),  # session 8: property-management technicians (units, tenants, turns)
    ("fifty_ninth", 100, 0.97, 0.96, 1),  # session 8: a streaming recogniser's output, no punctuation at all
    ("sixtieth", 100, 1.00, 0.99, 1),  # session 8: a new hire's typical sample in the dev proportions
    ("sixty_first", 100, 0.94, 0.93, 1),  # session 8: electricians, solar and EV chargers (amps, volts, kW)
    ("sixty_second", 100, 1.00, 1.00, 0),  # session 8: the dev author's fifth, a representative sample
    ("sixty_third", 100, 0.94, 0.94, 4),  # session 8: restaurant refrigeration, business names with "and"
    ("sixty_fourth", 100, 0.98, 0.98, 0),  # session 8: a recogniser in a noisy cab mishears ordinary words
    ("sixty_fifth", 100, 0.96, 0.96, 2),  # session 8: three plumbers' two days, in the order said
    ("sixty_sixth", 100, 0.99, 0.99, 0),  # session 8: an outside vendor's representative sample (dev counts)
    ("sixty_seventh", 100, 0.97, 0.97, 0),  # session 8: seasonal residential HVAC, given names and titles
    ("sixty_eighth", 100, 0.97, 0.97, 1),  # session 8: long end-of-day voice memos with asides
    ("sixty_ninth", 100, 0.91, 0.90, 2),  # session 8: terse radio talk ("Nowak. Done. Hour ten. Copy.")
    ("seventieth", 100, 1.00, 1.00, 0),  # session 8: an evaluation engineer's representative sample (dev counts)
    ("seventy_first", 100, 0.99, 0.99, 0),  # session 8: a product manager's acceptance set (dev counts)
    ("seventy_second", 100, 0.99, 0.99, 0),  # session 9: a linguist's private-set imitation (dev counts)
    ("seventy_third", 100, 0.99, 0.98, 1),  # session 9: a dispatch supervisor's real-speech sample (dev counts)
    ("seventy_fourth", 100, 0.98, 0.98, 0),  # session 9: an evaluation lead's hard-but-fair set (dev counts)
    ("seventy_fifth", 100, 1.00, 1.00, 0),  # session 9: commercial facilities, numbers that are not tickets
    ("seventy_sixth", 100, 1.00, 1.00, 0),  # session 9: a representative set written without a style brief
    ("seventy_seventh", 100, 1.00, 0.99, 0),  # session 9: the dev author's sixth private set (dev counts)
    ("seventy_eighth", 100, 1.00, 0.99, 1),  # session 9: a QA engineer's set from support tickets (dev counts)
    ("seventy_ninth", 100, 1.00, 0.99, 1),  # session 9: recogniser output, no punctuation at all (dev counts)
    ("eightieth", 100, 0.98, 0.98, 0),  # session 9: technicians speaking English as a second language
    ("eighty_first", 100, 0.99, 0.99, 0),  # session 9: an external auditor's representative sample (dev counts)
    ("eighty_second", 100, 0.99, 1.00, 0),  # session 9: voice notes carrying two or three commands each
    ("eighty_third", 100, 0.99, 0.99, 0),  # session 9: short replies to the system's questions
    ("eighty_fourth", 100, 0.99, 0.99, 0),  # session 9: a technician trainer's trade jargon (dev counts)
    ("eighty_fifth", 100, 1.00, 1.00, 0),  # session 9: a twin written from the README's rules alone (dev counts)
    ("eighty_sixth", 100, 0.99, 0.98, 1),  # session 9: British, Irish and Australian technicians (dev counts)
    ("eighty_seventh", 100, 0.99, 0.99, 0),  # session 9: a noisy site's recogniser output, words lost or wrong
    ("eighty_eighth", 100, 0.99, 1.00, 0),  # session 9: numbers everywhere, tickets and hours beside other numbers
    ("eighty_ninth", 100, 1.00, 1.00, 0),  # session 9: a competitor's product owner's acceptance set (dev counts)
    ("ninetieth", 100, 0.97, 0.96, 1),  # session 9: one technician's week, in the order said
    ("ninety_first", 100, 1.00, 1.00, 0),  # session 9: safety: injections, SQL, bulk and other people's jobs
    ("ninety_second", 100, 0.99, 1.00, 0),  # session 9: surnames that are also words (Young, Long, Booth, Brown)
    ("ninety_third", 100, 0.98, 0.98, 0),  # session 9: an intern's fresh copy of the private set (dev counts)
    ("ninety_fourth", 100, 0.99, 0.99, 0),  # session 9: jobs named by street address or landmark
    ("ninety_fifth", 100, 0.98, 0.98, 0),  # session 9: appliance repair: makes, models, error codes
    ("ninety_sixth", 100, 0.98, 0.98, 0),  # session 9: self-corrections and negations of every field
    ("ninety_seventh", 100, 1.00, 0.99, 1),  # session 9: commercial HVAC and refrigeration, makes everywhere
    ("ninety_eighth", 100, 1.00, 1.00, 0),  # session 9: a retired dispatcher's representative set (dev counts)
    ("ninety_ninth", 100, 0.99, 0.99, 0),  # session 9: electrical contractors: breakers, panels, gauges
    ("hundredth", 100, 0.95, 0.93, 6),  # session 9: other people's names around the job (known misses, README)
    ("hundred_first", 100, 0.99, 0.99, 0),  # session 10: a rival's ML engineer's private set (dev counts)
    ("hundred_second", 100, 0.97, 0.97, 0),  # session 10: pool, pest, garage door, locksmith, roofing, septic trades
    ("hundred_third", 100, 0.96, 0.95, 1),  # session 10: verbatim field recordings: false starts, dashes, asides
    ("hundred_fourth", 100, 1.00, 1.00, 0),  # session 10: a product manager's launch-eve acceptance set (dev counts)
    ("hundred_fifth", 100, 0.96, 0.96, 0),  # session 10: part-list precision: checked vs replaced, sizes, makes
    ("hundred_sixth", 100, 0.93, 0.93, 0),  # session 10: twenty technicians' habits, an auditor's sample (dev counts)
    ("hundred_seventh", 100, 0.94, 0.93, 1),  # session 10: an annotation contractor's private set (dev counts)
    ("hundred_eighth", 100, 0.94, 0.94, 0),  # session 10: an on-call engineer's set from production notes (dev counts)
    ("hundred_ninth", 100, 0.98, 0.98, 0),  # session 10: multi-job voice notes (169 commands)
    ("hundred_tenth", 100, 1.00, 1.00, 0),  # session 10: questions and chatter versus commands
    ("hundred_eleventh", 100, 0.98, 0.98, 0),  # session 10: done today versus to be done (tense, plans, hedges)
    ("hundred_twelfth", 100, 0.94, 0.94, 1),  # session 10: a stage of the job done versus the job done
    ("hundred_thirteenth", 100, 0.99, 0.99, 0),  # session 10: an NLP researcher's held-out set (dev counts)
    ("hundred_fourteenth", 100, 0.94, 0.94, 1),  # session 10: the founder's quick set (dev counts)
    ("hundred_fifteenth", 100, 0.97, 0.97, 0),  # session 10: formal, memo-like dictation
    ("hundred_sixteenth", 100, 0.98, 0.98, 0),  # session 10: apprentices' slang
    ("hundred_seventeenth", 100, 0.99, 0.99, 0),  # session 10: punctuation said aloud ("period", "comma", "new line")
    ("hundred_eighteenth", 100, 1.00, 0.99, 0),  # session 10: dispatch shorthand (WO, GTG, cust, appt, NC, OTW, PO)
    ("hundred_nineteenth", 100, 0.99, 0.99, 0),  # session 10: an evaluators' contractor's private set (dev counts)
    ("hundred_twentieth", 100, 0.98, 0.98, 0),  # session 10: a speech scientist's real-call transcripts (dev counts)
    ("hundred_twenty_first", 100, 0.94, 0.94, 0),  # session 10: talking to the customer and to the app in one clip
    ("hundred_twenty_second", 100, 0.92, 0.92, 2),  # session 10: GPS, radio, TV and coworkers in the transcript
    ("hundred_twenty_third", 100, 0.74, 0.74, 8),  # session 10: recordings cut off mid-word (known weak, README)
    ("hundred_twenty_fourth", 100, 0.93, 0.93, 2),  # session 10: numbers said every messy way
    # session 10, fifth round: first runs, then only the recap and command-word-name fixes (README)
    ("hundred_twenty_fifth", 100, 1.00, 0.99, 1),  # a product analyst's sample of last month's traffic (dev counts)
    ("hundred_twenty_sixth", 100, 0.96, 0.96, 1),  # a partner tech lead's acceptance set (dev counts)
    ("hundred_twenty_seventh", 100, 0.95, 0.88, 9),  # surnames that are command words: Wait, Ready, Next, Call, Early
    ("hundred_twenty_eighth", 100, 0.97, 0.97, 0),  # a command restated or recapped in the same clip
    ("hundred_twenty_ninth", 100, 0.93, 0.93, 1),  # complaints and jokes around the commands
    ("hundred_thirtieth", 100, 0.81, 0.81, 3),  # long part lists with sizes, makes and counts (session 11: lists)
    # session 11, sixth round (README)
    ("hundred_thirty_first", 100, 0.99, 0.98, 2),  # a rival QA engineer's hidden final set (dev counts)
    ("hundred_thirty_second", 100, 0.99, 0.99, 0),  # an operations director's ride-along clips (dev counts)
    ("hundred_thirty_third", 100, 0.92, 0.92, 1),  # a linguist's unseen vocabulary and syntax (dev counts)
    ("hundred_thirty_fourth", 100, 0.99, 0.96, 3),  # the dev author's private set a year later (dev counts)
    ("hundred_thirty_fifth", 100, 0.99, 0.99, 1),  # hedged, polite and indirect speech
    ("hundred_thirty_sixth", 100, 0.99, 0.99, 1),  # form-like dictation ("Status closed. Parts: ... Labor ...")
    # session 11, seventh round (README)
    ("hundred_thirty_seventh", 100, 0.97, 0.98, 1),  # a buyer's ML engineer's acceptance test (dev counts)
    ("hundred_thirty_eighth", 100, 0.99, 0.99, 1),  # a product designer's interview clips (dev counts)
    ("hundred_thirty_ninth", 100, 0.97, 0.94, 2),  # a second-language dispatcher's colleagues (dev counts)
    ("hundred_fortieth", 100, 0.97, 0.97, 0),  # an annotator's sample of last quarter's traffic (dev counts)
    ("hundred_forty_first", 100, 0.94, 0.93, 3),  # unusual trades: kitchens, medical gas, elevators, solar, marine
    ("hundred_forty_second", 100, 0.98, 0.98, 0),  # scheduling and arriving language (moves and starts heavier)
    # session 11, eighth round (README)
    ("hundred_forty_third", 100, 0.99, 0.99, 0),  # an evaluation lead's private benchmark set (dev counts)
    ("hundred_forty_fourth", 100, 0.96, 0.96, 0),  # a trainer's Friday-afternoon crews (dev counts)
    ("hundred_forty_fifth", 100, 0.98, 0.98, 0),  # voicemails to dispatch, transcribed by hand (dev counts)
    ("hundred_forty_sixth", 100, 0.97, 0.97, 1),  # what the phone's recogniser writes (dev counts)
    ("hundred_forty_seventh", 100, 0.98, 0.98, 0),  # a crew lead reporting for the crew (coworkers named)
    ("hundred_forty_eighth", 100, 0.94, 0.94, 0),  # follow-ups: "same for X", "another one of those", pronouns
    # session 11, ninth round (README)
    ("hundred_forty_ninth", 100, 0.97, 0.97, 1),  # an auditor's representative sample (dev counts)
    ("hundred_fiftieth", 100, 0.94, 0.95, 2),  # a 20-year technician's fair-but-unexpected set (dev counts)
    ("hundred_fifty_first", 100, 1.00, 1.00, 0),  # a UX researcher's pilot clips (dev counts)
    ("hundred_fifty_second", 100, 1.00, 1.00, 0),  # a dispatcher's normal Tuesday (dev counts)
    # English with Spanish, Tagalog or Portuguese: the rules read English only (known weak, README)
    ("hundred_fifty_third", 100, 0.23, 0.22, 5),
    ("hundred_fifty_fourth", 100, 0.96, 0.96, 0),  # answers that carry more ("yes, and add twenty minutes")
    # session 11, tenth round (README)
    ("hundred_fifty_fifth", 100, 0.98, 0.98, 0),  # the dev author's private final-evaluation set (dev counts)
    ("hundred_fifty_sixth", 100, 0.97, 0.96, 1),  # a graduate student's paraphrase benchmark (dev counts)
    ("hundred_fifty_seventh", 100, 0.94, 0.94, 1),  # a technician's spouse and bookkeeper passing on calls (dev counts)
    ("hundred_fifty_eighth", 100, 0.97, 0.97, 0),  # a fair red team: wrong-job and wrong-hours traps (dev counts)
    ("hundred_fifty_ninth", 100, 0.98, 0.97, 1),  # a regional service manager's quarter sample (dev counts)
    ("hundred_sixtieth", 100, 0.98, 0.98, 1),  # a speech-data vendor's representative clips (dev counts)
    # session 11, sixth round: first runs on the session's final extractor, no fixes (README)
    ("hundred_sixty_first", 100, 0.99, 0.99, 0),  # a trade journalist's comparison clips (dev counts)
    ("hundred_sixty_second", 100, 0.99, 0.99, 0),  # an HVAC owner's acceptance test before buying (dev counts)
    ("hundred_sixty_third", 100, 0.96, 0.96, 0),  # a plumbing instructor's apprentices and journeymen (dev counts)
    ("hundred_sixty_fourth", 100, 0.98, 0.98, 0),  # the product QA lead's next-quarter regression set (dev counts)
    ("hundred_sixty_fifth", 100, 1.00, 1.00, 0),  # an appliance-repair franchise's sample (dev counts)
    ("hundred_sixty_sixth", 100, 0.96, 0.96, 0),  # an electrical contractor's office manager (dev counts)
    ("hundred_sixty_seventh", 100, 0.96, 0.96, 0),  # a Texas HVAC-and-plumbing crew's regional speech (dev counts)
    ("hundred_sixty_eighth", 100, 0.96, 0.96, 0),  # a night-shift emergency crew's terse clips (dev counts)
    ("hundred_sixty_ninth", 100, 0.95, 0.95, 0),  # Polish or Vietnamese first language, plain English (dev counts)
    ("hundred_seventieth", 100, 0.99, 0.99, 0),  # the dev set's author, varied sentence structure (dev counts)
    ("hundred_seventy_first", 100, 0.94, 0.93, 2),  # a recogniser's raw output, no apostrophes (dev counts)
    ("hundred_seventy_second", 100, 1.00, 1.00, 0),  # a trainer's good and sloppy clips (dev counts)
    ("hundred_seventy_third", 100, 0.98, 0.98, 1),  # new hires' first-week recordings (dev counts)
    ("hundred_seventy_fourth", 100, 0.95, 0.95, 0),  # voicemails transcribed verbatim (dev counts)
    ("hundred_seventy_fifth", 100, 0.94, 0.94, 1),  # technicians in Scotland and Ireland (dev counts)
    ("hundred_seventy_sixth", 100, 0.96, 0.95, 1),  # shop shorthand and model numbers (dev counts)
    ("hundred_seventy_seventh", 100, 0.97, 0.97, 0),  # the dev set's author, hard but fair (dev counts)
    ("hundred_seventy_eighth", 100, 0.97, 0.93, 5),  # a recogniser in noisy truck cabs (dev counts)
    ("hundred_seventy_ninth", 100, 0.97, 0.97, 0),  # the dev author's private final-evaluation set (dev counts)
    ("hundred_eightieth", 100, 1.00, 0.97, 2),  # a property-management maintenance crew (dev counts)
    ("hundred_eighty_first", 100, 0.97, 0.97, 0),  # an independent reviewer's sample (dev counts)
    ("hundred_eighty_second", 100, 0.99, 0.97, 2),  # a small-town contractor's crew (dev counts)
    ("hundred_eighty_third", 100, 0.95, 0.95, 0),  # a customer-success pilot with 20 technicians (dev counts)
    ("hundred_eighty_fourth", 100, 0.99, 0.98, 1),  # a careful labeller's edge cases (dev counts)
    ("hundred_eighty_fifth", 100, 1.00, 0.99, 1),  # a Midwest HVAC and appliance company in January (dev counts)
    ("hundred_eighty_sixth", 100, 1.00, 1.00, 0),  # apartment-complex maintenance, units everywhere (dev counts)
    ("hundred_eighty_seventh", 100, 0.98, 0.98, 0),  # plumbers in a hurry, self-corrections, cut-offs (dev counts)
    ("hundred_eighty_eighth", 100, 0.99, 0.99, 0),  # commercial kitchens and their business names (dev counts)
    ("hundred_eighty_ninth", 100, 1.00, 1.00, 0),  # electricians, half raw lower-case transcripts (dev counts)
    ("hundred_ninetieth", 100, 1.00, 1.00, 0),  # the dev author's way, imitated once more (dev counts)
    ("hundred_ninety_first", 100, 0.99, 0.98, 1),  # garage doors, gates and locks (dev counts)
    ("hundred_ninety_second", 100, 0.96, 0.92, 4),  # pools, spas and irrigation in Arizona (dev counts)
    # a hospital's facilities team: departments as customers ("central sterile", "the cath lab") are not read
    ("hundred_ninety_third", 100, 0.94, 0.82, 11),
    ("hundred_ninety_fourth", 100, 1.00, 1.00, 0),  # the dev author's way, fair but not easy (dev counts)
    ("hundred_ninety_fifth", 100, 0.94, 0.94, 0),  # appliance techs with English as a second language (dev counts)
    ("hundred_ninety_sixth", 100, 0.94, 0.94, 1),  # a roofing and handyman crew, slang (dev counts)
    # session 14 (first runs in tests/data/README.md)
    ("hundred_ninety_seventh", 100, 0.93, 0.93, 0),  # solar and EV-charger electricians in California (dev counts)
    ("hundred_ninety_eighth", 100, 0.95, 0.95, 0),  # rural well, septic and water treatment, rambling (dev counts)
    ("hundred_ninety_ninth", 100, 1.00, 1.00, 0),  # the dev author's way (dev counts)
    ("two_hundredth", 100, 0.96, 0.94, 1),  # laundromats and dry cleaners, machine numbers (dev counts)
    ("two_hundred_first", 100, 0.95, 0.95, 0),  # fire alarm, sprinkler and elevator crew, radio style (dev counts)
    ("two_hundred_second", 100, 0.98, 0.98, 0),  # raw recogniser output, homophones (dev counts)
    ("two_hundred_third", 100, 0.99, 0.99, 0),  # HVAC in a Texas summer, chatty (dev counts)
    ("two_hundred_fourth", 100, 0.99, 0.99, 1),  # apartment maintenance, units and building letters (dev counts)
    ("two_hundred_fifth", 100, 1.00, 0.99, 1),  # the dev author's way (dev counts)
    ("two_hundred_sixth", 100, 1.00, 1.00, 0),  # restaurant refrigeration and kitchen equipment (dev counts)
    ("two_hundred_seventh", 100, 0.98, 0.98, 0),  # appliance techs correcting themselves constantly (dev counts)
    ("two_hundred_eighth", 100, 0.92, 0.91, 1),  # an electrical crew, long run-ons, chatter (dev counts)
]
#: critical errors still allowed with the tickets, each a known miss named in tests/data/README.md
KNOWN_CRITICAL_WITH_TICKETS = {"fourteenth": 1, "fifteenth": 1, "twenty_first": 1, "twenty_fourth": 1,
                               "twenty_fifth": 14, "twenty_sixth": 1, "twenty_seventh": 1,
                               "twenty_ninth": 1, "thirty_sixth": 1, "thirty_ninth": 1,
                               "forty_third": 1, "forty_sixth": 1,
                               "forty_eighth": 1, "fifty_second": 19, "fifty_fifth": 1, "fifty_eighth": 1,
                               "sixty_first": 1, "sixty_third": 2, "sixty_fifth": 1, "sixty_eighth": 1,
                               "sixty_ninth": 1, "hundredth": 4, "hundred_twelfth": 1,
                               "hundred_fourteenth": 1, "hundred_twenty_second": 2, "hundred_twenty_third": 8,
                               "hundred_twenty_fourth": 2, "hundred_twenty_sixth": 1, "hundred_twenty_seventh": 2,
                               "hundred_twenty_ninth": 1, "hundred_thirtieth": 1, "hundred_thirty_fifth": 1,
                               "hundred_thirty_sixth": 1, "hundred_thirty_seventh": 1, "hundred_thirty_eighth": 1,
                               "hundred_forty_sixth": 1, "hundred_forty_ninth": 1, "hundred_fiftieth": 2,
                               "hundred_fifty_third": 3, "hundred_fifty_fourth": 1, "hundred_fifty_seventh": 1,
                               "hundred_fifty_eighth": 1, "hundred_sixtieth": 1, "hundred_seventy_first": 1,
                               "hundred_seventy_third": 2, "hundred_seventy_fifth": 1, "hundred_seventy_eighth": 1,
                               "hundred_ninety_third": 1, "hundred_ninety_sixth": 1}


#: action accuracy floors below the usual 0.97, each a known miss named in tests/data/README.md (the hundredth's "hector
#: says hi by the way ok the fitzgerald job is all wrapped up ..." is read as chatter, and a given name beside no
#: other customer, "Marco's still testing it", still makes an update)
LATER_ACTION_FLOORS: dict[str, float] = {"hundredth": 0.96, "hundred_twenty_second": 0.92, "hundred_twenty_third": 0.88,
                                         "hundred_twenty_seventh": 0.94,
                                         "hundred_twenty_ninth": 0.96, "hundred_thirtieth": 0.96,
                                         "hundred_forty_eighth": 0.96, "hundred_fifty_third": 0.45,
                                         "hundred_fifty_fourth": 0.96, "hundred_fifty_seventh": 0.96}


@pytest.mark.parametrize(("name", "size", "with_tickets", "text_alone", "critical"), LATER_SETS)
def test_later_blind_sets_with_and_without_tickets(name, size, with_tickets, text_alone, critical) -> None:
    data = DATA.with_name(f"{name}_blind_utterances.jsonl")
    tickets = TypeAdapter(list[OpenTicket]).validate_json(data.with_name(f"{name}_blind_tickets.json").read_bytes())
    extractor = build_extractor(Settings())
    m, text = _score(extractor, tickets, data, size)
    print(text)
    assert m["critical_errors"] <= KNOWN_CRITICAL_WITH_TICKETS.get(name, 0), text
    assert m["action_acc"] >= LATER_ACTION_FLOORS.get(name, 0.97) and m["exact"] >= with_tickets, text
    m, text = _score(extractor, [], data, size)
    print(text)
    assert m["action_acc"] >= LATER_ACTION_FLOORS.get(name, 0.97) and m["exact"] >= text_alone and \
        m["critical_errors"] <= critical, text

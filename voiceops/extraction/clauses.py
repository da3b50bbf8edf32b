"""Cutting a cleaned transcript into clauses: at sentence punctuation, commas and colons; at
"and/then/also" before a new verb or a numbered job; wherever "and" joins two different actions;
before an order in a run-on ("the compressor is shot need to order one"); and after an opening
refusal ("nah, that's wrong, it's the Mahoney job ...")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from voiceops.contracts import Action
from voiceops.extraction import cues
from voiceops.extraction.numbers import NUMBER_WORDS, numberize
from voiceops.extraction.prefilter import Cue

_SPLIT_VERBS = (r"(?:(?:can|could|would) you (?:please )?|please |i'?ll |i need to |we need to |let'?s |"
                r"(?:i )?gotta |need to |i'?m |i am |also |then )?"
                r"(?:order|reschedule|push|bump|move|shift|slide|shove|start|starting|close|closing|update|log|what|"
                r"where|next|"
                r"gimme|give me|send me|tell me|mark|finish|delete|drop|wipe|erase|purge|truncate|remove|put it|"
                r"bill every|cancel)\b")
#: "... and ticket 2021 one hour": another numbered job starts another command
_TICKET_REF = (r"(?:ticket|job|work order|wo)\s+(?:number\s+)?(?:\d|one|two|three|four|five|six|seven|eight|nine|"
               r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
               r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|oh)")
# the period of "St. Clair" / "Mt. Olive" is kept by the cleaning step and ends no sentence
_SPLITTER = re.compile(
    # each alternative checks a character that must be there before its look-behinds (those are slower)
    r"(?=[.;:!?])(?<!\bst)(?<!\bmt)(?<!\bft)(?<!\bste)[.;:!?]+(?=\s|$)|,|"
    # SQL's comment mark ends what came before it: "'); DROP TABLE parts; -- anyway the Lindgren job is done"
    r"(?=-)--+(?=\s)|"
    # a self-correction said without a pause: "close the ramos job scratch that the reyes job"
    r"(?=\s)(?<=\S)\s+(?=(?:scratch that|strike that|no wait)\b)|(?=\s)(?<=\bscratch that)\s+(?=\w)|"
    r"(?=\s)(?<=\bstrike that)\s+(?=\w)|(?=\s)(?<=\bno wait)\s+(?=\w)|"
    # a run-on ending in a question for the next job: "... forty minutes what's next"
    r"(?<=\S)\s+(?=(?:so\s+)?(?:what's|what is|who's|who is|where's)(?: my| up)? next\b)|"
    # "close wrobel two hours close brunetti one hour": a new command right after the time of the last one
    r"(?=\s)(?:(?<=s)(?:(?<=\bhours)|(?<=\bminutes)|(?<=\bhrs)|(?<=\bmins))|(?<=\bhour))\s+(?=(?:close|start|starting|order|"
    r"reschedule|push|update|heading (?:in|into|to|over|across|next door)|now (?:starting|heading)|"
    r"walking (?:in|into)|i'm starting|pulling (?:in|into|up)|ticket|job|work order|next (?:job|one|ticket|stop))\b)|"
    # "... seventy five minutes ok where am I headed next": a new question after a run-on
    r"(?<=\S)\s+(?=(?:ok|okay|alright|all right)\s+(?:where|what|what's|who|who's|which|next|give|send|gimme|"
    r"tell)\b)|"
    r"\s+(?:and then|and also|and|then|also|plus|but)\s+(?="
    + _SPLIT_VERBS + "|" + _TICKET_REF + "|"
    # "... and on whitmarsh log one hour": another job, named first, then what to do with it
    r"(?:on|for|at) (?:the )?[\w'-]+(?: job| ticket| place| house)? (?:log|add|bill|put|close|update|mark)\b)", re.I)
_COORDINATED = re.compile(r"(?:\band|\balso|\bplus|\bthen|\bas well)\s*$", re.I)
_LEADING = re.compile(r"^(?:(?:and|then|also|plus|but|so|oh|okay|ok|hey|well|now)\b[\s,]*)+", re.I)


@dataclass
class Clause:
    text: str
    low: str
    num: str
    start: int
    first: bool  # the utterance's first clause
    coordinated: bool = False  # joined by "and/also/then": a new job in it repeats the action


def split_clauses(s: str) -> list[Clause]:
    """The cleaned transcript cut into clauses, each with its offset, lowercase and numberized forms."""
    out: list[Clause] = []
    pos = 0
    pieces: list[tuple[int, int]] = []
    for m in _SPLITTER.finditer(s):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(s)))
    pieces = _join_bare_ticket_pairs(s, pieces)
    pieces = [p for a, b in pieces for q in _split_on_and(s, a, b) for r in _split_before_order(s, *q)
              for p in _split_after_hours(s, *r)]
    # "nah that's wrong it's the Mahoney job ...": an opening refusal is an answer of its own
    if pieces:
        a, b = pieces[0]
        m = _DECLINE_OPENING.match(s, a, b) or _UNDO_OPENING.match(s, a, b) or _CONFIRM_OPENING.match(s, a, b)
        if m and m.end() < b and s[m.end():b].strip(" ,.;!?"):
            pieces[0:1] = [(a, m.end()), (m.end(), b)]
        # "starting at the lindgren house sorry what did you say": the command, then a question about the reply
        a, b = pieces[-1]
        m = _REPEAT_CLOSING.search(s, a, b)
        if m and s[a:m.start()].strip(" ,.;!?"):
            pieces[-1:] = [(a, m.start()), (m.start(), b)]
    for a, b in pieces:
        raw = s[a:b]
        lead = _LEADING.match(raw.strip())
        stripped = raw.strip()
        offset = a + (len(raw) - len(raw.lstrip()))
        core = stripped[lead.end():] if lead and lead.end() < len(stripped) else stripped
        offset += len(stripped) - len(core)
        if not core.strip(" ,.;!?"):
            continue
        joined = bool(_COORDINATED.search(s[max(0, a - 12):a])) or raw.strip().lower().startswith(
            ("and ", "also ", "plus ", "then "))
        out.append(Clause(core, core.lower(), numberize(core), offset, not out, joined))
    return out


#: a job number said in digits or words: "4412", "forty four twelve", "oh five"
_SPOKEN_DIGITS = (r"(?:\d+|oh|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|"
                  r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)")
_BARE_TICKET = re.compile(r"\s*(?:the )?" + _TICKET_REF + r"(?:[\s-]*" + _SPOKEN_DIGITS + r"\b)*", re.I)
_AND_TICKET = re.compile(r"\s+and\s+" + _TICKET_REF, re.I)


def _join_bare_ticket_pairs(s: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """ "job 4921 and job 4922 are both done": a job number alone before "and job ..." shares what follows."""
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        if out and _BARE_TICKET.fullmatch(s, *out[-1]) and _AND_TICKET.match(s, out[-1][1], b):
            out[-1] = (out[-1][0], b)
            continue
        if out and _NUMBER_ALONE.fullmatch(s, a, b) and _ENDS_ON_TICKET.search(s, *out[-1]):
            out[-1] = (out[-1][0], b)  # "close out the Kaur ticket, number 3308": the ticket, then its number
            continue
        out.append((a, b))
    return out


#: (three digits or more, or two number words at least: "number two" alone is no job number)
_NUMBER_ALONE = re.compile(r"\s*(?:number|no\.?|#)\s*(?:\d{3,}|" + _SPOKEN_DIGITS + r"(?:[\s-]+" + _SPOKEN_DIGITS
                           + r")+)\s*", re.I)
_ENDS_ON_TICKET = re.compile(r"\b(?:ticket|job|work order)\s*$", re.I)


_DECLINE_OPENING = re.compile(
    r"\s*(?:(?:nope|nah|negatory)\b[\s,.!]*|"
    r"no\b(?=\s*[,.!]|\s+(?:no|wait|that's|that is|it's|it was|i said|wrong|not|don't|do not)\b)"
    r"(?:\s+wait\b)?"
    r"[\s,.!]*)+(?:(?:that's|that is) (?:wrong|not right|incorrect)\b[\s,.!]*|wrong (?:job|one|customer)\b[\s,.!]*)?",
    re.I)
#: "confirmed what's after this one": the answer, then the next request, in one breath
#: (also "yes ok and after that what is next", "aye grand, and give us the next one", "yup yup that's good then line
#: up my next call")
_CONFIRM_OPENING = re.compile(r"\s*(?:(?:confirmed|confirm|correct|affirmative|yes|yep|yup|aye)\b[\s,.!]*)+"
                              r"(?:(?:ok|okay|grand|sure|that's good|that's fine|that's grand)\b[\s,.!]*)?"
                              r"(?=(?:(?:and|then)\s+)?(?:(?:what's|what|where's|where|who's|who|which|give (?:me|us)|"
                              r"line up)\b.{0,30}\b(?:next|after)\b|after (?:that|this)\b))", re.I)
#: "undo that last thing I didn't mean to ...": the undo, then the technician's reason, said in one breath
_UNDO_OPENING = re.compile(
    r"\s*(?:(?:oh|oops|wait|hey|no|ok|okay|please|can you|could you)\b[\s,]*)*(?:undo|revert|reverse|roll back|"
    r"take back|scratch|never ?mind|cancel|forget)\s+"
    r"(?:that|it|this|(?:that |the )?last (?:one|thing|command|change)|what i just (?:did|said))"
    r"(?:\s+(?:please|for me))?[\s,]*(?=(?:i|we|i'm|i've|it|that|you)\b)", re.I)
_REPEAT_CLOSING = re.compile(r"\s(?:(?:sorry|pardon|wait|uh|um|huh)[\s,]+)+(?:what did you (?:just )?say|what was that|"
                             r"say (?:that|it) again|come again|can you repeat (?:that|it)|repeat (?:that|it))"
                             r"[\s?.!]*$", re.I)
_AND = re.compile(r"\s+(?:and then|and|then|but)\s+", re.I)
_NUMBER_AND = re.compile(r"(?:an? (?:half|quarter)|half|(?:one |two |three )?quarters?|\d|(?:ten|fifteen|twenty|thirty|"
                         r"forty|fifty)\b(?: (?:five|minutes?|mins?))?)\b", re.I)


def _cue(low: str) -> Action | None:
    """The action a side of an "and" asks for; "log two hours" and "add an hour" are progress."""
    return cues.cue(low) or (Action.update_ticket if cues.UPDATE.search(low) else None)


def _split_on_and(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """Cut a clause at 'and'/'then' when each side carries a different action cue.

    Each side is read within ``_SIDE`` characters of the "and", so a run-on of thousands of words costs time in
    proportion to its length."""
    out: list[tuple[int, int]] = []
    for m in _AND.finditer(s, a, b):
        left_text, right_text = s[max(a, m.start() - _SIDE):m.start()], s[m.end():min(b, m.end() + _SIDE)]
        left = _cue(left_text.lower())
        if left and left in cues.STATUS and _SECOND_JOB_NUMBER.match(numberize(right_text)) and \
                cues.TICKET.search(numberize(left_text)):
            # "work order 3374 is wrapped an hour and 3375's done as well": a second job number, its word left out
            out.append((a, m.start()))
            a = m.end()
            continue
        if _NUMBER_AND.match(s, m.end()):
            continue  # "two and a half", "an hour and forty minutes": one number
        if left == Action.order_parts and _FOR_SOMEONE.search(left_text) and _PART_FOR_ANOTHER.match(right_text):
            # "order a flapper for Coutinho and a wax ring for Berglund": two orders, one for each
            out.append((a, m.start()))
            a = m.end()
            continue
        if left and _ANOTHER_JOB_TOO.match(right_text):
            # "close the albrecht job hour and a quarter and the mwangi job too half an hour": a second job, same verb
            out.append((a, m.start()))
            a = m.end()
            continue
        if left and _NEW_REQUEST.match(right_text) and (
                cues.BULK.search(right_text.lower()) or cues.INJECTION.search(right_text.lower())
                or cues.SQL.search(right_text)) and not (
                cues.BULK.search(left_text.lower()) or cues.INJECTION.search(left_text.lower())
                or cues.SQL.search(left_text)):
            # "finished at the dragicevic house ... and also like reopen every closed job": the refusal is its own
            out.append((a, m.start()))
            a = m.end()
            continue
        right = _cue(right_text.lower())
        if left and right and left != right and not {left, right} <= cues.STATUS:
            out.append((a, m.start()))
            a = m.end()
    out.append((a, b))
    return out


_SIDE = 240  # characters of each side of an "and" read for its action
#: a new request opening the other side of an "and" ("... and also reopen every closed job"), not the same verb's
#: second object ("reschedule ticket 99 and every other ticket")
_NEW_REQUEST = re.compile(r"\s*(?:(?:oh|hey|uh|um|like|then|also|so)\s+)*(?:also|assistant|system|while|go ahead|just|"
                          r"can you|could you|please|ignore|disregard|forget|set|mark|zero|close|reopen|delete|wipe|"
                          r"shut|clear|flag|bill|reschedule|move|push|cancel|override|you can)\b", re.I)


#: another job named with "too" on the other side of an "and": "... and the mwangi job too", "and the Reyes place
#: as well"
_ANOTHER_JOB_TOO = re.compile(r"\s*(?:the\s+)?[\w'-]+(?:\s+[\w'-]+)?\s+(?:job|house|place|ticket|residence|home|unit|"
                              r"account)(?:'s)?\s+(?:too|as well|also)\b", re.I)


#: the order's customer said after its part ("... a flapper for Coutinho"), and another part for someone on the other
#: side of the "and" ("a wax ring for Berglund")
_FOR_SOMEONE = re.compile(r"\bfor (?:the )?[\w'-]+(?: (?:job|house|place|ticket|residence))?\s*$", re.I)
_PART_FOR_ANOTHER = re.compile(r"\s*(?:a|an|some|one|two|three|four|\d+|new|another)\s+[\w' -]{2,40}?\s+for\s+"
                               r"(?:the\s+)?(?!(?:it|them|that|this|me|us|the job|the same)\b)[\w'-]+", re.I)


#: a job number opening the other side of an "and", before what happened to it
_SECOND_JOB_NUMBER = re.compile(r"(?:(?:ticket|job|work order|number)\s+)?(?:\d{3,6}|\d{1,2}(?:\s+\d{1,2}){1,2})"
                                r"(?:'s|\s+(?:is|was|took|had|needed|got|went|came|ran))\b", re.I)


_ORDER_LEAD = re.compile(r"(?:\b(?:i|we)(?:'ll| will)?\s+)?(?:\bneeds? to|\bgotta|\bhave to|\bgot to|\bplease)?\s*$",
                         re.I)


#: a job number said in words, two words or more: "ninety one thirteen", "forty-four oh six"
_NUMBER_WORD = "(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_SPOKEN_NUMBER = _NUMBER_WORD + r"(?:[\s-]+" + _NUMBER_WORD + r"){1,4}"
#: a run-on's billed time, then the next command: "... new drain pump hour and ten reschedule the Keystone install
#: for monday", "... condensate pump hour and a half starting at limbu now"
_HOURS_THEN_COMMAND = Cue(re.compile(
    r"\b(?:hours?|hrs?|minutes?|mins?|hour and (?:a half|a quarter|ten|fifteen|twenty|thirty|forty(?: five)?|fifty)|"
    r"hour (?:ten|fifteen|twenty|thirty|forty|fifty)(?: five)?)\s+"
    r"(?=(?:and\s+)?(?:now\s+|then\s+)?(?:(?:i|we|i'm|im|we're)\s+)?"  # ("... forty five minutes i start now at X")
    r"(?:reschedul\w+|re-?book\w*|start(?:ing)?|heading (?:to|over)|close|closing|"
    r"give me|what's next|whats next|where to|where next|who's next|whos next|what now|next (?:job|one|ticket|call|"
    r"stop|please)|order|push|bump|move|"
    r"(?:ticket|job|work order) (?:number )?\d+|"
    # "work order 8841 done thirty minutes 8842 too twenty minutes": a second job number, the same again
    r"(?:\d{3,6}|" + _SPOKEN_NUMBER + r") (?:too|as well|also))\b)", re.I))


_TICKET_AGAIN = re.compile(r"(?:and\s+)?(?:\d{3,6}|" + _SPOKEN_NUMBER + r") (?:too|as well|also)\b")

#: "... close it heading into the Wadhwa unit next door now starting": a close, then the next command
_CLOSE_IT_THEN = Cue(re.compile(r"\bclose (?:it|that|this one|her|him|them)(?: out| up)?\s+"
                                r"(?=(?:and\s+)?(?:now\s+|then\s+)?(?:heading|head|start(?:ing)?|give me|what's next|"
                                r"order|reschedul\w+|i'm (?:heading|starting|at|off)|on (?:my|the) way)\b)", re.I))


def _split_after_hours(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """Cut a run-on after the billed time when a new command follows it and both sides ask for something."""
    piece = s[a:b].lower()
    if not (_HOURS_THEN_COMMAND.possible(piece) or _CLOSE_IT_THEN.possible(piece)):
        return [(a, b)]  # (no billed time and no "close it" in the piece: the usual case, decided by a substring test)
    out: list[tuple[int, int]] = []
    ends = [*_HOURS_THEN_COMMAND.regex.finditer(s, a, b), *_CLOSE_IT_THEN.regex.finditer(s, a, b)]
    for m in sorted(ends, key=lambda m: m.end()):
        if m.end() <= a:
            continue
        before, after = s[max(a, m.end() - _SIDE):m.end()].lower(), s[m.end():min(b, m.end() + _SIDE)].lower()
        if (cues.cue(before) or cues.UPDATE.search(before)) and (cues.cue(after) or _TICKET_AGAIN.match(after)):
            out.append((a, m.end()))
            a = m.end()
    out.append((a, b))
    return out


def _split_before_order(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """A run-on "still at X the compressor is shot need to order one": the order is a command of its own."""
    m = cues.ORDER.search(s.lower(), a, b)
    before = s[a:m.start()].lower() if m else ""
    if not m or m.start() == a or (cues.cue(before) or (Action.update_ticket if cues.TIME_LOGGED.search(before)
                                                         else None)) in (None, Action.order_parts):
        return [(a, b)]
    lead = _ORDER_LEAD.search(s, a, m.start())
    cut = lead.start() if lead else m.start()
    return [(a, cut), (cut, b)] if s[a:cut].strip() else [(a, b)]

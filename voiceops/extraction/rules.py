"""The offline rules extractor: a small grammar of how technicians talk, no model.

The transcript is cleaned (fillers, homophones such as "build them" -> "bill them"), cut into
clauses at punctuation and at "and"/"then" before a new verb, and each clause is read for an
action cue, a customer or ticket, durations and parts. Clauses are then grouped into commands
in spoken order: a clause joins the current command unless it names another action or another
job. Bulk, destructive, SQL-looking and instruction-like clauses are dropped; if nothing else
remains the answer is ``unknown``."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from voiceops.contracts import Action, OpenTicket, VoiceCommand
from voiceops.extraction import cues
from voiceops.extraction.base import Extraction
from voiceops.extraction.clauses import Clause, split_clauses
from voiceops.extraction.cleaning import clean
from voiceops.extraction.customers import CustomerFinder, CustomerMention
from voiceops.extraction.lexicon import phrase_set
from voiceops.extraction.numbers import concat_groups, find_durations
from voiceops.extraction.parts import extract_parts
from voiceops.extraction.scoring import part_key


# --------------------------------------------------------------------------- clause reading
@dataclass
class _Reading:
    clause: Clause
    action: Action | None = None
    strength: float = 0.0  # how explicit the cue is
    meta: Action | None = None
    meta_strong: bool = False
    adversarial: str | None = None
    customers: list[CustomerMention] = field(default_factory=list)
    ticket_id: int | None = None
    incomplete: bool = False
    too: bool = False
    pronoun: bool = False
    provisional: bool = False  # a guess a later verb in the same command may replace
    past: bool = False  # the verb refers back to something done ("I just closed it", "meant to order")
    chatter: bool = False  # end-of-shift talk or a break: "done for the day", "lunch, 30 min"


_ANSWER_WORDS = 10
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
#: radio acknowledgements that open a report rather than answer a question
_ACKNOWLEDGE = phrase_set("copy|copy that|roger|roger that|ten-four|10-4|ten four")
#: a clause pointing back at many jobs at once
_PLURAL_BACK = re.compile(r"\b(?:them|those|these|em|all)\b")
_YES_WORDS = cues.CONFIRM_STRONG | cues.CONFIRM_WEAK | cues.INTERJECTIONS
_NO_WORDS = cues.DECLINE | cues.CONFIRM_WEAK | cues.INTERJECTIONS
#: weak words that still say yes; "okay", "alright", "right" before "and ..." only open a sentence
_YES_MARKERS = frozenset({"yeah", "yea", "ya", "sure", "aye"})
_SAYS_YES = cues.CONFIRM_STRONG | cues.CONFIRM_WEAK


#: answers that, right after a customer's name, say the job is finished
_SAID_OF_A_JOB = phrase_set("all good|good|all good now|good now|good to go|all set|sorted|all sorted|perfect|"
                            "looks good|all fixed|fixed")
#: "..., tested every outlet, all good, nothing swapped": a report's own words, not an answer to a question
_LIST_END = phrase_set("that's it|that is it|that's all|that is all|that's everything|and that's it|that was it|"
                       "all good|looks good|all good there|all good now")
_PAUSE_WORDS = frozenset({"wait", "oh", "um", "uh", "ah", "eh", "hmm", "sorry", "oops", "well"})
#: a close called off or denied ("don't close Gatehouse", "X isn't done"): beside a move of the same job, the
#: progress note it would make is only the reason for the move
_NOT_CLOSING = re.compile(r"\b(?:don't|do not|dont) (?:close|finish|mark)\b|"
                          # "no, Riverside Animal Clinic isn't done, I have to come back, move it to Monday"
                          r"\b(?:isn't|is not|not) (?:done|finished)\b", re.I)
#: answers and requests that mean the same said twice in a row
_SAID_TWICE = frozenset({Action.confirm, Action.decline, Action.repeat, Action.next_ticket})


def _meta(clause: Clause, whole: bool, answer_then_more: bool = False, text: str = ""
          ) -> tuple[Action | None, bool]:
    words = cues.word_list(clause.low)
    if not words:
        return None, False
    if cues.UNDO.search(clause.low) and len(words) <= 9:
        before, after = text[:clause.start].lower(), text[clause.start + len(clause.text):]
        if words[-2:] == ["scratch", "that"] and len(words) <= 3 and after.strip(" ,.") and cues.cue(before) is None \
                and any(w not in _NO_WORDS and w not in _YES_WORDS for w in cues.word_list(before)):
            return None, False  # "Customer Fitch, scratch that, Fitzgerald": a word corrected, no command undone
        return Action.undo, True
    if clause.start > 0 and " ".join(words) in _LIST_END and len(text[:clause.start].split()) > 3:
        # after more than a few words, a report: "new toilet seat, new wax ring, that's it, an hour" ends a list
        return None, False
    if len(words) <= _ANSWER_WORDS:  # yes/no answers are short; longer clauses skip the segmentation
        ok, strong = cues.segment(words, _YES_WORDS, cues.CONFIRM_STRONG)
        said_yes = cues.segment(words, _YES_WORDS, _SAYS_YES)[1]
        # "yeah" alone answers; "yeah, close the Vance job" only opens a sentence; "yeah and close ..." answers
        # and then asks for something more
        # "um so yeah", "okay so": a weak yes beside "so" only fills a pause
        filler = not strong and "so" in words
        if ok and said_yes and not filler and (strong or whole or (answer_then_more
                                                                   and not _YES_MARKERS.isdisjoint(words))):
            return Action.confirm, strong
        declines = cues.segment(words, _NO_WORDS, cues.DECLINE)[1]
        # mid-utterance, "no" ("wait no", "uh, nope") corrects what was just said rather than answering
        said = next((w for w in words if w not in _PAUSE_WORDS), "")
        if declines and (clause.first or said not in ("no", "nope", "nah")):
            return Action.decline, True
    if cues.DECLINE_SAID.search(clause.low) and cues.cue(clause.low) in (None, Action.close_ticket):
        return Action.decline, True  # "I'd rather you didn't do that just yet", "please don't save it"
    if cues.REPEAT.search(clause.low) and not (cues.CLOSE.search(clause.low) or cues.ORDER.search(clause.low)):
        return Action.repeat, True
    if whole and " ".join(words) in cues.REPEAT_ALONE:
        return Action.repeat, True
    return None, False


_NEEDS_BEFORE = re.compile(r"\b(?:need|needs|needing|be|is|'s)\s+(?:like\s+|probably\s+|at least\s+)?$", re.I)
_TIME_WORKED = re.compile(r"\b(?:hours?|hrs?|minutes?|mins?)\b", re.I)
#: the jobs of a refused bulk request pointed at again: "..., all of 'em, bill four hours apiece"
_ALL_OF_THEM = re.compile(r"\ball (?:of )?(?:'em|them|those)\b", re.I)
#: a move only thought about, and said to be unsure: "I might have to push one of tomorrow's jobs, not sure yet"
_MAYBE_MOVE = re.compile(r"\b(?:might|may|could|possibly|probably)\s+(?:have|need|want|end up having)\s+to\s+$|"
                         r"\b(?:might|may|could)\s+(?:have\s+to\s+)?$", re.I)
_UNSURE = re.compile(r"\bnot (?:sure|certain)\b|\b(?:i'll|i will|will) (?:call you back|let you know|get back to you|"
                     r"confirm (?:later|tomorrow))\b|\bwe'll see\b", re.I)


def _read(clause: Clause, whole: bool, finder: CustomerFinder, has_time: bool,
          answer_then_more: bool = False) -> _Reading:
    r = _Reading(clause)
    low = clause.low
    if cues.SQL.search(clause.text):
        r.adversarial = "sql"
    elif cues.INJECTION.search(low):
        r.adversarial = "injection"
    elif cues.DESTRUCTIVE.search(low):
        r.adversarial = "destructive"
    elif cues.BULK.search(low) or cues.BULK.search(clause.num):
        r.adversarial = "bulk"
    if r.adversarial:
        return r
    r.customers = finder.find(clause.text, clause.start)
    low = _without_names(clause, r.customers)
    r.ticket_id = _ticket(clause.num)
    if r.ticket_id is None and clause.coordinated and (
            _BARE_JOB.fullmatch(clause.num) or _BARE_JOB_TOO.fullmatch(clause.num)) and _JOB_WORD.search(finder.text):
        # ("ticket 880 is finished, thirty minutes, and 881 is too": the next job, its number alone)
        # "work order 5112 is done, ..., and fifty one thirteen, room 6, new fill valve": the next job, no "job" said
        r.ticket_id = concat_groups(_BARE_JOB.match(clause.num).group(0).split())
    # (not in a maybe: "Mrs. Ingledew might call us too")
    r.too = bool(cues.TOO.search(low)) and not cues.MAYBE.search(low)
    r.pronoun = bool(cues.PRONOUN.search(low))
    r.meta, r.meta_strong = _meta(clause, whole, answer_then_more, finder.text)
    if r.meta is not None:
        return r
    r.incomplete = bool(cues.INCOMPLETE.search(low))
    # (not when the same run-on names a job, or points at it, and moves it: "stuck in traffic no way i make the okoro
    # visit can we push it to friday", "they're closed on Mondays so push it to Tuesday")
    moves = _live(cues.RESCHEDULE, low) if r.customers or r.pronoun else None
    if cues.ASKING.search(low) and not cues.NEXT.search(low):
        r.chatter = True  # "is the Achterberg ticket still open?": a question, nothing to write
        return r
    heard = cues.BACKGROUND.search(low)
    if heard and (cues.cue(low[heard.end():]) is not None or cues.UPDATE.search(low, heard.end())):
        heard = None  # "turn right onto oakdale road need a mixing valve ordered for ...": the request follows it
    if (cues.TO_SOMEONE.search(low) and not cues.NEXT.search(low)) or heard:
        # "hey Frankie you done with the sawzall?": said to someone on site; "in two hundred feet make a U-turn": the
        # GPS, not the technician; no name in either is a customer
        r.chatter = True
        r.customers = []
        return r
    if cues.CHATTER.search(low) and not cues.NEXT.search(low) and not (
            moves and (not cues.RESCHEDULE_WEAK.fullmatch(moves.group(0)) or cues.WHEN.search(low))):
        r.chatter = True
        return r
    has_target = bool(r.customers or r.ticket_id is not None or r.pronoun)
    resched = _live(cues.RESCHEDULE, low)
    if cues.NEXT.search(low) and not (r.customers or r.ticket_id is not None):
        r.action, r.strength = Action.next_ticket, 0.9
    elif resched and resched.group(0).lower() == "another day" and not has_time and _NEEDS_BEFORE.search(
            low, 0, resched.start()) and _TIME_WORKED.search(finder.text):
        # "need another day, six hours today", "the Ibarra job's gonna be another day, ..., three hours today": more
        # work left on a job billed today, no move (with a day said it is one: "needs another day, the 9th")
        r.action, r.strength, r.incomplete = Action.update_ticket, 0.8, True
    elif resched and _MAYBE_MOVE.search(low, 0, resched.start()) and _UNSURE.search(finder.text):
        r.chatter = True  # "I might have to reschedule one of tomorrow's jobs, not sure yet, I'll call you back"
        return r
    elif resched and (not cues.RESCHEDULE_WEAK.fullmatch(resched.group(0)) or has_time or has_target):
        weak = bool(cues.RESCHEDULE_WEAK.fullmatch(resched.group(0)))
        r.action, r.strength = Action.reschedule_ticket, 0.75 if weak else 0.9
        if not has_time and cues.ANOTHER_TIME.fullmatch(resched.group(0)):
            r.strength = 0.5  # "... a new time ..." with no day or hour said anywhere: read it back before moving
    elif (ordered := _live(cues.ORDER, low)) and not _ORDER_CALLED_OFF.search(low) and not _orders_a_customer(
            clause, ordered, r.customers):
        r.action, r.strength = Action.order_parts, 0.9
    elif r.incomplete:
        r.action, r.strength = Action.update_ticket, 0.85
    elif (done := _live(cues.CLOSE, low)) and not _conditional(low, done) and not (
            done.group(0) in ("signed off", "sign off") and (_APPROVAL.search(low) or _THEY_SIGNED.search(low))):
        if _stage_only(low):
            # "tear-off's finished, underlayment tomorrow" (a later "that was the last of it, close it" still closes)
            r.action, r.strength = Action.update_ticket, 0.75
        else:
            r.action, r.strength = Action.close_ticket, 0.9
    elif _live(cues.START, low):
        r.action, r.strength = Action.start_ticket, 0.85
    elif cues.START_WEAK.search(low):
        r.action, r.strength, r.provisional = Action.start_ticket, 0.6, True
    elif (works := _live(cues.FIXED, low)) and not _conditional(low, works):
        r.action, r.strength = Action.close_ticket, 0.7
    elif _live(cues.UPDATE, low):
        r.action, r.strength = Action.update_ticket, 0.7
    elif _live(cues.ORDER_IMPLIED, low) and not _NEED_SOMEDAY.search(low) and extract_parts([low], Action.order_parts):
        r.action, r.strength = Action.order_parts, 0.6
    elif _stage_only(low):
        # "the Abara job is done, well, the first half is", "demo is finished": the job is not finished
        r.action, r.strength, r.incomplete = Action.update_ticket, 0.85, True
    if r.action != Action.next_ticket and cues.PAST_REFERENCE.search(low) and (
            r.action is not None or cues.cue(low) is not None or cues.UPDATE.search(low)):
        r.past = True  # "I closed it by mistake", "didn't mean to log hours on it": about the undone command
    return r


def _without_names(clause: Clause, mentions: list[CustomerMention]) -> str:
    """The clause in lower case with the business names said in it blanked: "Hollow Log Tap House" asks to
    log nothing, "Start Line Fitness" starts nothing. A one-word name stays (it may be a cue said as a name)."""
    low = clause.low
    for m in mentions:
        if " " in m.name and m.end > m.start:
            a, b = m.start - clause.start, m.end - clause.start
            if 0 <= a < b <= len(low):
                low = low[:a] + " " * (b - a) + low[b:]
    return low


#: "..., second floor is done and that was the last piece so close the whole thing": the stage that ends the job
_WHOLE_JOB = re.compile(r"\b(?:last (?:piece|of it|stage|bit|part)|close (?:it|the whole|the job|the ticket|out the "
                        r"(?:job|ticket|whole)|everything)|(?:whole|entire) (?:thing|job))\b")


def _stage_only(low: str) -> bool:
    """A stage of the job said to be done, and nothing said of the whole job: "first floor's done, second floor
    tomorrow" (but "second floor is done and that was the last piece, close the whole thing")."""
    return bool(cues.STAGE_DONE.search(low)) and not _WHOLE_JOB.search(low)


#: "I said I'd order a belt too but the old one's fine": an order meant and called off
_ORDER_CALLED_OFF = re.compile(r"\b(?:said (?:i'd|i would|we'd|we would)|was (?:going to|gonna|planning to)|"
                               r"thought (?:i'd|i would|about))\s+(?:order|ordering|get)\b[^.;]*?\bbut\b")
#: "might need a whole compressor", "a bigger ladder someday": a need guessed at, nothing to order
_NEED_SOMEDAY = re.compile(r"\b(?:might|may|could) (?:need|have to)\b|\b(?:someday|some day|eventually|down the "
                           r"(?:line|road)|at some point)\b")
#: "I quoted them yesterday and they signed off": the customer approved a price
_SIGN_OFF = re.compile(r"(?:copy|over|ten-four|10-4|roger|over and out|out)\s*[.!]*\s*$", re.I)
_NOT_BILLED = re.compile(r"\b(?:don't|do not|dont|no need to) (?:bill|charge)(?: (?:them|em|for))? "
                         r"(?:that|it|for that)\b|\bthat's on me\b|\bno charge for (?:that|it)\b")
_BARE_JOB = re.compile(r"\d{3,6}|\d{2}\s+\d{2}|\d{1,2}\s+0\s+\d")  # ("seventy seven oh three": 77 0 3)
_BARE_JOB_TOO = re.compile(r"(?:\d{3,6}|\d{2}\s+\d{2})(?:'s|\s+(?:is|was))(?:\s+(?:done|finished|complete|closed))?"
                           r"\s+(?:too|as well)[\s,.!?]*")
_JOB_WORD = re.compile(r"\b(?:ticket|job|work order)\b", re.I)
#: "order a battery backup ..., they signed off on it": they approved what is ordered ("Customer signed off." after
#: the work is the job finished)
_THEY_SIGNED = re.compile(r"\b(?:they|he|she|customer|owner|homeowner|manager|landlord)(?:'ve| have)? signed off on\b")
_APPROVAL = re.compile(r"\b(?:quote|quoted|estimate|price|proposal|bid)\b")
_CONDITION = re.compile(r"\b(?:until|till|once|when|whenever|if(?! you\b)|unless|after|before)(?:\s+[\w']+){0,4}\s*$")
#: "I'll close it when it shows up", "gonna close it out once the inspector signs": a close for later
_LATER_CLOSE = re.compile(r"(?:close|finish|wrap)\w*(?:\s+(?:it|this|that|the \w+))?(?:\s+(?:out|up))?\s+"
                          r"(?:when|once|after|as soon as|whenever)\b(?!\s+you\b)")  # (not "when you get a chance")


def _conditional(low: str, m: re.Match[str]) -> bool:
    """ "until it's fixed", "once the drywall guy is done": a completion said as a condition states nothing."""
    return bool(_CONDITION.search(low, max(0, m.start() - 40), m.start()) or _LATER_CLOSE.match(low, m.start()))


def _live(pattern: cues.Cue, low: str) -> re.Match[str] | None:
    """The first match of a cue that is not negated: "didn't mean to close it" and "no need to
    reschedule" ask for nothing (a negated completion, "not done", is read as progress elsewhere)."""
    for m in pattern.finditer(low):
        if cues.NEGATED_CUE.search(low, max(0, m.start() - 48), m.start()):
            continue
        if m.group(0) in cues.ALREADY_VERBS and cues.ALREADY.search(low, max(0, m.start() - 32), m.start()):
            continue
        if m.group(0) in cues.MOVED_VERBS and cues.MOVED_BEFORE.search(low, max(0, m.start() - 32), m.start()):
            continue
        if m.group(0) == "closed" and any(s.start() < m.start() < s.end() for s in cues.SHUT.finditer(low)):
            continue
        return m
    return None


_ARTICLE_AFTER = re.compile(r"\s+(?:an?|the|and)\s+")  # ("Order and Pine Valley Pharmacy": heard for "all done at")


def _orders_a_customer(clause: Clause, ordered: re.Match[str], mentions: list[CustomerMention]) -> bool:
    """ "Order a Pine Valley Pharmacy, replace ..." (heard for "all done at Pine Valley Pharmacy"): what follows the
    order verb is a customer's name, so the verb was misheard; no order."""
    if not ordered.group(0).lower().startswith("order"):
        return False
    k = ordered.end()
    after = _ARTICLE_AFTER.match(clause.low, k)
    if after is None:
        return False
    at = clause.start + after.end()
    return any(m.start == at and " " in m.name for m in mentions)


def _corrected_ticket(ticket_id: int | None, num_text: str) -> int | None:
    """The number said right after a ticket number it takes back: "ticket 6120, correction, 6210"."""
    if ticket_id is None:
        return None
    for m in cues.TICKET_FIX.finditer(num_text):
        if concat_groups(m.group(1).split()) == ticket_id:
            return concat_groups(m.group(2).split()) or ticket_id
    return ticket_id


_LAST_DIGIT = re.compile(r"\s+(\d)\s*hour\b")


def _ticket(num: str) -> int | None:
    for m in cues.TICKET.finditer(num):
        groups = m.group(1).split()
        if cues.UNIT_AFTER.match(num, m.end()):
            groups = groups[:-1]  # "job 4410 40 gallon heater": the last number is the size
            if len("".join(groups)) <= 2:
                continue  # "the Wisniewski job 1 horsepower", "job one 40 gallon heater"
        elif len(m.group(1)) <= 2 and cues.QUANTITY_AFTER.match(num, m.end()):
            continue  # "order the Barrett job two new valves": a count
        elif len(m.group(1)) == 1 and m.end() < len(num.rstrip(" .!?")):
            continue  # "parts for the zapiain job one uv bulb": a count (no job is numbered 1 to 9)
        last = _LAST_DIGIT.match(num, m.end())
        if last and len(groups) >= 2 and all(len(g) == 1 for g in groups):
            groups.append(last.group(1))  # "ticket 3 3 0 8 hour and a quarter": the last digit, then the time
        return concat_groups(groups)
    m = cues.TICKET_AFTER_VERB.search(num) or cues.TICKET_STATUS.search(num) or cues.TICKET_TOO.search(num)
    said = next((g for g in m.groups() if g), "") if m else ""
    if len(said.replace(" ", "")) < 3:
        return None  # "close 2, ..." is no job number
    return concat_groups(said.split())


#: what joins two customers that share one action: "Vines and Needham", "Vines & Needham", "the X and the Y job"
#: (also "the Ng job and the Farrow job": a job word after the first name)
_JOINED = re.compile(r"^(?:'s)?(?:\s+(?:job|house|place|ticket|account|residence|home|family))?(?:\s*,)?\s*"
                     r"(?:and|&|plus)\s+(?:the\s+)?$", re.I)
_NEXT_AFTER = re.compile(r"(?:'s)?(?:\s+(?:job|house|place|ticket|account|residence|home|family))?\s*(?:'s|is|are)?\s+"
                         r"(?:my\s+|our\s+)?(?:next|up next|after that|later|tomorrow)\b", re.I)
_SHARED = {Action.close_ticket, Action.update_ticket, Action.start_ticket, Action.reschedule_ticket}


def _one_action_two_jobs(r: _Reading, text: str) -> list[_Reading]:
    """'close out Vines and Needham', 'Vines and Needham are both finished': one reading per job."""
    if len(r.customers) != 2 or r.action not in _SHARED or r.customers[1].correction or r.ticket_id is not None:
        return [r]
    a, b = r.customers
    if a.end < 0 or a.end > b.start or not _JOINED.match(text[a.end:b.start]) or _NEXT_AFTER.match(text, b.end):
        return [r]  # (not "finished the Ng job and the Farrow place is next")
    return [_Reading(**{**r.__dict__, "customers": [a]}), _Reading(**{**r.__dict__, "customers": [b], "too": True})]


# --------------------------------------------------------------------------- grouping
@dataclass
class _Draft:
    action: Action | None = None
    strength: float = 0.0
    readings: list[_Reading] = field(default_factory=list)
    customer: CustomerMention | None = None
    ticket_id: int | None = None
    incomplete: bool = False
    carried: bool = False
    #: a mid-utterance "scratch that" ("cancel") or "no wait" ("fix") waiting for what replaces it
    correcting: str | None = None
    #: the action was repeated from the previous command ("... and ticket 2021 one hour"); a verb overrides it
    inherited: bool = False
    #: no word said what the command is; the hours made it a report on the job
    unstated: bool = False
    #: customers a correction replaced ("close the Marsh job, no, Nash"): a later aside about them is no command
    replaced: set[str] = field(default_factory=set)

    @property
    def has_target(self) -> bool:
        return self.customer is not None or self.ticket_id is not None

    def conflicts(self, r: _Reading) -> bool:
        if self.correcting:
            return False
        if r.ticket_id is not None and self.ticket_id is not None and r.ticket_id != self.ticket_id:
            return True
        if r.ticket_id is not None and self.ticket_id is None and self.customer is not None and r.too and \
                not r.customers:
            return True  # "close out d'arcy-boyle, ..., and ticket 9431 too": another job
        if r.customers and r.ticket_id is None and self.ticket_id is not None and self.customer is None and r.too \
                and r.action is not None:
            return True  # "ticket 2760 done in forty five minutes, the Wetherbee job is done too": another job
        first = r.customers[0] if r.customers else None
        return bool(first and self.customer and first.key != self.customer.key and not first.correction)

    def absorb(self, r: _Reading) -> None:
        self.readings.append(r)
        if self.correcting and (r.customers or r.ticket_id is not None):
            # "close the Ramos job, scratch that, the Reyes job": the new job replaces the old one
            if self.customer is not None:
                self.replaced.add(self.customer.key)
            self.customer = r.customers[0] if r.customers else None
            self.ticket_id = r.ticket_id
        # whatever follows the marker ("three", "the Reyes job") is the replacement, not a cancellation
        self.correcting = None
        if r.customers:
            mention = r.customers[-1] if r.customers[-1].correction else r.customers[0]
            if self.customer is None or mention.correction:
                if self.customer is not None and mention.correction:
                    self.replaced.add(self.customer.key)
                self.customer = mention
        if r.ticket_id is not None and self.ticket_id is None:
            self.ticket_id = r.ticket_id
        self.incomplete = self.incomplete or r.incomplete
        if r.action is None:
            return
        if self.action is None or (self.inherited and r.action != self.action):
            self.action, self.strength, self.inherited = r.action, r.strength, r.provisional
        elif {self.action, r.action} <= {Action.close_ticket, Action.update_ticket}:
            if r.action == Action.close_ticket and not self.incomplete and (
                    self.action != Action.update_ticket or self.strength < 0.8):
                self.action, self.strength = r.action, max(self.strength, r.strength)
            elif r.action == Action.update_ticket and r.incomplete:
                self.action, self.strength = r.action, r.strength
        else:
            self.strength = max(self.strength, r.strength)


cues.STATUS = {Action.close_ticket, Action.update_ticket}
_TARGETLESS = {Action.next_ticket, Action.confirm, Action.decline, Action.repeat, Action.undo}


def _compatible(d: _Draft, r: _Reading) -> bool:
    if d.inherited and d.has_target and r.action in _TARGETLESS:
        return False  # "..., ticket 3310 also, half hour, and give me the next": the request is no verb for 3310
    if d.action is None or r.action is None or d.inherited:
        return not d.conflicts(r)
    same = d.action == r.action or {d.action, r.action} <= cues.STATUS
    return same and d.action not in _TARGETLESS and not d.conflicts(r)


_CANCEL_MARKERS = phrase_set("scratch that|undo that|cancel that|never mind|nevermind|forget that|strike that")
_FIX_MARKERS = phrase_set("no|no wait|wait|i mean|sorry|actually|or rather|make that|correction|no sorry|sorry no|"
                          "ah no|eh no|uh no|nope|nah|no no")


def _marker(r: _Reading) -> str | None:
    """'cancel' or 'fix' when the clause only takes back what was just said."""
    words = " ".join(cues.word_list(r.clause.low))
    if words in _CANCEL_MARKERS:
        return "cancel"
    if words in _FIX_MARKERS or " ".join(w for w in words.split() if w not in _PAUSE_WORDS) in _FIX_MARKERS:
        return "fix"  # "wait no", "uh, nope"
    return None


_TAKE_BACK = {Action.undo, Action.decline}
_CHECKED = re.compile(r"\b(?:checked|tested|inspected|looked at|measured|verified)\b")
_SAID_OF_A_PART = phrase_set("that's fine|that is fine|it's fine|its fine|that's good|it's good|that was fine|"
                             "was fine|fine|good|all good|looks good|looked good|tested good|checks out|checked out ok")
#: a clause about someone else after a take-back says why ("never mind, she just got home"), not what replaces it
_SOMEONE_ELSE = re.compile(r"^(?:(?:oh|well|so|because|cause|cuz|since)\s+)?(?:she|he|they|she's|he's|they're|she'll|"
                           r"he'll|they'll|the (?:customer|homeowner|owner|tenant|manager|lady|guy|client))\b", re.I)
_HESITATION = re.compile(r"(?<![-\w])(?:u+m+|u+h+|hm+|e+rm?)\b(?!-)", re.I)
_JOB_ACTIONS = {Action.close_ticket, Action.update_ticket, Action.start_ticket, Action.reschedule_ticket,
                Action.order_parts}
_WEAK = 0.8


def _says_nothing(c: VoiceCommand) -> bool:
    """A command with no job, time or part of its own: "it's done" beside another answer."""
    return c.customer is None and c.ticket_id is None and c.billing_hours is None and not c.parts


def _weak_mention(r: _Reading) -> bool:
    """A reading whose customers are all guesses from uncased slots and which names no ticket."""
    return bool(r.customers) and r.ticket_id is None and all(
        c.confidence < _WEAK and not c.job_word for c in r.customers)


def _without_customers(r: _Reading) -> _Reading:
    return _Reading(**{**r.__dict__, "customers": []})


#: words that tie a clause to the question answered ("yes, that's the one I meant", "yeah, I said ninety"), not talk
_ABOUT_THE_ANSWER = re.compile(r"\b(?:not|meant|mean|said|wrong|right|correct|one|job|ticket|that's it)\b")
_MERGEABLE = {Action.close_ticket, Action.update_ticket, Action.start_ticket, Action.order_parts,
              Action.reschedule_ticket}
_JOB_DOING = {Action.close_ticket, Action.update_ticket, Action.start_ticket, Action.order_parts,
              Action.reschedule_ticket, Action.next_ticket}


def _drop_answers_to_people(readings: list[_Reading], text: str) -> list[_Reading]:
    """ "yeah absolutely, no worries, family comes first. can you move Stavros to Monday": a yes said in a sentence
    of talk with someone on site, before a sentence that asks for work, answers that person, not the system ("yes,
    that's right. thanks Keisha! close ticket 8045" is a yes: nothing else was said in its sentence; a no is left
    alone, it is nearly always a correction)."""
    if not any(r.meta == Action.confirm and r.action is None for r in readings):
        return readings
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    sentence = [bisect.bisect_right(ends, r.clause.start) for r in readings]
    # one pass: which sentences hold talk, and the last sentence that asks for work (linear in the readings, so a
    # run-on of a thousand "yes"es stays cheap)
    talk = {k for k, o in zip(sentence, readings, strict=True)
            if o.action is None and o.meta is None and not o.customers and o.ticket_id is None
            and len(cues.word_list(o.clause.low)) >= 3 and not _ABOUT_THE_ANSWER.search(o.clause.low)}
    last_work = max((k for k, o in zip(sentence, readings, strict=True) if o.action in _JOB_DOING), default=-1)
    return [r for k, r in zip(sentence, readings, strict=True)
            if not (r.meta == Action.confirm and r.action is None and k in talk and k < last_work)]


def _merge_restated(commands: list[VoiceCommand]) -> list[VoiceCommand]:
    """ "close the Vukovic job, hour and a half, new pilot assembly. recap: Vukovic closed, pilot assembly, hour and a
    half": the same action on the same job said again is one command (its parts joined, a time said later kept); a
    second "what's next" is the same request."""
    out: list[VoiceCommand] = []
    seen: dict[tuple[Action, int | None, str], int] = {}  # (action, ticket, customer) -> its place in ``out``
    for c in commands:
        key = (c.action, c.ticket_id, (c.customer or "").lower())
        mergeable = (c.action in _MERGEABLE and key[1:] != (None, "")) or c.action == Action.next_ticket
        same = seen.get(key) if mergeable else None
        if same is None:
            if mergeable:
                seen[key] = len(out)
            out.append(c)
            continue
        e = out[same]
        heads = {part_key(p) for p in e.parts}
        out[same] = e.model_copy(update={
            "parts": e.parts + [p for p in c.parts if part_key(p) not in heads],
            "billing_hours": c.billing_hours if c.billing_hours is not None else e.billing_hours})
    return out


def _drop_back_references(readings: list[_Reading]) -> list[_Reading]:
    """Beside an undo or a refusal, a clause that points back at what was done ("undo that, I
    closed it by mistake", "I meant to order it for Ruiz, take that back") explains the undo: it is
    not a command of its own."""
    out = []
    for i, r in enumerate(readings):
        near = readings[max(0, i - 1):i] + readings[i + 1:i + 2]
        if r.past and r.meta is None and any(n.meta in _TAKE_BACK for n in near):
            continue
        out.append(r)
    return out


def _group(readings: list[_Reading]) -> list[_Draft]:
    drafts: list[_Draft] = []
    cur: _Draft | None = None
    for r in readings:
        marker = _marker(r) if cur is not None and cur.action is not None and cur.action not in _TARGETLESS and \
            not r.clause.first else None
        if cur is not None and cur.customer is not None and not r.customers and r.action is None and \
                r.clause.low.startswith("not ") and cur.customer.key in r.clause.low:
            marker = "fix"  # "move the De Groot appointment, not De Groot, Van Leeuwen, to Friday"
        if marker:
            cur.correcting = marker
            cur.readings.append(r)  # kept: hours and parts read "two hours, no, one and a half" from it
            continue
        if cur is not None and cur.correcting == "fix" and r.action is not None and r.action != cur.action and \
                not cur.has_target and cur in drafts and len(cur.readings) <= 2 and cur.action not in _TARGETLESS and \
                not any(find_durations(x.clause.num) for x in cur.readings):
            drafts.remove(cur)  # "uh start, no, close the Achterberg job": the first verb is taken back
            cur = None
        if cur is not None and cur.correcting == "cancel" and r.action is None and r.meta is None and not (
                r.customers or r.ticket_id is not None or any(ch.isdigit() for ch in r.clause.num)
                or cues.WORK_VERB.search(r.clause.low)) and _SOMEONE_ELSE.match(r.clause.low):
            cur.readings.append(r)  # "reschedule Chukwu to... never mind, she just got home": why, still cancelled
            continue
        if cur is not None and cur.correcting == "cancel" and r.action is not None and not _compatible(cur, r):
            drafts.remove(cur)  # "start the Ramos job, scratch that, close it": the start is taken back
            cur = None
        if r.meta is not None:
            if drafts and drafts[-1].action == r.meta:
                drafts[-1].readings.append(r)  # "no no no, cancel that": one answer
                cur = drafts[-1]
                continue
            cur = _Draft(action=r.meta, strength=0.9 if r.meta_strong else 0.7, readings=[r])
            drafts.append(cur)
            continue
        if cur is not None and cur.action in _TARGETLESS and r.action is None and not (
                r.customers or r.ticket_id is not None):
            cur.readings.append(r)
            continue
        if cur is not None and cur.correcting == "fix" and r.action == Action.start_ticket and r.customers:
            r = _Reading(**{**r.__dict__, "action": None, "strength": 0.0})  # "close X, no wait, I'm at Bronson's"
        if cur is not None and r.action is None and r.customers and r.ticket_id is None and all(
                c.key in cur.replaced for c in r.customers):
            cur.absorb(_without_customers(r))  # "... no, sorry, Nash, the Marsh one is tomorrow": an aside
            continue
        if cur is not None and cur.action == Action.next_ticket and r.action == Action.next_ticket and not (
                r.customers or r.ticket_id is not None):
            cur.readings.append(r)  # "next. what's the next one": one request
            continue
        if cur is not None and cur.action is None and r.action == Action.order_parts and any(
                find_durations(x.clause.num) for x in cur.readings):
            # "the oven's still apart, got 1.5 hours in, and order me a hinge": time spent is progress on the
            # job; the order is a command of its own
            cur.action, cur.strength, cur.unstated = Action.update_ticket, 0.7, True
            cur = None
        if cur is None or (cur.action in _TARGETLESS and r.action != cur.action) or not _compatible(cur, r):
            inherit = cur.action if (cur is not None and r.action is None and (r.too or r.clause.coordinated)
                                     and cur.action not in _TARGETLESS and not _weak_mention(r)) else None
            cur = _Draft(action=inherit, strength=cur.strength - 0.05 if inherit and cur else 0.0,
                         inherited=inherit is not None)
            drafts.append(cur)
        cur.absorb(r)
    if cur is not None and cur.correcting == "cancel" and cur in drafts:
        drafts.remove(cur)  # taken back with nothing in its place
    return drafts


# --------------------------------------------------------------------------- assembly
_JOB_NUMBER_BEFORE = re.compile(r"(?:ticket|job|work order|wo|number|#)\s*$")
_NUMBERED_BEFORE = re.compile(r"(?:number|#|no)\s*$")
#: a job number said one digit at a time, its last digit still to come: "ticket 3 3 0 [8 hour and a quarter]"
_DIGITS_BEFORE = re.compile(r"\b(?:ticket|job|work order|wo|number|#)\s*(?:\d\s+){2,}$")


#: "we didn't need the extra hour": a time named by which it is, not how much to bill
_WHICH_TIME = re.compile(r"\bthe (?:extra|first|last|other|final|second|third|next)\s*$|"
                         r"\beta(?: (?:is|of|like|about|around|maybe))?\s*$", re.I)  # "ETA like 20 mins": not billed
#: "seventy minutes at the regular ninety-five an hour rate": a price per hour, not time
_RATE_AFTER = re.compile(r"\s*(?:rate|labou?r rate)\b", re.I)


def _hours(num_text: str, *, bare_number: bool = True) -> float | None:
    durations = [d for d in find_durations(num_text) if not _WHICH_TIME.search(num_text, max(0, d[0] - 20), d[0])
                 and not _RATE_AFTER.match(num_text, d[1])]
    if any(d[2] > 24 or (d[3] == "hours" and (_NUMBERED_BEFORE.search(num_text, 0, d[0]) or _DIGITS_BEFORE.search(
            num_text, 0, d[0]))) for d in durations):
        # "close ticket 9833 hour and ten minutes": the job number, then "an hour and ten minutes" (also "ticket 3 3 0
        # 8 hour and a quarter": the number said digit by digit)
        fixed = []
        for start, end, hours, unit in durations:
            said = num_text[start:end].split()
            if (((hours > 24 or _NUMBERED_BEFORE.search(num_text, 0, start)) and _JOB_NUMBER_BEFORE.search(
                    num_text, 0, start)) or (_DIGITS_BEFORE.search(num_text, 0, start) and said[0].isdigit())) and \
                    said[1:2] == ["hour"]:
                number = said[0]
                hours = round(hours - float(number) + 1, 2) if unit == "hours" and number.isdigit() else None
                if hours is not None and hours <= 0:
                    hours = None  # the number was not the job's after all: no time read from it
                start += len(number) + 1
            if hours is not None:
                fixed.append((start, end, hours, unit))
        durations = fixed
    value: float | None = durations[-1][2] if durations else None
    for prev, nxt in itertools.pairwise(durations):
        if cues.ADDED.search(num_text[prev[1]:nxt[0]]):
            value = round((value or 0) + prev[2], 2) if nxt is durations[-1] else value  # "plus another"
    last_end = durations[-1][1] if durations else -1
    unit = durations[-1][3] if durations else "hours"
    # "bill em for three"; and after a time that was not the bill: "gonna watch it another hour, log 1.5 so far"
    m = cues.BILL_BARE.search(num_text, max(last_end, 0)) or cues.HOURS_LABEL.search(num_text, max(last_end, 0))
    if m and 0 < float(m.group(1)) <= 16:
        value, last_end, unit = float(m.group(1)), m.end(), "hours"
    for m in cues.CORRECTION_AFTER.finditer(num_text):
        if m.start() > last_end - 1 and value is not None and unit == "hours" and 0 < float(m.group(1)) <= 16:
            value, last_end = float(m.group(1)), m.end()
    for m in cues.CORRECTION.finditer(num_text):
        if m.start() > last_end - 1 and value is not None:
            n = float(m.group(1))
            if len(m.group(1)) >= 3 and "." not in m.group(1) and unit == "hours":
                continue  # "an hour on ticket 3318, no, 3381": the job number corrected, not the time
            if m.group(2) and unit == "hours":  # "make that two fifteen": hours and minutes
                n = round(n + int(m.group(2)) / 60.0, 2)
            value = round(n / 60.0, 2) if unit == "minutes" else n
    if value is None and bare_number:
        # a number said on its own after the work: "..., forty five" is minutes, "..., two" is hours
        m = cues.BARE_NUMBER.search(num_text)
        if m:
            n = float(m.group(1))
            value = n if 0 < n <= 12 else round(n / 60.0, 2) if n in cues.MINUTE_MARKS else None
    return value


#: "same for Fenwick", "Delacroix, same part, same time", "and the same on Blue Heron Inn", "another set of those"
_SAME_PARTS = re.compile(r"\b(?:the )?same (?:for|on|with|deal|thing|again|parts?)\b|\bditto\b|"
                         r"\banother (?:set|one|pair|couple) of (?:those|them|these|that)\b", re.I)
_SAME_TIME = re.compile(r"\b(?:the )?same (?:for|on|with|deal|thing|again|time|hours?)\b|\bditto\b", re.I)


def _same_as_before(cmd: VoiceCommand, commands: list[VoiceCommand], said: str) -> VoiceCommand:
    """A command for another job said as "the same" as the one before it takes that one's parts and time:
    "need a new control board for Eastman, order it, same for Fenwick"."""
    before = next((c for c in reversed(commands) if c.action == cmd.action or (
        cmd.action in cues.STATUS and c.action in cues.STATUS)), None)
    if before is None or (before.customer, before.ticket_id) == (cmd.customer, cmd.ticket_id):
        return cmd
    update: dict[str, object] = {}
    if not cmd.parts and before.parts and _SAME_PARTS.search(said):
        update["parts"] = list(before.parts)
    if cmd.billing_hours is None and before.billing_hours is not None and cmd.action in cues.STATUS and \
            _SAME_TIME.search(said):
        update["billing_hours"] = before.billing_hours
    return cmd.model_copy(update=update) if update else cmd


def _ticket_pair(cmd: VoiceCommand, num_text: str) -> list[VoiceCommand] | None:
    """ "tickets 7150 and 7151 are both done, the first one an hour, the second forty five minutes":
    one command per ticket, each with the time said for it ("an hour each": both; otherwise none,
    rather than bill a total to one of them)."""
    m = cues.TICKET_PAIR.search(num_text)
    if not m:
        return None
    first, second = concat_groups(m.group(1).split()), concat_groups(m.group(2).split())
    if first is None or second is None or first == second or min(first, second) < 100:
        return None  # ("add an hour to job 3056 and one wax ring": a count, not a second job)
    durations = [d for d in find_durations(num_text) if d[0] >= m.end()]
    one = cues.FIRST.search(num_text, m.end())
    two = cues.SECOND.search(num_text, one.end() if one else m.end())
    if one and two:
        before = [_time_before(durations, one.start(), num_text), _time_before(durations, two.start(), num_text)]
        if all(h is not None for h in before):
            hours = before  # "an hour on the first, twenty minutes on the other"
        else:
            hours = [next((d[2] for d in durations if one.end() <= d[0] < two.start()), None),
                     next((d[2] for d in durations if d[0] >= two.end()), None)]
    elif durations and cues.EACH.search(num_text, m.end()):
        hours = [durations[-1][2]] * 2
    else:
        hours = [None, None]
    return [cmd.model_copy(update={"ticket_id": first, "billing_hours": hours[0]}),
            cmd.model_copy(update={"ticket_id": second, "billing_hours": hours[1], "parts": [], "notes": None})]


def _time_before(durations: list[tuple[int, int, float, str]], at: int, num_text: str) -> float | None:
    """The time said right before "on/for the first": "an hour on the first"."""
    for _, end, hours, _unit in durations:
        if end <= at and re.fullmatch(r"\s*(?:on|for)\s+", num_text[end:at]):
            return hours
    return None


def _notes(draft: _Draft) -> str | None:
    """The work described, from its first work verb on: "finished at X replaced the valve" -> "replaced the valve"."""
    pieces = []
    for r in draft.readings:
        m = cues.WORK_VERB.search(r.clause.low)
        if m:
            tail = r.clause.text[m.start():].strip(" ,.;!?")
            # a postposed verb ("condenser fan motor replaced") keeps the whole clause
            pieces.append(tail if " " in tail else r.clause.text.strip(" ,.;!?"))
    text = "; ".join(p for p in pieces if p)
    return text or None


def _when(draft: _Draft) -> str | None:
    for r in draft.readings:
        m = cues.WHEN.search(r.clause.low)
        if m:  # the time as spoken, without the "to"/"for" that introduced it
            return cues.WHEN_LEAD.sub("", r.clause.text[m.start():m.end()].strip())
    return None


def _confidence(d: _Draft, action: Action) -> float:
    if action in _TARGETLESS:
        return round(d.strength or 0.7, 2)
    conf = d.strength or 0.45
    if action in (Action.close_ticket, Action.update_ticket, Action.order_parts, Action.reschedule_ticket,
                  Action.start_ticket):
        if d.has_target and not d.carried:
            conf += 0.08
            if d.customer is not None and d.ticket_id is None:
                conf -= 0.25 * (1.0 - d.customer.confidence)
        elif d.carried:
            conf -= 0.05
        else:
            conf -= 0.25
    return round(min(0.98, max(0.05, conf)), 2)


def refused_kinds(extraction: Extraction) -> list[str]:
    """The kinds of clause ("injection", "sql", "bulk", "destructive") an extraction refused."""
    reason = str(extraction.details.get("reason") or "")
    if reason.startswith("refused:"):
        return [k.strip() for k in reason.partition(":")[2].split(",") if k.strip()]
    return list(extraction.details.get("refused") or [])


class RulesExtractor:
    """Offline grammar-based extractor; fast (well under a millisecond per utterance)."""

    name = "rules"
    remote = False

    def extract(self, transcript: str, *, open_tickets: Sequence[OpenTicket] = ()) -> Extraction:
        """Commands in spoken order; odd or hostile text becomes ``unknown``."""
        text = clean(transcript or "")
        clauses = split_clauses(text)
        if not clauses:
            return self._unknown(0.9, "empty")
        said = [" ".join(cues.word_list(c.low)) for c in clauses]
        answers_only = all(w in cues.DONT_DO or w in cues.DECLINE or w in cues.INTERJECTIONS or w in _YES_WORDS
                           for w in said)
        # ("Yes, wait, no. No, don't close it.": a yes taken back; the refusal after it is the answer)
        if any(w in cues.DONT_DO for w in said) and answers_only and all(
                w not in _YES_WORDS or w in cues.INTERJECTIONS for w in said[-2:]):
            # "Hold on, no, don't close it.": a refusal and nothing else
            return Extraction(commands=[VoiceCommand(action=Action.decline, confidence=0.9)], extractor=self.name)
        if cues.NOT_TO_ME.search(text.lower()) and all(
                w in cues.DECLINE or w in cues.INTERJECTIONS or w in cues.DONT_DO or cues.NOT_TO_ME.search(w)
                or w in ("", "sorry", "oops") for w in said):
            # "Never mind, I was talking to the homeowner.": no answer to the question, nothing to write
            return self._unknown(0.9, "said to someone else")
        finder = CustomerFinder(text, open_tickets)
        has_time = bool(cues.WHEN.search(text.lower()))
        # one clause, or only "huh, what"-style words: an answer on its own
        # (or only yes-words in every clause: "yeah righto, sweet")
        whole = len(clauses) == 1 or all(" ".join(cues.word_list(c.low)) in cues.REPEAT_ALONE for c in clauses) or all(
            cues.segment(cues.word_list(c.low), _YES_WORDS, cues.CONFIRM_STRONG)[0] for c in clauses) or (
            # "wait, what?": an interjection, then a "what?" of its own
            len(clauses) == 2 and cues.segment(cues.word_list(clauses[0].low), cues.INTERJECTIONS)[0]
            and " ".join(cues.word_list(clauses[1].low)) in cues.REPEAT_ALONE)
        readings: list[_Reading] = []
        adversarial: list[str] = []
        refusing = False  # the clause before was refused: what follows without a verb or a job belongs to it
        silenced = -1  # clauses starting before this offset belong to an instruction to the system
        for i, clause in enumerate(clauses):
            more = clause.first and i + 1 < len(clauses) and clauses[i + 1].coordinated
            if clause.start < silenced:
                continue  # the rest of a sentence that gave the system instructions is part of them
            r = _read(clause, whole, finder, has_time, more)
            if r.adversarial:
                adversarial.append(r.adversarial)
                refusing = True
                if r.adversarial == "injection":
                    # "admin mode, zero out everybody's hours. and close Sikora": a later sentence may still hold
                    # the technician's own single-job command; the same sentence never does
                    end = _SENTENCE_END.search(text, clause.start + len(clause.text))
                    silenced = end.end() if end else len(text) + 1
                continue
            if r.meta == Action.confirm and readings and readings[-1].customers and readings[-1].action is None and \
                    readings[-1].meta is None and " ".join(cues.word_list(clause.low)) in _SAID_OF_A_JOB:
                # "Kovacevic, all good. New garbage disposal went in": the job's state, not an answer
                r = _Reading(**{**r.__dict__, "meta": None, "meta_strong": False,
                                "action": Action.close_ticket, "strength": 0.7})
            if r.meta == Action.confirm and readings and _CHECKED.search(readings[-1].clause.low) and " ".join(
                    cues.word_list(clause.low)) in _SAID_OF_A_PART:
                continue  # "checked the T and P valve, that's fine": how the part was found, not a yes
            if (r.action is None and r.meta is None and cues.GOING_LATER.search(clause.low)) or (
                    readings and not r.customers and cues.NEXT_STOP_SAID.search(clause.low)):
                continue  # "then I'm heading over to the Dunstan place after lunch": a plan, no command
            if r.action == Action.order_parts and readings and cues.ORDERED_BEFORE.search(clause.low):
                continue  # "..., same part I ordered for Mrs. Threapleton last week": a reference, no order
            if refusing and r.action is None and (r.meta is None or r.meta == Action.confirm) and not (
                    r.customers or r.ticket_id is not None):
                # "flip every open ticket to closed, eight hours apiece": the hours are the refused request's; "...,
                # so do that": the go-ahead too
                continue
            if refusing and not (r.customers or r.ticket_id is not None) and (adversarial[-1] == "sql" or (
                    adversarial[-1] == "bulk" and (cues.EACH.search(clause.low) or _ALL_OF_THEM.search(clause.low)))):
                # "customer name is Robert'); DROP TABLE tickets;-- please close his job": whose job is in the SQL;
                # "close out every ticket I had this week, all of 'em, bill four hours apiece": the bulk's hours
                continue
            refusing = False
            if adversarial and adversarial[-1] == "bulk" and not (r.customers or r.ticket_id is not None) and \
                    _PLURAL_BACK.search(clause.low):
                continue  # "reassign all of Tuesday's jobs to me and close them out": them = the bulk
            readings.extend(_one_action_two_jobs(r, text))
        readings = _drop_answers_to_people(readings, text)
        if any(r.meta == Action.repeat for r in readings):
            # "sorry the pump's running, I didn't catch that, can you repeat it": beside a request to hear the
            # question again, a state said of no job (no name, number, time or pointer) is the noise, not a report
            readings = [r for r in readings if not (
                r.action in cues.STATUS and r.meta is None and not r.customers and r.ticket_id is None and not r.pronoun
                and not cues.HOURS_LABEL.search(r.clause.num) and not find_durations(r.clause.num)
                and not cues.WORK_VERB.search(r.clause.low))]
        commands = self._assemble(_group(_drop_back_references(readings)), transcript=text)
        if len(commands) > 1 and commands[0].action == Action.confirm and " ".join(
                cues.word_list(clauses[0].low)) in _ACKNOWLEDGE and (commands[1].customer or commands[1].ticket_id):
            commands = commands[1:]  # "copy, work order 4137, Xiong residence, finished": radio talk, not an answer
        # "no, don't close Gatehouse, just move it to Friday": the close called off is no progress note of its own
        if _NOT_CLOSING.search(text):
            commands = [c for c in commands if not (
                c.action == Action.update_ticket and c.billing_hours is None and not c.parts and any(
                    o.action == Action.reschedule_ticket and ((o.customer, o.ticket_id) == (c.customer, c.ticket_id)
                                                              or (c.customer, c.ticket_id) == (None, None))
                    for o in commands))]
        # "nope, scratch that", "no no, scratch that": a no, said twice over (as the labels read it), no undo
        # "Krishnan done. ... One hour. Ten-four.": a radio sign-off after a report is no answer to a question
        if len(commands) > 1 and commands[-1].action == Action.confirm and commands[0].action != Action.confirm and \
                _SIGN_OFF.search(text):
            commands = commands[:-1]
        # "copy, say that again?": a yes to what was not heard is no yes
        if [c.action for c in commands] == [Action.confirm, Action.repeat]:
            commands = commands[1:]
        # "scratch that, don't send it": the same no, the refusal said after the take-back
        if [c.action for c in commands] in ([Action.decline, Action.undo], [Action.undo, Action.decline]) and len(
                cues.word_list(text.lower())) <= 6:
            commands = [c for c in commands if c.action == Action.decline]
        # "no, no, espera, don't do that": one answer said twice
        commands = [c for k, c in enumerate(commands) if not (
            k and c.action in _SAID_TWICE and c.action == commands[k - 1].action and c.customer is None
            and c.ticket_id is None and commands[k - 1].customer is None and commands[k - 1].ticket_id is None)]
        if len(commands) > 1 and cues.TIME_EACH.search(text):
            # "close out both Pham and MacAskill, forty minutes each": the time said once is each job's
            for k in range(len(commands) - 2, -1, -1):
                c, after = commands[k], commands[k + 1]
                if c.action in cues.STATUS and c.action == after.action and c.billing_hours is None and \
                        after.billing_hours is not None and (c.customer or c.ticket_id is not None):
                    commands[k] = c.model_copy(update={"billing_hours": after.billing_hours})
        # "stuck at the Salazar house waiting on parts, order a contactor": the wait is why they order, no news of
        # its own
        commands = [c for k, c in enumerate(commands) if not (
            c.action == Action.update_ticket and c.billing_hours is None and not c.parts and k + 1 < len(commands)
            and commands[k + 1].action == Action.order_parts and (c.customer or c.ticket_id is not None)
            and (commands[k + 1].customer, commands[k + 1].ticket_id) == (c.customer, c.ticket_id))]
        if any(c.customer or c.ticket_id is not None for c in commands):
            # "not closing anything yet, just starting the Beaumont job now": a status about no job in particular,
            # beside a command for one, is no command of its own
            commands = [c for c in commands if not (c.action == Action.update_ticket and _says_nothing(c))]
        if commands and commands[0].action == Action.decline:
            # "uh-uh, not yet, I'm still working on it": the reason for the no, nothing to write
            commands = [c for c in commands if not (c.action == Action.update_ticket and _says_nothing(c))]
        if commands and commands[0].action == Action.confirm and "clos" not in text.lower():
            # "copy that, it's good": a bare "it's good" after the yes is the same answer, not a job to close
            # (but "copy, ..., close it" asks to close the job in hand)
            commands = [c for c in commands if not (c.action in cues.STATUS and _says_nothing(c))]
        if any(c.action == Action.next_ticket for c in commands):
            # "wrapped early, hand me another": a bare "done" beside the request is why they ask, not a job to close
            commands = [c for c in commands if not (c.action in cues.STATUS and _says_nothing(c))]
        if [c.action for c in commands] == [Action.confirm] and _HESITATION.search(transcript or "") and not \
                cues.segment(cues.word_list(text.lower()), _YES_WORDS, cues.CONFIRM_STRONG)[1]:
            # "umm okay hmm", "uh yeah, hmm, okay": a weak yes between hesitations is thinking aloud, not an answer
            commands = []
        answers = {Action.confirm, Action.decline}
        if len(commands) > 1 and all(c.action in answers | {Action.undo} and _says_nothing(c) for c in commands) and \
                {c.action for c in commands} >= answers:
            # "yes, actually no, scratch that, don't", "hmm no wait, yes. yes, go ahead": a mind changed while
            # answering; the last answer stands
            commands = [next(c for c in reversed(commands) if c.action in answers)]
        if [c.action for c in commands] == [Action.update_ticket] and _says_nothing(commands[0]) and \
                cues.LEAVE_OPEN.search(text.lower()):
            # "no leave it open", "keep that one open for now": the answer to "close it?" is no
            commands = [VoiceCommand(action=Action.decline, confidence=0.8)]
        if adversarial:
            # "ticket_id = 1 OR 1=1; close it": what the refused text points at is no job of its own
            commands = [c for c in commands if not (c.action in _JOB_ACTIONS and _says_nothing(c))]
        if not commands:
            if adversarial:
                return self._unknown(0.95, "refused: " + ",".join(dict.fromkeys(adversarial)))
            return self._unknown(0.6, "no command recognised")
        commands = _merge_restated(commands)
        details = {"refused": list(dict.fromkeys(adversarial))} if adversarial else {}
        return Extraction(commands=commands, extractor=self.name, details=details)

    def _unknown(self, confidence: float, reason: str) -> Extraction:
        cmd = VoiceCommand(action=Action.unknown, confidence=confidence)
        return Extraction(commands=[cmd], extractor=self.name, details={"reason": reason})

    def _assemble(self, drafts: list[_Draft], *, transcript: str) -> list[VoiceCommand]:
        # a trailing clause group without an action (e.g. "Smith job, two hours" after a close) joins its
        # neighbour; on its own it is an update with low confidence
        merged: list[_Draft] = []
        for d in drafts:
            if d.action is None and merged and merged[-1].action not in _TARGETLESS and all(
                    not merged[-1].conflicts(r) or _weak_mention(r) for r in d.readings):
                # a clause with no verb whose only "customer" is a guess from an uncased slot ("cleaned the
                # upstairs bathroom drain") describes the job before it; it never starts a command of its own
                for r in d.readings:
                    merged[-1].absorb(r if not _weak_mention(r) else _without_customers(r))
                continue
            merged.append(d)
        commands: list[VoiceCommand] = []
        last_target: _Draft | None = None
        spoken: list[str] = []  # clauses of the commands before this one
        for d in merged:
            before, spoken = list(spoken), spoken + [r.clause.low for r in d.readings]
            action = d.action
            # (time said "don't bill that" is no billing: "traffic added another half hour but don't bill that")
            text = " , ".join(r.clause.num for r in d.readings if not _NOT_BILLED.search(r.clause.low))
            # a lone number only counts as time when a verb said what the command is
            hours = _hours(text, bare_number=action is not None) if action not in _TARGETLESS else None
            if action is None:
                if hours is None or any(r.chatter for r in d.readings):
                    continue  # a name or a part with no verb and no hours, or a break ("lunch, 30 min"): no job
                action, d.strength, d.unstated = Action.update_ticket, 0.4, True
            if action in _TARGETLESS:
                commands.append(VoiceCommand(action=action, confidence=_confidence(d, action)))
                continue
            if not d.has_target and last_target is not None:
                d.customer, d.ticket_id, d.carried = last_target.customer, last_target.ticket_id, True
            names = frozenset(cues.word_list(d.customer.key)) if d.customer else frozenset()
            ticket_id = _corrected_ticket(d.ticket_id, text)
            parts = extract_parts([r.clause.low for r in d.readings], action, before=before, names=names) if \
                action in (Action.close_ticket, Action.update_ticket, Action.order_parts) else []
            if d.unstated and parts and not any(m.action in cues.STATUS for m in merged if m is not d) and \
                    not cues.HEDGE.search(transcript.lower()):
                # parts fitted and time billed with no status word ("faucet's swapped, hour and ten") report a
                # finished job; time alone or only checks ("checked the panel, an hour") stay a progress note,
                # and so does any word that leaves the job open or another job's status said beside it
                action = Action.close_ticket
            if hours is not None and hours > 24:
                commands.append(VoiceCommand(action=Action.unknown, confidence=0.9,
                                             notes=f"{hours:g} hours cannot be billed to one job"))
                continue
            if hours is not None and action in (Action.order_parts, Action.reschedule_ticket) and commands and \
                    commands[-1].action in cues.STATUS and commands[-1].billing_hours is None:
                # "...need to order one, three hours so far": the hours belong to the job's progress
                commands[-1] = commands[-1].model_copy(update={"billing_hours": hours})
            if action in (Action.start_ticket, Action.reschedule_ticket):
                hours = None
            cmd = VoiceCommand(
                action=action,
                customer=d.customer.name if d.customer else None,
                ticket_id=ticket_id,
                parts=parts,
                billing_hours=hours if action in cues.STATUS else None,
                notes=_notes(d) if action != Action.reschedule_ticket else None,
                when=_when(d) if action == Action.reschedule_ticket else None,
                confidence=_confidence(d, action),
            )
            if commands and (cmd.customer or cmd.ticket_id is not None) and (
                    not cmd.parts or cmd.billing_hours is None):
                cmd = _same_as_before(cmd, commands, " ".join(r.clause.low for r in d.readings))
            # (also "close work orders 4471 and 4472, both at the Demir duplex": two jobs of one customer)
            pair = _ticket_pair(cmd, text) if action in cues.STATUS else None
            if pair:
                commands.extend(pair)
                continue
            # (also a job named again with no verb: "Vines and Needham are both finished. Vines was a new dimmer
            # switch, half hour": the details of the close said before)
            earlier = next((k for k, c in enumerate(commands) if c.action in cues.STATUS and
                            (c.customer, c.ticket_id) == (cmd.customer, cmd.ticket_id)), None) if (
                (d.carried or d.unstated) and action == Action.update_ticket) else None
            if d.carried and action == Action.update_ticket and cmd.billing_hours is None and not cmd.parts and \
                    commands and commands[-1].action in (Action.order_parts, Action.reschedule_ticket) and \
                    (commands[-1].customer, commands[-1].ticket_id) == (cmd.customer, cmd.ticket_id):
                # "send out for a drain pump, I'll come back when it lands", "reschedule the Willow Mere Inn, the
                # part hasn't shown up yet": why the order or the move, not news of its own
                continue
            if d.carried and action in cues.STATUS and commands and commands[-1].action == Action.start_ticket and \
                    (commands[-1].customer, commands[-1].ticket_id) == (cmd.customer, cmd.ticket_id):
                commands.pop()  # "I'm at Dorado. Close it out, bill 1 hour": where the tech is, then the close
            if earlier is not None:
                # "the Santiago job, haven't ordered it yet, order a blower motor, two hours so far": the
                # job's status was given already; the hours and parts said after the order belong to it
                prev = commands[earlier]
                commands[earlier] = prev.model_copy(update={
                    "billing_hours": prev.billing_hours if prev.billing_hours is not None else cmd.billing_hours,
                    "parts": prev.parts + [p for p in cmd.parts if p not in prev.parts]})
                continue
            commands.append(cmd)
            if d.has_target:
                last_target = d
        return commands

"""The offline rules extractor: a small grammar of how technicians talk, no model.

The transcript is cleaned (fillers, homophones such as "build them" -> "bill them"), cut into
clauses at punctuation and at "and"/"then" before a new verb, and each clause is read for an
action cue, a customer or ticket, durations and parts. Clauses are then grouped into commands
in spoken order: a clause joins the current command unless it names another action or another
job. Bulk, destructive, SQL-looking and instruction-like clauses are dropped; if nothing else
remains the answer is ``unknown``."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from voiceops.contracts import Action, OpenTicket, VoiceCommand
from voiceops.extraction.base import Extraction
from voiceops.extraction.customers import CustomerFinder, CustomerMention
from voiceops.extraction.lexicon import phrase_set
from voiceops.extraction.numbers import concat_groups, find_durations, numberize
from voiceops.extraction.parts import extract_parts

# --------------------------------------------------------------------------- cleaning
#: (pattern, replacement, words one of which must be in the text for the pattern to be worth running)
_HOMOPHONES: list[tuple[re.Pattern[str], str, tuple[str, ...] | None]] = [
    (re.compile(r"\bbuild (them|em|'em|him|her|it|the customer|for|out)\b", re.I), r"bill \1", ("build",)),
    (re.compile(r"\bbilled? (?:them|em|'em) (?:for )?(?:too|to) (hours?)\b", re.I), r"bill them two \1", ("bill",)),
    (re.compile(r"\bclothes (it|that|this|the|out|ticket|job)\b", re.I), r"close \1", ("clothes",)),
    (re.compile(r"\b(?:too|to) hours\b", re.I), "two hours", ("hour",)),
    (re.compile(r"\bfore hours\b", re.I), "four hours", ("fore",)),
    (re.compile(r"\bate hours\b", re.I), "eight hours", ("ate ",)),
    (re.compile(r"\b(an?|half an?) our\b", re.I), r"\1 hour", (" our",)),
    (re.compile(r"\b(mrs|mr|ms|dr|st|mt|ft)\.", re.I), r"\1", (".",)),
    # written forms an ASR or a keyboard produces: "1:30 hours", "1 1/2 hours", "1/2 hour", "no. 4412", "'n"
    (re.compile(r"\b(\d{1,2}):([0-5]\d)\s*(hours?|hrs?)\b", re.I), r"\1 hours \2 minutes", (":",)),
    (re.compile(r"\b(\d+)\s+1/2\b"), r"\1.5", ("/",)),
    (re.compile(r"\b(\d+)\s+1/4\b"), r"\1.25", ("/",)),
    (re.compile(r"\b(\d+)\s+3/4\b"), r"\1.75", ("/",)),
    (re.compile(r"\b1/2\s+(?=(?:an?\s+)?(?:hour|hr)\b)", re.I), "half ", ("/",)),
    (re.compile(r"\b1/4\s+(?=(?:of\s+)?(?:an?\s+)?(?:hour|hr)\b)", re.I), "quarter ", ("/",)),
    (re.compile(r"\b3/4\s+(?:of\s+)?(?:an?\s+)?(?=(?:hour|hr)\b)", re.I), "three quarters of an ", ("/",)),
    (re.compile(r"\b(?:no|nr|num)\.\s*(?=\d)", re.I), "number ", (".",)),
    (re.compile(r"\s+'?n'?\s+(?=a (?:half|quarter)\b)", re.I), " and ", ("half", "quarter")),
    (re.compile(r"\ba (hundred|thousand)\b", re.I), r"one \1", ("hundred", "thousand")),
    (re.compile(r"\b(what|that|where|there|who|here)s\b", re.I), r"\1's", ("ts", "res", "os")),
    (re.compile(r"\b(i)m\b", re.I), r"\1'm", ("im",)),
    (re.compile(r"\b(i|we|they|you)ve\b", re.I), r"\1've", ("ve",)),
    (re.compile(r"\b(do|does|did|is|was|has|have|are|were|ca|could|would|should)nt\b", re.I), r"\1n't", ("nt",)),
    (re.compile(r"'em\b", re.I), "em", ("'em",)),
    (re.compile(r"\bgo ahead and\s+", re.I), "", ("go ahead",)),
    (re.compile(r"\b(?:come|try) and\s+(?=(?:close|order|start|update|log|bill)\b)", re.I), "", (" and ",)),
    (re.compile(r"\bp[- ]trap\b", re.I), "p-trap", ("trap",)),
    (re.compile(r"\btank[- ]to[- ]bowl\b", re.I), "tank-to-bowl", ("bowl",)),
    (re.compile(r"\bshut[- ]off valve\b", re.I), "shut-off valve", ("shut",)),
    (re.compile(r"\bo[- ]ring\b", re.I), "o-ring", ("ring",)),
    (re.compile(r"\b(uh|mm)[\s-]+(huh|hm+)\b", re.I), r"\1-\2", ("uh", "mm")),
    (re.compile(r"\b(um+|uh+|er+m?|hmm+)\b(?!-)[,]?\s*", re.I), "", ("um", "uh", "er", "hm")),
    (re.compile(r"\b(\w+)'s (done|finished|complete|wrapped)\b", re.I), r"\1 is \2", ("'s ",)),
    (re.compile(r"\b(the|a|an|my|his|her|their|to|of|and)\s*,\s*(?=[a-z])", re.I), r"\1 ", (",",)),
    (re.compile(r"\b(the|a|an|and|to|of)\s+\1\b", re.I), r"\1", None),
]


def _clean(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    s = s.replace("\u201c", '"').replace("\u201d", '"')
    low = s.lower()
    for pattern, repl, hints in _HOMOPHONES:
        if hints is None or any(h in low for h in hints):
            cleaned = pattern.sub(repl, s)
            if cleaned != s:
                s, low = cleaned, cleaned.lower()
    return re.sub(r"\s+", " ", s).strip()


# --------------------------------------------------------------------------- clauses
_SPLIT_VERBS = (r"(?:(?:can|could|would) you (?:please )?|please |i'?ll |i need to |we need to |let'?s |"
                r"(?:i )?gotta |need to |i'?m |i am |also |then )?"
                r"(?:order|reschedule|push|bump|move|start|starting|close|closing|update|log|what|where|next|"
                r"gimme|give me|send me|mark|finish|delete|drop|put it|bill every|cancel)\b")
#: "... and ticket 2021 one hour": another numbered job starts another command
_TICKET_REF = (r"(?:ticket|job|work order|wo)\s+(?:number\s+)?(?:\d|one|two|three|four|five|six|seven|eight|nine|"
               r"ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|oh)")
_SPLITTER = re.compile(
    r"[.;:!?]+(?=\s|$)|,|\s+(?:and then|and also|and|then|also|plus|but)\s+(?=" + _SPLIT_VERBS + "|" + _TICKET_REF
    + ")", re.I)
_COORDINATED = re.compile(r"(?:\band|\balso|\bplus|\bthen|\bas well)\s*$", re.I)
_LEADING = re.compile(r"^(?:(?:and|then|also|plus|but|so|oh|okay|ok|hey|well|now)\b[\s,]*)+", re.I)


@dataclass
class _Clause:
    text: str
    low: str
    num: str
    start: int
    first: bool  # the utterance's first clause
    coordinated: bool = False  # joined by "and/also/then": a new job in it repeats the action


def _clauses(s: str) -> list[_Clause]:
    out: list[_Clause] = []
    pos = 0
    pieces: list[tuple[int, int]] = []
    for m in _SPLITTER.finditer(s):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(s)))
    pieces = [p for a, b in pieces for q in _split_on_and(s, a, b) for p in _split_before_order(s, *q)]
    # "nah that's wrong it's the Mahoney job ...": an opening refusal is an answer of its own
    if pieces:
        a, b = pieces[0]
        m = _DECLINE_OPENING.match(s, a, b)
        if m and m.end() < b and s[m.end():b].strip(" ,.;!?"):
            pieces[0:1] = [(a, m.end()), (m.end(), b)]
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
        out.append(_Clause(core, core.lower(), numberize(core), offset, not out, joined))
    return out


_DECLINE_OPENING = re.compile(
    r"\s*(?:(?:nope|nah)\b[\s,.!]*|no\b(?=\s*[,.!]|\s+(?:no|that's|that is|it's|it was|i said|wrong|not)\b)"
    r"[\s,.!]*)+(?:(?:that's|that is) (?:wrong|not right|incorrect)\b[\s,.!]*|wrong (?:job|one|customer)\b[\s,.!]*)?",
    re.I)
_AND = re.compile(r"\s+(?:and then|and|then|but)\s+", re.I)


def _split_on_and(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """Cut a clause at 'and'/'then' when each side carries a different action cue."""
    for m in _AND.finditer(s, a, b):
        left, right = _cue(s[a:m.start()].lower()), _cue(s[m.end():b].lower())
        if left and right and left != right and not {left, right} <= _STATUS:
            return [(a, m.start()), *_split_on_and(s, m.end(), b)]
    return [(a, b)]


_ORDER_LEAD = re.compile(r"(?:\b(?:i|we)(?:'ll| will)?\s+)?(?:\bneeds? to|\bgotta|\bhave to|\bgot to|\bplease)?\s*$",
                         re.I)


def _split_before_order(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """A run-on "still at X the compressor is shot need to order one": the order is a command of its own."""
    m = _ORDER.search(s.lower(), a, b)
    if not m or m.start() == a or _cue(s[a:m.start()].lower()) in (None, Action.order_parts):
        return [(a, b)]
    lead = _ORDER_LEAD.search(s, a, m.start())
    cut = lead.start() if lead else m.start()
    return [(a, cut), (cut, b)] if s[a:cut].strip() else [(a, b)]


def _cue(low: str) -> Action | None:
    """The action a piece of text asks for, judged by its verbs alone."""
    if _NEXT.search(low):
        return Action.next_ticket
    m = _RESCHEDULE.search(low)
    if m and not _RESCHEDULE_WEAK.fullmatch(m.group(0)):
        return Action.reschedule_ticket
    if _ORDER.search(low):
        return Action.order_parts
    if _INCOMPLETE.search(low):
        return Action.update_ticket
    if _CLOSE.search(low):
        return Action.close_ticket
    if _START.search(low):
        return Action.start_ticket
    return None


# --------------------------------------------------------------------------- cues
def _rx(pattern: str) -> re.Pattern[str]:
    # cue patterns only ever see lowercased text: case-insensitive matching would only cost time
    return re.compile(pattern)


# bounded windows keep these linear on long or hostile input ("UPDATE UPDATE ..." x 2000)
_SQL = re.compile(r";\s*\w|--|\b(?:select|update|insert|delete|drop)\b[^.!?]{0,80}?(?:=|\*|\btable\b|"
                  r"\bfrom\s+\w+\s+where\b)|\bdrop\s+table\b|\bor\s+1\s*=\s*1\b|\b\w{1,40}\s*=\s*'", re.I)
_INJECTION = _rx(r"\b(?:ignore|forget|disregard)\b.{0,40}\b(?:instructions?|rules|everything|prompt|told|previous|"
                 r"above|said)\b|\bsystem prompt\b|\byou are now\b|\bact as\b|\bassistant\b|\bdeveloper mode\b|"
                 r"\bjailbreak\b|\bpretend (?:you|to)\b|\bnew instructions\b|\boverride\b|\bmark\b.{0,30}\bpaid\b|"
                 r"\badmin(?:istrator)? (?:mode|access)\b|\byou(?:'re| are) (?:an? |the )?(?:admin|administrator|root|"
                 r"superuser|system|developer|manager)\b")
_BULK = _rx(r"\b(?:close|closing|mark|bill|delete|cancel|complete|finish|clear|reset|update)\s+(?:out\s+|off\s+|up\s+)?"
            r"(?:everything|all)\b|\beverything on (?:my|the|your)\b|\b(?:them|these|those) all\b|"
            r"\b(?:every|all)\s+(?:the\s+|my\s+|of\s+(?:the|my|their|them)\s+|your\s+|their\s+)?(?:other\s+)?"
            r"(?:\w+\s+)?(?:jobs?|tickets?|customers?|work orders?|accounts?|records?|clients?|appointments?|"
            r"others)\b|\beveryone\b|\beverybody\b|\ball of them\b|\ball the others\b|\bthe others\b|"
            r"\btickets?\s+\d+\s*(?:through|thru|to|-)\s*\d+\b|"
            r"\bfor everyone\b|\bdatabase\b|\bevery single\b|\bwhole (?:list|schedule|table|board)\b")
_DESTRUCTIVE = _rx(r"\b(?:delete|drop|wipe|erase|truncate|purge|destroy)\b|\bremove (?:all|every|the ticket)")

_NEXT = _rx(r"\b(?:what|who|where)(?:'s| is| am i| do i| should i| have i)\b[\w\s']{0,20}?\bnext\b(?!\s+(?:week|"
            r"month|time|monday|tuesday|wednesday|thursday|friday|saturday|sunday))|"
            r"\bnext (?:job|one|call|ticket|stop|appointment|customer|address|assignment|work order|house|place|"
            r"up|on the list)\b|\bwhat(?:'s| is| do i have| have i got| you got| else)?(?: for me)? next\b|"
            r"\bwhere (?:am i|do i|should i|to)\b.{0,20}\b(?:next|after this|now)\b|\bwhere am i (?:going|headed|"
            r"heading)\b|\b(?:ready for|give me|gimme|send me|assign me|got|what's|what is|onto|on to)\s+"
            r"(?:another|the next|my next)\b|\banything else (?:on|for|in)\b|\bwho(?:'s| is) next\b|^next\b|"
            r"\bafter this\b|\bwhat else (?:is|do i|have i|you got)\b|\bmove me (?:on|to the next)\b")
_RESCHEDULE = _rx(r"\bre-?schedul\w*|\bpostpon\w*|\bput (?:it |them |that )?off\b|\banother day\b|"
                  r"\b(?:tomorrow|today|tonight|next \w+|(?:on )?\w+day(?: morning| afternoon)?) instead\b|"
                  r"\bcan(?:'t|not) make it\b|\b(?:push|pushed|pushing|bump|bumped|move|moved|moving|shift|"
                  r"slide)\b")
_RESCHEDULE_WEAK = _rx(r"\b(?:push|pushed|pushing|bump|bumped|move|moved|moving|shift|slide)\b")
_ORDER = _rx(r"(?<!work )(?<!out of )(?<!in )(?<!back-)(?<!back )(?<!already )(?<!been )(?<!was )(?<!were )"
             r"(?<!is on )(?<!on )\border(?:ed|ing|s)?\b(?!\s+(?:number|no\b|#|to\b))|"
             r"\bparts? order\b|\bpick up (?:a|an|some)\b")
_INCOMPLETE = _rx(r"\b(?:not|isn't|isnt|aren't|wasn't|ain't|never|haven't|hasn't|won't|will not|didn't|"
                  r"did not|don't|do not)\s+(?:\w+\s+)?(?:done|finished|finish|complete|completed|close|closed|"
                  r"wrapped)\b|\bnot yet\b|\bstill\s+(?:working|on site|on it|here|testing|troubleshooting|need|"
                  r"needs|waiting|going|diagnosing|at|in progress|running|chasing|have|got)\b|\bin progress\b|"
                  r"\bstill (?:over |out )?(?:at|here|there)\b|\bpart ?way\b|\bhalf ?way\b|\bwaiting (?:on|for)\b|"
                  r"\bcom(?:e|ing) back\b|\bongoing\b|"
                  r"\bunfinished\b|\bincomplete\b")
#: implied completion: the equipment works again (explicit "done"/"close" cues are stronger)
_FIXED = _rx(r"\b(?:is|are|'s) (?:all )?good(?: now| to go)?\b|\bbill(?:ed)? (?!.*\bso far\b)|"
             r"\b(?:is|are|'s) (?:fixed|repaired|working (?:again|now|fine)|running (?:again|now|fine)|back up|"
             r"good as new|up and running)\b|\ball fixed\b|"
             r"\b(?:is|are|'s)\s+(?!leaking|dripping|tripping|failing|smoking|sparking|overheating|freezing|"
             r"making|acting|short)\w+ing\s+(?:again|now|fine|properly|normally)\b")
#: end-of-shift talk, not a job
_CHATTER = _rx(r"\b(?:done|finished|wrapped up|wrapping up|knocking off|calling it) for (?:the day|today|tonight|"
               r"the night|the week)\b|\bcalling it a day\b")
_CLOSE = _rx(r"\b(?:done|finished|finish(?:ing)? up|complete|completed|wrapped(?: up)?|wrapping up|all set|"
             r"good to go|clos(?:e|ed|ing)(?! to\b)|knocked out|buttoned up|that's a wrap|signed off|sign off|"
             r"(?:all )?taken care of|squared away|sorted|done deal)\b")
_START = _rx(r"\b(?:start(?!\s+(?:relay|capacitor|cap|kit|switch|winding|button|assist|component)s?\b)|starting|"
             r"started|begin|beginning|began|kick(?:ing)? off|on ?site|arrived|arriving|"
             r"just got (?:here|to|in)|pull(?:ing|ed) (?:up|in)|walk(?:ed|ing) in(?:to)?|here at|"
             r"i(?:'m| am) (?:here|at)\b|heading (?:in(?:to)?|over to|out to|to the)|on my way to|getting going|"
             r"on scene|on location|"
             r"going over to|"
             r"got here)\b")
#: "at the Fuentes residence" on its own: probably arriving, unless a later clause says the job is done
_START_WEAK = _rx(r"^at (?:the )?\w+ (?:house|place|residence|home)(?: now)?$")
_UPDATE = _rx(r"\b(?:update|updating|log|logged|logging|add|added|adding|so far|put (?:it |that )?(?:on|in) the|"
              r"progress|note that)\b")

_CONFIRM_STRONG = phrase_set(
    "yes|yep|yup|yes please|absolutely|definitely|correct|confirm|confirmed|affirmative|exactly|perfect|"
    "please do|do it|go ahead|go for it|sounds good|that works|works for me|that's right|that is right|"
    "that's correct|that is correct|mm-hm|mm-hmm|mmhm|mhm|uh-huh|you got it|sure thing|of course|for sure|"
    "yes sir|roger|roger that|copy that|that's it|do that|looks good|that's good|all good|yeah do it|"
    "right on|sure go ahead|you bet|indeed|that's fine|fine by me|make it so|good")
_CONFIRM_WEAK = phrase_set("ok|okay|yeah|ya|yea|sure|alright|all right|right|fine|cool|k|great")
#: sounds that colour an answer without changing it: "ugh, never mind", "oh yes"
_INTERJECTIONS = phrase_set("ugh|oh|ah|hmm|mm|mmm|hm|well|man|geez|jeez|um|uh|er|so|hey|look|thanks|thank you|"
                            "please|sorry|for me|to me|then|buddy|boss|sir|ma'am|mate")
_DECLINE = phrase_set("no|nope|nah|no thanks|no thank you|not now|not right now|not yet|don't|do not|don't do that|"
    "don't do it|cancel|cancel that|cancel it|negative|never mind|nevermind|stop|hold off|wrong|"
    "that's wrong|that's not right|that is wrong|not that|no way|skip it|skip that|forget it|leave it|"
    "don't bother|no sir|not today|not really|no no|wrong job|wrong one|wrong customer|wrong ticket|"
    "that's the wrong job|not that one|hold off on that|hold off on it|hold on that|don't do that yet|not so fast")
_REPEAT = _rx(r"\b(?:repeat|say (?:that|it|again)|come again|one more time|didn't (?:catch|get|hear)|"
              r"did not (?:catch|get|hear)|missed that|what was that|what did you say|again please|pardon|"
              r"can't hear|couldn't hear|didn't understand)\b")
_REPEAT_ALONE = phrase_set("what|huh|pardon|sorry|again|eh|what's that")
_UNDO = _rx(r"\b(?:undo|un-do|scratch that|take (?:that|it) back|revert|reverse (?:that|it|what)|"
            r"roll (?:that |it |this )?back|(?:cancel|reverse|take back) what i just|go back on that|"
            r"cancel (?:the )?last (?:one|command|thing)|that was wrong)\b")

_TOO = _rx(r"\b(?:too|also|as well|same)\b")
_PRONOUN = _rx(r"\b(?:them|em|they|their|it|that|this|those|there|him|her)\b")
_CLOCK = r"(?:\d{1,2}(?::\d\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon)"
_WHEN = _rx(r"\b(?:(?:to|for|until|till|on|at|by)\s+)?(?:tomorrow(?: morning| afternoon| evening| night)?|"
            r"tonight|later(?: today| this week)?|next (?:week|month|time|monday|tuesday|wednesday|thursday|"
            r"friday|saturday|sunday)(?: morning| afternoon| evening)?|(?:this |next )?(?:monday|tuesday|wednesday|"
            r"thursday|friday|saturday|sunday)(?: morning| afternoon| evening)?|the \d+(?:st|nd|rd|th)?|"
            r"this (?:afternoon|evening|week|weekend)|the (?:weekend|afternoon|morning)|"
            r"(?:my )?" + _CLOCK + r" o'clock)"
            r"(?:\s+at\s+" + _CLOCK + r"(?:\s*(?:am|pm|o'clock|thirty))?)?|\bat " + _CLOCK + r"\s*(?:am|pm|o'clock)?")
_WHEN_LEAD = re.compile(r"^(?:to|for|until|till|on|by)\s+", re.I)
_CORRECTION = re.compile(
    r"\b(?:no|nope|actually|i mean|make (?:that|it)|call it|sorry|wait|correction|or rather|rather|scratch that)\b"
    r"[\s,.!?]*(?:no\b[\s,.]*)?(?:wait\b[\s,.]*)?(?:make (?:that|it)|call it)?\s*(\d+(?:\.\d+)?)\b"
    r"(?!\s*(?:hours?|hrs?|minutes?|mins?|[\d.]|amp|volt|percent))")
_ADDED = re.compile(r"\b(?:plus|another|and another|on top)\b")
_BARE_NUMBER = re.compile(r"(?:^|,)\s*(\d+(?:\.\d+)?)\s*(?:[,.!?]\s*)*$")
_MINUTE_MARKS = {15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0}
_BILL_BARE = re.compile(r"\b(?:bill|billed|charge|put down|log)\s+(?:them|em|him|her|it|the customer|me)?\s*"
                        r"(?:for\s+)?(\d+(?:\.\d+)?)\b(?!\s*(?:hours?|hrs?|minutes?|mins?|[\d.]|amp|volt|"
                        r"percent|dollars|bucks|parts?|of))")
_TICKET = re.compile(r"\b(?:ticket|job|work order|wo|call|#)\s*(?:number\s+|no\s+|#\s*)?"
                     r"((?:\d+)(?:\s+\d+)*)\b(?!\s*(?:\.\d|hours?|hrs?|minutes?|mins?|am\b|pm\b))")
_TICKET_AFTER_VERB = re.compile(r"\b(?:close|closing|start|starting|finish|finished|update|reschedule)\s+(?:out\s+)?"
                                r"(\d{3,6})\b(?!\s*(?:\.\d|hours?|hrs?|minutes?|mins?))")
_WORK_VERB = _rx(r"\b(?:replac\w*|swap\w*|chang\w*|install\w*|put in|clean\w*|check\w*|adjust\w*|test\w*|"
                 r"inspect\w*|troubleshoot\w*|recharg\w*|diagnos\w*|repair\w*|fix\w*|used|new|added|tighten\w*|"
                 r"flush\w*|reset|rewir\w*|hook\w* up)\b")


def _words(low: str) -> list[str]:
    return re.findall(r"[a-z][a-z'\-]*", low)


def _segment(words: list[str], phrases: frozenset[str], strong: frozenset[str] = frozenset()) -> tuple[bool, bool]:
    """Can ``words`` be cut into phrases of ``phrases`` (up to four words each)? And can that use a
    phrase of ``strong``?"""
    n = len(words)
    reach: list[set[bool]] = [set() for _ in range(n + 1)]
    reach[0].add(False)
    for i in range(n):
        for used in tuple(reach[i]):
            for j in range(i + 1, min(n, i + 4) + 1):
                phrase = " ".join(words[i:j])
                if phrase in phrases:
                    reach[j].add(used or phrase in strong)
    return bool(n and reach[n]), True in reach[n]


# --------------------------------------------------------------------------- clause reading
@dataclass
class _Reading:
    clause: _Clause
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


_ANSWER_WORDS = 10
_YES_WORDS = _CONFIRM_STRONG | _CONFIRM_WEAK | _INTERJECTIONS
_NO_WORDS = _DECLINE | _CONFIRM_WEAK | _INTERJECTIONS


def _meta(clause: _Clause, whole: bool) -> tuple[Action | None, bool]:
    words = _words(clause.low)
    if not words:
        return None, False
    if _UNDO.search(clause.low) and len(words) <= 9:
        return Action.undo, True
    if len(words) <= _ANSWER_WORDS:  # yes/no answers are short; longer clauses skip the segmentation
        ok, strong = _segment(words, _YES_WORDS, _CONFIRM_STRONG)
        said_yes = _segment(words, _YES_WORDS, _CONFIRM_STRONG | _CONFIRM_WEAK)[1]
        if ok and said_yes and (strong or whole):
            return Action.confirm, strong
        declines = _segment(words, _NO_WORDS, _DECLINE)[1]
        if declines and (clause.first or words[0] not in ("no", "nope", "nah")):
            return Action.decline, True
    if _REPEAT.search(clause.low) and not (_CLOSE.search(clause.low) or _ORDER.search(clause.low)):
        return Action.repeat, True
    if whole and " ".join(words) in _REPEAT_ALONE:
        return Action.repeat, True
    return None, False


def _read(clause: _Clause, whole: bool, finder: CustomerFinder, has_time: bool) -> _Reading:
    r = _Reading(clause)
    low = clause.low
    if _SQL.search(clause.text):
        r.adversarial = "sql"
    elif _INJECTION.search(low):
        r.adversarial = "injection"
    elif _DESTRUCTIVE.search(low):
        r.adversarial = "destructive"
    elif _BULK.search(low) or _BULK.search(clause.num):
        r.adversarial = "bulk"
    if r.adversarial:
        return r
    r.customers = finder.find(clause.text, clause.start)
    r.ticket_id = _ticket(clause.num)
    r.too = bool(_TOO.search(low))
    r.pronoun = bool(_PRONOUN.search(low))
    r.meta, r.meta_strong = _meta(clause, whole)
    if r.meta is not None:
        return r
    r.incomplete = bool(_INCOMPLETE.search(low))
    if _CHATTER.search(low):
        return r
    has_target = bool(r.customers or r.ticket_id is not None or r.pronoun)
    if _NEXT.search(low) and not (r.customers or r.ticket_id is not None):
        r.action, r.strength = Action.next_ticket, 0.9
    elif _RESCHEDULE.search(low) and (not _RESCHEDULE_WEAK.fullmatch(_RESCHEDULE.search(low).group(0))
                                       or has_time or has_target):
        weak = bool(_RESCHEDULE_WEAK.fullmatch(_RESCHEDULE.search(low).group(0)))
        r.action, r.strength = Action.reschedule_ticket, 0.75 if weak else 0.9
    elif _ORDER.search(low):
        r.action, r.strength = Action.order_parts, 0.9
    elif r.incomplete:
        r.action, r.strength = Action.update_ticket, 0.85
    elif _CLOSE.search(low):
        r.action, r.strength = Action.close_ticket, 0.9
    elif _START.search(low):
        r.action, r.strength = Action.start_ticket, 0.85
    elif _START_WEAK.search(low):
        r.action, r.strength, r.provisional = Action.start_ticket, 0.6, True
    elif _FIXED.search(low):
        r.action, r.strength = Action.close_ticket, 0.7
    elif _UPDATE.search(low):
        r.action, r.strength = Action.update_ticket, 0.7
    return r


def _ticket(num: str) -> int | None:
    m = _TICKET.search(num) or _TICKET_AFTER_VERB.search(num)
    return concat_groups(m.group(1).split()) if m else None


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

    @property
    def has_target(self) -> bool:
        return self.customer is not None or self.ticket_id is not None

    def conflicts(self, r: _Reading) -> bool:
        if self.correcting:
            return False
        if r.ticket_id is not None and self.ticket_id is not None and r.ticket_id != self.ticket_id:
            return True
        first = r.customers[0] if r.customers else None
        return bool(first and self.customer and first.key != self.customer.key and not first.correction)

    def absorb(self, r: _Reading) -> None:
        self.readings.append(r)
        if self.correcting and (r.customers or r.ticket_id is not None):
            # "close the Ramos job, scratch that, the Reyes job": the new job replaces the old one
            self.customer = r.customers[0] if r.customers else None
            self.ticket_id = r.ticket_id
        # whatever follows the marker ("three", "the Reyes job") is the replacement, not a cancellation
        self.correcting = None
        if r.customers:
            mention = r.customers[-1] if r.customers[-1].correction else r.customers[0]
            if self.customer is None or mention.correction:
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


_STATUS = {Action.close_ticket, Action.update_ticket}
_TARGETLESS = {Action.next_ticket, Action.confirm, Action.decline, Action.repeat, Action.undo}


def _compatible(d: _Draft, r: _Reading) -> bool:
    if d.action is None or r.action is None or d.inherited:
        return not d.conflicts(r)
    same = d.action == r.action or {d.action, r.action} <= _STATUS
    return same and d.action not in _TARGETLESS and not d.conflicts(r)


_CANCEL_MARKERS = phrase_set("scratch that|undo that|cancel that|never mind|nevermind|forget that|strike that")
_FIX_MARKERS = phrase_set("no|no wait|wait|i mean|sorry|actually|or rather|make that|correction|no sorry|sorry no")


def _marker(r: _Reading) -> str | None:
    """'cancel' or 'fix' when the clause only takes back what was just said."""
    words = " ".join(_words(r.clause.low))
    if words in _CANCEL_MARKERS:
        return "cancel"
    if words in _FIX_MARKERS:
        return "fix"
    return None


def _group(readings: list[_Reading]) -> list[_Draft]:
    drafts: list[_Draft] = []
    cur: _Draft | None = None
    for r in readings:
        marker = _marker(r) if cur is not None and cur.action is not None and cur.action not in _TARGETLESS and \
            not r.clause.first else None
        if marker:
            cur.correcting = marker
            cur.readings.append(r)  # kept: hours and parts read "two hours, no, one and a half" from it
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
        if cur is None or (cur.action in _TARGETLESS and r.action != cur.action) or not _compatible(cur, r):
            inherit = cur.action if (cur is not None and r.action is None and (r.too or r.clause.coordinated)
                                     and cur.action not in _TARGETLESS) else None
            cur = _Draft(action=inherit, strength=cur.strength - 0.05 if inherit and cur else 0.0,
                         inherited=inherit is not None)
            drafts.append(cur)
        cur.absorb(r)
    if cur is not None and cur.correcting == "cancel" and cur in drafts:
        drafts.remove(cur)  # taken back with nothing in its place
    return drafts


# --------------------------------------------------------------------------- assembly
def _hours(num_text: str, *, bare_number: bool = True) -> float | None:
    durations = find_durations(num_text)
    value: float | None = durations[-1][2] if durations else None
    for prev, nxt in itertools.pairwise(durations):
        if _ADDED.search(num_text[prev[1]:nxt[0]]):
            value = round((value or 0) + prev[2], 2) if nxt is durations[-1] else value  # "plus another"
    last_end = durations[-1][1] if durations else -1
    unit = durations[-1][3] if durations else "hours"
    if value is None:
        m = _BILL_BARE.search(num_text)
        if m and 0 < float(m.group(1)) <= 16:
            value, last_end = float(m.group(1)), m.end()  # "bill em for three"
    for m in _CORRECTION.finditer(num_text):
        if m.start() > last_end - 1 and value is not None:
            n = float(m.group(1))
            value = round(n / 60.0, 2) if unit == "minutes" else n
    if value is None and bare_number:
        # a number said on its own after the work: "..., forty five" is minutes, "..., two" is hours
        m = _BARE_NUMBER.search(num_text)
        if m:
            n = float(m.group(1))
            value = n if 0 < n <= 12 else round(n / 60.0, 2) if n in _MINUTE_MARKS else None
    return value


def _notes(draft: _Draft) -> str | None:
    parts = [r.clause.text.strip(" ,.;!?") for r in draft.readings if _WORK_VERB.search(r.clause.low)]
    text = "; ".join(p for p in parts if p)
    text = re.sub(r"^(?:i|we)(?:'ve| have)?\s+", "", text, flags=re.I)
    return text or None


def _when(draft: _Draft) -> str | None:
    for r in draft.readings:
        m = _WHEN.search(r.clause.low)
        if m:  # the time as spoken, without the "to"/"for" that introduced it
            return _WHEN_LEAD.sub("", r.clause.text[m.start():m.end()].strip())
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

    def extract(self, transcript: str, *, open_tickets: Sequence[OpenTicket] = ()) -> Extraction:
        """Commands in spoken order; odd or hostile text becomes ``unknown``."""
        text = _clean(transcript or "")
        clauses = _clauses(text)
        if not clauses:
            return self._unknown(0.9, "empty")
        finder = CustomerFinder(text, open_tickets)
        has_time = bool(_WHEN.search(text.lower()))
        # one clause, or only "huh, what"-style words: an answer on its own
        whole = len(clauses) == 1 or all(" ".join(_words(c.low)) in _REPEAT_ALONE for c in clauses)
        readings: list[_Reading] = []
        adversarial: list[str] = []
        for clause in clauses:
            r = _read(clause, whole, finder, has_time)
            if r.adversarial:
                adversarial.append(r.adversarial)
                if r.adversarial == "injection":
                    break  # whatever follows an instruction to the system is not the technician's
                continue
            readings.append(r)
        commands = self._assemble(_group(readings))
        if not commands:
            if adversarial:
                return self._unknown(0.95, "refused: " + ",".join(dict.fromkeys(adversarial)))
            return self._unknown(0.6, "no command recognised")
        details = {"refused": list(dict.fromkeys(adversarial))} if adversarial else {}
        return Extraction(commands=commands, extractor=self.name, details=details)

    def _unknown(self, confidence: float, reason: str) -> Extraction:
        cmd = VoiceCommand(action=Action.unknown, confidence=confidence)
        return Extraction(commands=[cmd], extractor=self.name, details={"reason": reason})

    def _assemble(self, drafts: list[_Draft]) -> list[VoiceCommand]:
        # a trailing clause group without an action (e.g. "Smith job, two hours" after a close) joins its
        # neighbour; on its own it is an update with low confidence
        merged: list[_Draft] = []
        for d in drafts:
            if d.action is None and merged and merged[-1].action not in _TARGETLESS and not any(
                    merged[-1].conflicts(r) for r in d.readings):
                for r in d.readings:
                    merged[-1].absorb(r)
                continue
            merged.append(d)
        commands: list[VoiceCommand] = []
        last_target: _Draft | None = None
        spoken: list[str] = []  # clauses of the commands before this one
        for d in merged:
            before, spoken = list(spoken), spoken + [r.clause.low for r in d.readings]
            action = d.action
            text = " , ".join(r.clause.num for r in d.readings)
            # a lone number only counts as time when a verb said what the command is
            hours = _hours(text, bare_number=action is not None) if action not in _TARGETLESS else None
            if action is None:
                if hours is None:
                    continue  # a name or a part with no verb and no hours: nothing to act on
                action, d.strength = Action.update_ticket, 0.4
            if action in _TARGETLESS:
                commands.append(VoiceCommand(action=action, confidence=_confidence(d, action)))
                continue
            if not d.has_target and last_target is not None:
                d.customer, d.ticket_id, d.carried = last_target.customer, last_target.ticket_id, True
            parts = extract_parts([r.clause.low for r in d.readings], action, before=before) if action in (
                Action.close_ticket, Action.update_ticket, Action.order_parts) else []
            if hours is not None and hours > 24:
                commands.append(VoiceCommand(action=Action.unknown, confidence=0.9,
                                             notes=f"{hours:g} hours cannot be billed to one job"))
                continue
            if hours is not None and action in (Action.order_parts, Action.reschedule_ticket) and commands and \
                    commands[-1].action in _STATUS and commands[-1].billing_hours is None:
                # "...need to order one, three hours so far": the hours belong to the job's progress
                commands[-1] = commands[-1].model_copy(update={"billing_hours": hours})
            if action in (Action.start_ticket, Action.reschedule_ticket):
                hours = None
            cmd = VoiceCommand(
                action=action,
                customer=d.customer.name if d.customer else None,
                ticket_id=d.ticket_id,
                parts=parts,
                billing_hours=hours if action in _STATUS else None,
                notes=_notes(d) if action != Action.reschedule_ticket else None,
                when=_when(d) if action == Action.reschedule_ticket else None,
                confidence=_confidence(d, action),
            )
            commands.append(cmd)
            if d.has_target:
                last_target = d
        return commands

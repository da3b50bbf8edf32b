"""Cleaning a transcript before it is read: Unicode punctuation, fillers ("um", "uh"), written
forms ("1:30 hours", "no. 4412"), apostrophe-less contractions and speech-recognition homophones
("build them" -> "bill them", "clothes it" -> "close it", "too hours" -> "two hours")."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable

from voiceops.extraction.lexicon import PART_HEADS
from voiceops.extraction.prefilter import Cue


def _mc_part(m: re.Match[str]) -> bool:
    """ "MC cable", "mc connectors": the cable type before a part, not a split "Mc" surname."""
    word = m.group(2).lower()
    return word in PART_HEADS or word.removesuffix("s") in PART_HEADS or (m.group(1) == "MC" and m.group(2).islower())


_DIGITS = tuple("0123456789")


#: number words a small recogniser writes as their homophones, before "hours" ("too ours", "won our", "for ours")
_SAID_AS = {"won": "one", "too": "two", "to": "two", "for": "four"}


def _count_before_parts(m: re.Match[str]) -> str:
    """ "replaced for smoke detectors" -> "replaced four smoke detectors", when a plural part follows (not "ordered
    for Four Corners Food Pantry", "on order for silverleaf apartments")."""
    said = m.group(3)
    if said.istitle() or m.group(4).lower() not in PART_HEADS or said.lower().startswith(("the ", "mrs ", "mr ")):
        return m.group(0)
    return f"{m.group(1)} {'four' if m.group(2).lower() == 'for' else 'two'} {said}"


#: (pattern, replacement, words one of which must be in the text for the pattern to be worth running)
_CLEANUPS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str], tuple[str, ...] | None]] = [
    # "The billing should be forty minutes, I beg your pardon, fifty minutes": a correction, not "pardon?"
    (re.compile(r"\b(?:i )?beg your pardon\b,?\s*(?=(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|twenty|"
                r"thirty|forty|fifty|half|an?|the|it)\b)", re.I), "no, ", ("pardon",)),
    # "an hour oh five": an hour and five minutes
    (re.compile(r"\b(hours?) oh (one|two|three|four|five|six|seven|eight|nine)\b", re.I), r"\1 and \2 minutes",
     (" oh ",)),
    # a dash is a pause, as a comma is: "hour and a half -- no, make that an hour forty-five", "-- thanks --"
    # (only between words: "tickets;--" and a trailing "--" are SQL comments, left for the guard)
    (re.compile(r"(?<=[^\W\d_]|[,.!?])\s+--+\s+(?=[^\W\d_])|\s*\u2014\s*|\s+\u2013\s+"), ", ",
     ("--", "\u2014", "\u2013")),
    (re.compile(r"(?:,\s*){2,}"), ", ", ("--", "\u2014", "\u2013")),
    (re.compile(r"\bbuild (them|em|'em|him|her|it|the customer|for|out)\b", re.I), r"bill \1", ("build",)),
    (re.compile(r"\bbill(?:ed)? (?:them|em|'em) (?:for )?(?:too|to) (hours?)\b", re.I), r"bill them two \1", ("bill",)),
    (re.compile(r"\bclothes (it|that|this|the|out|ticket|job)\b", re.I), r"close \1", ("clothes",)),
    (re.compile(r"\b(?:too|to) hours\b", re.I), "two hours", ("hour",)),
    (re.compile(r"\bfore hours\b", re.I), "four hours", ("fore",)),
    (re.compile(r"\bate hours\b", re.I), "eight hours", ("ate ",)),
    (re.compile(r"\b(?:to|too) of (?=the|them|those|em)\b", re.I), "two of ", (" of ",)),
    (re.compile(r"\b(safety|flame|temp|temperature|pressure|door|motion|level|leak|smoke|rain|float) censor(s?)\b",
                re.I), r"\1 sensor\2", ("censor",)),
    (re.compile(r"\bno weight\b", re.I), "no wait", ("weight",)),
    # "w o thirty three oh eight": a work order, its letters said one by one
    (re.compile(r"\bw\.? o\.?(?= (?:number )?(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
                r"seventy|eighty|ninety|oh|zero)\b)", re.I), "work order", ("w o", "w. o")),
    # "put in a hole new boiler", "replaced the hole thing": the recogniser's "whole"
    (re.compile(r"\bhole (?=new|thing|unit|system|assembly|lot)\b", re.I), "whole ", ("hole ",)),
    # "build two hours know one and a half": the recogniser's "no", correcting the time just said
    (re.compile(r"\b(hours?|minutes?|one|two|three|four|five|six|seven|eight|nine|ten|half|\d+) know (?=(?:\d|one|two|"
                r"three|four|five|six|seven|eight|nine|ten|half|an?|twenty|thirty|forty|fifty)\b)", re.I), r"\1 no ",
     (" know ",)),
    # a small recogniser in a noisy cab: "build six ours", "won our", "too ours", "for ours total", "half a our"
    (re.compile(r"\b(won|one|two|too|to|three|four|for|five|six|seven|eight|nine|ten|eleven|twelve|\d+(?:\.\d+)?|half|"
                r"quarters?|a half|a quarter|half a|half an|an) ours?\b", re.I),
     lambda m: _SAID_AS.get(m.group(1).lower(), m.group(1)) + (" hour" if m.group(0).lower().endswith("our")
                                                                else " hours"), (" our",)),
    (re.compile(r"(?<=\s)our(?= so far| total\b|\s*[.!?]*$)", re.I), "hour", (" our",)),
    (re.compile(r"\b(bill|build|log|put down) (?:to|too) (?=and a (?:half|quarter)\b|hours?\b)", re.I), r"\1 two ",
     ("bill to", "build to", "log to", "down to")),
    (re.compile(r"(^|[,.;]\s*)our and (?=a half|a quarter|ten|fifteen|twenty|thirty|forty|fifty)", re.I),
     r"\1hour and ", ("our and",)),
    (re.compile(r"\bhalf a hour\b", re.I), "half an hour", ("half a hour",)),
    (re.compile(r"\bhalf and hour\b", re.I), "half an hour", ("half and hour",)),
    (re.compile(r"\bwon (?=hours?\b|and (?:a half|a quarter|three quarters?)\b)", re.I), "one ", ("won ",)),
    (re.compile(r"\bfor hours (?=total|so far|all up|in total)", re.I), "four hours ", ("for hours",)),
    (re.compile(r"\bbuild (?=(?:to|too|won|one|two|three|four|for|five|six|seven|eight|nine|ten|half|an?|twenty|thirty|"
                r"forty|fifty|\d)\b)", re.I), "bill ", ("build",)),
    (re.compile(r"\b(can|please|go ahead and|and) clothes\b", re.I), r"\1 close", ("clothes",)),
    (re.compile(r"^clothes\b|(?<=[,.;] )clothes\b|\bclothes (?=[A-Z])", re.I), "close", ("clothes",)),
    (re.compile(r"\bsense (her|hers)\b", re.I), lambda m: "sensor" + ("s" if m.group(1).lower() == "hers" else ""),
     ("sense her",)),
    (re.compile(r"\bknew (?!(?:that|it|he|she|they|we|you|i|what|how|why|where|when|who|about|this|there|him|"
                r"her|them|better)\b)", re.I), "new ", ("knew",)),
    (re.compile(r"\b(that's|thats|that is|yes|yeah|yep|is) write\b", re.I), r"\1 right", ("write",)),
    (re.compile(r"\bweighting (?=on|for)\b", re.I), "waiting ", ("weighting",)),
    (re.compile(r"\b(the|a|an|and|to|of) \1\b", re.I), r"\1", (" the the", " a a ", " and and", " to to", " of of")),
    (re.compile(r"\ban (?=the\b|a (?:half|quarter)\b)", re.I), "and ", ("an the", "an a ")),
    # "replaced for smoke detectors", "order to flush valves": a count before a plural part
    (re.compile(r"\b(replaced|swapped(?: out)?|installed|changed(?: out)?|put in|order|ordered|need|needs) "
                r"(for|to|too) "
                r"((?:of the )?(?:[a-z-]+ ){0,2}([a-z-]+)s)\b(?!')", re.I), _count_before_parts,
     (" for ", " to ", " too ")),
    # "job 6-1-1-8": a number said digit by digit, written with dashes
    (re.compile(r"\b\d(?:-\d){2,5}\b"), lambda m: m.group(0).replace("-", ""), ("-",)),
    # regional forms: Scots "whit's next", "tae the morra"; Jamaican "fi", "inna", "pon"
    (re.compile(r"\bwhit('s| is)\b", re.I), r"what\1", ("whit",)),
    (re.compile(r"\btae the morra\b", re.I), "to tomorrow", ("morra",)),
    (re.compile(r"\b(?:the )?morra\b", re.I), "tomorrow", ("morra",)),
    (re.compile(r"\bfi (?=the|dem|him|her|it|a|an)\b", re.I), "for ", ("fi ",)),
    (re.compile(r"\binna (?=the|a|an)\b", re.I), "in ", ("inna",)),
    (re.compile(r"\bpon (?=the|a|an)\b", re.I), "on ", ("pon",)),
    (re.compile(r"\b(have|got|what else have|what have) ye\b", re.I), r"\1 you", ("have ye", "got ye")),
    (re.compile(r"\bye got\b", re.I), "you got", ("ye got",)),
    # "close ticket eight oh for two": inside a job number said digit by digit, "for" is four
    (re.compile(r"\b((?:ticket|job|work order|number|no)\s+(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|"
                r"ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\s+){1,3})for\s+"
                r"(?=(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b)", re.I), r"\1four ", (" for ",)),
    # "one and three-quarter hours", "a half-hour": hyphens inside spoken fractions of an hour
    (re.compile(r"\b(one|three|a|an|half)-(quarters?|half|hour)\b", re.I), r"\1 \2", ("-",)),
    # "the coils where cleaned": were, before what was done to a part
    (re.compile(r"\bwhere (?=(?:all |both |just |already |also )?(?:cleaned|replaced|swapped|installed|changed|fitted|"
                r"flushed|rebuilt|repaired|put in|shot|bad|leaking|corroded|clogged|plugged|burnt|burned)\b)", re.I),
     "were ", ("where",)),
    (re.compile(r"\bmisses (?=[a-z]+'s\b)", re.I), "mrs ", ("misses",)),
    # "no hang on, the rollout switch": a pause, like "wait"
    (re.compile(r"\bhang on\b(?=\s*[,.;!?]|\s*$)", re.I), "wait", ("hang on",)),
    # two letters joined by "and" name one part: "the T and P valve" is the T&P valve
    (re.compile(r"\b([a-z]) (?:and|n) ([a-z]) (?=valves?\b|switch\b|lines?\b)", re.I), r"\1&\2 ", (" and ", " n ")),
    # "put down for hours", "new resin tank, for hours": four, when billing is meant or it stands alone
    (re.compile(r"\b((?:bill|billed|charge|book|log|put (?:it |me |us |them |em )?down)"
                r"(?: (?:them|em|'em|him|her|it|me|us))?) for hours\b", re.I), r"\1 four hours", ("for hours",)),
    (re.compile(r"((?:^|[,.;])\s*)for hours(?=\s*(?:[,.;!?]|$))", re.I), r"\1four hours", ("for hours",)),
    (re.compile(r"\b(an?|half an?|one) our\b", re.I), r"\1 hour", (" our",)),
    # ("... logic board our and twenty starting the romano job": "our" before "and" is never the possessive)
    (re.compile(r"\bour and (?=an? (?:half|quarter)\b|(?:ten|fifteen|twenty|thirty|forty|fifty)\b)", re.I), "hour and ",
     ("our and",)),
    # "the o brien house": an Irish surname the recogniser wrote apart (not "3 o clock")
    (re.compile(r"\bo (?=(?:brien|connor|connell|neill?|reilly|donnell|sullivan|malley|hara|leary|rourke|shea|toole|"
                r"keefe|dwyer|grady|halloran|callaghan|driscoll|mahony|mahoney|gorman|keeffe|loughlin|meara|riordan|"
                r"dea|dowd|flaherty|hanlon|higgins|kelly|mara)\b)", re.I), "o'", ("o ",)),
    # "put three more hours on it": the time, without the "more"
    (re.compile(r"\b(an?|one|two|three|four|five|six|seven|eight|\d+(?:\.\d+)?) more (hours?|minutes?)\b", re.I),
     r"\1 \2", (" more ",)),
    (re.compile(r"\b(mrs|mr|ms|dr)\.", re.I), r"\1", (".",)),
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
    (re.compile(r"\b(that|it|you|they|there|what|who)ll\b", re.I), r"\1'll", ("ll",)),
    (re.compile(r"\b(do|does|did|is|was|are|were|has|have|had|could|would|should|ca|wo|ai)nt\b", re.I), r"\1n't",
     ("dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "hasnt", "havent", "hadnt", "couldnt", "wouldnt",
      "shouldnt", "cant", "wont", "aint")),
    (re.compile(r"\bmaam\b", re.I), "ma'am", ("maam",)),
    (re.compile(r"\bid (?=say|guess|think|call it|put it)\b", re.I), "i'd ", ("id ",)),
    (re.compile(r"\bmini split(s?)\b", re.I), r"mini-split\1", ("mini split",)),
    # "four ballasts and like six tubes": a filler inside a list
    (re.compile(r"\b(and|or|plus) like (?=(?:a|an|two|three|four|five|six|seven|eight|nine|ten|\d)\b)", re.I), r"\1 ",
     (" like ",)),
    (re.compile(r"\b(i)ll (?=(?:need|be|have|call|come|get|send|do|grab|order|swing|head|finish|start|bill|log)\b)",
                re.I), r"\1'll ", (" ill ",)),
    # shorthand: "1h30", "2h", "tkt #5118", "upd", "nxt", "resched", "next wk", "to Mon", "-> Fri", "@", "x + y"
    # a decimal comma: "2,5 hours"
    (re.compile(r"\b(\d),(\d)(?=\s*(?:hours?|hrs?|h)\b)", re.I), r"\1.\2", (",",)),
    (re.compile(r"\b(\d+)\s*h\s*([0-5]\d)\b", re.I), r"\1 hours \2 minutes", _DIGITS),
    (re.compile(r"\b(\d+(?:\.\d+)?)\s*h\b", re.I), r"\1 hours", _DIGITS),
    (re.compile(r"\btkt(s?)\b", re.I), r"ticket\1", ("tkt",)),
    (re.compile(r"\bwo\s*#", re.I), "work order #", ("#",)),
    # British digits: "five eight nought six", "double seven four one"
    (re.compile(r"\bnought\b", re.I), "zero", ("nought",)),
    (re.compile(r"\b(double|triple)[ -](zero|oh|one|two|three|four|five|six|seven|eight|nine)\b", re.I),
     lambda m: " ".join([m.group(2)] * (2 if m.group(1).lower() == "double" else 3)), ("double", "triple")),
    (re.compile(r"\bwo\s+(?=\d)", re.I), "work order ", ("wo ",)),
    (re.compile(r"\bworkorder(s?)\b", re.I), r"work order\1", ("workorder",)),
    # a recogniser's spelled-out letters and split prefixes: "G.F.C.I.", "Mc Candless", "mack askill"
    (re.compile(r"\bg\.\s?f\.\s?c\.\s?i\.?", re.I), "GFCI", ("g.",)),
    # (but "12/2 MC cable", "mc connectors": a kind of part)
    (re.compile(r"\b(Mc|mc|MC) ([A-Za-z]{3,})"), lambda m: m.group(0) if _mc_part(m) else m.group(1) + m.group(2),
     ("mc ",)),
    # dashes said as pauses: "I replaced the capacitor — no, the contactor — ..."
    (re.compile(r"\s*[\u2014\u2013]\s*|\s+-\s+"), ", ", ("\u2014", "\u2013", " - ")),
    (re.compile(r"\bupd\b\.?", re.I), "update", ("upd",)),
    (re.compile(r"\bnxt\b", re.I), "next", ("nxt",)),
    (re.compile(r"\bwut\b", re.I), "what", ("wut",)),
    (re.compile(r"\band (half|quarter)\b(?! (?:of|an?|the)\b)", re.I), r"and a \1", ("half", "quarter")),
    (re.compile(r"\b(three) quarter\b(?!s)", re.I), r"\1 quarters", ("quarter",)),
    (re.compile(r"\b10-4\b"), "ten-four", ("10-4",)),
    (re.compile(r"\bwhere'm\b", re.I), "where am", ("where'm",)),
    (re.compile(r"\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)(?:-(?:zero|oh|one|two|three|four|five|six|"
                r"seven|eight|nine)){2,}\b", re.I), lambda m: m.group(0).replace("-", " "), ("-",)),
    (re.compile(r"(?<=\w),? er,? (?=(?:the|a|an|for|at|to|on|it's|its) )", re.I), ", no, ", (" er",)),
    (re.compile(r"\b(what else|what|got) u (got|have|need)\b", re.I), r"\1 you \2", (" u ",)),
    (re.compile(r"\bw\.\s?o\.(?=\s)", re.I), "work order", ("w.",)),
    (re.compile(r"\brpt\b", re.I), "repeat", ("rpt",)),
    (re.compile(r"\bpl[sz]\b", re.I), "please", ("pls", "plz")),
    (re.compile(r"\bresched\b\.?", re.I), "reschedule", ("resched",)),
    (re.compile(r"\b(next|this|last) wk\b", re.I), r"\1 week", ("wk",)),
    (re.compile(r"^\s*neg\.?\s*$", re.I), "negative", ("neg",)),
    (re.compile(r"\b(to|on|for|till|until|by|next|this) (mon|tues?|wed|thu|thurs?|fri|sat|sun)\b\.?", re.I),
     lambda m: f"{m.group(1)} {_DAYS[m.group(2).lower()[:3]]}", ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
    (re.compile(r"\s*->\s*"), " to ", ("->",)),
    (re.compile(r"\s@\s*"), " at ", ("@",)),
    (re.compile(r"(?<=\w) \+ (?=\w)"), " and ", ("+",)),
    (re.compile(r"\s+/\s+"), ", ", (" / ",)),
    # a recogniser that splits the prefix: "re schedule", "re book"
    (re.compile(r"\bre (schedul\w*|book\w*|slot\w*|assign\w*)", re.I), r"re\1", ("re ",)),
    (re.compile(r"\b(i|we|they|you)ve\b", re.I), r"\1've", ("ve",)),
    (re.compile(r"\b(what|who|where|how|there|that|should|could|would|might|must)'ve\b", re.I), r"\1 have",
     ("'ve",)),
    # "work order 7,315": a thousands separator inside a spoken-as-written number
    (re.compile(r"\b(\d{1,3}),(\d{3})\b(?!,\d)"), r"\1\2", (",",)),
    (re.compile(r"'em\b", re.I), "em", ("'em",)),
    # dropped g's: "huntin' that leak", "ain't replaced nothin'", "fixin' to get started"
    (re.compile(r"\b([^\W\d_]{2,}in)'(?=\s|[,.;:!?]|$)", re.I),
     lambda m: m.group(1) + ("G" if m.group(1).isupper() else "g"), ("in'",)),
    (re.compile(r"\bgo on ahead\b", re.I), "go ahead", ("on ahead",)),
    (re.compile(r"\bgo ahead and\s+", re.I), "", ("go ahead",)),
    (re.compile(r"\b(?:come|try) and\s+(?=(?:close|order|start|update|log|bill)\b)", re.I), "", (" and ",)),
    (re.compile(r"\bp[- ]trap\b", re.I), "p-trap", ("trap",)),
    (re.compile(r"\btank[- ]to[- ]bowl\b", re.I), "tank-to-bowl", ("bowl",)),
    (re.compile(r"\bshut[- ]off valve\b", re.I), "shut-off valve", ("shut",)),
    (re.compile(r"\bo[- ]ring\b", re.I), "o-ring", ("ring",)),
    (re.compile(r"\b(uh|mm)[\s-]+(huh|hm+)\b", re.I), r"\1-\2", ("uh", "mm")),
    (re.compile(r"\buh-uh\b", re.I), "no", ("uh-uh",)),  # a no, not two fillers
    # (but "Lakeside Animal ER" in a cased transcript is the emergency room)
    (re.compile(r"(?<!-)\b(um+|uh+|er+m?|hmm+)\b(?!-)[,]?\s*", re.I),
     lambda m: m.group(0) if m.group(1) == "ER" and not m.string.isupper() else "", ("um", "uh", "er", "hm")),
    # a word cut off and said again: "the Kowal- Kowalczyk job", "ngu- nguyen"
    (re.compile(r"\b([^\W\d_]+)-\s+(?=\1)", re.I), "", ("- ",)),
    # "like" and "you know" as fillers: "replaced the, like, the LED driver", "it was, like, filthy"
    (re.compile(r"\b(the|a|an|some|my|their),? (?:like|you know),? (?=(?:the|a|an|some|my|their) )", re.I), "",
     ("like", "you know")),
    (re.compile(r",\s*(?:like|you know),\s*", re.I), ", ", ("like", "you know")),
    (re.compile(r"\b(\w+)'s (done|finished|complete|wrapped)\b", re.I), r"\1 is \2", ("'s ",)),
    (re.compile(r"\b(the|a|an|my|his|her|their|to|of|and)\s*,\s*(?=[a-z])", re.I), r"\1 ", (",",)),
    (re.compile(r"\b([Nn]ew)\s*,\s*(?=[a-z])"), r"\1 ", ("new,", "new ,")),  # "a new, um, high limit switch"
    (re.compile(r"\b(the|a|an|and|to|of)\s+\1\b", re.I), r"\1", None),
]

_DAYS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
         "sat": "Saturday", "sun": "Sunday"}

#: each pattern also skipped when the text lacks every string its matches need (prefilter.py)
_RULES = [(Cue(pattern), repl, hints) for pattern, repl, hints in _CLEANUPS]
_SPACES = re.compile(r"\s+")


#: a name spelled out letter by letter after it was said: "the Gvozd job, that's G-W-O-Z-D-Z, is finished",
#: "it's Colfax, C O L F A X": at least three single letters, then the end of the clause (not the "s" of "that's a
#: W", which is slang for a win)
_SPELLED = re.compile(r",?\s*(?:(?:that's|that is|it's|spelled|spelt|spelling)\s*,?\s*)?"
                      r"(?<![\w'])([A-Za-z](?:(?:-|\.\s?|\s)[A-Za-z]\b){2,})\.?(?=\s*(?:[,;!?]|\.(?:\s|$)|$))", re.I)
_WORD = re.compile(r"[A-Za-z][\w'-]*")


def _spelled_names(s: str) -> str:
    """Replace a name said and then spelled by its spelling: the letters are what the technician meant."""
    out, last = [], 0
    for m in _SPELLED.finditer(s):
        letters = re.sub(r"[^A-Za-z]", "", m.group(1))
        before = list(_WORD.finditer(s, last, m.start()))[-4:]
        scored = [(difflib.SequenceMatcher(None, w.group(0).lower(), letters.lower()).ratio(), w) for w in before]
        best = max(scored, key=lambda sw: sw[0], default=None)
        if best is None or best[0] < 0.5:
            continue
        word = best[1]
        spelled = letters.capitalize() if word.group(0)[0].isupper() else letters.lower()
        out.append(s[last:word.start()] + spelled + s[word.end():m.start()])
        last = m.end()
    return "".join(out) + s[last:] if out else s


#: dispatch shorthand: "WO 1187 GTG", "cust pruitt", "Moreau appt", "OTW", "NC" (no charge); run only when one of
#: the abbreviations is there (one search), since their letters hide in common words ("two", "once", "customer")
_SHORTHAND_GATE = re.compile(r"\b(?:W\.? ?O\.?|WOs|GTG|OTW|ASAP|NC|appts?|cust)\b", re.I)
_SHORTHAND = (
    (re.compile(r"\bW\.? ?O\.?(?= (?:#|number|\d|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|"
                r"fifty|sixty|seventy|eighty|ninety)\b)|\bWO\b"), "work order"),
    (re.compile(r"\bWOs\b", re.I), "work orders"),
    (re.compile(r"\bGTG\b", re.I), "good to go"),
    (re.compile(r"\bappts?\b(?!\.)", re.I), lambda m: "appointment" + ("s" if m.group(0)[-1] in "sS" else "")),
    (re.compile(r"\bcust\b\.?", re.I), "customer"),
    (re.compile(r"\bOTW\b", re.I), "on the way"),
    (re.compile(r"\bASAP\b", re.I), "as soon as possible"),
    (re.compile(r"\bNC\b"), "no charge"),
)
#: the same short word twice in a row: "I I installed", "we're we're not done", "that's, that's done", "hold on hold
#: on" (which would read as "on hold"); run only when two neighbouring words are the same
_SAID_TWICE = re.compile(r"\b(i|we|we're|it|it's|that|that's|is|so|they|he|she|i'm|i've|we've|was|in|on|for|with|at|my|"
                         r"this|there|there's|you|just|like|but|then|if|when|hold on|hang on|wait|yep|yeah|yes|okay|ok|"
                         r"sure)\b(?!')"
                         r",?\s+\1(?![\w'])", re.I)


def _said_twice(s: str, low: str) -> str:
    words = low.replace(",", " ").split()
    if not any(map(str.__eq__, words, words[1:])) and not any(map(str.__eq__, words, words[2:])):
        return s
    return _SAID_TWICE.sub(r"\1", s)


#: punctuation said aloud by someone used to voice typing: "close the Patel job period two hours period",
#: "job number colon four four one seven", "new line", "question mark" ("a trial period", "ran a new line" are words)
_SPOKEN_MARKS = (
    (re.compile(r"\b(?:open|close) (?:paren|parenthesis|bracket)\b\s*", re.I), ""),
    (re.compile(r"\b(?:begin |open )?quote\b\s*(?=.*\b(?:unquote|end quote|close quote)\b)", re.I), ""),
    (re.compile(r"\s*\b(?:unquote|end quote|close quote)\b", re.I), ""),
    (re.compile(r"\bdash dash\b", re.I), "--"),
    (re.compile(r"\s*\bquestion mark\b", re.I), "?"),
    (re.compile(r"\s*\bexclamation (?:point|mark)\b", re.I), "!"),
    (re.compile(r"\s*\bsemi ?colon\b", re.I), ";"),
    (re.compile(r"\b(number|no\.?|#)\s+colon\b", re.I), r"\1"),  # "job number colon 4417": the number follows
    (re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2}) colon (?=[a-z\d])", re.I),
     r"\1 "),  # "two colon thirty": a time
    (re.compile(r"\s*\bcolon\b", re.I), ":"),
    (re.compile(r"\s*\bcomma\b", re.I), ","),
    (re.compile(r"\s*\b(?<!\ba )(?<!\bthe )(?<!\bthat )(?<!\bthis )(?<!\beach )(?<!\bper )(?<!\btrial )"
                r"(?<!\bgrace )(?<!\bwarranty )(?<!\bwaiting )(?<!\btime )(?<!\bbilling )(?<!\bpay )(?<!\bcooling )"
                r"(?<!\brental )(?<!\btest )(?<!\bsame )(?:period|full stop)\b", re.I), "."),
    # ("ran a new line to the fridge", "put in new line" are parts)
    (re.compile(r"\s*\b(?<!\ba )(?<!\bthe )(?<!\bone )(?<!\banother )(?<!\bran )(?<!\brun )(?<!\bput )(?<!\bin )"
                r"(?<!\bwater )(?<!\bgas )(?<!\bsome )(?<!\bmy )(?<!\btheir )(?<!\bnew )(?<!\bdrain )(?<!\bsupply )"
                r"(?<!\bfeed )(?<!\bline set )new (?:line|paragraph)\b", re.I), ". "),
)
_MARK_RUN = re.compile(r"\s*([.,:;!?])(?:\s*[.,:;!?])+")
_MARK_WORDS = ("period", "comma", "colon", "question mark", "exclamation", "paren", "quote", "new line",
               "new paragraph", "full stop", "bracket", "dash dash")


def _spoken_punctuation(s: str) -> str:
    low = s.lower()
    if not any(map(low.__contains__, _MARK_WORDS)):
        return s
    for pattern, repl in _SPOKEN_MARKS:
        s = pattern.sub(repl, s)
    s = _MARK_RUN.sub(lambda m: "." if "." in m.group(0) else m.group(1), s)
    return s.lstrip(" .,:;")


def clean(text: str) -> str:
    """The transcript with fillers, written forms and homophones normalised, spaces collapsed."""
    s = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    s = s.replace("\u201c", '"').replace("\u201d", '"')
    s = _spoken_punctuation(s)
    if _SHORTHAND_GATE.search(s):
        for pattern, repl in _SHORTHAND:
            s = pattern.sub(repl, s)
    if "-" in s or " " in s:
        s = _spelled_names(s)
    low = s.lower()
    upper = s.isupper()  # an all-caps transcript stays all caps: a rule's lower-case "won't" would make it look cased
    for pattern, repl, hints in _RULES:
        if hints is None or any(map(low.__contains__, hints)):
            cleaned = pattern.sub(repl, s, low)
            if cleaned != s:
                s, low = cleaned, cleaned.lower()
    s = _said_twice(s, low)
    if upper:
        s = s.upper()
    return _SPACES.sub(" ", s).strip()

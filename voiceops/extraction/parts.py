"""Parts a command touched: replaced, installed, cleaned, or to be ordered.

A part is the noun phrase after a work verb ("replaced the main capacitor"), before a postposed
one ("condenser fan motor replaced"), after "new", or a counted part noun ("and one ball valve");
"swapped it" means the part mentioned just before ("had a bad defrost timer, swapped it").
Articles, quantities, sizes ("3/4 inch") and words such as "new", "old", "main" are dropped. A
self-correction ("the batteries, no wait, the whole thermostat"; "no wait, it was the thermal
fuse, not the igniter") replaces the part before it. Parts only checked, adjusted, still to do or
still to go are left out."""

from __future__ import annotations

import re

from voiceops.contracts import Action
from voiceops.extraction.lexicon import (
    ACTION_WORDS,
    BRANDS,
    FUNCTION_WORDS,
    HONORIFICS,
    PART_HEADS,
    TIME_WORDS,
    wordset,
)
from voiceops.extraction.numbers import NUMBER_WORDS

_TOKEN = re.compile(r"\d+x\b|\d+(?:\.\d+)?|\b[a-z]&[a-z]\b|[^\W\d_](?:[^\W_]|['\-])*|[^\w\s]|_")
_SIZES = re.compile(r"\b\d+[av]\b|"
                    # "20 by 25", "16x25", "4-gang", "12-space", "22kW", "40 VA", "750 millivolt", "6 gauge"
                    r"\b\d+(?:[./]\d+)?\s*(?:by|x)\s*\d+(?:[./]\d+)?\b|\b\d+-[a-z]+\b(?=\s+[a-z])|"
                    r"\b\d+(?:\.\d+)?\s?(?:kw|kva|va|mv|millivolts?|gauge|ga|awg|cfm|gpm|mbh|lbs?|pounds?)\b|"
                    r"\b\d+(?:\.\d+)?(?:\s*/\s*\d+)?(?:\s*-\s*|\s+)?(?:inch|inches|amps?|volts?|gallons?|gal|tons?|foot|feet|ft|"
                    r"mm|btus?|watts?|psi|hp|horsepower|uf|mfd|microfarads?)\b|\b\d+/\d+(?:\s*-?\s*in\b)?")
_SKIP = wordset("""the a an some new old main whole entire replacement spare extra leaking leaky broken bad
faulty cracked worn busted burnt burned dead damaged stuck knackered my their his her its that those these both all
couple few of pair set another more brand brand-new original little them em me us him their existing
additional first second remaining about around roughly approximately dozen dozens""") | NUMBER_WORDS
#: quantities that mean work still to do: "four more fixtures to go"
_REMAINING = wordset("more remaining other left")
_STRICT_JOB = wordset("""job jobs ticket tickets customer customers place house residence appointment call visit
site property account family client""")
#: nouns a work verb can take that are not parts
_NOT_PARTS = wordset("""note notes settings setting program programming schedule code password job customer po pos
guys folks ma'am sir buddy y'all
lunch breakfast dinner coffee food snack vacation nap breather drink raise
ticket appointment one ones one's guy tech plan estimate quote info information number address message call
hold look try shot break time day week problem issue leak noise clog mess area floor debris dust gunk spill
water it them that this those part parts stuff supplies materials fork rush problem problems worries hurry
trouble way chance luck dog cat terrier puppy kid kids homeowner price request requests progress thing things
mind fight struggle""")
#: equipment a pronoun can point back to ("the disposal was jammed, replaced it")
_APPLIANCES = wordset("""furnace boiler dishwasher disposal fridge refrigerator freezer dryer washer oven range stove
microwave heater cooler toilet faucet sink tub shower fan unit ac""")
_STOP = ((FUNCTION_WORDS | ACTION_WORDS | TIME_WORDS | NUMBER_WORDS | _STRICT_JOB
          | wordset("""too though today please bill also yet still wait waiting needing going coming looking while
                     whilst when since because cause until til plus went goes came comes feeding serving anyway
                     kept keeps keep point anyways again instead already
                     supplying powering controlling under behind above below beneath beside near itself themselves
                     throughout actually basically overnight rest
                     sorry complete completed finished done wrapped ongoing dug torn bent laid built bled
                     gave said told took made let thought felt saw manager owner tenant landlord super wife husband
                     lady seems seem looks appears sounds he'll she'll they'll we'll i'll"""))
         - PART_HEADS) | wordset(
    "so no and or it in on out up off for to at with")
_STRONG = re.compile(r"^(?:replac\w*|swap\w*|chang\w*|install\w*|clean\w*|wash(?:ed|ing)?|scrubb\w*|vacuum\w*|"
                     r"fitted|mounted|hung|upgraded|flushed|brushed|descaled|degreased|sweated|soldered|roughed|hosed|"
                     r"hoover(?:ed|ing)?)$")
_PARTICLES = wordset("out in up off")
_TODO = wordset("""need needs gotta gonna will should might didn't don't nothing no not never must waiting
awaiting tried try trying price quote quoted estimate haven't hasn't havent i'll we'll they'll he'll she'll""")
_NEGATIONS = wordset("not no never didn't don't")
#: "not finished yet, cleaned the burners": the negation is about the job, not the work verb after it
_STATUS_WORDS = wordset("finished done complete completed yet working wrapped")
#: "to" makes a work verb a plan only after these: "need to replace", "going to swap" (not "good to go, swapped")
#: ("had to replace the igniter" is work done)
_TO_PLANS = wordset("""need needs needed have has got going want wants wanted supposed plan planning planned try trying
able unable yet ought""")
_ORDER_TRIGGERS = wordset("order ordered ordering need needs get pick")
#: words of a clause that asks for parts (a clause without one only describes: "the old one has a burnt relay")
_ASKS = _ORDER_TRIGGERS | wordset("grab source sourcing request requisition po bring send want wants for")
_DESCRIBING = wordset("has have had is was are were")
_CORRECTIONS = ("sorry i mean", "no i mean",
                "no wait", "wait no", "no sorry", "sorry no", "eh no", "ah no", "uh no", "um no", "no actually",
                "actually no", "no", "actually",
                "i mean", "sorry", "make that",
                "or rather", "rather", "wait")
_MARKERS = (("no", "wait"), ("no", "actually"), ("actually", "no"), ("eh", "no"), ("ah", "no"), ("uh", "no"),
            ("um", "no"), ("scratch", "that"),
            ("i", "mean"), ("or", "rather"),
            ("make", "that"), ("nah", "wait"), ("my", "bad"), ("no",), ("nope",), ("wait",), ("actually",), ("sorry",),
            ("correction",), ("rather",))
_MARKER_STARTS = frozenset(m[0] for m in _MARKERS)
_RESTATE = (("it", "was", "actually"), ("it", "was"), ("it's", "actually"), ("it's",), ("it", "is"), ("make", "it"),
            ("was",), ("just",), ("only",), ("actually",))
_POST = re.compile(r"^(?:replaced|swapped|installed|changed|cleaned|mounted|hung|fitted|replace|install|run|pulled)$")
_MEASURES = wordset("""set pair couple box bag roll case pack bunch length piece few bundle bundles rolls boxes bags
section sections
cases packs pieces lengths sheets sheet sets pairs handful half dozen dozens lot lots rest most""")
#: words that never start a compound part name (unlike "well" in "well pump", "start" in "start relay")
_GLUE = wordset("""the a an and or nor but of to in on at for with from by it them that this these those my your
their his her its our i we you they he she is was were are be been has have had do did not no so then""")
_PAIRED = wordset("hot cold left right front rear back upper lower top bottom inner outer inlet outlet supply return")
#: where a part sits, not what it is: dropped from a phrase whose head is a known part
_PLACE_WORDS = wordset("""outdoor outdoors indoor indoors exterior interior outside inside upstairs downstairs
basement attic garage overhead underground rooftop backyard upstream downstream""")
_AUX = wordset("was were got been is are has have")
_STILL_NOT = wordset("won't wont isn't isnt not doesn't doesnt can't cant ain't aint")
#: equipment said as the subject of what still fails, right after the part fitted to it
_STILL_FAILING = wordset("""compressor condenser furnace boiler unit system heater fridge freezer dishwasher washer
dryer oven""")
_SPEAKERS = wordset("i we")
_PRESENT_FITTING = wordset("replace change swap install clean fit")
#: prepositions that start where a listed part sits
_LOCATED = wordset("in on at under behind by near inside outside upstairs downstairs")
_PRONOUNS = wordset("it them em that those this one")
#: words that may sit between a part and the next one: "the hose bibb out back and the shutoff valve"
_WHERE = wordset("""in on under out back behind inside outside upstairs downstairs at by near above below over
from off the a an left right side top bottom front rear upper lower""")


#: sizes said in words: "three quarter inch", "half inch", "one and a half inch", "forty gallon", "two ton"
_SIZE_WORD = ("(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
              + r"|half|quarter|quarters|eighth|eighths|sixteenths?|thirds?)")
_SPOKEN_SIZES = re.compile(
    r"\b" + _SIZE_WORD + r"(?:[\s-]+(?:and\s+(?:an?\s+)?)?" + _SIZE_WORD + r"){0,5}[\s-]+(?:inch|inches|amps?|volts?|"
    r"gallons?|gal|tons?|foot|feet|btus?|watts?|psi|hp|horsepower|horse|microfarads?|mfd)\b")
#: "an inch and a half drain arm", "inch and a quarter pipe", "sixteen by twenty five filter"
_SPOKEN_FRACTIONS = re.compile(
    r"\b(?:(?:an?|one|two|three|four)\s+)?(?:inch|foot)\s+and\s+an?\s+(?:half|quarter)\b|"
    r"\b" + _SIZE_WORD + r"(?:[\s-]+" + _SIZE_WORD + r")?\s+by\s+" + _SIZE_WORD + r"(?:[\s-]+" + _SIZE_WORD + r")?\b")
#: a count written beside a part: "x4", "2x"
_TIMES = re.compile(r"^(?:x\d+|\d+x)$")
_UNITS = ("inch", "amp", "volt", "gallon", "gal", "ton", "foot", "feet", "btu", "watt", "psi", "hp", "horse",
          "microfarad", "mfd")


#: "ran about 120 feet of 14/2 wire", "pulled 50 foot of MC": a length of something put in
_COUNT_WORD = "(?:\\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_RAN_LENGTH = re.compile(r"\b(ran|run|running|pulled|pull|pulling|laid|lay|laying)\s+"
                         r"(?:(?:about|around|roughly|maybe|like|another|an\s+extra|over|almost|nearly)\s+)?"
                         + _COUNT_WORD + r"(?:[\s-]+" + _COUNT_WORD + r")?"
                         r"\s*(?:feet|foot|ft|meters?|metres?|yards?)\s+of\b")
_RAN_AS = {"ran": "installed", "pulled": "installed", "laid": "installed", "run": "install", "pull": "install",
           "lay": "install", "running": "installing", "pulling": "installing", "laying": "installing"}


def _tokens(low: str) -> list[str]:
    """Words of a lowercase clause with sizes ("3/4 inch", "50 amp", "three quarter inch") removed."""
    if " of" in low and ("ran " in low or "run" in low or "pull" in low or "laid" in low or "lay" in low):
        low = _RAN_LENGTH.sub(lambda m: _RAN_AS[m.group(1)], low)
    if any(map(str.isdigit, low)):
        low = _SIZES.sub(" ", low)
    if any(map(low.__contains__, _UNITS)):
        low = _SPOKEN_SIZES.sub(" a ", low)  # "one half inch PEX elbow" -> "a PEX elbow": still counted
    if " and a " in low or " by " in low:
        low = _SPOKEN_FRACTIONS.sub(" a ", low)
    if "quarter turn" in low:
        low = low.replace("quarter turn", "quarter-turn")  # "a new quarter turn shutoff": a kind of valve, no time
    # "flapper & fill valve", "roller guides x4": a joiner and a count
    return ["and" if t == "&" else t for t in _TOKEN.findall(low) if not _TIMES.match(t)]


def _np_word(w: str) -> bool:
    if not w or not w[0].isalpha():
        return False
    if w in PART_HEADS:
        return True
    if "-" in w and w.split("-", 1)[0] in NUMBER_WORDS:
        return False  # "thirty-one eighty-one": a number said in words
    if w.endswith("n't") or w in _NEGATED_VERBS or w in _PEOPLE or w in ("nothing", "nothing's", "none"):
        # "Fryer wouldn't light, new thermopile": what failed, no part; "the son helped me", "she's humming": who
        return False
    # a past participle ends the phrase: "the lines" in "replaced X and flushed the lines" is not a part
    return w not in _STOP and not (len(w) > 4 and w.endswith("ed"))


_NOT_AFTER = wordset("not never still")
_PEOPLE = wordset("""she he they she's he's they're we're son daughter wife husband kid kids helper homeowner tenant
owner landlord neighbor neighbour boss""")
_NEGATED_VERBS = wordset("wouldnt couldnt didnt doesnt isnt wasnt arent werent wont cant shouldnt hasnt havent")
#: verbs of the work itself, never the first word of a part ("checked pressures" is no part; "recessed cans" is)
_WORK_ED = wordset("""checked tested adjusted inspected flushed tightened cleaned replaced swapped changed installed
repaired fixed added used ordered sealed drained primed charged recharged lubed lubricated greased looked
loosened removed pulled mounted fitted upgraded""")


def _compound_word(toks: list[str], k: int) -> bool:
    """A word that starts a compound before a part noun: the "check" of "check valve"."""
    return (k + 1 < len(toks) and toks[k + 1] in PART_HEADS and toks[k][0].isalpha() and toks[k] not in _GLUE
            and toks[k] not in _SKIP and toks[k] not in _STATUS_WORDS and not toks[k].endswith("n't")
            and toks[k] not in _NEGATED_VERBS and not (len(toks[k]) > 4 and toks[k].endswith("ed")))


def _head(phrase: str) -> str:
    return phrase.split()[-1]


def _head_in(phrase: str | None, heads: frozenset[str]) -> bool:
    """Whether a parsed phrase (None when nothing parsed) ends in one of ``heads``."""
    return phrase is not None and _head(phrase) in heads


def _is_part_head(phrase: str) -> bool:
    last = _head(phrase)
    return last in PART_HEADS or last.removesuffix("s") in PART_HEADS or last.removesuffix("es") in PART_HEADS


_PLACE_DETERMINERS = wordset("the his her their my our this that your")
#: what an inspection finds, never a part: "no cracks", "no leaks"
_FINDINGS = wordset("leak leaks crack cracks issue issues problem problems damage corrosion rust moisture")


def _parse_np(toks: list[str], i: int) -> tuple[str | None, int, bool]:
    """One noun phrase from ``toks[i]``: (phrase or None, index after it, counted as still to do)."""
    remaining = more = False
    opened = i
    while i < len(toks) and ((toks[i] in _SKIP and not (
            # "installed around the foundation": a place, not "around twenty feet" of something
            toks[i] in ("around", "about") and toks[i + 1:i + 2] and toks[i + 1] in _PLACE_DETERMINERS))
                             or toks[i][0].isdigit()
                             or (toks[i] in _MEASURES and toks[i + 1:i + 2] == ["of"])
                             or (toks[i] == "of" and i > 0 and (toks[i - 1][0].isdigit()
                                                                 or toks[i - 1] in NUMBER_WORDS))):
        remaining = remaining or (toks[i] in _REMAINING and toks[i] != "more")
        more = more or toks[i] == "more"
        i += 1
    words = []
    first = i
    while i < len(toks):
        w = toks[i]
        # "compressor start relay": a verb-like word inside a compound before a part noun
        # (and before "pump's" in "the well pump's shot")
        compound = (i + 1 < len(toks) and toks[i + 1].removesuffix("'s") in PART_HEADS and w[0].isalpha()
                    and w not in _GLUE and w not in TIME_WORDS and w not in NUMBER_WORDS and w not in _STATUS_WORDS
                    and not ("'" in w and w in _STOP))  # (not "it's washer 14": which machine it is)
        # "recessed can lights": the can of a can light
        compound = compound or (w == "can" and toks[i + 1:i + 2] in (["light"], ["lights"]))
        # "the well pressure switch": the well's, two words before the part noun
        compound = compound or (w == "well" and not words and i + 2 < len(toks) and _np_word(toks[i + 1])
                                and toks[i + 2] in PART_HEADS)
        # "recessed cans", "insulated pipe": a describing participle opens the phrase
        compound = compound or (not words and i + 1 < len(toks) and len(w) > 4 and w.endswith("ed")
                                and w not in _WORK_ED and w not in _STOP and (
                                    _np_word(toks[i + 1]) or toks[i + 1:i + 3] in (["can", "light"],
                                                                                   ["can", "lights"])))
        # "the start device", "a whole house surge protector": a verb or a job word naming the kind of part
        compound = compound or (not words and i + 1 < len(toks) and i > 0 and toks[i - 1] in _SKIP
                                and (w in ACTION_WORDS or w in _STRICT_JOB) and w not in _GLUE
                                and _np_word(toks[i + 1]) and toks[i + 1] not in _STRICT_JOB)
        if not (_np_word(w) or compound) or (words and w.endswith("ed") and _POST.match(w)):
            break  # (a verb said after the part ends it: "new kitchen sink and faucet installed disposal still to do")
        if words and w in _NUMBERED_PLACES and i + 1 < len(toks) and (
                toks[i + 1][0].isdigit() or toks[i + 1] in NUMBER_WORDS) and _is_part_head(words[-1]):
            break  # "swapped the pressure regulator bay three": the part, then a numbered place
        if words and w in _AFTER_A_PART and _is_part_head(words[-1]):
            break  # "the optimizer under panel 7", "a sediment filter ahead of the softener": the part, then where
        if words and w.endswith("ing") and len(w) > 5 and w not in PART_HEADS and _is_part_head(words[-1]):
            break  # "the 225 amp breaker feeding panel LP-2": the part, then what it does
        if words and words[-1] in PART_HEADS and w in _STILL_FAILING and toks[i + 1:i + 2] == ["still"] and \
                toks[i + 2:i + 3] and toks[i + 2] in _STILL_NOT:
            break  # "swapped the run capacitor compressor still won't start": the part, then what still fails
        if words and w in ("real", "really", "pretty", "nice") and toks[i + 1:i + 2] and toks[i + 1] in (
                "good", "well", "nice", "quick", "clean", "tight", "bad"):
            break  # "cleaned the condenser coil real good": how, not a part
        if w == "set" and words and (words[-1] in PART_HEADS or _is_part_head(" ".join(words))) and \
                words[-1] not in ("line", "trim") and toks[i + 1:i + 2] != ["of"]:
            break  # "got the new toilet set": set in place, not a toilet set (but a line set is a part)
        words.append(w)
        i += 1
        if w.endswith("'s") and i < len(toks) and (toks[i].endswith("ing") or toks[i] in _STATE_AFTER):
            break  # "the new igniter's lighting every time", "panel's set": the part, then what it does now
    if not words:
        return None, i, remaining
    if len(words) > 1 and ((not _is_part_head(words[-1]) and (
            (i < len(toks) and toks[i] in _LATER) or words[-1] in _TASKS)) or toks[i:i + 2] == ["still", "to"]):
        # (and with no comma between: "cleaned the burners gas valve still to go in": the last part is the one left)
        # "installed the expansion valve leak check tomorrow": the part, then what is left for later
        last = next((k for k in range(len(words) - 2, -1, -1) if _is_part_head(words[k])), None)
        if last is not None:
            words, i = words[:last + 1], first + last + 1
    phrase = " ".join(words[-4:]).replace("tank-to-bowl", "tank to bowl").removesuffix("'s")
    if toks[i:i + 2] in (["to", "go"], ["still", "to"]) or toks[i:i + 1] in (["left"], ["remaining"]):
        remaining = True  # ("disposal still to do": work left)
    # "four more fixtures to hang", "still got two more vents": more still to do; but "order two more ballasts",
    # "replaced two more outlets" are parts like any other
    if more and (toks[i:i + 1] == ["to"] or (opened and toks[opened - 1] in ("got", "have", "still", "need"))):
        remaining = True
    if words == ["closer"] and toks[i:i + 1] == ["to"]:
        return None, i, remaining  # "closer to three and a quarter": a correction, not a door closer
    if _head(phrase) in _NOT_PARTS or (
            i < len(toks) and toks[i] in _STRICT_JOB and not _is_part_head(phrase)) or toks[i:i + 1] in (
            ["install"], ["installation"], ["swap"]):  # "the Vanderkamp EV charger install": the job, no part
        return None, i, remaining  # "order the Whitfield job a new pump": a job, not a part
    return _minimal(phrase), i, remaining


def _minimal(phrase: str) -> str:
    """The part without where it sits or what kind of place it serves when the head is a known part:
    "outdoor motion light" -> "motion light", "outlet outdoors" -> "outlet"."""
    words = phrase.split()
    while len(words) > 1 and (words[0] in BRANDS or words[0] == "complete"):
        words.pop(0)  # "honeywell gas valve" -> "gas valve", "a complete flush valve" -> "flush valve"
    if len(words) < 2:
        return " ".join(words)
    while len(words) > 1 and words[-1] in _PLACE_WORDS and any(_is_part_head(w) for w in words[:-1]):
        words.pop()
    while len(words) > 1 and words[0] in _PLACE_WORDS and _is_part_head(words[-1]):
        words.pop(0)
    return " ".join(words)


def _correction_at(toks: list[str], k: int) -> bool:
    """Whether a correction marker ("no wait", "I mean", "sorry") starts at token ``k``."""
    return any(toks[k:k + len(c.split())] == c.split() for c in _CORRECTIONS)


def _parse_list(toks: list[str], i: int, consumed: set[int]) -> list[str]:
    """Noun phrases joined by 'and'/'or'/'plus', with in-place self-corrections applied."""
    items: list[str] = []
    start = i
    while True:
        np, j, remaining = _parse_np(toks, i)
        if np is None:
            break
        if not remaining:
            items.append(np)
        consumed.update(range(start, j))
        i = j
        # "the batteries no wait the whole thermostat"
        # ("shutoff valve under sink, uh I mean the supply line": where the part sits, then the correction)
        place_end = i
        if i < len(toks) and toks[i] in _AFTER_A_PART:
            k = i + 1
            while k < min(i + 6, len(toks)) and not _correction_at(toks, k) \
                    and (toks[k] in _DETERMINERS or toks[k] in _HEDGES or toks[k] == "," or (
                        _np_word(toks[k]) and not _POST.match(toks[k]) and not _STRONG.match(toks[k]))):
                k += 1  # (only words of a place: "under the sink tested no leaks" is no correction)
            if _correction_at(toks, k):
                place_end = k
        for c in _CORRECTIONS:
            cw = c.split()
            k = place_end
            while k < len(toks) and toks[k] == ",":
                k += 1
            if toks[k:k + len(cw)] == cw:
                k += len(cw)
                while k < len(toks) and toks[k] == ",":
                    k += 1
                if toks[k:k + 1] in (["make"], ["call"]) and toks[k + 1:k + 2] in (["it"], ["that"]):
                    break  # "two led tubes, sorry, make it four": the count changed, not the part
                if toks[k:k + 1] in (["just"], ["only"]):
                    k += 1  # "the run capacitor, no sorry, just the contactor"
                elif toks[k:k + 2] in (["it", "was"], ["it", "is"]) or toks[k:k + 1] == ["it's"]:
                    k += 1 if toks[k] == "it's" else 2  # "the defrost timer no it was the defrost thermostat"
                np2, j2, _ = _parse_np(toks, k)
                if np2 is not None and items:
                    items[-1] = np2
                    consumed.update(range(i, j2))
                    i = j2
                break
        # (after a fix the list goes on only at a joiner: "the igniter wait no the flame sensor the igniter was
        # fine" names the igniter again, no third part)
        nxt = _next_item(toks, i)
        if nxt is None:
            break
        start = i
        i = nxt
    # "both the hot and cold supply lines": a lone describing word before "and" belongs to the next part
    return [p for k, p in enumerate(items)
            if not (p in _PAIRED and k + 1 < len(items) and " " in items[k + 1])]


_LIST_ENDS = frozenset({",", ".", ";", "and", "plus", "&"})


def _item_ends(toks: list[str], j: int) -> bool:
    return j >= len(toks) or toks[j] in _LIST_ENDS


def _comma_item(toks: list[str], i: int) -> int | None:
    """Where the next part of a list said with commas starts, after a part ending at the comma ``i``: "the
    economizer actuator, two belts, the blower pulley and a set of filters". A known part counts on its own;
    words naming no known part count when the list goes on to close with "and <part>" ("the pressure
    regulator, the main shutoff, a water hammer arrestor and a mixing valve"). Not "the capacitor, the unit
    runs fine now" (a sentence goes on) nor "the igniter, no, the flame sensor" (a correction)."""
    k = i + 1
    if k >= len(toks) or toks[k] in _MARKER_STARTS or _STRONG.match(toks[k]) or toks[k] in _HEDGES:
        return None
    np, end, _ = _parse_np(toks, k)
    if np is None or (end < len(toks) and toks[end] == "," and toks[end + 1:end + 2] in (["no"], ["sorry"])):
        return None
    if _is_part_head(np) and _item_ends(toks, end):
        return k
    j = end
    for _ in range(8):  # the rest of the list, up to its "and"
        if toks[j:j + 1] in (["and"], ["plus"]) or toks[j:j + 2] in ([",", "and"], [",", "plus"]):
            j += 1 if toks[j] != "," else 2
            last, after, _ = _parse_np(toks, j)
            return k if last is not None and _item_ends(toks, after) and not _STRONG.match(toks[j]) else None
        if toks[j:j + 1] != [","] or j + 1 >= len(toks) or _STRONG.match(toks[j + 1]):
            return None
        nxt, j, _ = _parse_np(toks, j + 1)
        if nxt is None:
            return None
    return None


def _next_item(toks: list[str], i: int) -> int | None:
    """Where the next listed part starts after a part ending at ``i``, or None."""
    if toks[i:i + 1] == [","]:
        return _comma_item(toks, i)
    if toks[i:i + 1] == ["with"] and toks[i + 1:i + 2] and (
            toks[i + 1] in ("a", "an", "new") or toks[i + 1] in NUMBER_WORDS or toks[i + 1].isdigit()):
        np, end, _ = _parse_np(toks, i + 1)
        if np is not None and _is_part_head(np) and _item_ends(toks, end):
            return i + 1  # "a blower motor with a run capacitor", "a 4-gang box with three dimmers and a fan control"
    if toks[i:i + 2] in (["along", "with"], ["together", "with"]) or toks[i:i + 3] == ["as", "well", "as"]:
        i += 1 if toks[i] != "as" else 2  # "a sump pump along with a check valve": the next part follows "with"
    if i < len(toks) and toks[i] in ("and", "or", "plus", "&", "with") and i + 1 < len(toks) and (
            toks[i] != "with" or toks[i - 1] in ("along", "together", "as")):
        if toks[i + 1] == "also" and i + 2 < len(toks):
            i += 1  # "I change the resin and also the brine float"
        nxt = toks[i + 1]
        if nxt.endswith("ed") and toks[i + 2:i + 3] and toks[i + 2] in _DETERMINERS:
            return None  # "put in a new dimmer switch and tied the traveler back in": another verb, no part
        if nxt in _SKIP or nxt.isdigit() or (_np_word(nxt) and not _STRONG.match(nxt)) or _compound_word(toks, i + 1):
            return i + 1
        return None
    # "replaced the hose bibb out back and the shutoff valve": skip a short place phrase
    k = i
    while k < len(toks) and k - i < 6 and toks[k] not in ("and", "plus") and (
            toks[k] in _WHERE or (k > i and (_np_word(toks[k]) or toks[k].isdigit() or toks[k] in NUMBER_WORDS
                                             or (toks[k] == "well" and toks[k - 1] == "the")))):
        k += 1
    if k > i and k + 1 < len(toks) and toks[k] in ("and", "plus") and toks[i] in _WHERE:
        np, _, _ = _parse_np(toks, k + 1)
        if np is not None and _is_part_head(np):
            return k + 1
    return None


_HEDGES = wordset("well like basically actually just um uh er so")
_HEDGE_PAIRS = (("you", "know"), ("i", "think"), ("i", "guess"), ("kind", "of"), ("sort", "of"), ("i", "mean"))
_DETERMINERS = wordset("the a an some this that these those his her their its")
#: place words that end a part's phrase when a part noun came before them
_AFTER_A_PART = wordset("under ahead above below behind beside near underneath beneath upstream downstream")


def _skip_hedges(toks: list[str], j: int) -> int:
    """Past commas and hedges between a verb and its part: "replaced, well, the whole blower wheel",
    "swapped you know the igniter". "well" before a noun stays ("replaced the well pump")."""
    while j < len(toks):
        if toks[j] in (",", ":"):  # (a field said aloud: "Replaced: dryer thermal fuse")
            j += 1
        elif tuple(toks[j:j + 2]) in _HEDGE_PAIRS:
            j += 2
        elif toks[j] in _HEDGES and j + 1 < len(toks) and (
                toks[j + 1] == "," or toks[j + 1] in _DETERMINERS or toks[j + 1] in _HEDGES):
            j += 1
        else:
            break
    return j


def _dangling(toks: list[str]) -> bool:
    """Does the clause end on a work verb still waiting for its part ("replaced,", "swapped out")?"""
    k = len(toks)
    while k > 0 and (toks[k - 1] in _PARTICLES or toks[k - 1] in _HEDGES or toks[k - 1] in _DETERMINERS
                     or toks[k - 1] in ("whole", "entire") or not toks[k - 1][0].isalnum()):
        k -= 1  # ("replaced the whole... well, just the cartridge": the part follows the hedge)
    if k == 0 or not _STRONG.match(toks[k - 1]) or _blocked(toks, k - 1):
        return False
    b = k - 2
    while b >= 0 and toks[b] in _AUX:
        b -= 1
    # "cooler door gasket replaced", "two dimmer packs installed": the part came before the verb
    return not (b >= 0 and (_is_part_head(toks[b]) or (_np_word(toks[b]) and toks[b] not in _PRONOUNS)))


def _part_then_place(toks: list[str], i: int) -> bool:
    """After "put": "the 50 amp breaker in", "the cover back on": a part, then where it went."""
    if toks[i:i + 1] != ["the"]:
        return False
    if toks[i + 1:i + 2] == ["old"]:
        return False  # "put the old valve in the truck"
    np, end, _ = _parse_np(toks, i + 1)
    return np is not None and _is_part_head(np) and toks[end:end + 1] in (["in"], ["on"], ["up"], ["back"]) and \
        toks[end + 1:end + 2] not in (["the"], ["my"], ["a"], ["his"], ["her"], ["their"], ["our"], ["your"])


def _blocked(toks: list[str], i: int) -> bool:
    """A work verb that is only planned or negated: 'still need to replace', 'nothing to replace'."""
    before = toks[max(0, i - 3):i]
    if i >= 2 and toks[i - 2] in ("before", "until", "till", "once") and toks[i - 1] in ("i", "we", "they", "you") \
            and not toks[i].endswith("ed"):
        return True  # "waiting on their approval before I swap the capacitor": still to do
    return any((w in _TODO and not (w in _NEGATIONS and before[k + 1:k + 2] and before[k + 1] in _STATUS_WORDS)
                # ("close schneider no sorry schroeder new door gasket": a correction's "no", no negation)
                and not (w == "no" and before[k + 1:k + 2] in (["sorry"], ["wait"], ["actually"], ["i"])))
               or (w == "to" and k and before[k - 1] in _TO_PLANS)
               # "coming back monday to set the toilet": work for another day
               or (w == "to" and k and before[k - 1] in _LATER) for k, w in enumerate(before))


def _passive(toks: list[str], k: int) -> bool:
    """A work verb after "<part> is": "expansion tank is installed", whatever is said right after it."""
    return k >= 2 and toks[k - 1] in ("is", "are", "was", "were") and _is_part_head(toks[k - 2])


_NOT_YET = wordset("hasn't has isn't is didn't did never still")
_ARRIVING = wordset("come arrived shown showed here in delivered shipped")


def _not_arrived(toks: list[str], i: int) -> bool:
    """Whether the part named from ``i`` on is said not to have arrived: "the new furnace hasn't come in yet"."""
    for k in range(i, min(len(toks) - 1, i + 5)):
        if toks[k] in _NOT_YET and (toks[k + 1] in _ARRIVING or (toks[k + 1] in ("not", "yet", "even")
                                                                  and toks[k + 2:k + 3] and toks[k + 2] in _ARRIVING)):
            return toks[k] not in ("has", "is", "did", "still") or toks[k + 1] in ("not", "yet", "even")
        if toks[k] in (",", ".", "and", "but", "so"):
            return False
    return False


_FAULTY = wordset("bad broken faulty busted dead worn cracked leaking leaky burnt burned seized shorted")
_DIAGNOSIS = wordset("tripped clogged loose blown stuck kinked frozen")


_MAKES = BRANDS | {"white", "smith", "bradford white", "ao", "a.o."}
_POINTERS = wordset("a an the that this those these")
_WHERE_IN = wordset("in on inside under behind over by near beside above below")


#: words a run-on's next subject follows with no article: "... is done contactor was pitted", "ok blower motor was"
_SUBJECT_AFTER = wordset("done complete completed finished wrapped good ok okay alright so and but")


def _mention(toks: list[str]) -> str | None:
    """The last part or appliance named in passing: 'had a bad defrost timer'."""
    found = None
    for i, w in enumerate(toks):
        opens = i == 0 or not toks[i - 1][0].isalnum()
        if i and toks[i - 1] in _WHERE_IN and found is not None:
            continue
        if w in _POINTERS or w.endswith("'s") or (w in _FAULTY and opens) or (
                i == 0 and (_np_word(w) or w in _SKIP) and w not in _PRONOUNS):
            # "dryer thermal fuse was blown, replaced it", "all four shock absorbers were shot, replaced em"
            # "the igniter", "Mrs. Ybarra's dishwasher", or a clause opening "bad motor coupler"
            np, _, _ = _parse_np(toks, i + 1 if w.endswith("'s") else i)
            if np is not None and (_is_part_head(np) or _head(np) in _APPLIANCES):
                found = np
        elif _np_word(w) and (toks[i - 1] in _SUBJECT_AFTER or toks[i - 1].isdigit()):
            # a run-on's subject with no article: "the okafor house is done contactor was pitted so i put a new one
            # in", "ticket 6127 blower motor was seized up replaced it"
            np, j, _ = _parse_np(toks, i)
            if np is not None and _is_part_head(np) and toks[j:j + 1] in (["was"], ["were"], ["is"], ["had"]):
                found = np
    return found


#: things a plumber or electrician "sets" in place (not "set the thermostat", which is a setting)
_SETTABLE = wordset("""sink sinks toilet toilets tub tubs vanity panel subpanel heater tank unit pump cabinet furnace
boiler condenser compressor range cooktop meter base lights fixtures bar cans""")


#: the time said right after a postposed verb: "ice maker swapped one hour", "bake element replaced an hour and ..."
#: a state said right after "<part>'s": "panel's set", "the boiler's up"
_STATE_AFTER = wordset("set in on up done good installed replaced swapped hung mounted fine working running")
_TIME_NEXT = re.compile(r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|half|fifteen|forty-five|"
                        r"(?:twenty|thirty|forty|fifty)(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?|"
                        r"\d+(?:\.\d+)?) (?:hours?|hrs?|minutes?|mins?|and|hour)\b|(?:an?|one) hour\b|"
                        r"half an? hour\b")


def _place_after(toks: list[str], k: int) -> bool:
    """A place word alone after the verb at ``k``: "swapped upstairs" (but "swapped upstairs thermostat")."""
    return k + 1 < len(toks) and toks[k + 1] in _PLACE_WORDS and (k + 2 == len(toks) or not _np_word(toks[k + 2]))


#: places numbered on a site: "the pressure regulator bay three", "control boards rooms 116 through 120"
_NUMBERED_PLACES = wordset("bay bays room rooms stall stalls suite suites zone zones building apartment apt dock lane "
                           "station booth cabin lot wing ward")
#: casual verbs for putting a part in: only with "a new ..." / "in a ..." after them ("dropped off the parts" is not)
_SLANG_PUT = wordset("slapped slap dropped drop threw throw popped pop stuck stick tossed toss slid slide")
_CONNECTED_IN = wordset("wired plumbed piped")
_TASKS = wordset("check checks test tests leak inspection startup start-up cleanup look")
_LATER = wordset("tomorrow tonight later monday tuesday wednesday thursday friday saturday sunday next")
_TIME_UNITS = wordset("hour hours hr hrs minute minutes min mins")
_AMOUNT_WORDS = wordset("and a an half quarter quarters point")


_SAME_AGAIN = (["a", "second", "one"], ["a", "spare", "one"], ["another", "one"], ["one", "more"],
               ["an", "extra", "one"], ["a", "backup", "one"], ["the", "same", "one"], ["a", "spare"], ["a", "second"])


def _another_one(toks: list[str], j: int) -> bool:
    """ "(them) a second one", "a spare one", "another one": the same part again, after an order verb."""
    if toks[j:j + 1] in (["them"], ["em"], ["him"], ["her"], ["us"], ["me"]):
        j += 1
    return any(toks[j:j + len(p)] == p and (len(p) == 3 or toks[j + len(p):j + len(p) + 1] in ([], ["for"], [","]) or (
        # "order another one of those for them"
        toks[j + len(p):j + len(p) + 1] == ["of"] and toks[j + len(p) + 1:j + len(p) + 2] in (
            ["those"], ["them"], ["these"], ["that"])))
               for p in _SAME_AGAIN)


def _named_job(toks: list[str], k: int) -> bool:
    """Whether the bare "install"/"replace" at ``k`` ends a job's name opened by an article: "the X EV charger
    install"."""
    lo = k
    while lo > 0 and (_np_word(toks[lo - 1]) or _compound_word(toks, lo - 1)):
        lo -= 1
    return lo < k and lo > 0 and toks[lo - 1] in ("the", "a", "an", "this", "that", "their", "his", "her")


def _clause_parts(toks: list[str], action: Action, consumed: set[int], mentioned: str | None,
                  have_parts: bool = False) -> list[str]:
    found: list[tuple[int, list[str]]] = []
    counted: set[int] = set()  # tokens of a counted part ("and two GFCIs") a postposed verb may take back
    ordering = action == Action.order_parts
    # "order a control board, the old one has a burnt relay": only a clause that asks lists what to order
    asks = ordering and (not _ASKS.isdisjoint(toks) or _DESCRIBING.isdisjoint(toks))
    for i, w in enumerate(toks):
        if i in consumed:
            continue
        j = None
        head_required = False
        if w in _SLANG_PUT and (toks[i + 1:i + 3] in (["a", "new"], ["the", "new"], ["in", "a"], ["in", "the"])):
            w = "put"  # "slapped a new one in", "dropped in a new sump pump": put in place, said casually
        elif w in _CONNECTED_IN and toks[i + 1:i + 2] == ["in"] and toks[i + 2:i + 3] and (
                toks[i + 2] in _DETERMINERS or toks[i + 2] == "new" or toks[i + 2].isdigit() or
                toks[i + 2] in NUMBER_WORDS):
            w = "put"  # "wired in three recessed lights", "plumbed in a new softener": put in place by a trade
        if w == "vacuum" and toks[i + 1:i + 2] and toks[i + 1] in PART_HEADS:
            continue  # "the vacuum pump is still on my list", "vacuum breaker": a kind of part, not a verb
        if not ordering and _STRONG.match(w) and i and (
                (w.endswith("ing") and toks[i - 1] in _DETERMINERS)
                or (toks[i - 1].endswith("'s") and not w.endswith("ed") and toks[i + 1:i + 2]
                    and _np_word(toks[i + 1]) and toks[i + 1] not in _DETERMINERS)):
            continue  # "the washing machine", "Dimitriou's washing machine", "the men's change rooms": a kind of thing
        if not ordering and _STRONG.match(w) and not _blocked(toks, i):
            if i and (_np_word(toks[i - 1]) or toks[i - 1] in ("is", "are", "was", "were", "been")) and toks[
                    i + 1:i + 2] in (["in"], ["on"], ["at"], ["into"]) and toks[
                    i + 2:i + 3] in (["the"], ["my"], ["their"], ["his"], ["her"], ["our"]):
                continue  # "ceiling fan installed in the master bedroom": the part came before the verb
            if i and _np_word(toks[i - 1]) and _place_after(toks, i):
                continue  # "three smoke detectors swapped upstairs": where, after the part it follows
            if _passive(toks, i):
                continue  # "the new softener is installed drain line's not run yet": its part was said before it
            j = i + 1
            while j < len(toks) and toks[j] in _PARTICLES:
                j += 1
            earlier = _mention(toks[:i]) or mentioned
            if j < len(toks) and toks[j] in _PRONOUNS and toks[j + 1:j + 2] == ["with"]:
                # "replaced it with a new ball valve": the new part is what was put in
                consumed.update((j, j + 1))
                items = _parse_list(toks, j + 2, consumed)
                if items:
                    found.append((i, items))
                continue
            if j < len(toks) and toks[j] in _PRONOUNS and toks[j + 1:j + 2] == ["for"] and w.startswith(
                    ("swap", "chang", "replac", "trad")):
                read: set[int] = set()
                items = _parse_list(toks, j + 2, read)
                if items:  # "swapped it for a dual function breaker" (but "swapped it for a new one" is the part named)
                    consumed.update(range(j, j + 2), read)
                    found.append((i, items))
                    continue
            if toks[j:j + 2] in (["both", "of"], ["all", "of"]) or toks[j:j + 1] == ["both"]:
                j += 2 if toks[j + 1:j + 2] == ["of"] else 1  # "swapped both of those": the parts just named
            if toks[j:j + 1] in (["a"], ["the"]) and toks[j + 1:j + 3] in (["new", "one"], ["replacement", "one"]):
                j += 2  # "the belt was shredded so I fitted a new one": the part just named
            if j < len(toks) and toks[j] in _PRONOUNS and earlier and toks[j + 1:j + 2] != ["of"] and not (
                    toks[j] == "one" and j + 1 < len(toks) and _np_word(toks[j + 1])):  # "replaced one downspout"
                # "the breaker was tripping so I replaced it (and the panel cover)": the part just mentioned
                consumed.add(j)
                more = _parse_list(toks, j + 2, consumed) if toks[j + 1:j + 2] == ["and"] else []
                found.append((i, [earlier, *more]))
                continue
        elif not ordering and w in ("put", "got") and (toks[i + 1:i + 2] in (["in"], ["a"], ["an"], ["new"])
                                              # "put up the ceiling fan", "put up eight recessed cans"
                                              or (w == "put" and toks[i + 1:i + 2] == ["up"] and toks[i + 2:i + 3]
                                                  and (toks[i + 2] in ("the", "a", "an", "new", "two", "three",
                                                                       "four", "five", "six", "eight", "ten")
                                                       or toks[i + 2].isdigit()))
                                              or toks[i + 1:i + 3] in (["the", "new"], ["on", "a"], ["on", "an"],
                                                                       ["on", "new"], ["on", "the"])
                                              or (w == "put" and _part_then_place(toks, i + 1)
                                                  and _TODO.isdisjoint(toks[:i]))):
            # "put in a panel", "put a new float in", "put on a belt", "put the 50 amp breaker in"; not "put the
            # Moreau job on hold"
            j = i + 1 + (toks[i + 1] in ("in", "on", "up"))
            if toks[j:j + 1] in (["last"], ["yesterday"], ["earlier"], ["this"], ["before"]):
                continue  # "the capacitor I put in last week tested fine": when, not what
            k = j
            while k < len(toks) and toks[k] in _SKIP and toks[k] != "one":
                k += 1
            earlier = _mention(toks[:i]) or mentioned
            if toks[k:k + 1] == ["one"] and earlier and (toks[k + 1:k + 2] in (
                    [], ["in"], ["on"], ["up"], [","], ["along"], ["and"], ["as"], ["too"], ["an"], ["half"])
                    or (k + 2 < len(toks) and toks[k + 2] in ("hour", "hours", "minutes"))):
                consumed.update(range(j, k + 1))
                # "bad motor coupler, put a new one in"; "... put in a new one along with a new door lock"
                more = _parse_list(toks, _next_item(toks, k + 1) or len(toks), consumed)
                found.append((i, [earlier, *more]))
                continue
        elif not ordering and w == "got" and i and (toks[i - 1] in _APPLIANCES or _is_part_head(toks[i - 1])) and \
                toks[i + 1:i + 2] in (["a"], ["an"], ["new"]) and not _blocked(toks, i):
            j = i + 1  # "Mrs. Montague's guest toilet got a fill valve and a flapper"
        elif action == Action.close_ticket and w == "needed" and i and toks[i + 1:i + 2] in (["a"], ["an"], ["new"]) \
                and (toks[i - 1] in _APPLIANCES or _is_part_head(toks[i - 1]) or (
                    toks[i - 1] in ("just", "only") and i > 1 and (toks[i - 2] in _APPLIANCES
                                                                    or _is_part_head(toks[i - 2])))):
            j = i + 1  # a finished job: "furnace just needed a flame sensor", "fridge needed a door gasket"
        elif not ordering and w == "set" and toks[i + 1:i + 4] in (["the", "new", "one"], ["a", "new", "one"]) and (
                _mention(toks[:i]) or mentioned) and not _blocked(toks, i):
            consumed.update(range(i + 1, i + 4))  # "pulled the old tub and set the new one": the part just named
            found.append((i, [_mention(toks[:i]) or mentioned]))
            continue
        elif not ordering and w == "set" and toks[i + 1:i + 2] and (toks[i + 1] in ("the", "a", "an", "new") or (
                toks[i + 1].isdigit() or toks[i + 1] in NUMBER_WORDS)) and \
                _head_in(_parse_np(toks, i + 1)[0], _SETTABLE) and not _blocked(toks, i):
            j = i + 1  # "set the kitchen sink, faucet and drain", "set a new sub panel": put in place
        elif w in ("used", "use", "add", "added", "adding", "threw", "popped") and not _blocked(toks, i):
            j = i + 1 + (i + 1 < len(toks) and toks[i + 1] == "in")
            head_required = True
        elif w == "new" and (ordering or not (_blocked(toks, i) or (i > 1 and toks[i - 1] == "the"
                                                                     and _blocked(toks, i - 2))
                                              or _not_arrived(toks, i + 1))) and not (
                toks[max(0, i - 2):i] in (["for", "the"], ["for", "a"]) or toks[i - 1:i] == ["for"]):
            # (not "the breaker for the new circuit", "a disposal for the new sink": what the part serves)
            # ("still have to run the new wire": the verb two words back is only planned)
            j = i
        elif ordering and w == "put" and toks[i + 1:i + 2] in (["one"], ["it"], ["them"]) and toks[i + 2:i + 4] == [
                "on", "order"] and not found and (_mention(toks[:i]) or mentioned):
            found.append((i, [_mention(toks[:i]) or mentioned]))  # "blower motor is shot, put one on order"
            continue
        elif ordering and not have_parts and not found and w in _ORDER_TRIGGERS and _another_one(toks, i + 1) and (
                _mention(toks[:i]) or mentioned):
            # "order them a second one for the upstairs bath", "order a spare one": the part just named again
            found.append((i, [_mention(toks[:i]) or mentioned]))
            continue
        elif ordering and not have_parts and not found and w in _ORDER_TRIGGERS and toks[i + 1:i + 3] in (
                ["a", "replacement"], ["a", "new"]) and toks[i + 3:i + 4] in ([], ["for"], ["one"]) and (
                _mention(toks[:i]) or mentioned):
            found.append((i, [_mention(toks[:i]) or mentioned]))  # "the circulator pump is shot, order a replacement"
            continue
        elif ordering and not have_parts and not found and w in _ORDER_TRIGGERS and toks[i + 1:i + 2] and \
                toks[i + 1] in _PRONOUNS and (_mention(toks[:i]) or mentioned) and not (
                    toks[i + 2:i + 3] and (toks[i + 2] in _DETERMINERS or toks[i + 2] == "new"
                                           or _np_word(toks[i + 2]))):
            # "order one" points back; "order them a pressure tank" names what to order
            found.append((i, [_mention(toks[:i]) or mentioned]))  # "I'll need a new compressor, order one"
            continue
        elif ordering and w in _ORDER_TRIGGERS and not (w == "order" and i and toks[i - 1] == "work"):
            j = i + 1
            if w == "pick" and j < len(toks) and toks[j] == "up":
                j += 1
            if toks[j:j + 1] == ["also"]:
                j += 1  # "please order also the detergent drawer"
            if w in ("need", "needs") and j < len(toks) and toks[j] == "to":
                continue
            if toks[j:j + 2] == ["in", "for"]:
                j += 2  # "put an order in for a spare circulator" (not "ordered for the Fairweather garage door")
            elif w == "order" and i and toks[i - 1] in ("an", "a", "the") and toks[j:j + 1] == ["for"] and not any(
                    t[0].isdigit() for t in toks[j + 1:j + 5]):
                # "put through an order for carbon brushes": the order, a noun, then what it is for (not "an order
                # for Lakeview Townhomes unit 4, ...": whose)
                j += 1
            if j + 1 < len(toks) and toks[j] not in _SKIP and not _is_part_head(toks[j]) and \
                    toks[j + 1] in ("a", "an", "some", "two", "three", "new"):
                j += 1  # "order Kucera a gate valve": whom for, then what
        elif w in ("parts", "materials") and toks[i + 1:i + 2] == [":"] and (i == 0 or toks[i - 1] in (",", ".")):
            j = i + 2  # "Parts: heat tape, flame sensor": a field said aloud
        elif (i == 0 or toks[i - 1] in ("and", "plus", ",") or (ordering and asks)) and (
                w in NUMBER_WORDS or w in ("a", "an") or w.isdigit()):
            j = i
            head_required = True
        if j is None:
            continue
        # a counted noun that is no known part leaves its words to other readings: "4 new LED troffers"
        before = len(consumed)
        trial = set(consumed) if head_required else consumed
        items = _parse_list(toks, _skip_hedges(toks, j), trial)
        if head_required and items and not _is_part_head(items[0]):
            items = []
        if items and len(trial) > before and toks[max(trial)].endswith("'s") and \
                toks[max(trial) + 1:max(trial) + 2] and toks[max(trial) + 1] in _NOT_AFTER:
            # a run-on's next subject said not done or still failing is no object: "the water heater is mounted gas
            # line's not run yet"; its words after the part are cut off: "replaced the door gasket compressor's still
            # short cycling" is the gasket
            words = items[-1].split()
            items[-1:] = [" ".join(words[:-1])] if len(words) > 1 and _is_part_head(" ".join(words[:-1])) else []
        if items:
            consumed |= trial
            found.append((i, items))
            if head_required:
                counted.update(range(i, max(trial) + 1 if trial else i + 1))
    # postposed verbs: "condenser fan motor replaced", "three outlets and a switch replaced"
    for k, w in enumerate(toks):
        # ("igniter on the oven I replace", "the fan belt I change it": the part said first, then who did what)
        # (a cleft is a correction, read as one: "no, it was the condenser fan motor I replaced")
        fronted = k > 1 and toks[k - 1] in _SPEAKERS and (w in _PRESENT_FITTING or _POST.match(w) is not None) and \
            _np_word(toks[k - 2]) and not any(toks[x:x + 2] == ["it", "was"] or toks[x] in ("it's", "its")
                                              for x in range(max(0, k - 8), k - 1))
        if not (_POST.match(w) or (ordering and w == "ordered") or fronted) or k in consumed:
            continue
        if w in ("install", "replace") and _named_job(toks, k):
            continue  # "the Vanderkamp EV charger install": the job's name ("ceiling fan install, an hour" is the work)
        if w in ("run", "pulled") and not (k and toks[k - 1] in _AUX):
            continue  # "the trunk cable is run" (but "hunting a short on the kitchen run", "a c wire run" to do)
        after = k + 1 + (k + 1 < len(toks) and toks[k + 1] in _PARTICLES)  # "dryer vent cleaned out, and ..."
        # "ceiling fan installed in the master bedroom", "smoke detectors swapped upstairs": where it went, not what
        located = (toks[k + 1:k + 2] in (["in"], ["on"], ["at"], ["into"]) and toks[k + 2:k + 3] in (
            ["the"], ["my"], ["their"], ["his"], ["her"], ["our"])) or _place_after(toks, k)
        if not located and not _passive(toks, k) and after < len(toks) and (
                toks[after] in _SKIP or toks[after] in _PARTICLES or _np_word(toks[after])) and not _TIME_NEXT.match(
                " ".join(toks[after:after + 3])):
            # "replaced the valve", "cleaned out the trap": the verb reads forwards, not backwards (but "expansion tank
            # is installed static pressure at 40" reads back)
            continue
        if toks[:k] in (["it's"], ["its"], ["it", "is"], ["it", "was"], ["it's", "been"], ["it", "got"]) and mentioned:
            found.append((k, [mentioned]))  # "the Nguyen's garbage disposal, it's swapped": the part just named
            continue
        if k > 2 and toks[k - 1] == "that's" and toks[k - 2] == "so" and (said := _mention(toks[:k - 2])):
            found.append((k, [said]))  # "pressure switch was bad so that's replaced": the part just named
            continue
        if fronted and any(x in PART_HEADS for x in toks[after:after + 3]):
            continue  # "the air compressor for the chairs I replace check valve": the verb has its object after it
        b = k - 1
        if fronted:
            b -= 1
        while b >= 0 and (toks[b] in _AUX or toks[b] == "both"):
            b -= 1  # "the sump pump and check valve were both replaced"
        if b > 3 and toks[b] in _STRICT_JOB:
            at = next((x for x in range(b - 1, max(0, b - 5), -1) if toks[x] in ("at", "for")), None)
            if at is not None and at > 0:
                b = at - 1  # "the garage door opener at the Pilbeam house got replaced"
        lo = b + 1
        while lo > 0 and (toks[lo - 1] in _SKIP or toks[lo - 1] == "and" or _np_word(toks[lo - 1])
                          or _compound_word(toks, lo - 1)) and (lo - 1 not in consumed or lo - 1 in counted):
            lo -= 1  # through a counted part read before: "a handful of wire nuts and two GFCIs replaced"
            if toks[lo] in ("the", "a", "an") and lo > 0 and toks[lo - 1] not in ("and", "of") and (
                    toks[lo - 1] not in _SKIP or toks[lo - 1] == "that"):
                # an article opens the part: "still at ames the shower valves are replaced" ("ames" is no part), "note
                # on Lachance that the condensate pump got replaced"
                break
        if 2 <= lo <= b and toks[lo - 1] in _WHERE_IN and (_POST.match(toks[lo - 2]) or toks[lo - 2] in _FITTED):
            lo = _parse_np(toks, lo)[1]  # "microinverters mounted on the rails and the trunk cable is run": where
        while lo <= b and toks[lo] == "and":
            lo += 1  # "thermal fuse replaced and dryer vent cleaned": the second part starts after "and"
        if lo > b and b > 2 and toks[b].isdigit() and toks[b - 2] in _SITS and _np_word(toks[b - 1]) and \
                _np_word(toks[b - 3]) and b - 3 not in consumed:
            # "emergency phone in car 1 replaced", "door lock on washer 31 swapped": the part, then which machine
            b = b - 3
            lo = b
            while lo > 0 and (_np_word(toks[lo - 1]) or _compound_word(toks, lo - 1)) and lo - 1 not in consumed:
                lo -= 1
        elif lo > 1 and toks[lo - 1] in _SITS and toks[lo] in _DETERMINERS and \
                lo - 2 not in consumed and _np_word(toks[lo - 2]):
            # "anode rod in the water heater replaced", "pull station by the back door replaced": the part, then
            # where it sits
            b = lo - 2
            lo = b
            while lo > 0 and (_np_word(toks[lo - 1]) or _compound_word(toks, lo - 1)) and lo - 1 not in consumed:
                lo -= 1
        if lo <= b:
            items = _parse_list(toks[:b + 1], lo, consumed)
            if items:
                found = [(at, items_) for at, items_ in found if at < lo or at > b]
                found.append((lo, items))
    if not ordering and ("in" in toks or "on" in toks or "new" in toks or "up" in toks or "set" in toks):
        found.extend(_put_in_place(toks, consumed))
    if found and ("and" in toks or "plus" in toks or "with" in toks):
        # "the disposal got swapped at the Nwachukwu house and the p-trap too"
        for k, w in enumerate(toks):
            if (w in ("and", "plus") or (w == "with" and k and toks[k - 1] == "along")) and k + 1 not in consumed \
                    and k not in consumed:
                np, j, remaining = _parse_np(toks, k + 1)
                if np is not None and not remaining and _is_part_head(np) and (
                        toks[j:] in ([], ["too"], ["also"], ["as", "well"], ["."]) or toks[j:j + 1] == [","]
                        or (j < len(toks) and toks[j] in _WHERE_IN | {"at", "by", "near", "above"}
                            and "and" not in toks[j:])):
                    consumed.update(range(k, j))
                    found.append((k, [np]))
    found.sort(key=lambda f: f[0])
    return [p for _, items in found for p in items]


#: where a part sits, said between it and a postposed verb ("anode rod in the water heater replaced")
_SITS = _WHERE_IN | {"at"}


#: things that are "on" when they run or are lit, not when they are fitted
_RUNS = wordset("""light lights lamp lamps breaker breakers pilot burner burners fan fans switch heat gas power valve
utility utility's service
unit pump pumps compressor motor heater heaters furnace boiler water ac""")


#: how a part got in place: "the softener's plumbed in", "the new fixture is hung"
_FITTED = wordset("plumbed wired hooked piped bolted mounted hung tied dropped swapped put installed fitted set "
                  "roughed tied-in screwed glued sweated soldered")


def _put_in_place(toks: list[str], consumed: set[int]) -> list[tuple[int, list[str]]]:
    """A known part now in place: "the dishwasher pump motor is in", "the spring is on but ...", "the water
    heater's set in place", "I've got the mixing valve in" (not "the light is on", which is lit, nor "the pump
    is in the basement", which says where it is)."""
    found = []
    for k, w in enumerate(toks):
        if w not in ("in", "on", "new", "up", "set") or (k < 2 and not (k == 1 and toks[0].endswith("'s"))) or \
                k in consumed or (w == "set" and toks[k - 1] not in ("is", "are") and not toks[k - 1].endswith("'s")
                                  and not (
                    "got" in toks[:k] or "have" in toks[:k] or "had" in toks[:k])):  # "got the water heater set"
            continue
        after = k + 2 if toks[k:k + 2] == ["in", "place"] else k + 1
        if after < len(toks) and toks[after] not in ("but", "and", "now", ",", "too", "already", "."):
            continue
        b = k - 1
        if w == "new":  # "the disposal and the air gap are both new", "the expansion tank's new too"
            b -= toks[b] in ("both", "all")
            if toks[b] not in ("is", "are") and not toks[b].endswith("'s"):
                continue
        if toks[b] == "set" and after == k + 2:
            b -= 1  # "is set in place"
        elif toks[b] in _FITTED and b > 0 and (toks[b - 1] in ("is", "are") or toks[b - 1].endswith("'s")):
            b -= 1  # "the water softener's plumbed in", "the panel is wired in"
        view = toks
        if toks[b] in ("is", "are", "went"):
            stop = b  # the part ends before the verb: "the disposal is in", "new garbage disposal went in"
        elif toks[b].endswith("'s") and (_is_part_head(toks[b][:-2]) or toks[b][:-2] in _APPLIANCES):
            view, stop = [*toks[:b], toks[b][:-2]], b + 1  # "the water heater's set in place"
        else:
            stop = b + 1  # "got the mixing valve in": the part is between the verb and "in"
        lo = stop
        while lo > 0 and (view[lo - 1] in _SKIP or view[lo - 1] == "and" or _np_word(view[lo - 1])) and \
                lo - 1 not in consumed:
            lo -= 1
        while lo < stop and view[lo] == "and":
            lo += 1
        if stop == b + 1 and view is toks and not (lo == 0 or toks[lo - 1] in ("got", "have", "had", "has")):
            continue  # without "is", only "got/have X in" or a clause of its own ("Blower motor in.") fits a part
        items = _parse_list(view[:stop], lo, consumed) if lo < stop else []
        if items and all(_is_part_head(p) or _head(p) in _APPLIANCES for p in items) and not (
                w == "on" and _head(items[-1]) in _RUNS):
            found.append((lo, items))
    return found


def _opening_part(toks: list[str]) -> str | None:
    """The part a clause opens with ("control board on the washer"), if it opens with one and says no verb."""
    np, j, _ = _parse_np(toks, 0)
    if np is None or not _is_part_head(np) or any(_STRONG.match(t) or _POST.match(t) for t in toks[j:]):
        return None
    return np


def _marker(toks: list[str]) -> int:
    """Length of a leading correction marker ("no wait", "scratch that", "actually"), else 0."""
    n = 0
    while n < len(toks) and toks[n] == ",":
        n += 1
    found = True
    while found and n < len(toks) and toks[n] in _MARKER_STARTS:  # markers chain: "sorry, I mean"
        found = False
        for m in _MARKERS:
            if tuple(toks[n:n + len(m)]) == m:
                n += len(m)
                while n < len(toks) and toks[n] == ",":
                    n += 1
                found = True
                break
    return n


def _denied(part: str, denied: set[str]) -> bool:
    """Whether a part is one taken back: by its head when the denial names only a head ("not the pump"), by its
    words when it names more ("the flush valve's fine" leaves the fill valve)."""
    return any(part == d or _head(part) == d or (" " in d and part.endswith(" " + d)) or (
        " " in d and d.endswith(" " + part)) for d in denied)


def _negated(toks: list[str]) -> list[str]:
    """Parts explicitly denied: 'not the igniter'."""
    out = []
    for i, w in enumerate(toks):
        if w == "not":
            np, _, _ = _parse_np(toks, i + 1)
            if np is not None:
                out.append(np)
        elif (w in ("don't", "dont") and toks[i + 1:i + 2] in (["order"], ["get"], ["need"], ["send"])) or (
                w in ("scratch", "skip", "cancel", "forget") and toks[i + 1:i + 2] in (["the"], ["those"], ["them"])
                and toks[i + 2:i + 3] and toks[i + 2] not in (",", "order", "job", "ticket")):
            # "don't order the shutoffs, they passed", "oh scratch the bracket, they've got one": taken off the list
            np, _, _ = _parse_np(toks, i + 2)
            if np is not None:
                out.append(np)
        elif (w in ("the", "that") or (_is_part_head(w) or _compound_word(toks, i))) and i + 2 < len(toks) and (
                i == 0 or toks[i - 1] == ","):
            # "wait, the hose was fine", "no wait, disposal was fine, it was the sink flange": taken back
            np, j, _ = _parse_np(toks, i + 1 if w in ("the", "that") else i)
            if np is not None and len(np.split()) <= 2 and (toks[j:j + 2] in (
                    ["was", "fine"], ["was", "ok"], ["was", "good"], ["is", "fine"]) or (
                    # "no sorry, the opener's fine, it was the safety sensors"
                    toks[j - 1].endswith("'s") and toks[j:j + 1] in (["fine"], ["ok"], ["good"]))):
                out.append(np)
    return out


def extract_parts(clauses: list[str], action: Action, *, before: list[str] = (),
                  names: frozenset[str] = frozenset()) -> list[str]:
    """Parts named in a command's clauses (lowercase text), in spoken order, without duplicates.

    ``before`` holds the clauses spoken ahead of this command: "order one" may point back there.
    ``names`` are the lowercase words of the command's customer: "order Mrs. Alvarez a gasket"."""
    parts = _extract(clauses, action, before)
    # "a door gasket ..., never mind the hinge, just the gasket": the part said again in short is the same part
    parts = [p for p in parts if not any(o != p and o.endswith(" " + p) for o in parts)]
    kept = set(parts)  # an appliance named as the part itself stays: "replaced the dryer"
    if names:
        parts = [p for p in parts if not set(p.split()) <= names | HONORIFICS]
        # "the Sandberg garbage disposal" is a garbage disposal; "the O'Keefe dryer" is their appliance
        parts = [" ".join(p.split()[1:]) if _bare_name(p.split()[0]) in names else p for p in parts]
        parts = [p for p in dict.fromkeys(parts) if p not in _APPLIANCES or p in kept]
    return parts


def _bare_name(word: str) -> str:
    """A customer's name word without its possessive: "ortiz's" -> "ortiz", and a family's without its
    plural: "saarinens'" -> "saarinen"."""
    return word.removesuffix("'s").removesuffix("s'").removesuffix("'")


_ADVERBS = wordset("still just also then yet already now only even")


def _pure_list(toks: list[str]) -> bool:
    """Whether a clause is only noun phrases: "the blower pulley and a set of pleated filters"."""
    return all(t in _SKIP or t == "and" or _np_word(t) or not t[0].isalnum()
               or (_compound_word(toks, k) and t not in _ADVERBS)  # ("check valve"; not "still wiring")
               or (t.endswith("ed") and t not in _WORK_ED and k + 1 < len(toks) and _np_word(toks[k + 1]))
               for k, t in enumerate(toks))  # ("pleated filters")


def _closes_list(clauses: list[str], n: int) -> bool:
    """Whether the list said with pauses that clause ``n`` belongs to closes with "and <known part>" (in this
    clause or a later one of only noun phrases): then each item of it is a part, whatever it is called."""
    for low in clauses[n:n + 8]:
        toks = _tokens(low)
        if toks and toks[-1] in (".", "too", "also"):
            toks = toks[:-1]
        joiner = next((k for k in range(len(toks) - 1, 0, -1) if toks[k] in ("and", "plus")), None)
        if joiner is not None:
            last, end, _ = _parse_np(toks, joiner + 1)
            return last is not None and end == len(toks) and _is_part_head(last)
        if not toks or not _pure_list(toks):
            return False
    return False


def _extract(clauses: list[str], action: Action, before: list[str]) -> list[str]:
    out: list[str] = []
    prev_had_parts = False
    mentioned: str | None = None
    for low in before:
        mentioned = _mention(_tokens(low)) or mentioned
    correcting = False
    waiting = False  # the clause before ended on a work verb: "replaced, well, the whole blower wheel"
    looked_at = False  # the clause before was only "Checked:"
    denied_before = False  # a correction's "not the X" took the part out already
    for n, low in enumerate(clauses):
        toks = _tokens(low)
        if waiting and action != Action.order_parts:
            j = _skip_hedges(toks, 0)
            if j == len(toks) or (toks[j:] and toks[j] in _HEDGES and j + 1 == len(toks)):
                continue  # a hedge on its own ("well"): still waiting
            waiting = False
            held = _parse_list(toks, j, set())
            if held and not any(_head(p) in _NOT_PARTS for p in held):
                out.extend(p for p in held if p not in out)
                prev_had_parts = True
                continue
        if looked_at:
            looked_at = False
            if _pure_list(toks):
                continue  # "Checked: vent, clear.": what was only looked at, said as a field
        # "Parts: heat tape": a field said aloud, its list in the next clause
        waiting = _dangling(toks) or toks in (["parts"], ["parts", "used"], ["materials"], ["materials", "used"])
        looked_at = toks in (["checked"], ["tested"], ["inspected"], ["looked", "at"])
        m = _marker(toks)
        k = m + 2 if m and toks[m:m + 1] in (["make"], ["call"]) and toks[m + 1:m + 2] in (["it"], ["that"]) else \
            m if m >= 2 and toks[m - 2] in ("make", "call") and toks[m - 1] in ("it", "that") else None
        if k is not None and toks[k:k + 1] and ((k == m + 2 and (toks[k] in NUMBER_WORDS or toks[k].isdigit())) or (
                (toks[k] in ("an", "a", "half") or toks[k] in NUMBER_WORDS or toks[k].isdigit())
                and (_TIME_UNITS.intersection(toks[k + 1:k + 5]) or all(
                    t in NUMBER_WORDS or t in _AMOUNT_WORDS or t.replace(".", "", 1).isdigit() for t in toks[k:])))):
            # "two led tubes, sorry, make it three": the count changed, the part did not; "bill an hour, actually
            # make that an hour and a half, the valve body was seized": the time changed, and why, not a part
            continue
        if m and out:
            correcting = True
            toks = toks[m:]
        if not toks:
            continue
        denied = set(_negated(toks))
        if correcting:
            for r in _RESTATE:
                if tuple(toks[:len(r)]) == r:
                    toks = toks[len(r):]
                    break
            if not toks:
                continue  # "scratch that, it's": the restatement is still to come
            fix = [p for p in _parse_list(toks, 0, set()) if not _denied(p, denied)]
            if fix and all(_head(p) in _FINDINGS for p in fix):
                correcting = False  # "inspected the heat exchanger, no cracks": what was found, no correction
                continue
            if out and (all(t in NUMBER_WORDS or t.isdigit() or t in _AMOUNT_WORDS or t in _TIME_UNITS or t == ","
                            for t in toks) or (len(toks) == 2 and (toks[1] in NUMBER_WORDS or toks[1].isdigit()))):
                # "the fridge water filter, an hour, no, half an hour, it was quick", "the belts on five dryers, I mean
                # four", "the door lock on machine nine, I mean machine eleven": a time, a count or a place put right
                correcting = False
                continue
            if fix:
                correcting = False
                if out and not denied_before:
                    out[-1] = fix[0]  # "no wait, it was the thermal fuse"
                else:
                    out.append(fix[0])  # "wait, not the drain pump, the lid switch": the denied part is gone
                out.extend(p for p in fix[1:] if p not in out)
                out = [p for p in out if not _denied(p, denied) or p in fix]
                prev_had_parts = True
                mentioned = fix[-1]  # ("it was the safety sensors, replaced those": those are the sensors)
                continue
        consumed: set[int] = set()
        parts = _clause_parts(toks, action, consumed, mentioned, have_parts=bool(out))
        words = [t for t in toks if t[0].isalnum()]
        if not parts and action != Action.order_parts and words in (["replaced"], ["swapped"], ["installed"]) and \
                n and (said := _opening_part(_tokens(clauses[n - 1]))) and said not in out:
            parts = [said]  # "Hall call button in the lobby, replaced.": the part said, then the verb on its own
        # a part said on its own after the work: "Two hours. Capacitor." (not what was wrong: "Tripped breaker")
        if not parts and action != Action.order_parts and 0 < len(words) <= 3 and words[0] not in _SKIP and all(
                _np_word(t) or _compound_word(words, k) for k, t in enumerate(words)) and _is_part_head(
                " ".join(words)) and words[0] not in _DIAGNOSIS and not any(w.endswith("'s") for w in words[:-1]):
            parts = [" ".join(words)]  # (but "Panel's set." says the panel is in: read by the state rule)
        # "flush valve and flapper for the Rainville toilet, order those": the list, then whose it is
        head = toks[:toks.index("for")] if action == Action.order_parts and "for" in toks[2:] else toks
        if words and (action == Action.order_parts or "and" in words) and all(
                t in _SKIP or t == "and" or t.isdigit() or _np_word(t) or _compound_word(head, k)
                for k, t in enumerate(head) if t[0].isalnum()):
            # "Order. Bui. Ice maker, water inlet valve."; "Done. Expansion tank and PRV.": parts listed on
            # their own (a list of known parts; a lone one is read above)
            listed_parts = _parse_list(head, 0, set())
            if listed_parts and all(_is_part_head(p) for p in listed_parts) and len(listed_parts) >= len(parts):
                parts = listed_parts  # "Backflow preventer & 6 rotor heads.": the whole list, not its counted tail
        listed = toks[:-2] if toks[-2:] == ["as", "well"] else toks[:-1] if toks[-1] in ("too", "also") else toks
        where = next((k for k, t in enumerate(listed) if k > 1 and t in _LOCATED), None)
        if where is not None and prev_had_parts:
            # ", and the ballast in room 108": the part, then where it is; ", cement board on three walls and the
            # mixing valve": the list goes on after the place
            joiner = next((k for k in range(where + 1, min(where + 6, len(listed))) if listed[k] in ("and", "plus")),
                          None)
            listed = listed[:where] + (listed[joiner:] if joiner is not None else [])
        continues = prev_had_parts or (out and (toks[0] in ("and", "plus") or listed is not toks))
        said_done = any(t.endswith("'s") and listed[k + 1:k + 2] in (["all"], ["done"], ["good"], ["set"])
                        for k, t in enumerate(listed))  # "Brennan's all set": the job's state, no part
        if listed and continues and not said_done and _pure_list(listed):
            # "new toilet, wax ring and supply line"; "replaced the receptacle, the 30 amp one, and the cord too"
            # ("..., the drain body, cement board and the mixing valve": a list said with pauses that closes
            # with "and <part>" takes its parts whatever they are called)
            start = 1 if listed[0] in ("and", "plus") else 0
            trial = set(consumed)
            closing = _closes_list(clauses, n)
            listed_parts = [p for p in _parse_list(listed, start, trial) if closing or _is_part_head(p)]
            if not parts or (len(listed_parts) > len(parts) and set(parts) <= set(listed_parts)):
                parts = listed_parts
                consumed |= trial
            if "," in listed[start:]:  # "roller guides x4, gate switch": a list said with pauses
                pieces = [p for k, t in enumerate(listed) if k >= start and t == "," for p in
                          _parse_list(listed, k + 1, set()) if _is_part_head(p)]
                parts += [p for p in pieces if p not in parts]
        if correcting and parts and out:
            # "replaced the tank. no wait, that was yesterday. today I replaced the switch."
            out[-1], parts = parts[0], parts[1:]
            correcting = False
        if any(set(p.split()) <= _MAKES for p in parts):
            said = _mention(toks) or mentioned
            parts = [p for p in ((said or "") if set(p.split()) <= _MAKES else p for p in parts) if p]
        prev_had_parts = bool(parts)
        out.extend(p for p in parts if p not in out)
        kept = [p for p in out if not _denied(p, denied)]
        # "a drain pump, uh no sorry, not the drain pump, the circulation pump": the part corrected is already gone,
        # so the fix after it is added rather than put in the place of the part before
        denied_before = correcting and len(kept) < len(out)
        out = kept
        mentioned = _mention(toks) or mentioned
    return out

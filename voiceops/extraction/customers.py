"""Finding the customer a technician names: "the Johnson place", "Mrs. Garcia's", "bright smiles
orthodontics", "morales is done".

Cased transcripts (names capitalised mid-sentence) are read by capitalisation; uncased ones by
the slots names sit in ("at the X place", "close X", "X job", "X is done") and by business-name
suffixes. The technician's open tickets, when given, recognise their customers in any casing.
A name is only ever a word the technician said; nothing is invented."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from voiceops.contracts import OpenTicket
from voiceops.extraction.lexicon import (
    ACTION_WORDS,
    BRAND_PHRASES,
    BRANDS,
    BUSINESS_SUFFIXES,
    COMPOUND_SUFFIXES,
    FILLERS,
    FIRST_NAMES,
    FUNCTION_WORDS,
    HONORIFICS,
    JOB_NOUNS,
    MORE_FIRST_NAMES,
    NOT_A_NAME,
    PART_HEADS,
    S_SURNAMES,
    TIME_WORDS,
    WEAK_BUSINESS_SUFFIXES,
    business_suffix,
    wordset,
)
from voiceops.extraction.numbers import NUMBER_WORDS

#: words in any alphabet ("Bergström", "Núñez"), keeping apostrophes and hyphens ("O'Neil", "Smith-Jones") and
#: the period of an abbreviation that starts a name ("St. Clair", "Mt. Olive")
_TOKEN = re.compile(r"(?:(?:[SsMmFf]t|[Ss]te)\.(?=\s))|\b[A-Z]&[A-Z]\b|\b[A-Z]-\d+\b|[^\W\d_](?:[^\W\d_]|['\-])*|"
                    r"\d+(?:st|nd|rd|th|ST|ND|RD|TH)\b|\d+(?:\.\d+)?|[^\w\s]|_")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)$", re.I)  # "5th Street Laundromat", "21st Century Dental"
_STOP = FUNCTION_WORDS | ACTION_WORDS | JOB_NOUNS | TIME_WORDS | NUMBER_WORDS | FILLERS
#: nouns a lowercase name is followed by: "the walsh ticket", "the yoshida fridge"
_HEADS = JOB_NOUNS | wordset("""family family's well furnace fridge refrigerator boiler dryer washer dishwasher
oven stove ac unit heater heat water basement bathroom attic roof yard sump pool spa project remodel reno
renovation building range cooktop minisplit mini-split rtu solar hvac plumbing electrical irrigation sprinkler
sprinklers garage gate fence array crib toilet fireplace chimney humidifier dehumidifier softener generator
freezer microwave cabin cottage townhouse duplex driveway bungalow ice walk-in walkin thing tankless rental rooftop
hot tub septic washing termite pest gutter gutters kitchen laundry shower deck patio lawn panel charger opener
ranch farm""")
_VERB_SLOT = wordset("""close closing closed update updating push pushed bump bumped move moved reschedule
rescheduling start starting started finish finished done complete completed postpone wrap wrapped shift shifted mark
slide slid shove shoved kick kicked punt punted""")
#: verbs whose object is a part: "cleaned the wash arms" (a business name ending in "Arms" or "Bar" is not fitted)
_FITTING_VERBS = wordset("""replaced replace replacing cleaned clean cleaning installed install installing swapped swap
changed change fitted fit put mounted hung new""")
#: words naming a kind of the head after them, not whose it is ("the osei panel" is Osei's)
_KIND_BEFORE = {"panel": wordset("""access control breaker solar electrical service distribution fuse circuit touch
display glass door side front back top bottom rear wall ceiling sub main load meter alarm fire security inspection"""),
                "charger": wordset("car battery phone tesla portable trickle wall level fast"),
                "opener": wordset("door garage gate can")}
#: what the customer is doing in "X's getting a new water heater", or the tech in "at X's, starting now"
_HAS_ING = wordset("getting having needing wanting asking starting beginning commencing")
#: what a thing is in after its "'s" ("the spa's back up", "pool's green again")
_STATE_WORDS = wordset("back up running fixed working good done still not been all green leaking down out fine heating")
_PLACE_PREPS = wordset("at to from by for on in the mrs mr ms dr miss")
_AFTER_ING = wordset("me us it up out on in now tomorrow today tonight later")
_DETERMINERS = wordset("the a an my his her their our its this that these those some two three both")
_JOB_STATUS = re.compile(r"(?:[a-z][a-z-]*\s+){1,3}(?:is|are|was)\s+(?:all\s+)?(?:done|finished|complete|completed|"
                         r"wrapped|set|good|fixed|closed)\b")
_UNITS = wordset("ton tons gallon gallons amp amps volt volts btu seer inch hp horsepower kw watt watts")
_OPENERS = wordset("um uh er okay ok hey yo so bro fam ngl yeah yep yup")
#: what follows a name that opens a sentence: "Brooks, complete", "morales is done", "Patel needs a ..."
_AFTER_NAME = wordset("""is was has had done finished complete completed wrapped all needs need wants wanted asked
ongoing can are were arrived
called said says job jobs ticket house place residence family home account unit property install
signed squared closed phoned rang texted emailed ask asks finish still got can't cannot won't don't didn't
cancelled canceled""")
_PREP_SLOT = wordset("at for on to with from")
_JOB_VERBS = wordset("log add bill put update close mark")
#: words that open what follows "Georgio update": "Georgio update, I put in ...", "Ingram update so far ..."
_UPDATE_THEN = wordset("i i'm i've we we're so ok okay they new the still just")
#: "the one on Elm", "the house off Maple", "over on Cedar": what comes before a street name
_BEFORE_STREET = wordset("one house place home building shop store over up down out right just located lives")
#: joiners inside business names: "Smith and Sons Hardware", "Bank of the West"
_CONNECTORS = wordset("and & of")
_NEXT_STOP = re.compile(r"(?:'s|\s+is)\s+(?:my\s+)?next(?:\s+(?:stop|call|job|one|up))?\b(?!\s+(?:week|month|"
                        r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|time))", re.I)
#: capitals that are words or trade terms, not a firm's initials
_ACRONYMS = wordset("ok ac hvac gfci afci rtu ptac led pm am tv usa us gas ups dc hot cold ge lg ao mr mrs ms dr st "
                    "wip asap eta fyi")
_PLURAL_JOB_WORDS = wordset("jobs tickets houses places homes accounts residences")
#: after "and", a word that makes one firm of the names: "Smith and Sons"
_FIRM_WORDS = wordset("sons son daughters daughter brothers bros co company associates partners")
#: capitalised words before "job" that still are not names ("the Next job", "the Same one")
_NOT_SURNAMES = wordset("""new old next last same other first second third main whole right good big small this
that my your their our his her its a an the one""")
#: words that say which kind of appliance: "the wall oven", "a chest freezer", "the window unit"
_KINDS = wordset("wall window chest upright countertop built-in double single combo stackable portable")
_STAGES = wordset("tear-off tearoff demo demolition rough-in framing trench trenching excavation")
#: "grand job, put in a new pump", "Nice job today": a judgement of the work opening a clause, not a customer
_JUDGED = wordset("grand nice good great lovely brilliant decent tidy solid tough messy nasty quick easy simple big "
                  "fine")
#: nouns that make the capitalised word before them a customer: "the May residence"
_JOB_WORDS = wordset("job ticket house place residence home family account install appointment visit maintenance "
                     "start-up startup tune-up tuneup")
#: words after a person's name that make it a home, where the surname is what counts
#: the cleaning step drops the period of "St." (it is not a sentence end); business names get it back
_SAINT = {"St": "St.", "Mt": "Mt.", "Ft": "Ft.", "Ste": "Ste."}
#: abbreviations that open a name and keep their period: "St. Clair", "Mt. Olive"
_SAINT_WORDS = wordset("st. mt. ft. ste. st mt ft ste")
_PHONETIC = wordset("""alpha alfa bravo charlie delta echo foxtrot golf hotel india juliet juliett kilo lima mike
november oscar papa quebec romeo sierra tango uniform victor whiskey xray x-ray yankee zulu""")
_HOLIDAYS = wordset("easter christmas thanksgiving halloween xmas passover hanukkah ramadan")
_BEFORE_A_DAY = wordset("since before after until till by over for around on at")
#: words that make a building of "house", not a family's home: "the milk house well", "the pump house"
_HOUSE_COMPOUNDS = wordset("""milk pump well boat green guest pool club bath fire farm ranch coach carriage hen bunk
power light smoke ice dog tree field school meeting row town open store ware gate spring wash pack boiler chicken""")
_HOMES = wordset("place house home residence family household apartment condo cabin cottage townhouse duplex bungalow")
#: lowercase words inside surnames: "Van der Berg", "de la Cruz"
_PARTICLES = wordset("van von der den de la le du del da di dos das ter ó ní mac bin ibn")
#: prepositions that take a bare name ("done at bauer,", "order for kerr"); others need "X job/house"
_BARE_PREP = wordset("at for")
_STREETS = wordset("""street st road rd avenue ave drive dr lane ln way boulevard blvd court ct circle cir place pl
terrace parkway pkwy highway hwy trail crescent row alley""")
#: "the van", "my van": the vehicle, not the particle of "van Dijk"
_VEHICLE_BEFORE = wordset("the a my our his her their work company")
_ORDER_VERBS = wordset("order ordered ordering get grab need needs pick source sourcing po request")
#: a past-tense verb after "finished"/"done" ("Reed", "Ahmed" are names)
_PAST_VERB = re.compile(r"^(?!.*(?:eed|med)$)[a-z]{4,}(?:ed|ing)$")
_STATUS_SLOT = wordset("done finished complete completed wrapped")
_INITIALS = re.compile(r"^[A-Z](?:&[A-Z]|-\d)$")
_IRISH = re.compile(r"^[od]'[^\W\d_]{2,}(?:-[^\W\d_]{2,})?$")
_AFTER_PREP = wordset("and then too please now today tonight also so yet new can could gonna no")
_CORRECTION = re.compile(r"\b(?:no|wait|i mean|sorry|actually|rather|make that|not)\b", re.I)
#: "done with Tran bakery, uh, Tran Family Bakery I mean": the correction said after the name it gives
_CORRECTED_AFTER = re.compile(r"(?:'s)?(?:\s+(?:place|house|home|residence|job|ticket|account))?"
                              r"[\s,]*(?:i mean|i meant)(?=\s*(?:[,.;!?]|$))", re.I)
_CORRECTION_LEAD = re.compile(r"\s*(?:(?:oh|uh|sorry|no)[\s,]+)*(?:i mean|i meant|make that|make it|correction|"
                              r"rather)\b", re.I)
_ACRONYM_SUFFIXES = frozenset({"ER", "ICU", "VFW", "YMCA", "YWCA", "DMV", "HQ"})
#: words between a name and its head noun: what a flood did, or where ("velarde flooded basement", "the gopalan
#: rooftop unit")
_BEFORE_HEAD = wordset("flooded frozen burst broken busted cracked leaking damaged wet collapsed clogged backed soaked "
                   "rooftop ev fire alarm breaker electrical solar service security")
#: a job named by its number: then a lower-case word opening a clause ("the other leg's still dead") is no name
_JOB_NUMBER_SAID = re.compile(r"\b(?:ticket|job|work order)\s+(?:number\s+|#\s*)?\d", re.I)
#: a job number said in digits or words: the job is named, a given name beside it is someone else
_JOB_NUMBER_SPOKEN = re.compile(r"\b(?:ticket|job|work order)\s+(?:number\s+|#\s*)?(?:\d|(?:one|two|three|four|five|"
                                r"six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b)",
                                re.I)
#: a preposition or article opening a sentence before a business name: "For Greenway Urgent Care, ..."
_OPENING_WORDS = wordset("for at on to with from by in the a an")
_UTILITY_WORDS = wordset("power gas electric electricity water phone cable utility light")
_UNIT_WORDS = wordset("unit apt apartment suite room building bldg number no")
_UNIT_LETTERS = re.compile(r"(?<=\d)[A-Z]\b|\b[A-Z](?=\d)")
_UNIT_CODE = re.compile(r"^(?:\d{1,5}[A-Za-z]?|[A-Za-z]\d{1,4})$")
_OCCUPANTS = wordset("tenant tenants renter renters resident residents occupant occupants neighbor neighbour roommate")
_ANOTHER = re.compile(r"\b(?:too|also|as well)\b", re.I)
_NEGATED = re.compile(r"\bnot\s+(?:(?:at|for|on)\s+)?(?:the\s+)?$", re.I)


@dataclass(frozen=True)
class CustomerMention:
    name: str
    start: int  # character offset in the cleaned transcript
    confidence: float
    correction: bool = False
    #: followed by a job word ("the walsh job", "the yoshida place"): a customer by its slot, not a guess
    job_word: bool = False
    end: int = -1  # where the words of the mention end in the cleaned transcript

    @property
    def key(self) -> str:
        return self.name.lower()


_POSSESSIVE = re.compile(r"'s?$")


def _without_possessive(token: str) -> str:
    """``_POSSESSIVE.sub("", token)`` for one token (no line breaks), without the regex: "walsh's" -> "walsh"."""
    if token.endswith("'s"):
        return token[:-2]
    return token[:-1] if token.endswith("'") else token


def _letter(c: str) -> bool:
    r"""``[^\W\d_]``: a word character that is neither a decimal digit nor the underscore."""
    return c.isalnum() and not c.isdecimal()


def _has_possessive(token: str) -> bool:
    """A letter, then "'s" or "'" at the end: "Walsh's", "Jones'"."""
    if token.endswith("'s"):
        return len(token) >= 3 and _letter(token[-3])
    return token.endswith("'") and len(token) >= 2 and _letter(token[-2])


class _Tok:
    """One word (or punctuation mark) of the transcript, its forms computed once."""

    __slots__ = ("bare", "is_title", "is_word", "low", "possessive", "start", "text")

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.start = start
        self.low = text.lower()
        self.bare = _without_possessive(self.low)  # lowercase without a possessive
        self.is_word = text[0].isalpha()
        # "Ó Súilleabháin": a one-letter particle is a capitalised word too
        # ("hosed off the DE grids": initials in capitals, not the particle "De")
        self.is_title = text[0].isupper() and (not text.isupper() or (self.low in _PARTICLES and len(text) == 1)
                                               or bool(_INITIALS.match(text)))  # "A-1 Quick Lube", "T&L Machine Shop"
        self.possessive = _has_possessive(text)


def _similar(a: str, b: str, cutoff: float = 0.8) -> bool:
    """``SequenceMatcher(None, a, b).ratio() >= cutoff``, skipping the matcher when the lengths alone
    rule it out (the ratio is at most 2·min/(sum of lengths), as difflib's real_quick_ratio says)."""
    if 2.0 * min(len(a), len(b)) / (len(a) + len(b)) < cutoff:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= cutoff


def _namelike(tok: _Tok) -> bool:
    apostrophe_ok = "'" not in tok.bare or bool(_IRISH.match(tok.bare))  # O'Brien, D'Angelo
    if tok.possessive and not tok.is_title and tok.low in ("van's", "truck's"):
        return False  # "ok van's loaded": the vehicle
    if "-" in tok.low and tok.low.split("-", 1)[0] in NUMBER_WORDS:
        return False  # "fifty-five eighty-one": a number said in words
    if _ACRONYM_PLURAL.match(tok.text):
        return False  # "new TRVs on all five radiators": parts said by their initials
    return (tok.is_word and len(tok.bare) >= 2 and apostrophe_ok and tok.bare not in NOT_A_NAME
            and tok.low not in NOT_A_NAME and tok.bare.removesuffix("s") not in JOB_NOUNS)  # "the condos"


def _filler(tok: _Tok) -> bool:
    """A capitalised word that cannot start a name even mid-sentence."""
    return (tok.low in ACTION_WORDS or tok.low in FILLERS or tok.low in JOB_NOUNS or tok.low in TIME_WORDS
            or tok.low in HONORIFICS or ("'" in tok.low and not tok.possessive) or tok.low == "i")


_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,5}s$")
_SIBILANT_ES = re.compile(r"(?:s|x|z|ch|sh)es$", re.I)


def _family(name: str, nxt: _Tok | None, apostrophe: bool = False) -> str:
    """A family named in the plural after "the": "the Smiths" -> Smith, "the Whites" -> White, "the
    Harrises" -> Harris, "at the Nakamuras'" -> Nakamura. Before a house word the name is as said
    ("the Williams house", "the Ramos job"), and so is a name ending in -es/-is/-us with a possessive
    apostrophe ("the Jones' place", "at the Jones'")."""
    if not name.endswith(("s", "S")) or len(name) < 3:
        return name
    if apostrophe and len(name) > 4 and re.search(r"[aoy]s$", name, re.I):
        return name[:-1]  # "the Calloways' job", "the Kimuras' sink": the family's (but "the Reynolds' furnace")
    if apostrophe and len(name) > 4 and not re.search(r"(?:ss|es|is|us)$", name, re.I) and \
            name.lower() not in S_SURNAMES:
        return name[:-1]  # "the Nguyens' place", "the Iyers' place": the family's, before any house word
    if nxt is not None and (nxt.low in _HEADS or nxt.low in _JOB_WORDS or nxt.low in _CONNECTORS
                            or nxt.low in BUSINESS_SUFFIXES  # "the Reyes laundromat", as "the Reyes house"
                            or nxt.low in PART_HEADS or nxt.low in ("walk-in", "walkin", "reach-in", "cooler", "pm",
                                                                    "service", "tune-up", "inspection", "startup")):
        return name  # ("the Vines and Needham jobs": two names before the house word)
    if (len(name) > 5 and re.search(r"[^aeiou]eys$", name, re.I)) or (
            len(name) > 5 and re.search(r"[^aeiou]ys$", name, re.I) and name.lower() != "gladys"):
        return name[:-1]  # "the Ridleys", "the Bradleys", "the Gadsbys" (but "Hays", "Mays", "Gladys")
    if _SIBILANT_ES.search(name):
        return name[:-2]  # "Joneses", "Harrises", "Bushes"
    if len(name) == 3:
        return name[:-1]  # "the Ngs", "the Wus"
    if re.search(r"(?:ss|us|ys|'s|akis|idis|adis|poulos)$", name, re.I) or (
            len(name) <= 7 and re.search(r"[rvwtcl]is$", name, re.I)) or (
            apostrophe and re.search(r"es$", name, re.I)):
        # "Davis", "Curtis", "Jones'", "Vasilakis": a surname ending in s, not a plural ("the Kowalskis" is)
        return name
    return name[:-1]


#: stems whose -s is a lost possessive, not the name's own ending: Nguyen-s, Bergstrom-s, Volkov-s, Osei-s, Hennessy-s
#: (names ending in -ins, -as, -os, -es, -is, -ks, -rs, -ts stay whole: Mullins, Cardenas, Santos, Morales, Hollis,
#: Banks, Coutts)
_POSSESSED_STEM = re.compile(r"(?:[^aeiou]y|way|[eo]n|[^e]m|[^e]d|ght|[oe]v|h|ei)$")


def _apostrophe_lost(name: str) -> bool:
    """Whether a one-word name heard without apostrophes ends in a possessive's s ("Nguyens" of "nguyens ice maker")."""
    low = name.lower()
    return len(low) >= 5 and low.endswith("s") and low not in S_SURNAMES and bool(_POSSESSED_STEM.search(low[:-1]))


def _title(words: Sequence[str]) -> str:
    # ("a-" "1" of "a-1 quick lube" join again: "A-1 Quick Lube"; "o'brien" is "O'Brien")
    return " ".join(w if w in _CONNECTORS or (k and w in _PARTICLES) else
                    w[:2].upper() + w[2:3].upper() + w[3:] if _IRISH.match(w) else w[:1].upper() + w[1:]
                    for k, w in enumerate(words)).replace("- ", "-")


_ROADS = wordset("route highway hwy interstate exit state county")
_ORDINAL_WORDS = wordset("first second third fourth fifth sixth seventh eighth ninth tenth top ground main upper lower")
_STOREYS = wordset("floor floors level story storey")
_CORRECTING = wordset("no nope sorry wait mean meant rather actually")
_LOST_APOSTROPHE = re.compile(r"[^aeiou]ys$")
_MODEL_CODE = re.compile(r"^[A-Za-z]{1,5}-?\d[\w-]*$")  # "T6", "ML180", "WFW5620"
_ROLES = wordset("""aunt auntie uncle grandma grandpa granny nana
landlord landlady tenant homeowner owner manager super superintendent cook chef vet receptionist
dog cat puppy kid son daughter wife husband helper apprentice coworker dispatcher plumber electrician tech guy lady
neighbour neighbor boss foreman supervisor nanny housekeeper caretaker janitor custodian""")
_DEPARTMENTS = wordset("""receiving accounting maintenance shipping office kitchen taproom shop warehouse front back
reception billing dispatch""")
#: everyday words that open business names ("Great Wall Buffet", "New England Seafood", "Old Town Pizza")
_NAME_OPENING_WORDS = wordset("great good grand new old big little")
#: never a name alone ("North wall froze"), but they open names ("North Star Ice Rink", "the West house")
_DIRECTIONS = wordset("north south east west northeast northwest southeast southwest")
#: ordinary words that end a business name when written with a capital after a name: "Harbor Linen Service",
#: "Marlowe Street Garage" (but "the service call", "the garage door")
_TITLED_ENDINGS = wordset("""service garage electric plumbing heating mechanical construction landscaping cleaning
transport trucking towing repair roofing paving printing rentals residences commons gardens heights lofts""")
#: capitalised words that describe a place rather than name its owner ("the Lutheran church", "the Thai restaurant")
_PLACE_ADJECTIVES = wordset("""lutheran baptist methodist catholic presbyterian episcopal pentecostal mennonite amish
adventist evangelical orthodox anglican unitarian congregational nazarene apostolic christian jewish islamic muslim
greek italian mexican chinese thai korean vietnamese indian japanese french german irish polish cuban ethiopian
lebanese turkish persian spanish american asian african caribbean filipino brazilian peruvian russian ukrainian
main downtown uptown midtown central community county city village town state national regional memorial
first second third united trinity grace calvary bethel zion""")
_LANDMARK_PREPS = wordset("by behind near beside opposite past")
_ON_A_STREET = wordset("appointment house job place visit ticket unit condo apartment home building")
_ROADWAYS = wordset("street st road rd avenue ave drive dr lane ln boulevard blvd highway hwy")
_COLOURS = wordset("yellow blue red orange purple pink beige teal turquoise maroon lavender green white brown gray "
                   "grey black tan")
_POWER_UNITS = wordset("horse hp horsepower ton tons gallon gallons amp amps volt volts watt watts btu inch")
#: where the job is finished or started before "at <name>"
_AT_WORK = wordset("done finished complete wrapped starting started arrived here im i'm working")
#: getting a part from a store: "grabbed the wax ring at Home Depot"
_BOUGHT = wordset("grabbed bought purchased picked got")
#: work a coworker did, said right after their name: "Jenna swapped the igniter"
_DID_WORK = wordset("""swapped replaced installed changed cleaned fixed finished mounted hung wired plumbed ran pulled
set tested repaired rebuilt sealed patched flushed""")
#: what a job is, said after the customer's name: "the Cho EV charger install"
_WORK_KINDS = wordset("install installation repair replacement upgrade swap changeout change-out service tune-up "
                      "remodel rebuild retrofit repipe")
#: business words that never name a kind of part: "suds and duds laundromat washers 3 and 7" is the laundromat's washers
#: (but "the faucet supply line", "the bar sink", "the pizza oven" are parts)
_PLACE_ONLY = wordset("""laundromat restaurant cafe diner bistro clinic hospital pharmacy church chapel school academy
college library hotel motel inn salon barbershop apartments condos plaza mall realty properties brewery winery tavern
lodge theater theatre cinema daycare preschool veterinary pediatrics orthodontics dentistry chiropractic optometry
villas manor estates florist bookstore inc llc ltd temple mosque synagogue dealership steakhouse cantina
taqueria pizzeria deli boutique museum arena stadium marina kennel hospice infirmary eatery ramen cafeteria canteen
creamery ymca carwash""")


class CustomerFinder:
    """Every customer mention in one cleaned transcript; queried clause by clause."""

    def __init__(self, text: str, open_tickets: Sequence[OpenTicket] = ()) -> None:
        self.text = text
        self.toks = [_Tok(m.group(0), m.start()) for m in _TOKEN.finditer(text)]
        self.initial = self._sentence_initial()
        # weekdays and months are capitalised even by lowercase-ish ASR, unless they name a job ("the May house")
        self.cased = any(
            t.is_title and not self.initial[i] and not t.low.startswith("i'") and t.text != "I"
            and (t.bare not in TIME_WORDS or (i + 1 < len(self.toks) and self.toks[i + 1].low in _JOB_WORDS))
            for i, t in enumerate(self.toks))
        # (sentences capitalised at least; not a unit's letter: "whitfields in 12A is done")
        self.any_capital = (bare := _UNIT_LETTERS.sub("", text)) != bare.lower()
        self.ticket_names = [t.customer for t in open_tickets if t.customer]
        self.mentions = self._find_all()

    # ------------------------------------------------------------------ public
    def find(self, clause_text: str, clause_start: int) -> list[CustomerMention]:
        """Mentions inside the clause that starts at ``clause_start`` in the transcript."""
        end = clause_start + len(clause_text)
        found = [m for m in self.mentions if clause_start <= m.start < end]
        out: list[CustomerMention] = []
        for m in found:
            between = self.text[(out[-1].start if out else clause_start):m.start]
            # "slide the Kontos install, I mean the Zervas install": a clause that opens by taking a name back
            # ("done with Tran bakery, uh, Tran Family Bakery I mean": the correction said after the name it gives;
            # "the Cruz— uh, Cruz-Delgado job": a name said again in full right after its start)
            after = bool(_CORRECTED_AFTER.match(self.text, m.end)) or self._restarted(m)
            opens = not out and bool(_CORRECTION_LEAD.match(between) or after) and not _ANOTHER.search(clause_text)
            out.append(CustomerMention(m.name, m.start, m.confidence,
                                       correction=opens or (bool(out) and bool(_CORRECTION.search(between) or after)),
                                       job_word=m.job_word, end=m.end))
        return out

    def _restarted(self, m: CustomerMention) -> bool:
        """Whether ``m`` says in full a name begun just before it: "the Cruz— uh, Cruz-Delgado job"."""
        prev = next((p for p in reversed(self.mentions) if p.end <= m.start), None)
        return prev is not None and m.name.lower().startswith(prev.name.lower()) and len(m.name) > len(prev.name) \
            and not self.text[prev.end:m.start].strip(" ,.;:-\u2014\u2013")

    # ------------------------------------------------------------------ detection
    def _sentence_initial(self) -> list[bool]:
        flags = []
        prev = None
        for t in self.toks:
            flags.append(prev is None or prev.text in ".!?")
            prev = t
        return flags

    def _find_all(self) -> list[CustomerMention]:
        cands: list[tuple[int, int, str, float]] = []  # start token, end token, name, confidence
        cands += self._from_tickets()
        if self.cased:
            cands += self._capitalised()
            # "the Next house is done", "the Ready family's dishwasher", "closing ..., Early residence": in a cased
            # transcript a capitalised common word before a house or job word, mid-sentence, is a surname
            toks = self.toks
            cands += [(i, i + 1, toks[i].bare.capitalize(), 0.8) for i in range(1, len(toks) - 1)
                      if toks[i].is_title and not self.initial[i] and toks[i].text.isalpha()
                      and (toks[i + 1].bare in _HOMES or toks[i + 1].bare == "job")
                      and toks[i].low not in HONORIFICS and toks[i].low not in _NOT_SURNAMES]
            # "I'm at the Mangubat house now, and the tuilaepa job ...": a name the recogniser left in lower case
            # in a cased transcript still counts in the surest slot, "the X job/house"
            toks = self.toks
            if any(toks[i - 1].low == "the" and toks[i + 1].bare in _JOB_WORDS and not toks[i].is_title
                   for i in range(1, len(toks) - 1)):
                cands += [c for c in self._slots() if self._lower_in_job_slot(c[0], c[1])]
        else:
            cands += self._business_suffix()
            cands += self._slots()
        starts = self._sentence_start()
        if self.cased and (any(c[3] >= 0.9 for c in cands) or _JOB_NUMBER_SAID.search(self.text) or any(
                self.toks[c[0]].is_title for c in starts)):
            # "Quick note on the Iskandar job: cleaned the burners, flame's still lazy": in a cased transcript
            # that names its customer capitalised, a lower-case word opening a clause is no second name
            starts = [c for c in starts if self.toks[c[0]].is_title]
        cands += starts
        cands += self._after_honorific()
        cands = [c for c in cands if c[2].lower().rstrip(".") not in HONORIFICS]  # "push mrs lindahl"
        cands.sort(key=lambda c: (-c[3], c[0], c[0] - c[1]))  # surest, earliest, then longest
        taken: list[tuple[int, int]] = []
        chosen: list[tuple[int, int, str, float]] = []
        for c in cands:
            if any(c[0] < e and s < c[1] for s, e in taken):
                continue
            start = self.toks[c[0]].start
            if _NEGATED.search(self.text[max(0, start - 24):start]):
                continue  # "the Holt job not the Hall job"
            if self._occupant(c[0]):
                continue  # "the tenant in 9B is a Mr. Granqvist": who lives there, not whose ticket it is
            taken.append((c[0], c[1]))
            chosen.append(c)
        chosen.sort()
        # "and Hollinshead is my next stop": where the tech goes later, no job of this command
        chosen = [c for c in chosen if not _NEXT_STOP.match(self.text, self.toks[c[1] - 1].start + len(
            self.toks[c[1] - 1].text))]
        # "Stewart the Kovalenko job please": a name right before "the <name> job" is a vocative or a misheard
        # verb ("start"); the job slot names the customer
        toks = self.toks
        # (also a sentence's first word, a misheard verb after it, then "a/the <name> job": "Stewart switch a
        # Kovalenko job please", heard for "start the Kovalenko job")
        chosen = [c for k, c in enumerate(chosen) if not (
            k + 1 < len(chosen) and c[1] - c[0] == 1 and chosen[k + 1][1] < len(toks)
            and toks[chosen[k + 1][1]].bare in _JOB_WORDS and (
                (chosen[k + 1][0] == c[1] + 1 and toks[c[1]].low == "the")
                or (self.initial[c[0]] and c[1] + 2 <= chosen[k + 1][0] <= c[1] + 3
                    and toks[chosen[k + 1][0] - 1].low in ("the", "a")
                    and all(t.is_word and not t.is_title for t in toks[c[1]:chosen[k + 1][0]]))))]
        chosen = self._no_customers(chosen)
        chosen = [c for c in chosen if not self._contracted(c[0], c[1])]
        if self.ticket_names:
            # "the sola panel at hargreave needs a new micro inverter", Hargreave on the board: a lower-case word
            # before a head noun is no second customer beside a name the board knows in the same sentence
            board = {n.lower() for n in self.ticket_names}
            sentence = list(itertools.accumulate(int(x) for x in self.initial))
            chosen = [c for c in chosen if not (
                c[3] == 0.75 and not toks[c[0]].is_title and c[2].lower() not in board
                and c[1] < len(toks) and (toks[c[1]].low in _HEADS or toks[c[1]].low in _BEFORE_HEAD)
                and any(o[3] >= 0.95 and o is not c and sentence[o[0]] == sentence[c[0]] for o in chosen))]
        if not self.any_capital:
            # a recogniser that drops apostrophes and capitals: "nguyens ice maker", "bergstroms oven" are Nguyen's and
            # Bergstrom's (not "the mullins job" or "at santos": names that end in -s themselves); read even where an
            # apostrophe was said ("the daltons fridge ... that one's finished") or restored by the cleaning ("whats")
            board = {n.lower() for n in self.ticket_names}
            chosen = [(s, e, name[:-1], conf) if e - s == 1 and name.lower() not in board and _apostrophe_lost(name)
                      else (s, e, name, conf) for s, e, name, conf in chosen]
        return [CustomerMention(name, self.toks[s].start, conf,
                                job_word=e < len(self.toks) and self.toks[e].bare in _JOB_WORDS,
                                end=self.toks[e - 1].start + len(self.toks[e - 1].text))
                for s, e, name, conf in chosen]

    def _contracted(self, s: int, e: int) -> bool:
        """Whether the "'s" ending ``toks[s:e]`` is "is" or "has": "Kev's finishing the trim tomorrow", "ozonator's
        been swapped" (someone or something doing, no one's job); not "at X's, starting now" or "X's getting a new
        water heater"."""
        toks = self.toks
        if not toks[e - 1].possessive or e >= len(toks) or (s > 0 and toks[s - 1].low in _PLACE_PREPS):
            return False
        verb = toks[e].low
        if verb in ("been", "gotten", "gone"):
            return True
        after = toks[e + 1] if e + 1 < len(toks) else None
        return (verb.endswith("ing") and len(verb) > 5 and verb not in _HEADS and verb not in _HAS_ING
                and (after is None or not after.is_word or after.low in _DETERMINERS or after.low in _AFTER_ING))

    def _no_customers(self, chosen: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
        """The candidates left once makes, places and the people around a job are set aside."""
        toks = self.toks
        # "swapped the door gasket on the Miele", "three Speed Queen front loaders": a make of equipment, not on the
        # technician's board, is no customer (unless a job word follows: "the Bosch job")
        board = {n.lower() for n in self.ticket_names}
        chosen = [c for c in chosen if not (
            (c[2].lower() in BRANDS or c[2].lower().replace("-", " ") in BRAND_PHRASES) and c[2].lower() not in board
            and not toks[c[1] - 1].possessive
            and not (c[1] < len(toks) and (toks[c[1]].bare in _JOB_WORDS or toks[c[1]].bare in _HOMES)))]
        # "Ticket 3025 on Lakeshore Drive", "the house by the high school", "her appointment on Laurel": where the job
        # is, not whose (a name on the board still counts)
        chosen = [c for c in chosen if c[2].lower() in board or not (
            (toks[c[1] - 1].bare in _ROADWAYS and c[1] - c[0] > 1
             and not (c[1] < len(toks) and toks[c[1]].bare in _JOB_WORDS))  # (but "the Main Street job")
            or self._landmark_before(c[0])
            or (c[0] > 1 and toks[c[0] - 1].low == "on" and (toks[c[0] - 2].bare in _ON_A_STREET or (
                c[1] - c[0] == 1 and c[0] > 2 and [t.low for t in toks[c[0] - 3:c[0] - 1]] == ["the", "one"])))
            # "the yellow house", "the blue house by the library": which house, by its colour
            or (c[1] - c[0] == 1 and toks[c[0]].low in _COLOURS and c[1] < len(toks) and toks[c[1]].low in _HOMES))]
        # the people around a job, beside its customer or a spoken job number: "tell Dana I'm ready", "Mateo's still
        # tiling", "waiting on Jorge to finish"; by role, whatever else is said: "Kenny the landlord", "their dog
        # Biscuit"
        people = {k for k, c in enumerate(chosen) if c[2].lower() not in board and self._someone_else(c[0], c[1])}
        acting = {k for k in people if self._someone_else(chosen[k][0], chosen[k][1], by_name=False)}
        if people and (len(people) < len(chosen) or _JOB_NUMBER_SPOKEN.search(self.text)):
            chosen = [c for k, c in enumerate(chosen) if k not in people]
        elif acting:  # "Marco's still testing it": someone at work, whatever else is said
            chosen = [c for k, c in enumerate(chosen) if k not in acting]
        chosen = [c for c in chosen if c[2].lower() in board or not self._in_apposition(c[0], c[1])]
        # "order a ball valve and two SharkBite couplings for the Aguirre job": a capitalised word between a count
        # and the part counted is the part's make
        chosen = [c for c in chosen if not (
            c[1] - c[0] == 1 and c[0] > 0 and c[1] < len(toks)
            and (toks[c[0] - 1].text.isdigit() or toks[c[0] - 1].low in NUMBER_WORDS)
            and toks[c[0] - 1].low not in ("a", "one") and toks[c[1]].low in PART_HEADS)]
        # "update the Ivanova job, changed the raw water strainer and the Racor filter", "..., replaced the fusible
        # link on the Ansul system": once the job is named, a capitalised word between "the" and the part worked on
        # is the part's make (said alone, "installed the Papadopoulos sillcock" names the customer)
        if len(chosen) > 1:
            chosen = chosen[:1] + [c for c in chosen[1:] if c[2].lower() in board or not self._make_of_part(c[0], c[1])]
        return chosen

    def _make_of_part(self, s: int, e: int) -> bool:
        """A capitalised word between "the" and a part worked on ("changed the Racor filter") or the equipment a part
        sits on ("on the Ansul system"): the make, when another name already named the job."""
        toks = self.toks
        if e - s != 1 or s < 2 or e >= len(toks) or toks[s - 1].low != "the" or toks[s].possessive:
            return False
        nxt = toks[e]
        if not nxt.is_word or nxt.is_title or nxt.bare in _JOB_WORDS or nxt.bare in _HOMES:
            return False
        fitted = any(t.low in _FITTING_VERBS for t in toks[max(0, s - 8):s - 1])
        return (fitted and nxt.bare in PART_HEADS and nxt.bare not in _HEADS) or (
            toks[s - 2].low in ("on", "in") and nxt.low in ("system", "unit", "panel", "controller", "board"))

    def _from_tickets(self) -> list[tuple[int, int, str, float]]:
        out = []
        for name in self.ticket_names:
            written = [w for w in re.findall(r"[^\W\d_](?:[^\W\d_]|['\-])*", name) if w.lower() not in HONORIFICS]
            words = [w.lower() for w in written]
            if not words:
                continue
            # "De Vries", "van der Berg": the particles belong to the surname
            kept = written if len(words) > 1 and all(w in _PARTICLES or w in _SAINT_WORDS for w in words[:-1]) \
                else written[-1:]
            surname = " ".join(_SAINT.get(w, w) for w in kept) if not kept[-1].islower() else _title(
                words[len(words) - len(kept):])
            business = len(words) > 1 and (business_suffix(words[-1], words[-2], singular=True) or len(words) > 2)
            keys = [_without_possessive(w) for w in words] if business else [words[-1]]
            # "Blackbird Records", "Saffron Palace": a two-word name without a business word, said whole, is that
            # name (a person's, "Maria Gonzalez", is still read by the surname)
            whole = not business and len(words) > 1 and len(kept) == 1 and words[0] not in FIRST_NAMES
            for i, t in enumerate(self.toks):
                if not t.is_word:
                    continue
                if whole and [x.bare for x in self.toks[i:i + len(words)]] == [
                        _without_possessive(w) for w in words]:
                    out.append((i, i + len(words), name, 0.97))
                    continue
                if whole and self.cased and t.text.islower():
                    continue  # "reset the high pressure switch" is not Westbrook High's last word
                if business and t.bare == keys[0]:  # "Dominic's Barbershop": possessives compared without
                    n = 1
                    while (n < len(words) and i + n < len(self.toks)
                           and self.toks[i + n].bare == keys[n]):
                        n += 1
                    # "old towne pizzeria": a first word that is a common word counts when the name goes on
                    if n == len(words) or (n >= 2 and (t.bare not in FUNCTION_WORDS or n >= 3)):
                        out.append((i, i + n, name, 0.97))
                    continue
                if t.bare in FUNCTION_WORDS:
                    continue
                for position, k in enumerate(keys):
                    # (in a transcript that capitalises names, a lower-case "long" or "booth" outside a name's slot
                    # is the word, whoever on the board is called Long: "it was a long day", "the paint booth")
                    if t.bare == k and (t.bare not in NOT_A_NAME or t.is_title) and not (
                            self.cased and t.text.islower() and (not self._name_slot(i) or whole)
                            and not (i > 0 and self.toks[i - 1].low in _PARTICLES)):
                        if business and position and (self._names_a_part(i) or (
                                i + 2 < len(self.toks) and self.toks[i + 2].bare in PART_HEADS)):
                            continue  # "Hall call button" is a part, whatever "... Fire Hall" is on the board
                        if business and position and not (self.cased and t.is_title) and (
                                not self._names_a_job(i) or t.bare in _HEADS or (
                                    self.cased and i + 1 < len(self.toks)
                                    and self.toks[i + 1].bare not in _JOB_WORDS)):
                            # "one point five hours" is not Harbor Point Marina, "the solar job" is not Sunfield
                            # Solar Farm; "the marina job" is (and in a transcript that capitalises names, "the
                            # noodle boiler" is a kind of boiler, not Kim's Noodle Bar's)
                            continue
                        said = len(kept) - 1  # the particles said before the surname belong to the mention
                        lo = i - said if not business and said and i >= said and [
                            x.low.rstrip(".") for x in self.toks[i - said:i]] == words[-len(kept):-1] else i
                        # one inner word of a business gives way to a longer name said around it ("Kestrel Tower"
                        # is not "Harborview Tower")
                        out.append((lo, i + 1, surname if not business else name,
                                    0.88 if business and position else 0.96))
                    elif not business and t.bare.rstrip("'") in (k + "s", k + "es"):
                        # the family: "at the Kimuras'", "the Leungs" (a name said exactly, "Castellanos" on the board
                        # beside "Castellano", goes first)
                        out.append((i, i + 1, surname, 0.955))
                    elif (not business and len(k) >= 4 and _namelike(t) and t.bare[0] == k[0]
                          and _similar(t.bare, k) and not self._names_a_part(i) and self._name_slot(i)
                          and not self._verb_before_object(i)):
                        out.append((i, i + 1, _title([t.bare]), 0.8))
        return out

    def _verb_before_object(self, i: int) -> bool:
        """A lower-case past tense or -ing word before "the/a/my ...": "reused the wall control" is no Reuss."""
        t = self.toks[i]
        return not t.is_title and bool(_PAST_VERB.match(t.low)) and i + 1 < len(self.toks) and \
            self.toks[i + 1].low in _DETERMINERS

    def _lower_in_job_slot(self, i: int, j: int) -> bool:
        toks = self.toks
        return (i > 0 and toks[i - 1].low == "the" and j < len(toks) and toks[j].bare in _JOB_WORDS
                and not any(t.is_title or len(t.bare) < 4 or t.bare in _HEADS for t in toks[i:j])
                and not (toks[j].bare == "house" and toks[j - 1].bare in _HOUSE_COMPOUNDS))

    def _name_slot(self, i: int) -> bool:
        """Whether token ``i`` sits where a name is said: capitalised mid-sentence, after "the"/"at"/"for" or a
        verb like "close", or before "job"/"place"/a possessive. A near miss of a ticket's name counts only
        there ("the kowalsky place" is Kowalski; "water fountain chiller" is not Fontaine)."""
        t = self.toks[i]
        if t.possessive or (self.cased and t.is_title and not self.initial[i]) or self._names_a_job(i):
            return True
        k = i - 1
        while k >= 0 and self.toks[k].low in HONORIFICS:
            k -= 1
        prev = self.toks[k].low if k >= 0 else ""
        return prev in _PREP_SLOT or prev in _VERB_SLOT or prev == "the" or k < 0 or not self.toks[k].is_word

    def _names_a_part(self, i: int) -> bool:
        """Whether token ``i`` describes the part after it ("new bake element"): no near-miss name then."""
        return i + 1 < len(self.toks) and self.toks[i + 1].bare in PART_HEADS

    def _names_a_job(self, i: int) -> bool:
        """Whether a job word ("job", "place", "account") or a house word follows token ``i``."""
        nxt = self.toks[i + 1].bare if i + 1 < len(self.toks) else ""
        return nxt in _JOB_WORDS or nxt in _HEADS

    def _suffix(self, i: int) -> bool:
        """Whether token ``i`` ends a business name ("Pharmacy", "Florists", the "Home" of "Funeral Home")."""
        return business_suffix(self.toks[i].bare, self.toks[i - 1].low if i > 0 else "")

    def _business_from(self, i: int, j: int) -> int:
        """The end of a business name that starts with the one-word name ``toks[i:j]``, if a business
        word closes it within four more words ("update for juniper hills retirement home"), else ``j``
        ("the big box store" is no name)."""
        if self.toks[i].low in _NOT_SURNAMES:
            return j
        for k in range(j, min(j + 4, len(self.toks))):
            tok = self.toks[k]
            if not tok.is_word or (tok.low in _STOP and tok.low not in _CONNECTORS):
                break
            if self._suffix(k):
                return k + 1
        return self._run_to_work(i, j)

    def _run_to_work(self, i: int, j: int) -> int:
        """The end of a lower-case name of two or three words said where the job is finished or started, up to the
        work done or "now": "done at castillo brothers tacos cleaned out the grease trap", "done at tandoori nights
        swapped the gas valve"; else ``j``."""
        toks = self.toks
        if i < 2 or toks[i - 1].low != "at" or toks[i - 2].low not in _AT_WORK or toks[i].low in FIRST_NAMES:
            return j
        k = j
        while k < len(toks) and k - i < 3 and self._plain_word(k):
            k += 1
        if k == j:
            return j
        if k == len(toks) or not toks[k].is_word or toks[k].low in ("now", "starting", "today") or (
                toks[k].low in _DID_WORK or toks[k].low in _FITTING_VERBS or (
                    _PAST_VERB.match(toks[k].low) and toks[k].low.endswith("ed"))):
            return k  # (not "arrived at kapoors ravis showing me the panel": who is showing)
        return j

    def _plain_word(self, k: int) -> bool:
        """A lower-case word that can be part of a name: no function, time, part, head or work word."""
        t = self.toks[k]
        return (t.is_word and not t.is_title and _namelike(t) and t.low not in _STOP and t.low not in PART_HEADS
                and t.low not in _HEADS and t.bare not in _JOB_WORDS and t.low not in _DID_WORK
                and t.low not in _FITTING_VERBS and not _PAST_VERB.match(t.low) and t.low not in BRANDS)

    def _shop_after_possessive(self, j: int, k: int) -> bool:
        """Whether the capitalised words ``toks[j:k]`` after a possessive name a shop, not a make or a room: "at
        Fontana's Gelato now", "Kim's Dry Cleaning is finished", "Casey's Tire and Lube" (not "Okafor's Lennox
        furnace", "Mrs. Patel's Whirlpool", "Rosa's Place"), in a transcript that capitalises names."""
        toks = self.toks
        if not self.cased or (j >= 2 and toks[j - 2].low in HONORIFICS) or toks[j - 1].bare in FUNCTION_WORDS or \
                toks[j - 1].low in ("it's", "that's", "there's", "here's", "what's", "who's", "let's", "he's", "she's"):
            return False  # ("It's Pruitt", "That's Quintero done": no possessive)
        run = toks[j:k]
        # (a sentence run on without its full stop: "Done at Kowalczyk's Swapped the thermostat", "at Kapoor's Ravi's
        # showing me", "Still at Kapoor's Dishwasher's fighting me")
        if any(t.low in BRANDS or t.low in PART_HEADS or t.bare in PART_HEADS or t.low in _HEADS or t.bare in _HEADS
               or t.bare in _JOB_WORDS or t.low in _HOMES or t.low in TIME_WORDS or t.low in FUNCTION_WORDS
               or t.low in NUMBER_WORDS or t.low in _STAGES or t.possessive for t in run if t.low not in _CONNECTORS):
            return False
        first = run[0]  # where a sentence run on would start
        if first.low in ACTION_WORDS or first.low in _FITTING_VERBS or first.low in _DID_WORK or \
                first.bare in FIRST_NAMES or first.bare in MORE_FIRST_NAMES or _PAST_VERB.match(first.low):
            return False
        nxt = toks[k] if k < len(toks) else None
        return nxt is None or not nxt.is_word or not (
            nxt.low in PART_HEADS or nxt.low in _HEADS or nxt.bare in _JOB_WORDS or _MODEL_CODE.match(nxt.text))

    def _initial_letter(self, k: int) -> bool:
        """A capital letter said on its own: the "J" of "J and M Produce"."""
        t = self.toks[k]
        return len(t.text) == 1 and t.text.isupper() and t.text != "I"

    def _one_business(self, lo: int, hi: int) -> bool:
        """Capitalised words joined by "&" or "of", or by "and" before a job word, are one name:
        "Barrow & Vine", "Bank of Millbrook", "the Kettle and Crumb job" (but "Smith and Jones" are two)."""
        inner = [t.low for t in self.toks[lo + 1:hi - 1]]
        if "&" in inner or "of" in inner or (self._initial_letter(lo) and inner[:1] in (["and"], ["&"])):
            return True  # "Barrow & Vine", "Bank of the West", "J and M Produce"
        if any(a == "and" and b in _FIRM_WORDS for a, b in itertools.pairwise([*inner, self.toks[hi - 1].low])):
            return True  # "Smith and Sons Plumbing", "Ortiz and Daughters"
        return "and" in inner and hi < len(self.toks) and self.toks[hi].low in _JOB_WORDS  # ("the X and Y jobs": two)

    def _capitalised(self) -> list[tuple[int, int, str, float]]:
        out = []
        i = 0
        toks = self.toks
        while i < len(toks):
            if not (toks[i].is_word and toks[i].is_title) or (_INITIALS.match(toks[i].text) and (
                    i + 1 >= len(toks) or not toks[i + 1].is_title or toks[i + 1].bare in PART_HEADS)):
                i += 1  # "the T&P valve" is a part
                continue
            opened = i
            shop = False  # a possessive, then capitalised words no business word ends: "Kim's Dry Cleaning"
            if i > 2 and self._initial_letter(i - 1) and toks[i - 2].low in ("and", "&") and \
                    self._initial_letter(i - 3):
                i -= 3  # "J and M Produce": two initials joined by "and" open the name
            elif i > 0 and 2 <= len(toks[i - 1].text) <= 4 and toks[i - 1].text.isalpha() and \
                    toks[i - 1].text.isupper() and not toks[i].text.isupper() and toks[i - 1].low not in _ACRONYMS \
                    and toks[i - 1].low not in _STOP:
                i -= 1  # "KDR Logistics": an initialism opens the name
            while i > 0 and toks[i - 1].low in _PARTICLES and not toks[i - 1].is_title and not (
                    toks[i - 1].low == "van" and i > 1 and toks[i - 2].low in _VEHICLE_BEFORE):
                i -= 1  # "at the de la Fuente place", "for van Houten": lowercase particles open the name
            j = opened
            while j < len(toks) and (toks[j].is_word or toks[j].text == "&" or (
                    toks[j].text.isdigit() and j > opened and j + 1 < len(toks) and toks[j + 1].is_title)) and (
                    toks[j].is_title or toks[j].text.isdigit() or (
                    toks[j].low in _PARTICLES | _CONNECTORS and j + 1 < len(toks) and toks[j + 1].is_title) or (
                    toks[j].low == "of" and j + 2 < len(toks) and toks[j + 1].low == "the" and toks[j + 2].is_title
                    ) or (toks[j].low == "the" and j > i and toks[j - 1].low == "of") or (
                    toks[j].text.isupper() and toks[j].low in BUSINESS_SUFFIXES) or (
                    # "the Double R Cattle Company", "Mount Olive AME Church": capitals inside a name
                    toks[j].text.isupper() and toks[j].text.isalpha() and len(toks[j].text) <= 4 and j > opened
                    and toks[j].text != "I" and toks[j].text not in _ACRONYM_SUFFIXES and toks[j].low not in BRANDS
                    and j + 1 < len(toks) and toks[j + 1].is_title)):  # "Hill Country BBQ"
                j += 1
                if toks[j - 1].possessive:
                    k = j
                    while k < len(toks) and toks[k].is_word and (toks[k].is_title or (
                            toks[k].low in _CONNECTORS and k + 1 < len(toks) and toks[k + 1].is_title and k > j)):
                        k += 1
                    if k == j or not (self._suffix(k - 1) or self._shop_after_possessive(j, k)):
                        break  # "Ferreira's dryer"; but "Tony's Pizza" and "St. Luke's Hospital" go on
                    shop = shop or not self._suffix(k - 1)
                    j = k
            if (j < len(toks) and self._suffix(j) and toks[j].low not in WEAK_BUSINESS_SUFFIXES
                    and not toks[j - 1].possessive and not (j > opened and self._suffix(j - 1))
                    # (not "the Lindgren spa" or "the Okafor pool": their hot tub, not a business)
                    and not (toks[j].bare in _HEADS and j == opened + 1 and (
                        (opened > 0 and toks[opened - 1].low == "the") or self.initial[opened]))
                    # ("Nakamura spa's back up to a hundred and two": their spa)
                    # (not "Toilet supply burst": a word capitalised only for opening the sentence)
                    and not (j == opened + 1 and self.initial[opened] and not _namelike(toks[opened]))
                    # (not "done at the Iyer laundromat", "the Kwiatek warehouse": the family's business named by the
                    # family, as "the Iyer house"; but "the Lutheran church" and "the Greek diner" name the place)
                    and not (j == opened + 1 and opened > 0 and toks[opened - 1].low == "the"
                             and toks[opened].low not in _PLACE_ADJECTIVES and not toks[opened].possessive)):
                # "the Lutheran church": a capitalised name and a lowercase business word (but "Quayside Market
                # dairy case" is the market's dairy case)
                j += 1
            words = [t.bare if t.possessive else t.low for t in toks[i:j]]
            lo, hi = i, j
            if lo > 0 and toks[lo - 1].text.isdigit() and toks[hi - 1].bare in _STREETS:
                i = max(j, opened + 1)
                continue  # "1142 Larkspur Lane": an address
            while lo < hi and (words[lo - i] in HONORIFICS or (hi - lo > 2 and self.initial[lo] and (
                    toks[lo].low in ACTION_WORDS or toks[lo].low in FILLERS or toks[lo].low in _OPENING_WORDS
                    or toks[lo].low in _VERB_SLOT or toks[lo].low in ("marking", "finishing", "wrapping")))):
                lo += 1  # "Mrs. Ruiz", "Starting Ridgeline Fire Hall"
            while lo < hi and (toks[lo].low in _CONNECTORS or toks[lo].text == "&"):
                lo += 1  # "Order and Pine Valley Pharmacy" (misheard "done at"): a name never opens with "and"
            if lo < hi and hi - lo >= 2 and self._suffix(hi - 1) and lo > 0 and (
                    toks[lo - 1].text.isdigit() or _ORDINAL.match(toks[lo - 1].text)) and (
                    lo < 2 or not toks[lo - 2].text.isdigit()):
                lo -= 1  # "5 Star Nail Lounge", "21st Century Dental": a number opens the business name
            if j < len(toks) and toks[j].text in _ACRONYM_SUFFIXES and j == hi:
                hi = j = j + 1  # "Lakeside Animal ER": an upper-case ending of a business name
            if lo < hi and hi - lo >= 2 and (self._suffix(hi - 1) or self._one_business(lo, hi)
                                             or (toks[hi - 1].is_title and toks[hi - 1].bare in _TITLED_ENDINGS
                                                 and _namelike(toks[lo]))
                                             or toks[hi - 1].text in _ACRONYM_SUFFIXES or shop):
                words_out = [t.text for t in toks[lo:hi]]  # as written: "St Brigid's" stays without its full stop
                words_out[-1] = words_out[-1].removesuffix("'s")
                out.append((lo, hi, " ".join(words_out), 0.9))
            elif (hi - lo == 1 and not self.initial[lo] and not _namelike(toks[lo]) and toks[lo].low not in
                  _NOT_SURNAMES and lo > 0 and toks[lo - 1].low == "the" and hi < len(toks)
                  and toks[hi].low in _JOB_WORDS):
                # a surname that is also a word, capitalised before "job/house": "the Day job", "the West house"
                out.append((lo, hi, toks[lo].text, 0.8))
            else:
                # "Smith and Jones" without a business word: two names, the first one counts here; but after "the"
                # ("the Crown and Anchor's cellar") they are one business
                # ... but "the Vines and Needham jobs" are two
                joined = lo > 0 and toks[lo - 1].low == "the" and any(
                    toks[k].low in _CONNECTORS for k in range(lo, hi)) and not (
                    hi < len(toks) and toks[hi].low in _PLURAL_JOB_WORDS)
                cut = hi if joined else next((k for k in range(lo, hi) if toks[k].low in _CONNECTORS
                                              or toks[k].text.isdigit()), hi)
                if cut < hi and toks[cut].low in _CONNECTORS and toks[cut + 1].low not in _FIRM_WORDS and \
                        cut - lo == 1 and (cut + 2 >= len(toks) or not toks[cut + 2].is_title):
                    # read the name after "and" on its own: "Vines and Needham are both finished" (but "Westfield Wash
                    # and Fold" is one business)
                    j = cut + 1
                hi = cut
                while lo < hi and not _namelike(toks[lo]) and (self.initial[lo] or hi - lo == 1 or _filler(toks[lo])) \
                        and not (toks[lo].low in NUMBER_WORDS and hi - lo > 1 and hi < len(toks)
                                 and toks[hi].bare in _JOB_WORDS) \
                        and not (toks[lo].low in _DIRECTIONS and hi - lo > 1):
                    # ("Two Bulls job is done": a number opens the name; "North Star Ice Rink": so does a direction)
                    lo += 1  # "Mark the ...", "Hey Smith"; but "Main Street", "Oak Ridge" stay whole
                if hi - lo == 2 and toks[hi - 1].text in ("Place", "Building") and _namelike(toks[lo]) and not (
                        lo > 0 and toks[lo - 1].low == "the") and (hi == len(toks) or not toks[hi].is_word):
                    # "Ashford Place, still working on the leasing office": a complex named "Place" (not "the Ashford
                    # Place", the Ashfords' house)
                    out.append((lo, hi, f"{toks[lo].text} {toks[hi - 1].text}", 0.85))
                    i = max(j, opened + 1)
                    continue
                while hi > lo and not _namelike(toks[hi - 1]):
                    hi -= 1
                if hi - lo == 1 and lo > 0 and toks[lo - 1].low == "new" and not (hi < len(toks) and (
                        toks[hi].bare in _JOB_WORDS or toks[hi].bare in _HOMES)):
                    lo = hi  # "new Powerwall and gateway are in": a product (but "the new Patel job")
                if hi - lo == 1 and lo > 0 and toks[lo - 1].text.isdigit() and toks[lo].low in _PHONETIC:
                    lo = hi  # "Papadopoulos in 4 Charlie": the unit, said in the radio alphabet
                if hi - lo == 1 and toks[lo].low in _HOLIDAYS and lo > 0 and toks[lo - 1].low in _BEFORE_A_DAY:
                    lo = hi  # "gurgling since Easter", "out till Thanksgiving": a day (but "the Christmas job")
                if lo > 1 and toks[lo - 1].low in ("on", "off") and toks[lo - 2].low in _BEFORE_STREET and not (
                        hi < len(toks) and (toks[hi].bare in _JOB_WORDS or toks[hi].bare in _HEADS)):
                    lo = hi  # "the one on Elm", "the house off Maple": a street ("an hour on Kuznetsov" is a job)
                if lo > 0 and toks[lo - 1].low in _UNITS:
                    lo = hi  # "a two and a half ton Goodman": the make of the equipment
                if hi - lo == 1 and toks[lo].low in _ROADS and hi < len(toks) and toks[hi].text.isdigit():
                    lo = hi  # "traffic on Route 30", "Highway 9 was backed up": a road
                model = hi  # "a Honeywell T6 thermostat": a model number between the make and the part
                while model < min(hi + 3, len(toks) - 1) and (len(toks[model].text) == 1 or toks[model].text.isdigit()
                                                              or _MODEL_CODE.match(toks[model].text)):
                    model += 1
                if lo < hi and (toks[lo].low in BRANDS or hi - lo == 1) and lo > 0 and toks[lo - 1].low in (
                        "a", "an", "new") and (
                        model < len(toks) and (toks[model].low in PART_HEADS or toks[model].low in _HEADS or
                                               toks[model].low in ("model", "unit", "one") or (
                            model + 1 < len(toks) and toks[model + 1].low in PART_HEADS))):
                    lo = hi  # "a Honeywell gas valve", "a Lennox blower wheel", "a Franklin pump control box": a make
                if lo < hi and hi - lo <= 2 and lo > 0 and (
                        toks[lo - 1].low in ("a", "an", "new") or toks[lo - 1].low in NUMBER_WORDS
                        or toks[lo - 1].text.isdigit()) and model < len(toks) and toks[model].is_word and \
                        not toks[model].is_title and toks[model].low not in _STOP and \
                        toks[model].bare not in _JOB_WORDS and toks[model].bare not in _HOMES:
                    lo = hi  # "a C-wire adapter", "a Spirovent air separator", "four Rain Bird rotor heads": a make
                if hi - lo == 1 and lo > 1 and toks[lo - 1].low == "the" and model < len(toks) and \
                        toks[model].is_word and not toks[model].is_title and toks[model].low not in _STOP and \
                        (toks[model].bare not in _HEADS or toks[model].bare in PART_HEADS) and \
                        toks[model].bare not in _JOB_WORDS and \
                        self._brand_shaped(lo):
                    # "replaced ... the C-wire adapter", "put in the PoE switch": a make (a plain capitalised word
                    # there is the customer's: "installed the Papadopoulos sillcock", "the Saenz condenser")
                    lo = hi
                if hi - lo == 1 and lo > 0 and toks[lo].low in BRANDS and toks[lo - 1].low in (
                        "a", "an", "new", "the") and not (
                            hi < len(toks) and (toks[hi].bare in _JOB_WORDS or toks[hi].bare in _HOMES)):
                    lo = hi  # "for a Honeywell T6,", "it's a Whirlpool front loader": a known make, whatever follows
                if hi - lo == 1 and lo > 0 and toks[lo - 1].low in _POWER_UNITS and not (
                        hi < len(toks) and (toks[hi].bare in _JOB_WORDS or toks[hi].bare in _HEADS)):
                    lo = hi  # "replaced the sump pump with a third horse Zoeller": the make, after its size
                if lo > 1 and toks[lo - 1].text.isdigit() and len(toks[lo - 1].text) >= 2 and (toks[lo - 2].low in (
                        "at", "to", "on", "from", "near", "outside") or (
                        # "the Esposito place, 2210 Linden, ...": a house number and its street said apart
                        toks[lo - 2].text == "," and len(toks[lo - 1].text) >= 3)) and not (
                        hi < len(toks) and (toks[hi].bare in _JOB_WORDS or toks[hi].bare in _HEADS)):
                    lo = hi  # "parked at 1140 Elm, the Oyediran house": a house number and its street
                if lo < hi and not (self.initial[lo] and hi - lo == 1):
                    if self._person_place(lo, hi):
                        lo = hi - 1  # "Maria Gonzalez's place" -> Gonzalez
                    name = " ".join(_POSSESSIVE.sub("", t.text) for t in toks[lo:hi])
                    # "the Vargas's" is one Vargas; "the Smiths" and "the Nakamuras'" are a family
                    if hi - lo == 1 and lo > 0 and toks[lo - 1].low == "the" and not toks[lo].text.lower().endswith(
                            "'s"):
                        name = _family(name, toks[hi] if hi < len(toks) else None, toks[lo].text.endswith("'"))
                    out.append((lo, hi, name, 0.9))
            i = max(j, opened + 1)
        return out

    def _brand_shaped(self, k: int) -> bool:
        """A word written as makes are and names are not: "C-wire", "PoE", "ChargePoint"."""
        text = self.toks[k].text
        head, _, rest = text.partition("-")
        if rest and len(head) == 1:
            return True  # "C-wire", "T-stat"
        if text.isupper():
            return False
        inner = text[1:]
        for prefix in ("Mac", "Mc", "O'", "D'", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "St"):
            if text.startswith(prefix) and len(text) > len(prefix) + 1 and text[len(prefix)].isupper():
                inner = text[len(prefix) + 1:]  # "MacGregor", "DeLuca", "LaRue": a name's own capital
                break
        return any(c.isupper() for c in inner)

    def _person_place(self, lo: int, hi: int) -> bool:
        """Two plain words naming a person: 'Maria Gonzalez's place', 'the Ana Ruiz house', 'for Gideon
        Thistlethwaite' (a common given name first): the surname is the customer."""
        if hi - lo != 2 or any(t.low in _PARTICLES or t.low in _SAINT_WORDS for t in self.toks[lo:hi]):
            return False
        last = self.toks[hi - 1]
        nxt = self.toks[hi] if hi < len(self.toks) else None
        home = nxt is not None and nxt.low in _HOMES
        given = self.toks[lo].low in FIRST_NAMES or self.toks[lo].low in MORE_FIRST_NAMES
        # (a possessive opening a sentence after a word no given name, with no home word, is a business's: "Golden
        # Wok's walk-in is back down to temp")
        return (last.possessive and (given or not self.initial[lo])) or home or (
            self.toks[lo].low in FIRST_NAMES and last.bare not in FIRST_NAMES and not self._suffix(hi - 1))

    def _sentence_start(self) -> list[tuple[int, int, str, float]]:
        """'Brooks, complete.' / 'morales is done': a name opening a sentence or clause."""
        out = []
        toks = self.toks
        for i, t in enumerate(toks):
            clause_start = i == 0 or toks[i - 1].text in ".!?,;:\u2014\u2013" or toks[i - 1].low in _OPENERS or (
                toks[i - 1].low in ("and", "then", "also") and i > 1 and toks[i - 2].text in ",;")
            if not clause_start or not _namelike(t):
                continue
            if t.low in _JUDGED and i + 1 < len(toks) and toks[i + 1].low in ("job", "one", "work", "day"):
                continue
            if t.low in _STAGES:
                continue  # "tear-off is done and ...": a stage of the work, no name
            if not t.is_title and t.bare.endswith("s") and (
                    t.bare[:-1] in PART_HEADS or t.bare[:-3] + "y" in PART_HEADS) and i + 1 < len(toks) and \
                    toks[i + 1].low in ("are", "were"):
                continue  # "Ruggiero kitchen, cabinets are hung": parts and their state
            if (t.low in _HEADS or t.low in _KINDS) and i + 1 < len(toks) and (
                    toks[i + 1].low in _HEADS or toks[i + 1].low in PART_HEADS):
                # "Walk-in freezer, I changed the fan": the place in the building, then the thing in it; "Chest freezer
                # needed a new start relay": which kind of it
                continue
            if self._verb_before_object(i):
                continue  # "..., reused the wall control": a verb opening the clause
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            unit_end = self._unit_after(i + 1)
            if unit_end is not None and (unit_end >= len(toks) or toks[unit_end].text in ",;.:" or
                                         toks[unit_end].bare in _AFTER_NAME or self._status_after(unit_end)):
                # "Coulibaly in unit 1407 is all set", "jasinski in 2A, still working on it": the name, then the unit
                out.append((i, i + 1, _title([t.bare]), 0.7 if not t.is_title else 0.85))
                continue
            if t.possessive or (nxt is None and t.is_title) or (nxt is not None and (
                    nxt.text in ".!?,;:\u2014\u2013" or nxt.bare in _AFTER_NAME
                    # "Hall call button": a word before a job noun that itself names a part
                    or (nxt.bare in _HEADS and not (nxt.bare in JOB_NOUNS and i + 2 < len(toks)
                                                    and toks[i + 2].bare in PART_HEADS))
                    or self._status_after(i + 1)
                    # "frankowski log ninety minutes": a name opening the utterance, then time to bill against it
                    or (i == 0 and nxt.low in ("log", "bill") and i + 2 < len(toks) and (
                        toks[i + 2].low in NUMBER_WORDS or toks[i + 2].text.isdigit() or toks[i + 2].low in (
                            "an", "a", "half")))
                    # "Olawale lady call me": the customer, said with who she is
                    or (t.is_title and nxt.low in ("lady", "gentleman") and i + 2 < len(toks)
                        and toks[i + 2].low not in _AFTER_NAME)
                    # "Galloway good to go, swapped the capacitor"
                    or (nxt.low == "good" and i + 2 < len(toks) and toks[i + 2].low == "to")
                    # "halvorsen close it out": a name opening the utterance, then what to do with its job
                    or (i == 0 and nxt.low in ("close", "closing", "start", "starting") and i + 2 < len(toks)
                        and toks[i + 2].low in ("it", "out", "that", "this", "up", "er", "her", "him"))
                    or (t.is_title and self.initial[i] and t.bare not in _SAINT_WORDS
                        and self._job_status_after(i + 1))
                    # "Chakraborty at 418 Linden, still working": the customer, then where
                    or (t.is_title and nxt.low == "at" and i + 2 < len(toks) and toks[i + 2].text.isdigit())
                    # "Thibodeaux repipe, close ticket 7215", "Lachance standby generator, update", "Dempsey sewer
                    # line's clear": a capitalised name opening a sentence, then what the job is
                    or (t.is_title and self._job_words_after(i))
                    # "Vines and Needham are both finished": two capitalised names opening a sentence
                    or (t.is_title and self.cased and nxt.low == "and" and i + 2 < len(toks) and toks[i + 2].is_title
                        and toks[i + 2].low not in _FIRM_WORDS and _namelike(toks[i + 2])))):
                out.append((i, i + 1, _title([t.bare]), 0.7 if not t.is_title else 0.85))
        return out

    def _after_honorific(self) -> list[tuple[int, int, str, float]]:
        """ "ms english is all set", "Mrs. Young's", "dr vasilopoulos office": after a title, the next word is
        the surname whatever else it means."""
        out = []
        toks = self.toks
        for i, t in enumerate(toks[:-1]):
            nxt = toks[i + 1]
            if t.low.rstrip(".") in HONORIFICS and nxt.is_word and len(nxt.bare) >= 2 and nxt.low not in _PARTICLES \
                    and nxt.low not in FUNCTION_WORDS and nxt.low not in HONORIFICS and "'" not in nxt.bare.strip("'"):
                bare = nxt.bare
                if not nxt.is_title and len(bare) > 5 and _LOST_APOSTROPHE.search(bare) and bare != "gladys":
                    bare = bare[:-1]  # "mrs dunleavys job": "Mrs. Dunleavy's", its apostrophe lost (no -ys names)
                out.append((i + 1, i + 2, _title([bare]) if not nxt.is_title else _POSSESSIVE.sub("", nxt.text),
                            0.93))
        return out

    def _job_words_after(self, i: int) -> bool:
        """After a capitalised word opening a sentence at ``i``: one to three lower-case nouns (or an acronym)
        naming the job, then a pause or its state: "Thibodeaux repipe,", "Cho EV charger install is ..."."""
        toks = self.toks
        if not (i == 0 or toks[i - 1].text in ".!?") or _PAST_VERB.match(toks[i].low) or toks[i].low in _STOP or \
                toks[i].low in _HEADS or toks[i].low in PART_HEADS:
            return False
        k = i + 1
        while k < len(toks) and k - i <= 3 and toks[k].is_word and (
                not toks[k].is_title or (toks[k].text.isupper() and len(toks[k].text) <= 4)) and \
                (toks[k].low not in _STOP or toks[k].low in _WORK_KINDS) and not _PAST_VERB.match(toks[k].low) and \
                not toks[k].possessive:
            k += 1
        if k == i + 1 or k >= len(toks):
            return False
        last = toks[k] if toks[k].possessive else toks[k - 1]
        if last.bare not in _WORK_KINDS and (last.bare in PART_HEADS or last.bare.removesuffix("s") in PART_HEADS
                                             or last.bare in _HEADS):
            return False  # "Griddle thermostat, ...", "Flame sensor was ...": a part opening the sentence
        end = toks[k]
        return end.text in ",.;" or end.low in ("is", "are", "was") or (
            end.possessive and not end.is_title and k - i <= 3 and k + 1 < len(toks) and toks[k + 1].is_word
            and toks[k + 1].low in ("clear", "done", "fixed", "finished", "complete", "good", "sorted", "back", "all"))

    def _job_status_after(self, k: int) -> bool:
        """ "Wadsworth panel work is done": a few lower-case words about the job, then its status."""
        if k >= len(self.toks):
            return False
        return bool(_JOB_STATUS.match(self.text, self.toks[k].start))

    def _occupant(self, k: int) -> bool:
        """Whether the name at ``k`` is said as who lives there: "the tenant in 9B is a Mr. Granqvist", "the renter,
        Mrs. Okafor"."""
        toks = self.toks
        return any(x.low in _OCCUPANTS for x in toks[max(0, k - 7):k]) and (
            any(x.low in ("is", "named", "called", "name's") for x in toks[max(0, k - 4):k])
            or (k > 0 and toks[k - 1].low.rstrip(".") in HONORIFICS))

    def _unit_after(self, k: int) -> int | None:
        """Where "in unit 1407" / "in 2A" / "in apartment 5C" said at ``k`` ends, or None."""
        toks = self.toks
        if k + 1 < len(toks) and toks[k].text.isdigit() and len(toks[k + 1].text) == 1 and toks[k + 1].text.isalpha() \
                and toks[k + 1].start == toks[k].start + len(toks[k].text) and toks[k + 1].text != "a":
            return k + 2  # "banerjee 8D done": the unit said without "in"
        if k >= len(toks) or toks[k].low != "in" or k + 1 >= len(toks):
            return None
        j = k + 1
        if toks[j].low in _UNIT_WORDS:
            j += 1
            if j < len(toks) and toks[j].text == "#":
                j += 1
        if j < len(toks) and _UNIT_CODE.match(toks[j].text) and (j > k + 1 or any(ch.isdigit() for ch in toks[j].text)):
            glued = j + 1 < len(toks) and toks[j + 1].start == toks[j].start + len(toks[j].text)
            if toks[j].text.isdigit() and glued and len(toks[j + 1].text) == 1 and toks[j + 1].text.isalpha():
                j += 1  # "2A" is read as "2" and "A"
            elif toks[j].text.isdigit() and j + 1 < len(toks) and toks[j + 1].low in _PHONETIC:
                j += 1  # "in 4 Charlie": the building letter in the radio alphabet
            return j + 1
        return None

    def _status_after(self, k: int) -> bool:
        """A job's status said right after a name: "rafferty not done yet", "Ingram update, ..."."""
        pair = [t.low for t in self.toks[k:k + 2]]
        if pair in (["in", "progress"], ["starting", "now"]):
            return True  # "yusupov in progress", "salazar starting now"
        if pair[:2] in (["still", "isn't"], ["still", "not"], ["still", "ain't"]):
            pair = [t.low for t in self.toks[k + 1:k + 3]]  # "fairhurst still isn't done"
        if pair[:1] in (["not"], ["isn't"], ["still"], ["ain't"], ["aint"]):
            return pair[1:] in (["done"], ["finished"], ["finish"], ["complete"], ["completed"], ["open"], ["wrapped"])
        if pair[:1] == ["progress"] and (len(pair) == 1 or not self.toks[k + 1].is_word or pair[1] in (
                "note", "notes", "report", "update")):
            return True  # "Bianchi progress note, installed ..."
        if pair[:1] == ["partial"] and (len(pair) == 1 or not self.toks[k + 1].is_word or pair[1] in _UPDATE_THEN):
            return True  # "dunbar partial, two new gfci outlets in"
        return pair[:1] in (["update"], ["updates"]) and (len(pair) == 1 or not self.toks[k + 1].is_word
                                                          or pair[1] in _UPDATE_THEN or k == 1)  # "pakzad update ..."

    def _ordering_before(self, k: int) -> bool:
        """Does the clause before token ``k`` order something? A bare lowercase word after "for" is
        only a customer there ("order a filter for park"); "checked for leaks" names no one."""
        stop = max(0, k - 12)  # bounded: a run-on of 20,000 words stays linear
        while k > stop and self.toks[k - 1].text not in ".!?,;":
            k -= 1
            if self.toks[k].low in _ORDER_VERBS and not (
                    # "still need to come back for the fascia": a task to come, not an order
                    self.toks[k].low in ("need", "needs") and k + 1 < len(self.toks) and self.toks[k + 1].low == "to"):
                return True
        return False

    def _in_apposition(self, s: int, e: int) -> bool:
        """A single word named by its role: "Kenny the landlord", "the homeowner Greg", "their dog Biscuit"."""
        toks = self.toks
        if e - s != 1 or toks[s].possessive:
            return False
        after = [t.low for t in toks[e:e + 2]]
        if after[:1] == ["the"] and after[1:] and (toks[s].bare in FIRST_NAMES or toks[s].bare in MORE_FIRST_NAMES) \
                and (after[1] in _ROLES or (e + 2 < len(toks) and toks[e + 2].low in _ROLES)):
            return True  # "Kenny the landlord", "Tasha the office manager" (not "reschedule zeng the homeowner ...")
        return s > 0 and toks[s - 1].low in _ROLES and (s < 2 or toks[s - 2].low in ("the", "their", "his", "her",
                                                                                       "my", "our", "a"))

    def _someone_else(self, s: int, e: int, *, by_name: bool = True) -> bool:
        """Whether a one-word name is a person around the job rather than its customer: a given name ("Mateo's still
        tiling", "Zoltan says no rush"), or, with ``by_name`` off too, a word said as someone spoken to, waited on or
        related ("tell Dana", "waiting on Marco to bring ...", "Dave in receiving", "Samir's brother")."""
        toks = self.toks
        bought = next((b for b in range(s - 2, max(-1, s - 9), -1) if toks[b].low in _BOUGHT), None) \
            if s > 1 and toks[s - 1].low in ("at", "from") else None
        if bought is not None and not any(x.low in _STATUS_SLOT for x in toks[bought + 1:s - 1]) and \
                toks[bought + 1].low not in ("in", "here", "there", "back", "home", "to"):
            # "he grabbed the wax ring at Home Depot": where a part was bought (not "ok got it, done at Reyes", nor
            # "Got in at Strathmore Vets": arrived)
            return True
        if e - s != 1:
            return False
        t = toks[s]
        if s > 0 and toks[s - 1].low.rstrip(".") in HONORIFICS:
            return False  # "Mr. Olaizola asked ...": the customer
        before = [x.low for x in toks[max(0, s - 2):s]]
        if before[-1:] == ["that's"] or before in (["that", "is"], ["that", "was"], ["that's", "for"], ["it's", "for"]):
            return False  # "ticket 1990, that's Farah": the customer, said outright
        if by_name and (t.bare in FIRST_NAMES or t.bare in MORE_FIRST_NAMES) and not (
                e < len(toks) and (toks[e].bare in _JOB_WORDS or toks[e].bare in _HOMES)):
            return True
        nxt = [x.low for x in toks[e:e + 3]]
        subject = t.is_title and self.cased and (s == 0 or not toks[s - 1].is_word)  # a capitalised clause opener
        if by_name and subject and not t.possessive and nxt[:1] and (
                nxt[0] in _DID_WORK or nxt[:2] in (["put", "in"], ["got", "the"])):
            return True  # "Delacroix is wrapped up, Jenna swapped the igniter": a coworker doing the work
        if by_name and subject and t.possessive and nxt[:2] in (["still", "at"], ["still", "over"], ["over", "at"]):
            return True  # "Jamal's still at Esposito": where a coworker is
        if by_name and (before in (["this", "is"], ["hi", "it's"], ["hey", "it's"]) or (
                before[-1:] == ["it's"] and (s < 2 or not toks[s - 2].is_word))) and (
                not nxt or nxt[0] in ("with", "from", "here", "on", "again", "calling", ",", ".")):
            return True  # "Hi, this is Jen with the electrical crew", "Hey, it's Marcus again.": the speaker
        if nxt[:1] and (nxt[0] in _HOMES or nxt[0] in _JOB_WORDS) and nxt[1:2] and nxt[1] in (
                "had", "got", "needed", "did") and nxt[2:3] and nxt[2] in ("last", "yesterday", "before", "earlier"):
            return True  # "same bad run capacitor the Okafor house had last week": another job, for comparison
        if t.possessive and nxt[:1] and nxt[0] in _ROLES:
            return True  # "Samir's brother is helping me" (but "Szabo's still open" is the job: 's is "is")
        if nxt[:1] == ["in"] and ((nxt[1:2] and nxt[1] in _DEPARTMENTS) or (
                nxt[1:2] == ["the"] and nxt[2:3] and nxt[2] in _DEPARTMENTS)):
            return True  # "Dave in receiving", "Jess in the taproom" (not "starting at Whisnant in the meantime")
        if not by_name and before[-1:] in (["tell"], ["ask"]) and t.is_title and (s == 1 or not toks[s - 2].is_word) \
                and t.bare not in FIRST_NAMES and t.bare not in MORE_FIRST_NAMES:
            return False  # "Tell Kimura we'll come Thursday instead.": a surname told of the visit is the customer
        return before[-1:] in (["tell"], ["ask"], ["asked"], ["thanks"], ["bye"], ["cheers"]) or before in (
            ["waiting", "on"], ["waiting", "for"], ["thank", "you"], ["see", "you"], ["sorry", "about"],
            ["me", "and"]) \
            or (before[-1:] in (["on"], ["for"]) and nxt[:1] == ["to"])

    def _landmark_before(self, k: int) -> bool:
        """Whether the words before token ``k`` point at a landmark: "by the", "behind", "across from the"."""
        toks = self.toks
        j = k - 1 if k > 0 and toks[k - 1].low == "the" else k
        if j > 0 and toks[j - 1].low in _LANDMARK_PREPS:
            # (not "finished by Esposito", "done by Van der Berg": a job finished at a customer's, said as "by")
            return not (j == k and toks[j - 1].low == "by" and j > 1 and toks[j - 2].low in _STATUS_SLOT)
        if any([t.low for t in toks[m:m + 2]] == ["corner", "of"] for m in range(max(0, k - 5), k)):
            return True  # "at the corner of Fifth and Elm"
        return j > 1 and [t.low for t in toks[j - 2:j]] in (["next", "to"], ["across", "from"])

    def _name_before(self, k: int) -> bool:
        """Whether the correction words ending at token ``k`` follow a bare name: "close schneider no sorry" (not
        "no way", "actually never mind": a "sorry", "wait" or "I mean" says a name is being taken back)."""
        toks = self.toks
        said = set()
        while k >= 0 and (toks[k].low in _CORRECTING or toks[k].low in ("i", "uh", "um", "oh", "or") or
                          not toks[k].is_word):
            said.add(toks[k].low)
            k -= 1
        return k > 0 and bool(said & {"sorry", "wait", "mean", "meant"}) and _namelike(toks[k]) and \
            toks[k - 1].low in _VERB_SLOT | _PREP_SLOT

    def _business_suffix(self) -> list[tuple[int, int, str, float]]:
        out = []
        toks = self.toks
        for end, t in enumerate(toks):
            if not self._suffix(end) or (t.low in WEAK_BUSINESS_SUFFIXES and not (
                    end > 0 and toks[end - 1].low in COMPOUND_SUFFIXES.get(t.low, ()))):
                continue  # "the bar" is no business; "lucky bamboo nail bar" is
            compound = end > 0 and toks[end - 1].low in COMPOUND_SUFFIXES.get(t.low, ())  # "noodle house"
            if end + 1 < len(toks) and ((toks[end + 1].low in PART_HEADS and t.bare not in _PLACE_ONLY and not compound)
                                        or (
                    toks[end + 1].low in _HEADS and end > 0 and toks[end - 1].possessive)):
                continue  # "the faucet supply line": a part name, not "Faucet Supply"; "Spezzano's pizza oven"
            if t.possessive and t.bare in _HEADS and not t.is_title and end + 1 < len(toks) and \
                    toks[end + 1].low in _STATE_WORDS:
                continue  # "nakamura spa's back up to a hundred and two": their spa is
            # "rosewood funeral home": the name runs back from "funeral"
            i = end - 1 if end > 0 and toks[end - 1].low in COMPOUND_SUFFIXES.get(t.low, ()) else end
            lo = i
            while lo > 0 and i - lo < 5 and (toks[lo - 1].is_word or toks[lo - 1].text == "&" or (
                    toks[lo - 1].text.isdigit() and len(toks[lo - 1].text) <= 2 and lo > 1
                    and _namelike(toks[lo - 2]))) and (
                    toks[lo - 1].low not in _STOP or (  # "smith and sons plumbing", "barrow & vine florists"
                        toks[lo - 1].low in _CONNECTORS and lo > 1 and _namelike(toks[lo - 2]))):
                lo -= 1
            if lo > 0 and lo < i and (((toks[lo - 1].low in NUMBER_WORDS or toks[lo - 1].low in ("half", "quarter"))
                                        and toks[lo - 1].is_word) or _ORDINAL.match(toks[lo - 1].text)) \
                    and (lo < 2 or not toks[lo - 2].is_word or toks[lo - 2].low in _STOP):
                lo -= 1  # "close ten oaks florists", "at two rivers brewing", "finished at 5th street laundromat"
            if 0 < lo < i and (toks[lo - 1].low in _NAME_OPENING_WORDS or toks[lo - 1].low in TIME_WORDS
                               or toks[lo - 1].low in _DIRECTIONS) and (
                    lo == 1 or not toks[lo - 2].is_word or toks[lo - 2].low in _PREP_SLOT):
                lo -= 1  # "finished at great wall buffet", "morning glory cafe, ongoing": an everyday word opens it
            elif 1 < lo == i and toks[lo - 1].low in ("days", "times", "nights") and _namelike(toks[lo - 2]) and (
                    lo == 2 or not toks[lo - 3].is_word or toks[lo - 3].low in _PREP_SLOT):
                lo -= 2  # "im onsite at sunny days daycare now", "happy days diner": a plural time word inside the name
            while lo < i and (toks[lo].low in _CONNECTORS or toks[lo].text == "&"):
                lo += 1  # "Order and Pine Valley Pharmacy": a name never opens with its "and"
            if t.bare in PART_HEADS and lo > 0 and (toks[lo - 1].low in _FITTING_VERBS or (
                    lo > 1 and toks[lo - 1].low in ("the", "a", "new", "both", "two") and toks[lo - 2].low in
                    _FITTING_VERBS)):
                continue  # "cleaned the wash arms", "installed a grab bar": parts, not "Lexington Arms"
            if lo < i and all(x.low in _UTILITY_WORDS for x in toks[lo:i]):
                continue  # "waiting on the power company": the utility, no customer
            if lo + 1 < i and (toks[lo].low in _ORDINAL_WORDS or _ORDINAL.match(toks[lo].text)) and \
                    toks[lo + 1].low in _STOREYS:
                continue  # "the washer in the second floor laundry": which floor, no business
            if lo < i and any(_namelike(x) for x in toks[lo:i]):  # "the water supply" is no business
                out.append((lo, end + 1, _title([x.low for x in toks[lo:end]] + [toks[end].bare]), 0.85))
        return out

    def _slots(self) -> list[tuple[int, int, str, float]]:
        out = []
        toks = self.toks
        for i, t in enumerate(toks):
            if not _namelike(t) and t.low not in _PARTICLES:
                continue
            if t.possessive and self.any_capital and not t.is_title and i > 1 and toks[i - 2].low == "the" and \
                    toks[i - 1].is_word and not toks[i - 1].is_title:
                continue  # "the kitchen circuit's still open": a thing, in a transcript that capitalises names
            j = i + 1
            if (t.low in _HEADS or t.low in _KINDS) and j < len(toks) and (
                    toks[j].low in _HEADS or toks[j].low in PART_HEADS):
                continue  # "reset the pool heater", "the garage fridge", "the wall oven": where or which, then what
            if not t.possessive and j < len(toks) and _namelike(toks[j]) and j + 1 < len(toks) and \
                    toks[j + 1].low in _HEADS and toks[j].low not in _BEFORE_HEAD and toks[j].low not in _HEADS:
                j += 1  # two-word name before a head noun (not "the esposito pool house": a name, then two heads)
            elif t.low in _PARTICLES and not t.possessive:
                # "the van der meer house", "the de la cruz job": particles, then the name, then a head noun
                k = j
                while k < len(toks) and k - i < 3 and toks[k].low in _PARTICLES:
                    k += 1
                if k < len(toks) and k + 1 < len(toks) and toks[k].is_word and toks[k + 1].low in _HEADS and \
                        toks[k].low not in NOT_A_NAME:
                    j = k + 1
                elif k < len(toks) and _namelike(toks[k]) and toks[k].low not in _PARTICLES and (
                        k > j or t.low != "van" or i == 0 or toks[i - 1].low not in _VEHICLE_BEFORE):
                    j = k + 1  # "close van dijk", "order for de la rosa" (but "loaded the van ..."): particles, name
                elif not _namelike(t):
                    continue
            if t.low in FIRST_NAMES and j == i + 1 and j < len(toks) and _namelike(toks[j]) and \
                    toks[j].bare not in FIRST_NAMES and toks[j].low not in _HEADS:
                j += 1  # "close out walter osterhout": the given name, then the surname
            words = [x.bare for x in toks[i:j]]
            said_from = i  # where the mention's words start; the slot is read before them
            if len(words) == 2 and words[0] not in _SAINT_WORDS and words[0] not in _PARTICLES and (
                    toks[j - 1].possessive or (j < len(toks) and toks[j].low in _HOMES) or words[0] in FIRST_NAMES):
                words = words[1:]  # "maria gonzalez's place" -> Gonzalez
                i = j - 1
            nxt = toks[j] if j < len(toks) else None
            if i > 0 and toks[i - 1].low == "the":
                words[-1] = _family(words[-1], nxt, toks[j - 1].text.endswith("'"))
            k = said_from - 1 if words and t.low in FIRST_NAMES else i - 1
            while k >= 0 and toks[k].low in ({"the"} | HONORIFICS):
                k -= 1
            prev = toks[k] if k >= 0 else None
            # ("velarde flooded basement": a word between the name and its head noun)
            head_follows = nxt is not None and (nxt.low in _HEADS or nxt.bare in _JOB_WORDS or (
                nxt.low in _BEFORE_HEAD and j + 1 < len(toks) and toks[j + 1].low in _HEADS)) and not (
                nxt.low in _KIND_BEFORE and t.low in _KIND_BEFORE[nxt.low])  # "the access panel", "the car charger"
            if head_follows and nxt.bare not in _JOB_WORDS and i > 1 and toks[i - 1].low == "the" and (
                    toks[i - 2].low in _FITTING_VERBS or (toks[i - 2].low in ("in", "inside", "under", "behind")
                                                          and (nxt.low in PART_HEADS or nxt.low == "unit"))
                    or (toks[i - 2].low in ("out", "up") and i > 2 and toks[i - 3].low in _FITTING_VERBS)):
                continue  # "swapped out the storage heater element", "the RCD in the consumer unit": a kind of part
            if j == i + 1 and i > 0 and toks[i - 1].low == "the" and business_suffix(t.low) and not t.is_title and \
                    not (j < len(toks) and (toks[j].bare in _JOB_WORDS or toks[j].low in _HEADS)):
                continue  # "the ice machine at the taqueria": a kind of place, no name
            clause_ends = nxt is None or not nxt.is_word or nxt.low in _AFTER_PREP or nxt.low in ACTION_WORDS or (
                nxt.low in NUMBER_WORDS and nxt.low not in ("one", "a")) or (  # "done at varghese forty five minutes"
                nxt.low == "half" and prev is not None and prev.low == "for")  # "a disposal for mwangi half horse"
            # "update for heron pointe assisted living", "order ... for hickory block butcher shop": a business word
            # closes the name a few words on
            # (in a cased transcript a lowercase "at the big box store" is no name)
            biz_end = self._business_from(i, j) if j == i + 1 and not t.possessive and not self.cased else j
            if t.possessive or (head_follows and (prev is None or toks[i - 1].low == "the"
                                                  or prev.low in _PREP_SLOT)) or (
                    # "arrived mahmoud residence starting now", "done okafor house": the name before a home word, right
                    # after arriving or finishing
                    nxt is not None and nxt.low in _HOMES and j == i + 1 and k == i - 1
                    and (prev.low in _STATUS_SLOT or prev.low in ("arrived", "arriving", "reached", "leaving"))):
                out.append((i, j, _title(words), 0.75))
            elif prev is not None and prev.low in _STATUS_SLOT and _PAST_VERB.match(t.low):
                pass  # "not finished mounted the rails": a second verb, not a name
            elif prev is not None and (prev.low in _VERB_SLOT or (prev.low in _PREP_SLOT and head_follows)
                                       # "order tubbs a new control box": whom the part is for, then the part
                                       or (k == i - 1 and prev.low in ("order", "ordered", "ordering", "grab", "get")
                                           and nxt is not None and nxt.low in ("a", "an", "some", "new", "another")
                                           and not t.possessive)
                                       or (prev.low in ("out", "up") and k > 0 and toks[k - 1].low in _VERB_SLOT
                                           and t.bare not in _SAINT_WORDS)
                                       or (prev.low in _BARE_PREP and (clause_ends or biz_end > j)
                                           and (prev.low != "for" or self._ordering_before(k)
                                                # "job complete for de la cruz."
                                                or (k > 0 and toks[k - 1].low in _STATUS_SLOT
                                                    and t.low in _PARTICLES)))
                                       # "i am in front of uzor house now": a home word after "of"
                                       or (k == i - 1 and prev.low == "of" and nxt is not None and nxt.low in _HOMES
                                           and k > 0 and toks[k - 1].low == "front")
                                       # "customer pruitt, PRV swapped out": the name after the word for it
                                       or (k == i - 1 and prev.low in ("customer", "client") and clause_ends
                                           and not t.possessive and not _PAST_VERB.match(t.low)
                                           and t.low not in _AFTER_NAME  # ("customer says next thursday works")
                                           and not t.low.endswith("ed"))
                                       # "close schneider no sorry schroeder ...": a name said to replace the one
                                       # just before the correction
                                       or (k == i - 1 and prev.low in _CORRECTING and self._name_before(k))
                                       # "im done at oyelaran the washer was walking": the job finished, then
                                       # a new sentence without its full stop
                                       # (or an order's: "get a compressor ordered for moreau the warranty one")
                                       or (k == i - 1 and k > 0 and nxt is not None
                                           and nxt.low in ("the", "i", "im", "i'm", "we", "it", "it's", "its")
                                           and ((prev.low == "at" and (toks[k - 1].low in _STATUS_SLOT or (
                                               # "clock me in at bergstrom im starting", "im at oyelaran i'm ..."
                                               toks[k - 1].low in ("in", "im", "i'm")
                                               and nxt.low in ("i", "im", "i'm", "we"))))
                                                or (prev.low == "for" and self._ordering_before(k))))
                                       # "can you put thornton off till next week": the job put off
                                       or (k == i - 1 and prev.low == "put" and nxt is not None
                                           and nxt.low in ("off", "back") and not t.possessive)
                                       # "can't get to lisowski today", "rolled up on barrientos": where the tech goes
                                       or (k == i - 1 and clause_ends and k > 0 and (
                                           (prev.low == "to" and (toks[k - 1].low in ("get", "got") or (
                                               toks[k - 1].low == "it" and k > 1 and toks[k - 2].low == "make")))
                                           or (prev.low == "on" and toks[k - 1].low in ("hours", "hour", "minutes"))
                                           or (prev.low == "on" and toks[k - 1].low == "up")))
                                       # "log two hours on desrosiers no ...", "quick update on valdez pulled ...",
                                       # "update for nesbitt i swapped ...": the job after the time or the update,
                                       # whatever follows it
                                       or (k == i - 1 and k > 0 and ((prev.low == "on" and (toks[k - 1].low in (
                                           "hours", "hour", "minutes", "update", "progress", "partial", "report",
                                           "clock", "note")
                                           or (toks[k - 1].low in NUMBER_WORDS and any(  # "an hour twenty on"
                                               x.low in ("hour", "hours") for x in toks[max(0, k - 3):k - 1]))))
                                           or (prev.low == "for" and toks[k - 1].low in (
                                               "update", "progress", "partial", "report")))
                                           and (nxt is None or (nxt.low not in _HEADS and nxt.low not in PART_HEADS
                                                                and nxt.low not in _JOB_WORDS)))
                                       # "done with haddad replaced the drain pump", "finished with ngata two
                                       # hours": the job finished, then what was done or the time
                                       or (k == i - 1 and k > 0 and prev.low == "with" and toks[k - 1].low in (
                                           "done", "finished") and nxt is not None and (
                                               nxt.low in _FITTING_VERBS or (nxt.low in NUMBER_WORDS and nxt.low
                                                                             not in ("one", "a"))))
                                       # "and on whitmarsh log one hour": the job, then what to do on it
                                       or (k == i - 1 and prev.low in ("on", "for") and nxt is not None
                                           and nxt.low in _JOB_VERBS and (k == 0 or toks[k - 1].low in (
                                               "and", "then", "also") or not toks[k - 1].is_word))):
                if biz_end > j:  # the whole business
                    j, words = biz_end, [x.bare for x in toks[i:biz_end]]
                out.append((i, j, _title(words), 0.7))
            elif (prev is not None and prev.low == "at" and toks[i - 1].low == "the" and j == i + 1
                  and t.low.endswith("s") and not t.possessive and words[-1] != t.low
                  and t.low.removesuffix("s") not in NOT_A_NAME and t.low not in BUSINESS_SUFFIXES):
                # "wrapped up at the delgados new gas valve": a family in the plural, whatever follows
                out.append((i, j, _title(words), 0.7))
            elif (j == i + 1 and i > 0 and toks[i - 1].low == "the" and (i == 1 or not toks[i - 2].is_word)
                  and t.low.endswith("s") and not t.possessive and nxt is not None and nxt.low in _AFTER_NAME
                  and t.low.removesuffix("s") not in NOT_A_NAME and t.low not in BUSINESS_SUFFIXES):
                out.append((i, j, _title(words), 0.7))  # "the fitzwilliams are all set": a family opening a sentence
        return out

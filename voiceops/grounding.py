"""Grounding: which of the technician's own open tickets a command means.

A pure function over the tickets the caller passes (the worker passes only the technician's own,
so a foreign ticket can never match here; ownership of a spoken ticket number that is not on the
list is the worker's check). Rules, in order:

* a spoken ticket number wins: it matches that ticket or nothing;
* otherwise the customer phrase is compared with each ticket's customer, by surname or business
  name, tolerating possessives, honorifics, "the ... place" and small misspellings or
  mishearings ("Johnston" -> Johnson, "Mrs. Garcia's" -> Garcia);
* a single best candidate is ``Matched``; two or more equally good ones are ``Ambiguous`` (ask);
  nothing close enough is ``NoMatch`` (ask). An exact name beats a merely similar one;
* when no name is close in spelling, a name that *sounds* the same (``sound_key``: "care" and
  Kerr, "fence" and Vance, "reese" and Ruiz) on exactly one ticket is ``Matched`` with
  ``by="sounds_like"``: the worker asks the technician to confirm it before writing anything,
  because a recogniser mishears short names far more often than it misspells long ones.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from voiceops.contracts import OpenTicket, VoiceCommand

#: a candidate must be at least this similar to count
MATCH_THRESHOLD = 0.8
#: candidates this close to the best one are equally plausible
TIE_MARGIN = 0.04

_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "mister", "missus"}
_GENERIC = {"the", "place", "house", "home", "residence", "job", "ticket", "family", "account", "property", "site",
            "and", "&", "co", "inc", "llc"}
_STREET_TYPES = {"st", "street", "ave", "avenue", "rd", "road", "dr", "drive", "ln", "lane", "blvd", "boulevard",
                 "ct", "court", "way", "pl", "place", "cir", "circle", "ter", "terrace", "pkwy", "parkway", "hwy",
                 "highway", "trl", "trail"}
_COUNT_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}


@dataclass(frozen=True)
class Matched:
    ticket: OpenTicket
    # "ticket_id", "customer" (exact name), "similar" (fuzzy name), "sounds_like" (confirm first) or
    # "only_job" (no name said, one job in progress or open)
    by: str
    score: float = 1.0


@dataclass(frozen=True)
class Ambiguous:
    candidates: tuple[OpenTicket, ...]
    phrase: str | None = None


@dataclass(frozen=True)
class NoMatch:
    phrase: str | None = None
    ticket_id: int | None = None


Grounding = Matched | Ambiguous | NoMatch


def name_tokens(name: str) -> list[str]:
    """Lowercase words of a customer name without honorifics, possessives or 'the ... place'."""
    # letters in any alphabet, accents folded so "Bergstrom" as typed by an ASR matches "Bergström"
    folded = "".join(c for c in unicodedata.normalize("NFKD", name.lower().replace("\u2019", "'"))
                     if not unicodedata.combining(c))
    words = re.findall(r"[^\W_](?:[^\W_]|['\-])*", folded)
    out = []
    for w in words:
        w = re.sub(r"'s?$", "", w)
        if w and w not in _HONORIFICS and w not in _GENERIC:
            out.append(w)
    return out


def _word_similarity(spoken: str, written: str) -> float:
    if spoken == written:
        return 1.0
    variants = {spoken, spoken.removesuffix("s"), spoken.removesuffix("es")}  # "the Garcias"
    if written in variants:
        return 0.99
    return max(difflib.SequenceMatcher(None, v, written).ratio() for v in variants if v)


def similarity(phrase: str, customer: str) -> float:
    """How well a spoken customer phrase fits a ticket's customer name, 0..1."""
    spoken, written = name_tokens(phrase), name_tokens(customer)
    if not spoken or not written:
        return 0.0
    if spoken == written:
        return 1.0
    if len(spoken) == 1:
        # a person is named by surname (the last word); a business by any of its distinctive words
        best = 0.0
        for i, w in enumerate(written):
            weight = 1.0 if i == len(written) - 1 or len(written) > 2 else 0.9
            best = max(best, weight * _word_similarity(spoken[0], w))
        return best
    per_word = [max(_word_similarity(s, w) for w in written) for s in spoken]
    coverage = min(1.0, len(spoken) / len(written))
    return sum(per_word) / len(per_word) * (0.9 + 0.1 * coverage)


#: spelling -> sound, in order; voiced and voiceless pairs merge (a recogniser confuses them)
_SOUNDS = tuple((re.compile(a), b) for a, b in (
    (r"^h", ""), (r"^sch", "X"),
    (r"^(?:kn|gn|pn)", "n"), (r"^wr", "r"), (r"^ps", "s"), (r"^x", "s"), (r"^wh", "w"),
    (r"gh(?=[^aeiouy]|$)", ""), (r"ph", "f"), (r"sch", "sk"), (r"tch", "ch"), (r"ck", "k"),
    (r"(?:sh|ch|ti(?=[ao]))", "X"), (r"th", "0"), (r"c(?=[eiy])", "s"), (r"(?<=..)e$", ""), (r"qu", "kw"),
    (r"[cqg]", "k"), (r"x", "ks"), (r"z", "s"), (r"v", "f"), (r"b", "p"), (r"d", "t"), (r"h", ""),
    (r"[wy](?![aeiou])", ""),
))


def sound_key(name: str) -> str:
    """A rough key of how a name sounds: consonants only, voicing merged, silent letters dropped.
    'Kerr' and 'care' -> 'kr'; 'Vance' and 'fence' -> 'fns'; 'Sandoval' and 'sand oval' -> 'sntfl'."""
    word = re.sub(r"[^a-z]", "", "".join(name_tokens(name)))
    if not word:
        return ""
    for pattern, sound in _SOUNDS:
        word = pattern.sub(sound, word)
    lead = "a" if word[:1] in ("a", "e", "i", "o", "u") else ""
    word = re.sub(r"[aeiouy]", "", word)
    return lead + re.sub(r"(.)\1+", r"\1", word)


def _sounds_like(phrase: str, customer: str) -> bool:
    spoken = sound_key(phrase)
    if not spoken:
        return False
    words = name_tokens(customer)
    # the whole name ("Sand oval" -> Sandoval) or, for one spoken word, the surname / a business's word
    keys = {sound_key(customer)} | ({sound_key(w) for w in words} if len(name_tokens(phrase)) == 1 else set())
    return spoken in keys


def resolve_phrase(customer: str | None, ticket_id: int | None, tickets: Sequence[OpenTicket]) -> Grounding:
    """Ground a customer phrase and/or spoken ticket number against ``tickets``."""
    if ticket_id is not None:
        for t in tickets:
            if t.ticket_id == ticket_id:
                return Matched(t, by="ticket_id")
        return NoMatch(phrase=customer, ticket_id=ticket_id)
    if not customer or not customer.strip():
        return NoMatch()
    scored = sorted(((similarity(customer, t.customer), t) for t in tickets), key=lambda st: -st[0])
    if not scored or scored[0][0] < MATCH_THRESHOLD:
        alike = [t for t in tickets if _sounds_like(customer, t.customer)]
        if len(alike) == 1:
            return Matched(alike[0], by="sounds_like", score=round(scored[0][0], 3) if scored else 0.0)
        return NoMatch(phrase=customer)
    best = scored[0][0]
    # an exact name beats names that are only similar ("Johnson" with Johnson and Johnston on the list)
    margin = 0.0 if best >= 0.99 else TIE_MARGIN
    top = [t for s, t in scored if s >= best - margin and s >= MATCH_THRESHOLD]
    if len(top) == 1:
        return Matched(top[0], by="customer" if best >= 0.99 else "similar", score=round(best, 3))
    return Ambiguous(tuple(sorted(top, key=lambda t: t.ticket_id)), phrase=customer)


def resolve(command: VoiceCommand, tickets: Sequence[OpenTicket]) -> Grounding:
    """Ground one command's customer / ticket number against the technician's own tickets."""
    return resolve_phrase(command.customer, command.ticket_id, tickets)


def street(address: str | None) -> str | None:
    """'12 Elm St, Springfield' -> 'Elm': what a person calls the street."""
    if not address:
        return None
    for piece in address.split(","):  # "Unit 4, 9 Pine Ct": the unit is not the street
        words = [w for w in piece.split() if not re.fullmatch(r"\d+[a-zA-Z]?|#\w+|apt\.?|unit|suite", w, re.I)]
        while len(words) > 1 and words[-1].lower().rstrip(".") in _STREET_TYPES:
            words.pop()
        if words:
            return " ".join(words)
    return None


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def clarification_question(candidates: Sequence[OpenTicket], phrase: str | None = None) -> str:
    """'I have two Garcia jobs today: 2231 on Elm or 2240 on Oak?'"""
    cands = list(candidates)
    if not cands:
        return "Which job do you mean? Tell me the customer or the job number."
    surnames = {tuple(name_tokens(t.customer)[-1:]) for t in cands}
    same_name = len(surnames) == 1
    # two tickets of one business keep its full name; "Maria Garcia" and "Garcia" share the surname
    identical = len({t.customer.strip().lower() for t in cands}) == 1
    label = cands[0].customer.strip() if identical else cands[0].customer.split()[-1]
    items = []
    for t in cands:
        where = street(t.address)
        text = str(t.ticket_id) if same_name else f"{t.ticket_id} for {t.customer}"
        items.append(f"{text} on {where}" if where else text)
    count = _COUNT_WORDS.get(len(cands), str(len(cands)))
    if same_name:
        return f"I have {count} {label} jobs today: {_or_list(items)}?"
    heard = f" that sound like {phrase.strip()}" if phrase and phrase.strip() else ""
    return f"I have {count} jobs{heard}: {_or_list(items)}?"

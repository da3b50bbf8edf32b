"""Parts a command touched: replaced, installed, cleaned, or to be ordered.

A part is the noun phrase after a work verb ("replaced the main capacitor"), before a postposed
one ("condenser fan motor replaced"), after "new", or a counted part noun ("and one ball valve").
Articles, quantities and words such as "new", "old", "main" are dropped; a self-correction ("the
batteries, no wait, the whole thermostat") replaces the part before it. Parts only checked,
adjusted or still to do are left out."""

from __future__ import annotations

import re

from voiceops.contracts import Action
from voiceops.extraction.lexicon import ACTION_WORDS, FUNCTION_WORDS, PART_HEADS, TIME_WORDS, wordset
from voiceops.extraction.numbers import NUMBER_WORDS

_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z][a-z'\-]*|[^\sa-z\d]")
_SKIP = wordset("""the a an some new old main whole entire replacement spare extra leaking leaky broken bad
faulty cracked worn busted burnt burned dead damaged stuck my their his her its that those these both all
couple few of pair set another more brand brand-new original little them em me us him their existing
additional second""") | NUMBER_WORDS
_STRICT_JOB = wordset("job jobs ticket tickets customer customers place house residence appointment call visit "
                        "site property account family client")
_STOP = ((FUNCTION_WORDS | ACTION_WORDS | TIME_WORDS | NUMBER_WORDS | _STRICT_JOB
          | wordset("too though today please bill also yet still wait")) - PART_HEADS) | frozenset(
    {"so", "no", "and", "or", "it", "in", "on", "out", "up", "off", "for", "to", "at", "with"})
_STRONG = re.compile(r"^(?:replac\w*|swap\w*|chang\w*|install\w*|clean\w*|fitted|mounted|hung|upgraded)$")
_PARTICLES = wordset("out in up off")
_TODO = wordset("""need needs to gotta gonna will should might didn't don't nothing no not never must""")
_ORDER_TRIGGERS = wordset("order ordered ordering need needs get pick")
_CORRECTIONS = ("no wait", "no", "actually", "i mean", "sorry", "make that", "or rather", "rather", "wait")
_POST = re.compile(r"^(?:replaced|swapped|installed|changed|cleaned)$")
_MEASURES = wordset("set pair couple box bag roll case pack bunch length piece few")
_MARKER_ONLY = re.compile(r"^(?:no|nope|no wait|wait|actually|i mean|sorry|or rather|make that)$")
_AUX = wordset("was were got been is are has have")


def _np_word(w: str) -> bool:
    if not w or not w[0].isalpha():
        return False
    if w in PART_HEADS:
        return True
    # a past participle ends the phrase: "the lines" in "replaced X and flushed the lines" is not a part
    return w not in _STOP and not (len(w) > 4 and w.endswith("ed"))


def _parse_np(toks: list[str], i: int) -> tuple[str | None, int]:
    """One noun phrase from ``toks[i]``: (phrase or None, index after it)."""
    while i < len(toks) and (toks[i] in _SKIP or re.fullmatch(r"\d+(?:\.\d+)?", toks[i])
                             or (toks[i] in _MEASURES and toks[i + 1:i + 2] == ["of"])):
        i += 1
    words = []
    while i < len(toks) and _np_word(toks[i]):
        words.append(toks[i])
        i += 1
    if not words:
        return None, i
    return " ".join(words[-4:]).replace("tank-to-bowl", "tank to bowl").removesuffix("'s"), i


def _parse_list(toks: list[str], i: int, consumed: set[int]) -> list[str]:
    """Noun phrases joined by 'and'/'or'/'plus', with self-corrections applied."""
    items: list[str] = []
    start = i
    while True:
        np, j = _parse_np(toks, i)
        if np is None:
            break
        items.append(np)
        consumed.update(range(start, j))
        i = j
        # "the batteries no wait the whole thermostat"
        fixed = False
        for c in _CORRECTIONS:
            cw = c.split()
            k = i
            while k < len(toks) and toks[k] == ",":
                k += 1
            if toks[k:k + len(cw)] == cw:
                k += len(cw)
                while k < len(toks) and toks[k] == ",":
                    k += 1
                np2, j2 = _parse_np(toks, k)
                if np2 is not None:
                    items[-1] = np2
                    consumed.update(range(i, j2))
                    i = j2
                    fixed = True
                break
        if fixed:
            continue
        if i < len(toks) and toks[i] in ("and", "or", "plus", "&") and i + 1 < len(toks):
            nxt = toks[i + 1]
            if nxt in _SKIP or (_np_word(nxt) and not _STRONG.match(nxt)):
                start = i
                i += 1
                continue
        break
    return items


def _blocked(toks: list[str], i: int) -> bool:
    """A work verb that is only planned or negated: 'still need to replace', 'nothing to replace'."""
    return any(w in _TODO for w in toks[max(0, i - 3):i])


def _clause_parts(toks: list[str], action: Action, consumed: set[int]) -> list[str]:
    found: list[tuple[int, list[str]]] = []
    ordering = action == Action.order_parts
    for i, w in enumerate(toks):
        if i in consumed:
            continue
        j = None
        head_required = False
        if not ordering and _STRONG.match(w) and not _blocked(toks, i):
            j = i + 1
            while j < len(toks) and toks[j] in _PARTICLES:
                j += 1
        elif not ordering and w == "put" and i + 1 < len(toks) and toks[i + 1] in ("in", "a", "an", "the", "new"):
            j = i + 1 + (toks[i + 1] == "in")
        elif w in ("used", "add", "added", "adding", "threw", "popped") and not _blocked(toks, i):
            j = i + 1 + (i + 1 < len(toks) and toks[i + 1] == "in")
            head_required = True
        elif w == "new" and (ordering or not _blocked(toks, i)):
            j = i
        elif ordering and w in _ORDER_TRIGGERS:
            j = i + 1
            if w == "pick" and j < len(toks) and toks[j] == "up":
                j += 1
            if w in ("need", "needs") and j < len(toks) and toks[j] == "to":
                continue
        elif (i == 0 or toks[i - 1] in ("and", "plus", ",")) and (w in NUMBER_WORDS or w in ("a", "an")
                                                                   or re.fullmatch(r"\d+", w)):
            j = i
            head_required = True
        if j is None:
            continue
        items = _parse_list(toks, j, consumed)
        if head_required and items and not _is_part_head(items[0]):
            items = []
        if items:
            found.append((i, items))
    # postposed verbs: "condenser fan motor replaced", "three outlets and a switch replaced"
    for k, w in enumerate(toks):
        if not (_POST.match(w) or (ordering and w == "ordered")) or k in consumed:
            continue
        if k + 1 < len(toks) and (toks[k + 1] in _SKIP or toks[k + 1] in _PARTICLES or _np_word(toks[k + 1])):
            continue  # "replaced the valve": the verb reads forwards, not backwards
        b = k - 1
        while b >= 0 and toks[b] in _AUX:
            b -= 1
        lo = b + 1
        while lo > 0 and (toks[lo - 1] in _SKIP or toks[lo - 1] == "and" or _np_word(toks[lo - 1])) and (
                lo - 1) not in consumed:
            lo -= 1
        if lo <= b:
            items = _parse_list(toks[:b + 1], lo, consumed)
            if items:
                found.append((lo, items))
    found.sort(key=lambda f: f[0])
    return [p for _, items in found for p in items]


def _is_part_head(phrase: str) -> bool:
    last = phrase.split()[-1]
    return last in PART_HEADS or last.removesuffix("s") in PART_HEADS or last.removesuffix("es") in PART_HEADS


def extract_parts(clauses: list[str], action: Action) -> list[str]:
    """Parts named in a command's clauses (lowercase text), in spoken order, without duplicates."""
    out: list[str] = []
    prev_had_parts = False
    # a clause that is only "no" / "i mean" corrects across the comma: glue it to its neighbours
    glued: list[str] = []
    i = 0
    while i < len(clauses):
        if glued and i + 1 < len(clauses) and _MARKER_ONLY.match(clauses[i].strip(" ,.;!?")):
            glued[-1] = f"{glued[-1]} , {clauses[i]} , {clauses[i + 1]}"
            i += 2
            continue
        glued.append(clauses[i])
        i += 1
    for low in glued:
        toks = _TOKEN.findall(low)
        consumed: set[int] = set()
        parts = _clause_parts(toks, action, consumed)
        if not parts and prev_had_parts and toks and all(
                t in _SKIP or t == "and" or _np_word(t) or not t[0].isalnum() for t in toks):
            parts = _parse_list(toks, 0, consumed)  # "new toilet, wax ring and supply line"
        prev_had_parts = bool(parts)
        out.extend(p for p in parts if p not in out)
    return out

"""The words a technician is likely to say that a generic recognizer misses: the customers and
streets of their open tickets and the parts catalogue. Fed to Azure as a phrase list and to
whisper as its prompt, most likely first (whisper's prompt is short)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from voiceops.contracts import OpenTicket

#: "12B Elm Street, Springfield" -> "Elm Street": the number is read out, the town rarely said
_HOUSE_NUMBER = re.compile(r"^\s*(?:no\.?\s*)?\d+[a-z]?(?:[-/]\d+[a-z]?)?\s+", re.IGNORECASE)


def street_name(address: str | None) -> str | None:
    """The street part of an address, without the house number and the town."""
    if not address:
        return None
    street = _HOUSE_NUMBER.sub("", address.split(",")[0]).strip()
    return street or None


def domain_vocabulary(open_tickets: Sequence[OpenTicket], parts_catalogue: Iterable[str]) -> list[str]:
    """Customers, then their streets, then catalogue parts; trimmed and without duplicates."""
    seen: set[str] = set()
    terms: list[str] = []

    def add(term: str | None) -> None:
        term = " ".join((term or "").split())
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(term)

    for ticket in open_tickets:
        add(ticket.customer)
    for ticket in open_tickets:
        add(street_name(ticket.address))
    for part in parts_catalogue:
        add(part)
    return terms


def _letters(words: Sequence[str]) -> str:
    return "".join(ch for ch in " ".join(words).casefold() if ch.isalnum())


def correct_names(text: str, vocabulary: Sequence[str], *, threshold: float = 0.8, min_chars: int = 5) -> str:
    """Replace near-misses of vocabulary names in a transcript ('Hartman' -> 'Hartmann').

    A window of the transcript's words, as long as the name give or take one word, is replaced
    when its letters match the name's closely; short names are left alone because they collide
    with everyday words ('Ward', 'Park')."""
    import difflib

    words = text.split()
    terms = sorted({t for t in vocabulary if len(_letters([t])) >= min_chars}, key=len, reverse=True)
    for term in terms:
        target = _letters([term])
        size = len(term.split())
        best: tuple[float, int, int] | None = None
        for n in {max(size - 1, 1), size, size + 1}:
            for i in range(len(words) - n + 1):
                window = _letters(words[i:i + n])
                # a plural of the name is the name, said right
                ratio = 1.0 if window in (target + "s", target + "es") else \
                    difflib.SequenceMatcher(None, window, target).ratio()
                if window and ratio >= threshold and (best is None or ratio > best[0]):
                    best = (ratio, i, n)
        if best is None:
            continue
        _, i, n = best
        window = _letters(words[i:i + n])
        if (window == target and n == size) or window in (target + "s", target + "es"):
            continue
        trailing = "".join(ch for ch in words[i + n - 1][::-1] if not ch.isalnum())[::-1]
        words[i:i + n] = [*term.split()[:-1], term.split()[-1] + trailing]
    return " ".join(words)

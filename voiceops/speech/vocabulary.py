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

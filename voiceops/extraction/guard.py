"""What an LLM answer may not do, whatever the model says: name a customer or a ticket number
nobody spoke, or act on a transcript that tried to instruct the system or touch every job.

The rules extractor is the referee: it already finds refused clauses (injection, SQL, bulk,
destructive); when it found one, only commands it also found survive."""

from __future__ import annotations

import difflib
import re
from typing import Any

from voiceops.contracts import Action, VoiceCommand
from voiceops.extraction.numbers import numberize
from voiceops.extraction.rules import RulesExtractor, refused_kinds

_RULES = RulesExtractor()
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr"}


def _said(name: str, words: list[str]) -> bool:
    """Every distinctive word of ``name`` was spoken (a near miss counts: "Johnston" for Johnson)."""
    wanted = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in _HONORIFICS and len(w) > 1]
    return bool(wanted) and all(
        w in words or any(difflib.SequenceMatcher(None, w, s).ratio() >= 0.8 for s in words) for w in wanted)


def _spoken_numbers(text: str) -> set[int]:
    """Every number the words can spell, digit groups joined as ticket numbers are read."""
    groups = numberize(text).split()
    out: set[int] = set()
    for i in range(len(groups)):
        digits = ""
        for g in groups[i:i + 6]:
            if not g.isdigit():
                break
            digits += g
            out.add(int(digits))
    return out


def _same_job(a: VoiceCommand, b: VoiceCommand) -> bool:
    if a.action != b.action:
        return False
    if a.ticket_id is not None and b.ticket_id is not None:
        return a.ticket_id == b.ticket_id
    return (a.customer or "").lower() == (b.customer or "").lower()


def keep_grounded_in_words(text: str, commands: list[VoiceCommand]) -> tuple[list[VoiceCommand], dict[str, Any]]:
    """``commands`` with unspoken customers/tickets removed and refused requests turned into unknown."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    numbers = _spoken_numbers(text)
    notes: dict[str, Any] = {}
    checked = []
    for c in commands:
        update: dict[str, Any] = {}
        if c.customer and not _said(c.customer, words):
            update["customer"] = None
        if c.ticket_id is not None and c.ticket_id not in numbers:
            update["ticket_id"] = None
        if update:
            notes.setdefault("unspoken", []).append({k: getattr(c, k) for k in update})
            update["confidence"] = round(c.confidence / 2, 2)
            c = c.model_copy(update=update)
        checked.append(c)
    rules = _RULES.extract(text)
    kinds = refused_kinds(rules)
    if kinds:
        kept = [c for c in checked if any(_same_job(c, r) for r in rules.commands if r.action != Action.unknown)]
        if len(kept) < len(checked):
            notes["refused"] = kinds
        if not kept:
            notes["reason"] = "refused: " + ",".join(kinds)
            kept = [VoiceCommand(action=Action.unknown, confidence=0.95)]
        checked = kept
    return checked, notes

"""Skipping a regular expression when its match is impossible: a literal prefilter.

Python's ``re`` tries a pattern that opens with a long alternation at every position of the text,
so a cue such as "what's next / where am I headed / anything else for me ..." costs microseconds
per clause even when the clause says nothing of the sort. From the pattern itself we derive a few
strings one of which every match must contain ("next", "what", "where", ...); when the text holds
none of them the pattern cannot match and is not run. The answer is the pattern's answer in every
case, by construction: the strings come from parts of the pattern that every match passes through."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from re import _constants as _C  # the parser behind re.compile (Python 3.11)
from re import _parser as sre_parse

_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT}
_GROUPS = {_C.SUBPATTERN, _C.ATOMIC_GROUP}
_MAX_CLASS = 6  # a character class of more letters than this tells too little to be worth testing


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The most telling requirement: long strings first, then few of them."""
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(len(s) for s in c), -len(c)))


def _required(items) -> frozenset[str] | None:
    """Strings one of which every match of this parsed sequence contains, or None if no such set is known."""
    candidates: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op == _C.LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append(frozenset({run}))
            run = ""
        found: frozenset[str] | None = None
        if op in _GROUPS:
            sub = av[-1] if op == _C.SUBPATTERN else av
            if op == _C.SUBPATTERN and (av[1] or av[2]):  # flags switched inside the group: leave it alone
                found = None
            else:
                found = _required(sub)
        elif op == _C.BRANCH:
            alternatives = [_required(branch) for branch in av[1]]
            found = None if any(a is None for a in alternatives) else frozenset().union(*alternatives)
        elif op in _REPEATS:
            low, _, sub = av
            found = _required(sub) if low >= 1 else None
        elif op == _C.IN and all(kind == _C.LITERAL for kind, _ in av) and len(av) <= _MAX_CLASS:
            found = frozenset(chr(code) for _, code in av)
        if found:
            candidates.append(found)
    if run:
        candidates.append(frozenset({run}))
    return _best(candidates)


def _minimal(strings: frozenset[str]) -> tuple[str, ...]:
    """Drop each string that contains another: finding the shorter one is the weaker, still necessary, test."""
    return tuple(sorted(s for s in strings if not any(o != s and o in s for o in strings)))


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which is inside every match of ``pattern``, or None when none can be derived
    (patterns that can match without any fixed text, inline flags). For a case-insensitive pattern the
    strings are lowercase ASCII and hold for ASCII text only (see ``Cue.possible``)."""
    if isinstance(pattern.pattern, bytes):
        return None
    try:
        found = _required(sre_parse.parse(pattern.pattern, pattern.flags & ~re.IGNORECASE))
    except Exception:  # an internal parser we could not read: no prefilter, same answers
        return None
    if not found or not all(found):
        return None
    if pattern.flags & re.IGNORECASE:
        if not all(s.isascii() for s in found):
            return None
        found = frozenset(s.lower() for s in found)
    return _minimal(found)


class Cue:
    """A compiled pattern that first checks its required strings. Same methods, same answers."""

    __slots__ = ("folded", "literals", "pattern", "regex")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self.folded = bool(regex.flags & re.IGNORECASE)
        self.literals = required_literals(regex)

    def possible(self, text: str, low: str | None = None) -> bool:
        """False only when no match can exist anywhere in ``text`` (``low``: ``text.lower()``, if known).

        A case-insensitive pattern is checked on the lowercased text, and only when the text is
        ASCII: Unicode case folding lets "ſ" match "s" and the Kelvin sign match "k", which a
        lowercase comparison would miss."""
        if self.literals is None:
            return True
        if self.folded:
            if not text.isascii():
                return True
            text = low if low is not None else text.lower()
        return any(map(text.__contains__, self.literals))

    def search(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match[str] | None:
        return self.regex.search(text, pos, endpos) if self.possible(text) else None

    def match(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match[str] | None:
        return self.regex.match(text, pos, endpos) if self.possible(text) else None

    def fullmatch(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match[str] | None:
        return self.regex.fullmatch(text, pos, endpos) if self.possible(text) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text, pos, endpos) if self.possible(text) else iter(())

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, low: str | None = None) -> str:
        return self.regex.sub(repl, text) if self.possible(text, low) else text

    def __repr__(self) -> str:
        return f"Cue({self.pattern[:40]!r}..., literals={self.literals})"

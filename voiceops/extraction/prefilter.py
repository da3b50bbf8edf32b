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
_MIN_BRANCHES = 4  # fewer top-level alternatives than this: pruning them saves less than it costs
_MAX_ALONE = 6  # more alternatives than this left possible: one run of the whole pattern is cheaper
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


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


def top_level_branches(pattern: str) -> list[str]:
    """The source of each top-level alternative of ``pattern`` ("a|b(c|d)|[|]" -> "a", "b(c|d)", "[|]")."""
    branches: list[str] = []
    depth, start, i, n = 0, 0, 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class: skip to its end; a "]" first (after any "^") is a literal
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
        i += 1
    branches.append(pattern[start:])
    return branches


def branch_literals(regex: re.Pattern[str]) -> tuple[tuple[str, ...], tuple[tuple[str, ...] | None, ...]] | None:
    """For a pattern of many top-level alternatives and no capture groups: each alternative's source and
    its required strings (None: none known). None when pruning alternatives could change an answer or
    would not pay: capture groups (their numbers would shift), inline or verbose flags, few alternatives."""
    if regex.groups or regex.flags & re.VERBOSE or _INLINE_FLAGS.search(regex.pattern):
        return None
    sources = top_level_branches(regex.pattern)
    if len(sources) < _MIN_BRANCHES:
        return None
    try:
        literals = tuple(required_literals(re.compile(source, regex.flags)) for source in sources)
    except re.error:  # an alternative that does not stand alone: leave the pattern whole
        return None
    if sum(lits is not None for lits in literals) < _MIN_BRANCHES:
        return None
    return tuple(sources), literals


def _first(alternatives: list[re.Pattern[str]], text: str, pos: int, endpos: int) -> re.Match[str] | None:
    """The match a pattern of these alternatives would find first: the earliest start; at a tie, the one
    listed first (as inside the pattern, where each position tries the alternatives in order)."""
    first = None
    for regex in alternatives:
        found = regex.search(text, pos, endpos)
        if found is not None and (first is None or found.start() < first.start()):
            first = found
    return first


class Cue:
    """A compiled pattern that first checks its required strings. Same methods, same answers.

    A pattern made of many alternatives ("reschedule|push it to|move it to|...") is also pruned:
    the alternatives whose required strings are all missing from the text cannot match, and when
    only a few are left, each of those runs alone. Python's ``re`` tries every alternative at every
    position of the text, so this is most of the saving. The answer is the same match: the whole
    pattern's first match starts where the earliest of the alternatives' first matches starts, and
    among those starting there the one listed first wins, as it does inside the pattern."""

    __slots__ = ("always", "branches", "folded", "literals", "pattern", "regex", "singles", "vocabulary")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self.folded = bool(regex.flags & re.IGNORECASE)
        self.literals = required_literals(regex)
        self.branches = branch_literals(regex)
        #: each required string -> the alternatives it opens; the alternatives that need no string
        self.vocabulary: dict[str, tuple[int, ...]] = {}
        self.always: frozenset[int] = frozenset()
        #: each alternative compiled on its own, when first needed
        self.singles: list[re.Pattern[str] | None] = []
        if self.branches is not None:
            opens: dict[str, list[int]] = {}
            for i, lits in enumerate(self.branches[1]):
                for s in lits or ():
                    opens.setdefault(s, []).append(i)
            self.vocabulary = {s: tuple(found) for s, found in opens.items()}
            self.always = frozenset(i for i, lits in enumerate(self.branches[1]) if lits is None)
            self.singles = [None] * len(self.branches[0])

    def _alternatives(self, text: str) -> list[re.Pattern[str]] | None:
        """The few alternatives that can match in ``text``, each compiled alone, in their listed order;
        None when the whole pattern should run (no alternatives known, or too many left)."""
        if self.branches is None or (self.folded and not text.isascii()):
            return None
        if self.folded:
            text = text.lower()
        keep = set(self.always)
        for s, found in self.vocabulary.items():
            if s in text:
                keep.update(found)
                if len(keep) > _MAX_ALONE:
                    return None
        singles = self.singles
        for i in keep:
            if singles[i] is None:
                singles[i] = re.compile(self.branches[0][i], self.regex.flags)
        return [singles[i] for i in sorted(keep)]  # type: ignore[misc]

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
        if not self.possible(text):
            return None
        alternatives = self._alternatives(text)
        if alternatives is None:
            return self.regex.search(text, pos, endpos)
        return _first(alternatives, text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match[str] | None:
        if not self.possible(text):
            return None
        alternatives = self._alternatives(text)
        if alternatives is None:
            return self.regex.match(text, pos, endpos)
        return next((m for m in (regex.match(text, pos, endpos) for regex in alternatives) if m is not None), None)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match[str] | None:
        if not self.possible(text):
            return None
        alternatives = self._alternatives(text)
        if alternatives is None:
            return self.regex.fullmatch(text, pos, endpos)
        return next((m for m in (regex.fullmatch(text, pos, endpos) for regex in alternatives) if m is not None),
                    None)

    def finditer(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> Iterator[re.Match[str]]:
        if not self.possible(text):
            return iter(())
        alternatives = self._alternatives(text)
        if alternatives is None:
            return self.regex.finditer(text, pos, endpos)
        # each next match is the first one from the end of the one before, as the pattern's own scanner goes on;
        # an empty match (whose successor the scanner finds by its own rule) hands the whole text to the pattern
        found: list[re.Match[str]] = []
        start = pos
        while (m := _first(alternatives, text, start, endpos)) is not None:
            if m.end() == m.start():
                return self.regex.finditer(text, pos, endpos)
            found.append(m)
            start = m.end()
        return iter(found)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, low: str | None = None) -> str:
        return self.regex.sub(repl, text) if self.possible(text, low) else text

    def __repr__(self) -> str:
        return f"Cue({self.pattern[:40]!r}..., literals={self.literals})"

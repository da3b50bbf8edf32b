"""The literal prefilter never changes an answer: a Cue finds exactly what its pattern finds."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from voiceops.extraction import cleaning, cues, numbers
from voiceops.extraction.prefilter import Cue, branch_literals, required_literals, top_level_branches

ROOT = Path(__file__).resolve().parents[2]
CORPORA = (ROOT / "tests" / "unit" / "data" / "extraction_cases.jsonl",
           ROOT / "tests" / "data" / "heldout_utterances.jsonl")


def _texts() -> list[str]:
    texts = []
    for path in CORPORA:
        for line in path.read_text().splitlines():
            text = json.loads(line)["text"]
            texts += [text, text.lower(), text.upper()]
    rng = random.Random(3)
    words = " ".join(texts).lower().split()
    # word salad: cue words in odd company and at the edges of the text
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    # case folding beyond ASCII: the long s and the Kelvin sign match "s" and "k" when case is ignored
    texts += ["ſelect * from jobs", "DELETE FROM tickets WHERE 1=1", "\u212aeep it", "mr. ſmith's place"]
    return texts


TEXTS = _texts()
ALL_CUES = {name: value for name, value in vars(cues).items() if isinstance(value, Cue)} | {
    f"duration:{kind}": cue for cue, kind in numbers._DURATION_PATTERNS}


def _spans(found) -> list[tuple[int, int, tuple]]:
    return [(m.start(), m.end(), m.groups()) for m in found if m is not None]


@pytest.mark.parametrize("name", sorted(ALL_CUES))
def test_a_cue_answers_as_its_pattern(name):
    cue = ALL_CUES[name]
    skipped = pruned = 0
    for text in TEXTS:
        assert _spans([cue.search(text)]) == _spans([cue.regex.search(text)]), text
        assert _spans([cue.match(text)]) == _spans([cue.regex.match(text)]), text
        assert _spans(cue.finditer(text)) == _spans(cue.regex.finditer(text)), text
        assert _spans([cue.fullmatch(text)]) == _spans([cue.regex.fullmatch(text)]), text
        middle = len(text) // 2
        assert _spans([cue.search(text, middle)]) == _spans([cue.regex.search(text, middle)]), text
        skipped += not cue.possible(text)
        pruned += cue.possible(text) and cue._alternatives(text) is not None
    if cue.literals is not None:
        assert skipped, f"{name}: the prefilter never skipped a text"
    if cue.branches is not None:
        assert pruned, f"{name}: no text ever ran its few possible alternatives alone"


@pytest.mark.parametrize("index", range(len(cleaning._RULES)))
def test_a_cleanup_rewrites_as_its_pattern(index):
    cue, repl, _ = cleaning._RULES[index]
    for text in TEXTS:
        assert cue.sub(repl, text, text.lower()) == cue.regex.sub(repl, text), text


@pytest.mark.parametrize(("pattern", "literals"), [
    (r"\bclose(?:d|s)? the (?:job|ticket)\b", ("close",)),  # the longest fixed text wins
    (r"\b(?:done|finished)\b", ("done", "finished")),  # either branch
    (r"(?:re)?schedul\w*", ("schedul",)),  # an optional prefix is not required
    (r"\d+ (?:hours?|hrs?)", (" h",)),  # the common prefix the parser factors out joins the text before it
    (r"\bnext\b|^what$", ("next", "what")),
    (r"(?:on|in)\s+(?:the|a)", ("in", "on")),  # the alternation with the longer words
    (r"x?", None),  # matches the empty string: nothing is required
    (r"\w+", None),
    (r"[^a]bc", ("bc",)),
])
def test_required_literals(pattern, literals):
    assert required_literals(re.compile(pattern)) == literals


def test_case_insensitive_patterns_are_prefiltered_on_ascii_text_only():
    pattern = re.compile(r"\bSTOP(?:ped)?\b", re.I)
    assert required_literals(pattern) == ("stop",)
    assert Cue(pattern).search("please Stop it").span() == (7, 11)
    assert not Cue(pattern).possible("carry on")
    # "ſ" (long s) matches "s" under re.IGNORECASE: a lowercase test would miss it, so text that is not
    # ASCII always runs the pattern
    assert Cue(pattern).possible("ſtop") and Cue(pattern).search("ſtop") is not None
    assert required_literals(re.compile(r"a(?i:b)c")) in (("a",), ("c",))  # the inline flag's group is left out


def test_top_level_branches_split_only_outside_groups_classes_and_escapes():
    assert top_level_branches(r"a|b(c|d)|[|]|\||[]|]x|e") == ["a", "b(c|d)", "[|]", "\\|", "[]|]x", "e"]
    assert top_level_branches(r"[^]|]|(?:x|y)") == ["[^]|]", "(?:x|y)"]
    assert top_level_branches("plain") == ["plain"]


def test_alternatives_that_cannot_match_are_left_out_and_the_first_listed_still_wins():
    cue = Cue(re.compile(r"\bnext job\b|\bnext\b|\bwhat now\b|\bwhere to\b|\banything else\b"))
    assert cue.branches is not None
    text = "what's the next job"
    alone = cue._alternatives(text)
    # "what now", "where to", "anything else" cannot match: the first two run alone, in their order
    assert [regex.pattern for regex in alone] == [r"\bnext job\b", r"\bnext\b"]
    assert cue.search(text).group() == "next job"  # at one position, the earlier alternative wins as before
    assert cue.search("next, the next job").span() == (0, 4)  # the earliest start wins over the listed order
    assert cue.match("next job please").group() == "next job"
    assert cue.search("nothing here") is None


def test_patterns_with_groups_inline_flags_or_few_alternatives_stay_whole():
    assert branch_literals(re.compile(r"(a)b|c|d|e|f")) is None  # group numbers would shift
    assert branch_literals(re.compile(r"(?i)abc|def|ghi|jkl")) is None  # the flag lives in the first alternative
    assert branch_literals(re.compile(r"abc|def")) is None  # too few to pay
    assert branch_literals(re.compile(r"abc|def|ghi|jkl")) is not None

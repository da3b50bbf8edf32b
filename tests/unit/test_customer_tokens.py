"""The token helpers of customer finding answer exactly as the regular expressions they replace."""

from __future__ import annotations

import itertools
import re

from voiceops.extraction import customers

#: letters of both cases, the apostrophe, a digit, the underscore, a superscript two (a digit that is not
#: decimal), an accented letter, a hyphen and an Arabic-Indic digit
ALPHABET = ["a", "S", "s", "'", "1", "_", "²", "é", "-", "٣"]


def test_possessive_helpers_match_the_patterns():
    has_possessive = re.compile(r"[^\W\d_]'s?$")
    checked = 0
    for size in range(1, 5):
        for chars in itertools.product(ALPHABET, repeat=size):
            token = "".join(chars)
            assert customers._without_possessive(token) == customers._POSSESSIVE.sub("", token), token
            assert customers._has_possessive(token) == bool(has_possessive.search(token)), token
            checked += 1
    assert checked == sum(len(ALPHABET) ** n for n in range(1, 5))

"""Spoken numbers, durations and ticket numbers as technicians say them.

``numberize`` rewrites number words as digits, keeping separately spoken groups apart
("fifty five oh two" -> "55 0 2", "two and a half" -> "2.5"), so durations read cardinals and
ticket numbers concatenate groups ("job one oh four" -> 104)."""

from __future__ import annotations

import re

from voiceops.extraction.prefilter import Cue

UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000}
NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS) | frozenset(SCALES)
_FRACTIONS = {"half": 0.5, "quarter": 0.25}

_TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+(?:'[^\W\d_]+)*|[^\w\s]|_")
_HYPHEN_NUMBER = re.compile(r"\b(" + "|".join(TENS) + r")-(" + "|".join(k for k in UNITS if UNITS[k] < 10) + r")\b")


def _cardinal_groups(words: list[str], i: int) -> tuple[list[float], int]:
    """Read number words from ``words[i]``: the groups spoken and the index after them."""
    groups: list[float] = []
    total = 0  # thousands already said in this group
    current: int | None = None

    def close_group() -> None:
        nonlocal total, current
        if current is not None or total:
            groups.append(total + (current or 0))
        total, current = 0, None

    while i < len(words):
        w = words[i]
        if w in ("oh", "zero"):
            close_group()
            groups.append(0)
        elif w in UNITS:
            u = UNITS[w]
            if current is None:
                current = u
            elif (u < 10 and current % 100 >= 20 and current % 10 == 0) or (current >= 100 and current % 100 == 0):
                current += u
            else:
                close_group()
                current = u
        elif w in TENS:
            t = TENS[w]
            if current is None:
                current = t
            elif current >= 100 and current % 100 == 0:
                current += t
            else:
                close_group()
                current = t
        elif w == "hundred":
            if current is None:
                current = 100
            elif current < 100:
                current *= 100
            else:
                break
        elif w == "thousand":
            if total or (current or 1) >= 1000:
                break
            total, current = (current or 1) * 1000, None
        elif (w == "and" and (total or (current is not None and current >= 100)) and i + 1 < len(words)
              and words[i + 1] in NUMBER_WORDS and words[i + 1] not in SCALES):
            pass  # "one hundred and four", "two thousand and twelve"
        else:
            break
        i += 1
    close_group()
    return groups, i


def _fraction_after(words: list[str], i: int) -> tuple[float, int]:
    """'and a half' / 'and a quarter' / 'and three quarters' after a number: (value, next index)."""
    if i + 2 < len(words) and words[i] == "and" and words[i + 1] in ("a", "one") and words[i + 2] in _FRACTIONS:
        return _FRACTIONS[words[i + 2]], i + 3
    if i + 1 < len(words) and words[i] == "and" and words[i + 1] == "half":
        return 0.5, i + 2  # "one and half hour"
    if i + 2 < len(words) and words[i] == "and" and words[i + 1] == "three" and words[i + 2] in ("quarters",
                                                                                                "quarter"):
        return 0.75, i + 3
    return 0.0, i


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


_DIGIT_WORDS = frozenset(w for w, v in UNITS.items() if v < 10)
_DIGITS = re.compile(r"\d+")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")


def numberize(text: str) -> str:
    """Lowercase ``text`` with number words as digits; separately spoken groups stay apart."""
    low = text.lower().replace("\u2019", "'")
    if "-" in low:
        low = _HYPHEN_NUMBER.sub(r"\1 \2", low)
    words = _TOKEN.findall(low)
    if NUMBER_WORDS.isdisjoint(words) and not any(map(str.isdecimal, low)):
        return " ".join(words)  # no number said: nothing to convert
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w == "oh" and not (out and _DIGITS.fullmatch(out[-1])):
            out.append(w)  # "oh and assistant": an interjection, not a zero
            i += 1
            continue
        if w in NUMBER_WORDS and w not in SCALES:
            groups, j = _cardinal_groups(words, i)
            frac, j2 = _fraction_after(words, j)
            if frac and groups:
                groups[-1] = groups[-1] + frac
                j = j2
            # "one point five", "one point seven five": the digits after the point, one word each
            if j + 1 < len(words) and words[j] == "point" and words[j + 1] in UNITS and groups:
                digits, j = str(UNITS[words[j + 1]]), j + 2
                while words[j - 1] in _DIGIT_WORDS and len(digits) < 3 and j < len(words) and words[j] in _DIGIT_WORDS:
                    digits, j = digits + str(UNITS[words[j]]), j + 1
                groups[-1] = float(f"{_fmt(groups[-1])}.{digits}")
            out.extend(_fmt(g) for g in groups)
            i = j
            continue
        if _DECIMAL.fullmatch(w):
            frac, j = _fraction_after(words, i + 1)
            out.append(_fmt(float(w) + frac) if frac else w)
            i = j
            continue
        out.append(w)
        i += 1
    return " ".join(out)


_N = r"(\d+(?:\.\d+)?)"
_HOUR = r"(?:hours?|hrs?)"
_MIN = r"(?:minutes?|mins?|minu(?:t|te)?(?=\s*[.!?]*\s*$))"  # ("new wax ring thirty minu": cut off at the end)
#: the minutes of "an hour 45": the whole number (never "an hour 4" and "5"), not followed by a unit or by a
#: plural noun it counts ("an hour 20 amp breaker", "an hour 2 valves")
#: (a lone 1-4 is a count: "one hour and one fill valve")
_TAIL_END = (r"(?<![^\d][1-4])(?![\d.])(?!\s+and\s+(?:a half|a quarter|3 quarters)\b)"
             r"(?!\s*(?:amps?|volts?|gallons?|gal|psi|feet|foot|inch(?:es)?|tons?|percent|"
             r"degrees?|hp|"
             r"(?!(?:so|is|was|this|has|as|yes|thanks|plus|its|us|his|hers|ours|theirs|less|unless|always|perhaps)\b)"
             r"[a-z]+s)\b)")
_DURATION_PATTERNS: list[tuple[Cue, str]] = [
    (Cue(re.compile(r"\b(?:a\s+)?couple(?:\s+of)?\s+" + _HOUR + r"\b")), "couple"),
    # ("three quarter hour", said without "of an")
    (Cue(re.compile(r"\b3 quarters? (?:of an? )?hour\b")), "three_quarters"),
    (Cue(re.compile(r"\b(?:a\s+)?quarter (?:of an? )?hour\b")), "quarter"),
    (Cue(re.compile(r"\b(?:a\s+)?half (?:an? )?hour\b")), "half"),
    (Cue(re.compile(r"(?:\b" + _N + r"|\b(an?|one))?\s*\b" + _HOUR + r"\b"
                r"(?:\s*(?:and\s+)?(?:(a half|a quarter|3 quarters)\b|" + _N + r"\s*" + _MIN + r"\b|"
                + _N + _TAIL_END + r"))?")), "hours"),
    (Cue(re.compile(r"\b" + _N + r"\s*" + _MIN + r"\b")), "minutes"),
]
_TAIL_FRACTIONS = {"a half": 0.5, "a quarter": 0.25, "3 quarters": 0.75}
_FIXED = {"couple": 2.0, "three_quarters": 0.75, "quarter": 0.25, "half": 0.5}


_AGO = re.compile(r"\s*ago\b|"
                  # "took me forty minutes to get there", "an hour of driving": travel, not time on the job
                  r"\s+(?:to get (?:there|here|over there|over here|out there|in)|of (?:driving|drive time|travel|"
                  r"traffic)|(?:in|stuck in|sitting in) traffic|on the (?:road|highway|freeway|interstate))\b")
#: before "an hour": a speed or a price, not time worked ("40 mile an hour gusts", "four bucks an hour", "per hour")
_SPEED = re.compile(r"\b(?:miles?|kilometers?|kilometres?|km|feet|foot|gallons?|liters?|litres?|bucks|dollars?|quid|"
                    r"pounds|euros?|cents|rands?|rupees?)\s+(?:an|a|per)?\s*$|\b(?:per|by the)\s*$")


_LISTED_BEFORE = re.compile(r"\b\d+\s*(?:and|&)\s*$")
#: a numbered thing just before the number: "the flow switch on riser 2 hour and a quarter" (riser 2, then the time)
_NUMBERED_BEFORE = re.compile(r"\b(?:riser|floor|washer|dryer|car|room|suite|zone|bay|dock|stall|elevator|"
                              r"machine|station|building|apartment|apt|cooler|freezer|tank|boiler|chiller|rtu|oven|"
                              r"fryer|circuit|panel|lane|gate|door)\s*$")


def find_durations(num_text: str) -> list[tuple[int, int, float, str]]:
    """Durations in numberized text as (start, end, hours, unit) in spoken order."""
    found: list[tuple[int, int, float, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _DURATION_PATTERNS:
        for m in pattern.finditer(num_text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if _SPEED.search(num_text, max(0, m.start() - 12), m.start()) or _AGO.match(num_text, m.end()):
                continue  # "40 mile an hour gusts": a speed; "an hour ago": when, not how long
            if kind in _FIXED:
                value, unit = _FIXED[kind], "hours"
            elif kind == "minutes":
                value, unit = float(m.group(1)) / 60.0, "minutes"
            else:
                if not m.group(1) and not m.group(2) and m.group(0).lstrip().startswith("hours"):
                    continue  # "after hours", "hours of work": no number said
                value = float(m.group(1)) if m.group(1) else 1.0
                if m.group(1) and value > 1 and re.match(r"\S+\s*hour\b", m.group(0)) and (
                        _LISTED_BEFORE.search(num_text, max(0, m.start() - 12), m.start())
                        or _NUMBERED_BEFORE.search(num_text, max(0, m.start() - 12), m.start())):
                    # "cleaned the lint ducts on dryers 4 and 5 hour and a half": a list, then the time; "the flow
                    # switch on riser 2 hour and a quarter": which riser, then the time
                    value = 1.0
                if m.group(3):
                    value += _TAIL_FRACTIONS[m.group(3)]
                elif m.group(4):
                    value += float(m.group(4)) / 60.0
                elif m.group(5) and "." in m.group(5) and 0 < float(m.group(5)) <= 16:
                    value = float(m.group(5))  # "five hours er five and a quarter": the time said again, closer
                elif m.group(5) and 0 < float(m.group(5)) < 60:
                    value += float(m.group(5)) / 60.0
                unit = "hours"
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), round(value, 2), unit))
    found.sort()
    return found


def concat_groups(groups: list[str]) -> int | None:
    """'55 0 2' -> 5502: ticket numbers are read digit group by digit group. A round group followed by
    a shorter one is a sum, as a recogniser writes "seven hundred seventy five": '700 75' -> 775,
    '2100 15' -> 2115."""
    if not groups or any(not g.isdigit() for g in groups):
        return None
    merged: list[str] = []
    for g in groups:
        prev = merged[-1] if merged else ""
        zeros = len(prev) - len(prev.rstrip("0"))
        if zeros >= 2 and prev.rstrip("0") and len(g.lstrip("0") or "0") <= zeros and g[0] != "0":
            merged[-1] = str(int(prev) + int(g))
        else:
            merged.append(g)
    return int("".join(merged))

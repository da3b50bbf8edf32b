"""Reply text in the chosen style. The style changes length, never facts: the ticket number, its
status and the hours billed are spoken in every style; parts and customer names in medium and long."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Style = Literal["short", "medium", "long"]
STYLES: tuple[Style, ...] = ("short", "medium", "long")

_OPENERS = {"short": "OK.", "medium": "Got it.", "long": "Got it, thanks."}


@dataclass
class Line:
    """One fact or question the reply must carry."""

    kind: str
    ticket_id: int | None = None
    customer: str | None = None
    hours: float | None = None
    parts: list[str] = field(default_factory=list)
    text: str | None = None  # free text: a question, a time phrase, what was undone
    address: str | None = None


def hours_phrase(hours: float) -> str:
    """'2 hours', '1 hour', '1.5 hours', '45 minutes'."""
    if hours < 1 and round(hours * 60) % 60:
        return f"{round(hours * 60)} minutes"
    value = f"{hours:.2f}".rstrip("0").rstrip(".")
    return f"{value} hour" + ("" if value == "1" else "s")


def _list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _job(line: Line, style: Style) -> str:
    if style != "short" and line.customer:
        return f"Job #{line.ticket_id} for {line.customer}"
    return f"Job #{line.ticket_id}"


def _work(line: Line, style: Style, verb: str) -> str:
    parts = [] if style == "short" else [f"{_list(line.parts)} recorded"] if line.parts else []
    billed = [f"{hours_phrase(line.hours)} billed"] if line.hours else []
    if style == "short":
        return f"{_job(line, style)} {verb}" + "".join(f", {b}" for b in billed) + "."
    return f"{_job(line, style)} {verb}. " + "".join(f"{s[0].upper()}{s[1:]}. " for s in billed + parts)


def render_line(line: Line, style: Style) -> str:
    """One line of the reply in the given style."""
    k = line.kind
    if k == "closed":
        return _work(line, style, "closed")
    if k == "already_closed":
        return f"Job #{line.ticket_id} was already closed; nothing changed."
    if k == "updated":
        return _work(line, style, "updated, still in progress" if style != "short" else "updated")
    if k == "started":
        return f"{_job(line, style)} started." + ("" if style == "short" or not line.address
                                                  else f" It's at {line.address}.")
    if k == "already_started":
        return f"Job #{line.ticket_id} is already in progress."
    if k == "ordered":
        return f"Ordered {_list(line.parts)} for job #{line.ticket_id}."
    if k == "rescheduled":
        when = f" to {line.text}" if line.text else ""
        return f"Job #{line.ticket_id} rescheduled{when}."
    if k == "next_ticket":
        where = f" at {line.address}" if line.address and style != "short" else ""
        return f"Next up: job #{line.ticket_id}, {line.customer}{where}."
    if k == "no_next_ticket":
        return "You have no more open tickets." if style != "long" else \
            "You have no more open tickets today, and there are none waiting to be picked up."
    if k == "undone":
        return f"Undone: {line.text}."
    if k == "nothing_to_undo":
        return "There is nothing recent to undo."
    if k == "declined":
        return "Okay." if style == "short" else "Okay, no problem."
    if k == "nothing_pending":
        return "There's no question waiting for an answer."
    if k == "repeat":
        return line.text or "I have nothing to repeat yet."
    if k == "ask_next":
        return "Next ticket?" if style == "short" else "Do you want to pick up the next ticket?"
    if k in {"question", "clarify", "refused"}:
        return line.text or ""
    if k == "not_understood":
        return "Sorry, I didn't get that. Could you say it again?"
    if k == "bad_audio":
        return "Sorry, I didn't catch that — could you say it again?"
    raise ValueError(f"no template for reply line {k!r}")


def compose(lines: list[Line], style: Style) -> str:
    """The full reply: an opener when something was written, then every line in order."""
    if not lines:
        lines = [Line("not_understood")]
    body = " ".join(render_line(line, style).strip() for line in lines)
    wrote = any(line.kind in {"closed", "updated", "started", "ordered", "rescheduled", "undone"} for line in lines)
    return f"{_OPENERS[style]} {body}" if wrote else body

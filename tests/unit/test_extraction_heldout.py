"""Held-out evaluation of the configured extractor on tests/data/heldout_utterances.jsonl.

The data was written by hand, blind to the extractor's code and tests (see tests/data/README.md).
The assertions are floors, not targets: no critical error (a state-changing command no gold
command supports) and action accuracy of at least 0.90. Run with ``-s`` to see every figure and
each non-exact utterance with gold and predicted commands.

Scoring follows the shared extraction scorer's rules. When ``voiceops.extraction.scoring`` exists
its ``score`` is used; otherwise the same rules are computed here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from voiceops.extraction import build_extractor
from voiceops.settings import Settings

DATA = Path(__file__).resolve().parent.parent / "data" / "heldout_utterances.jsonl"
FIELDS = ("action", "customer", "ticket_id", "parts", "billing_hours", "notes")
STATE_CHANGING = {"close_ticket", "update_ticket", "order_parts", "reschedule_ticket"}
ACTION_FLOOR = 0.90


# ------------------------------------------------------------------ local port of the scorer rules
def _norm_customer(c: Any) -> str | None:
    if not isinstance(c, str):
        return None
    s = re.sub(r"\s+", " ", c.replace("\u2019", "'").strip().lower()).strip(" .,;:!?\"")
    if s in ("", "null", "none"):
        return None
    s = re.sub(r"'s$", "", re.sub(r"^the\s+", "", s)).strip()
    return s or None


def _norm_ticket(t: Any) -> int | None:
    if t is None or isinstance(t, bool):
        return None
    if isinstance(t, int):
        return t
    if isinstance(t, float) and t.is_integer():
        return int(t)
    if isinstance(t, str) and t.strip().lstrip("#").isdigit():
        return int(t.strip().lstrip("#"))
    return None


def _norm_hours(h: Any) -> float | None:
    if h is None or isinstance(h, bool):
        return None
    try:
        return float(h)
    except (TypeError, ValueError):
        return None


def _part_key(p: str) -> str | None:
    words = [w for w in re.split(r"[\s\-]+", p.strip().lower()) if w]
    if not words:
        return None
    w = words[-1].strip(".,;:!?\"'()")
    return w[:-1] if w.endswith("s") and len(w) > 1 else w


def _norm(c: dict) -> dict:
    parts = c.get("parts") or []
    if isinstance(parts, str):
        parts = [parts]
    return {"action": c.get("action"), "customer": _norm_customer(c.get("customer")),
            "ticket_id": _norm_ticket(c.get("ticket_id")), "billing_hours": _norm_hours(c.get("billing_hours")),
            "parts": [p for p in parts if isinstance(p, str) and p.strip()]}


def _hours_ok(g: float | None, p: float | None) -> bool:
    if g is None or p is None:
        return g is None and p is None
    return abs(g - p) <= 0.01 + 1e-9


def _parts_tp(gold: list[str], pred: list[str]) -> int:
    keys = [_part_key(g) for g in gold]
    used = [False] * len(keys)
    tp = 0
    for p in pred:
        k = _part_key(p)
        for i, g in enumerate(keys):
            if not used[i] and g is not None and g == k:
                used[i] = True
                tp += 1
                break
    return tp


def _supports(g: dict, p: dict) -> bool:
    if g["action"] != p["action"]:
        return False
    if g["ticket_id"] is not None and p["ticket_id"] is not None:
        return g["ticket_id"] == p["ticket_id"]
    return g["customer"] == p["customer"]


def _local_score(gold_rows: list[dict], pred_rows: list[dict]) -> dict:
    preds = {r["id"]: r["commands"] for r in pred_rows}
    slots = act = cus = hrs = tkt = tp = npred = ngold = exact = 0
    critical = []
    for row in gold_rows:
        G = [_norm(c) for c in row["expected"]["commands"]]
        P = [_norm(c) for c in preds.get(row["id"], [])]
        utt_exact = len(G) == len(P)
        for i in range(max(len(G), len(P))):
            slots += 1
            g = G[i] if i < len(G) else None
            p = P[i] if i < len(P) else None
            if g is None or p is None:
                npred += len(p["parts"]) if p else 0
                ngold += len(g["parts"]) if g else 0
                utt_exact = False
                continue
            ok = (g["action"] == p["action"], g["customer"] == p["customer"],
                  _hours_ok(g["billing_hours"], p["billing_hours"]), g["ticket_id"] == p["ticket_id"])
            act, cus, hrs, tkt = act + ok[0], cus + ok[1], hrs + ok[2], tkt + ok[3]
            ptp = _parts_tp(g["parts"], p["parts"])
            tp, npred, ngold = tp + ptp, npred + len(p["parts"]), ngold + len(g["parts"])
            parts_ok = ptp == len(g["parts"]) == len(p["parts"])
            if not (all(ok) and parts_ok):
                utt_exact = False
        exact += utt_exact
        critical += [{"id": row["id"], "action": p["action"], "customer": p["customer"], "ticket_id": p["ticket_id"]}
                     for p in P if p["action"] in STATE_CHANGING and not any(_supports(g, p) for g in G)]
    return {"n": len(gold_rows), "slots": slots, "action_acc": act / slots, "customer_acc": cus / slots,
            "hours_acc": hrs / slots, "ticket_acc": tkt / slots,
            "parts_f1": 2.0 * tp / (npred + ngold) if npred + ngold else 1.0,
            "exact": exact / len(gold_rows), "critical_errors": len(critical), "critical": critical}


def _score(gold_rows: list[dict], pred_rows: list[dict]) -> dict:
    try:
        from voiceops.extraction.scoring import score  # the package copy of the shared scorer
    except ImportError:
        return _local_score(gold_rows, pred_rows)
    return score(gold_rows, pred_rows)


# ------------------------------------------------------------------ the test
def _as_dict(command: Any) -> dict:
    d = command.model_dump(mode="json") if hasattr(command, "model_dump") else dict(command)
    return {k: d.get(k) for k in FIELDS}


def _fmt(c: dict) -> str:
    return f"{c['action']} cust={c['customer']} tkt={c['ticket_id']} hrs={c['billing_hours']} parts={c['parts']}"


def _is_exact(gold: list[dict], pred: list[dict]) -> bool:
    return _local_score([{"id": "x", "expected": {"commands": gold}}], [{"id": "x", "commands": pred}])["exact"] == 1.0


def test_heldout_extraction_floor() -> None:
    gold_rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(gold_rows) == 120
    extractor = build_extractor(Settings())
    pred_rows = [{"id": r["id"], "commands": [_as_dict(c) for c in extractor.extract(r["text"]).commands]}
                 for r in gold_rows]

    m = _score(gold_rows, pred_rows)
    print(f"\nheld-out extraction ({m['n']} utterances, {m['slots']} slots)")
    keys = ("action_acc", "customer_acc", "hours_acc", "ticket_acc", "parts_f1", "exact")
    print("  ".join(f"{k}={m[k]:.4f}" for k in keys), f"critical_errors={m['critical_errors']}")
    for c in m.get("critical", []):
        print(f"  CRITICAL {c['id']}: {c['action']} customer={c['customer']} ticket={c['ticket_id']}")
    for g_row, p_row in zip(gold_rows, pred_rows, strict=True):
        gold, pred = g_row["expected"]["commands"], p_row["commands"]
        if _is_exact(gold, pred):
            continue
        print(f"[{g_row['id']}] {g_row['text']}")
        for c in gold:
            print("   gold: " + _fmt(c))
        for c in pred:
            print("   pred: " + _fmt(c))

    assert m["critical_errors"] == 0, m
    assert m["action_acc"] >= ACTION_FLOOR, m


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(pytest.main([__file__, "-s"]))

"""Scoring extracted commands against labelled gold.

Adapted from the VoiceOps shared evaluation kit, ``eval/score_extraction.py`` (which lives beside
the repository, not in it); the rules are the same, the output is split into ``score`` (figures,
no printing) and ``report`` (the human-readable text ending with the SCORE line):

* Command lists are aligned by position (spoken order); a slot where one side has no command
  counts as wrong for every field.
* action / customer / hours / ticket accuracy = matching slots / all slots. Customers match
  case-insensitively after dropping a leading "the " and a trailing "'s"; hours within 0.01;
  two nulls match.
* parts_f1 = micro F1; a predicted part matches an unmatched gold part of the same slot when
  their last words match after lowercasing, splitting on spaces and hyphens and stripping one
  trailing "s".
* exact = utterances where every command matches on every scored field.
* critical_errors = predicted close/update/order/reschedule commands that no gold command of the
  same utterance supports (same action and same job: equal ticket, or no conflicting tickets and
  the same customer).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from voiceops.errors import PermanentError

ACTIONS = {"close_ticket", "update_ticket", "start_ticket", "next_ticket", "order_parts", "reschedule_ticket",
           "confirm", "decline", "repeat", "unknown"}
STATE_CHANGING = {"close_ticket", "update_ticket", "order_parts", "reschedule_ticket"}
INVALID = object()  # a value that never matches anything


class LabelledFileError(PermanentError):
    code = "bad_labelled_file"


# ----------------------------------------------------------------- normalisers
def norm_customer(c: Any) -> Any:
    if c is None:
        return None
    if not isinstance(c, str):
        return INVALID
    s = re.sub(r"\s+", " ", c.replace("\u2019", "'").strip().lower()).strip(" .,;:!?\"")
    if s in ("", "null", "none"):
        return None
    s = re.sub(r"'s$", "", re.sub(r"^the\s+", "", s)).strip()
    return s or None


def norm_hours(h: Any) -> Any:
    if h is None:
        return None
    if isinstance(h, bool):
        return INVALID
    if isinstance(h, int | float):
        return float(h)
    if isinstance(h, str):
        s = h.strip()
        if s == "" or s.lower() in ("null", "none"):
            return None
        try:
            return float(s)
        except ValueError:
            return INVALID
    return INVALID


def norm_ticket(t: Any) -> Any:
    if t is None:
        return None
    if isinstance(t, bool):
        return INVALID
    if isinstance(t, int):
        return t
    if isinstance(t, float):
        return int(t) if t.is_integer() else INVALID
    if isinstance(t, str):
        s = t.strip().lstrip("#")
        if s == "" or s.lower() in ("null", "none"):
            return None
        return int(s) if s.isdigit() else INVALID
    return INVALID


def part_key(p: Any) -> str | None:
    """The last word of a part name, lowercase, one trailing 's' stripped."""
    if not isinstance(p, str):
        return None
    words = [w for w in re.split(r"[\s\-]+", p.strip().lower()) if w]
    if not words:
        return None
    w = words[-1].strip(".,;:!?\"'()")
    return w[:-1] if w.endswith("s") and len(w) > 1 else w


def norm_parts(ps: Any) -> list[str]:
    if ps is None:
        return []
    if isinstance(ps, str):
        ps = [ps]
    if not isinstance(ps, list):
        return []
    return [p for p in ps if isinstance(p, str) and p.strip()]


def norm_cmd(c: Any) -> dict[str, Any]:
    if not isinstance(c, dict):
        return {"action": None, "customer": INVALID, "ticket_id": INVALID, "parts": [], "billing_hours": INVALID}
    a = c.get("action")
    return {"action": a if isinstance(a, str) else None,
            "customer": norm_customer(c.get("customer")),
            "ticket_id": norm_ticket(c.get("ticket_id")),
            "parts": norm_parts(c.get("parts")),
            "billing_hours": norm_hours(c.get("billing_hours"))}


# ----------------------------------------------------------------- comparisons
def same(a: Any, b: Any) -> bool:
    return a is not INVALID and b is not INVALID and a == b


def hours_ok(g: Any, p: Any) -> bool:
    if g is None and p is None:
        return True
    if g is None or p is None or g is INVALID or p is INVALID:
        return False
    return abs(g - p) <= 0.01 + 1e-9


def parts_match(gold: list[str], pred: list[str]) -> tuple[int, int, int]:
    """(true positives, predicted, gold) with greedy one-to-one last-word matching."""
    gk = [part_key(g) for g in gold]
    used = [False] * len(gk)
    tp = 0
    for p in pred:
        k = part_key(p)
        for i, g in enumerate(gk):
            if not used[i] and g is not None and g == k:
                used[i] = True
                tp += 1
                break
    return tp, len(pred), len(gold)


def f1(tp: int, n_pred: int, n_gold: int) -> float:
    return 1.0 if n_pred + n_gold == 0 else 2.0 * tp / (n_pred + n_gold)


def supports(g: dict[str, Any], p: dict[str, Any]) -> bool:
    """Does gold command ``g`` justify the state change predicted in ``p``?"""
    if g["action"] != p["action"]:
        return False
    gt, pt = g["ticket_id"], p["ticket_id"]
    if gt is INVALID or pt is INVALID:
        return False
    if gt is not None and pt is not None:
        return gt == pt
    return same(g["customer"], p["customer"])


# ----------------------------------------------------------------- io
def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a JSONL file; a clear error for a missing file or a line that is not JSON."""
    rows = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LabelledFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    for ln, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelledFileError(f"{path} line {ln} is not JSON: {exc.msg}") from exc
        if not isinstance(row, dict):
            raise LabelledFileError(f"{path} line {ln} is not a JSON object")
        rows.append(row)
    return rows


def commands_of(obj: Any) -> list[Any]:
    if not isinstance(obj, dict):
        return []
    c = obj.get("commands")
    if c is None and isinstance(obj.get("expected"), dict):
        c = obj["expected"].get("commands")
    if c is None and isinstance(obj.get("prediction"), dict):
        c = obj["prediction"].get("commands")
    if isinstance(c, dict):
        c = [c]
    return c if isinstance(c, list) else []


def _fmt(v: Any) -> str:
    return "None" if v is None else ("<invalid>" if v is INVALID else repr(v))


# ----------------------------------------------------------------- scoring
def score(gold_rows: Iterable[dict[str, Any]], pred_rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Every figure of the scoring rules, plus the non-exact utterances under ``mismatches``."""
    gold_rows = [g for g in gold_rows if isinstance(g, dict) and "id" in g]
    preds = {r["id"]: commands_of(r) for r in pred_rows if isinstance(r, dict) and "id" in r}
    slots = act = cus = hrs = tkt = tp = npred = ngold = exact = 0
    crit_list: list[tuple[str, dict[str, Any]]] = []
    n_missing_cmd = n_extra_cmd = 0
    nonnull = {k: [0, 0] for k in ("customer", "ticket_id", "billing_hours")}
    per_action: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    bad_action_names: Counter[str] = Counter()
    mismatches = []
    for g_row in gold_rows:
        gid = g_row["id"]
        gold = [norm_cmd(c) for c in commands_of(g_row)]
        pred = [norm_cmd(c) for c in preds.get(gid, [])]
        for p in pred:
            if p["action"] not in ACTIONS:
                bad_action_names[str(p["action"])] += 1
        utt_exact = len(gold) == len(pred)
        for i in range(max(len(gold), len(pred))):
            slots += 1
            g = gold[i] if i < len(gold) else None
            p = pred[i] if i < len(pred) else None
            if g is None:
                n_extra_cmd += 1
                npred += len(p["parts"])
                utt_exact = False
                continue
            per_action[g["action"]][1] += 1
            for k in nonnull:
                if g[k] is not None:
                    nonnull[k][1] += 1
            if p is None:
                n_missing_cmd += 1
                ngold += len(g["parts"])
                utt_exact = False
                continue
            a_ok = g["action"] == p["action"]
            c_ok = same(g["customer"], p["customer"])
            h_ok = hours_ok(g["billing_hours"], p["billing_hours"])
            t_ok = same(g["ticket_id"], p["ticket_id"])
            ptp, pn, gn = parts_match(g["parts"], p["parts"])
            act, cus, hrs, tkt = act + a_ok, cus + c_ok, hrs + h_ok, tkt + t_ok
            tp, npred, ngold = tp + ptp, npred + pn, ngold + gn
            per_action[g["action"]][0] += a_ok
            for k, ok in (("customer", c_ok), ("ticket_id", t_ok), ("billing_hours", h_ok)):
                if g[k] is not None:
                    nonnull[k][0] += ok
            if not (a_ok and c_ok and h_ok and t_ok and f1(ptp, pn, gn) == 1.0):
                utt_exact = False
        exact += utt_exact
        crit_list += [(gid, p) for p in pred
                      if p["action"] in STATE_CHANGING and not any(supports(g, p) for g in gold)]
        if not utt_exact:
            mismatches.append({"id": gid, "text": g_row.get("text", ""), "gold": gold, "pred": pred})
    n_utt = len(gold_rows)

    def share(a: int, b: int) -> float:
        return a / b if b else 1.0

    return {
        "n": n_utt, "slots": slots,
        "action_acc": share(act, slots), "customer_acc": share(cus, slots),
        "hours_acc": share(hrs, slots), "ticket_acc": share(tkt, slots),
        "parts_precision": share(tp, npred), "parts_recall": share(tp, ngold),
        "parts_f1": f1(tp, npred, ngold), "parts_counts": (tp, npred, ngold),
        "exact": share(exact, n_utt), "exact_count": exact,
        "critical_errors": len(crit_list),
        "missing_commands": n_missing_cmd, "extra_commands": n_extra_cmd,
        "missing_pred_ids": sum(1 for g in gold_rows if g["id"] not in preds),
        "nonnull": {k: (c, t) for k, (c, t) in nonnull.items()},
        "per_gold_action_acc": {a: (c, t) for a, (c, t) in sorted(per_action.items())},
        "bad_action_names": dict(bad_action_names),
        "critical": [{"id": i, "action": p["action"],
                      "customer": None if p["customer"] in (None, INVALID) else p["customer"],
                      "ticket_id": None if p["ticket_id"] in (None, INVALID) else p["ticket_id"]}
                     for i, p in crit_list],
        "mismatches": mismatches,
    }


def score_line(m: dict[str, Any]) -> str:
    """The one-line summary runs are compared by."""
    return (f"SCORE action_acc={m['action_acc']:.4f} customer_acc={m['customer_acc']:.4f} "
            f"hours_acc={m['hours_acc']:.4f} ticket_acc={m['ticket_acc']:.4f} parts_f1={m['parts_f1']:.4f} "
            f"exact={m['exact']:.4f} critical_errors={m['critical_errors']} n={m['n']}")


def report(m: dict[str, Any], out: TextIO, *, verbose: bool = True) -> None:
    """Print the figures, the wrong cases (when ``verbose``) and, last, the SCORE line."""
    nn = m["nonnull"]

    def on(k: str) -> str:
        c, t = nn[k]
        return f"{c / t if t else 1.0:.4f} over {t}"

    print(f"gold utterances: {m['n']}   gold+pred command slots: {m['slots']}", file=out)
    if m["missing_pred_ids"]:
        print(f"prediction lines missing for {m['missing_pred_ids']} gold ids (scored as empty)", file=out)
    if m["bad_action_names"]:
        print(f"predicted action strings outside the contract: {m['bad_action_names']}", file=out)
    print(f"missing commands: {m['missing_commands']}   extra commands: {m['extra_commands']}", file=out)
    print(f"action_acc      {m['action_acc']:.4f}", file=out)
    print(f"customer_acc    {m['customer_acc']:.4f}   (on gold commands with a customer: {on('customer')})", file=out)
    print(f"hours_acc       {m['hours_acc']:.4f}   (on gold commands with hours: {on('billing_hours')})", file=out)
    print(f"ticket_acc      {m['ticket_acc']:.4f}   (on gold commands with a ticket: {on('ticket_id')})", file=out)
    tp, npred, ngold = m["parts_counts"]
    print(f"parts           P={m['parts_precision']:.4f} R={m['parts_recall']:.4f} F1={m['parts_f1']:.4f} "
          f"(tp={tp} pred={npred} gold={ngold})", file=out)
    print(f"exact           {m['exact']:.4f} ({m['exact_count']}/{m['n']} utterances)", file=out)
    print("per gold action (action accuracy):", file=out)
    for a, (c, t) in m["per_gold_action_acc"].items():
        print(f"  {a:<18} {c:3d}/{t:<3d} {c / t:.3f}", file=out)
    print(f"critical_errors {m['critical_errors']}", file=out)
    for c in m["critical"]:
        print(f"  CRITICAL {c['id']}: {c['action']} customer={c['customer']!r} ticket={c['ticket_id']!r}", file=out)
    if verbose and m["mismatches"]:
        print("\n--- wrong cases (not an exact match) ---", file=out)
        for w in m["mismatches"]:
            print(f"[{w['id']}] {w['text']}", file=out)
            for label in ("gold", "pred"):
                for c in w[label]:
                    print(f"   {label}: {c['action']} cust={_fmt(c['customer'])} tkt={_fmt(c['ticket_id'])} "
                          f"hrs={_fmt(c['billing_hours'])} parts={c['parts']}", file=out)
                if not w[label]:
                    print(f"   {label}: (none)", file=out)
    print(score_line(m), file=out)

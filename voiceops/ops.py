"""Read-only queries behind the ops console: the day's tickets, the command log, failures, the bandit.

Every function takes a connection inside the caller's transaction and an ``OpsFilter`` (a local
day in an IANA time zone, optionally one technician) and returns JSON-able dicts. Nothing here
writes; the one write the console can ask for (retry) belongs to voiceops.operations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import unquote, urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import psycopg
from psycopg.rows import dict_row

from voiceops.auth import TECHNICIAN_ID
from voiceops.errors import PermanentError

STYLES = ("short", "medium", "long")
MAX_ROWS = 500


class InvalidFilter(PermanentError):
    """A query parameter of the ops console that cannot be used (HTTP 400)."""

    code = "invalid_filter"


@dataclass(frozen=True)
class OpsFilter:
    """Which local day (in ``tz``) and which technician (None = everyone) the console looks at."""

    day: date
    tz: str = "UTC"
    technician_id: str | None = None

    @classmethod
    def parse(cls, query: Mapping[str, str], *, now: datetime | None = None) -> OpsFilter:
        """Read ``day`` (YYYY-MM-DD, default today in ``tz``), ``tz`` and ``technician`` from a query string."""
        tz = (query.get("tz") or "UTC").strip()
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidFilter(f"unknown time zone {tz!r}; use an IANA name such as Europe/Berlin") from exc
        raw_day = (query.get("day") or "").strip()
        if raw_day:
            try:
                day = date.fromisoformat(raw_day)
            except ValueError as exc:
                raise InvalidFilter(f"day must be YYYY-MM-DD, not {raw_day!r}") from exc
        else:
            day = (now or datetime.now(UTC)).astimezone(zone).date()
        technician = (query.get("technician") or "").strip() or None
        if technician is not None and not TECHNICIAN_ID.match(technician):
            raise InvalidFilter(f"invalid technician id {technician!r}")
        return cls(day=day, tz=tz, technician_id=technician)

    def params(self, **extra) -> dict:
        return {"day": self.day, "tz": self.tz, "tech": self.technician_id, **extra}


# the local day [start, end) as timestamptz, computed by PostgreSQL so DST days are 23 or 25 hours
_DAY = """day AS (SELECT (%(day)s::date)::timestamp AT TIME ZONE %(tz)s AS start,
                         (%(day)s::date + 1)::timestamp AT TIME ZONE %(tz)s AS stop)"""


def technicians(conn: psycopg.Connection) -> list[dict]:
    """Every technician (id, name) for the console's filter."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT id, name FROM technicians ORDER BY name, id").fetchall()


def tickets(conn: psycopg.Connection, f: OpsFilter) -> dict:
    """Tickets scheduled on the day or touched on it (status change or any audited write), with their state."""
    sql = f"""WITH {_DAY}
        SELECT t.id, c.name AS customer, c.address, t.technician_id, tech.name AS technician_name, t.status,
               t.description, t.scheduled_start, t.scheduled_end, t.reschedule_note, t.updated_at, t.closed_at,
               (SELECT coalesce(sum(b.hours), 0)::float FROM billing_entries b WHERE b.ticket_id = t.id)
                   AS hours_billed,
               (SELECT coalesce(array_agg(p.part ORDER BY p.id), '{{}}') FROM ticket_parts p
                 WHERE p.ticket_id = t.id AND p.kind = 'used') AS parts_used,
               (SELECT coalesce(array_agg(p.part ORDER BY p.id), '{{}}') FROM ticket_parts p
                 WHERE p.ticket_id = t.id AND p.kind = 'ordered') AS parts_ordered,
               (SELECT max(a.created_at) FROM audit_log a WHERE a.ticket_id = t.id) AS last_change_at
          FROM tickets t CROSS JOIN day
          JOIN customers c ON c.id = t.customer_id
          LEFT JOIN technicians tech ON tech.id = t.technician_id
         WHERE ((t.scheduled_start >= day.start AND t.scheduled_start < day.stop)
                OR (t.updated_at >= day.start AND t.updated_at < day.stop)
                OR EXISTS (SELECT 1 FROM audit_log a WHERE a.ticket_id = t.id
                                                      AND a.created_at >= day.start AND a.created_at < day.stop))
           AND (%(tech)s::text IS NULL OR t.technician_id = %(tech)s)
         ORDER BY t.scheduled_start NULLS LAST, t.id
         LIMIT {MAX_ROWS}"""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(sql, f.params()).fetchall()
    counts = {status: sum(1 for r in rows if r["status"] == status) for status in ("open", "in_progress", "closed")}
    return {"day": f.day.isoformat(), "tz": f.tz, "technician": f.technician_id, "counts": counts, "tickets": rows}


_COMMAND_COLUMNS = """v.clip_id, v.technician_id, tech.name AS technician_name, v.transcript, v.extraction,
       v.extractor, v.status, v.error_code, v.error, v.stt_engine, v.stt_confidence, v.audio_seconds, v.timings,
       v.attempts, v.recorded_at, v.received_at, v.created_at, v.completed_at, v.purged_at, v.blob_url,
       r.status AS reply_status, r.style, r.reply_text, r.audio_blob AS reply_blob,
       r.sidecar -> 'changes' AS changes, r.decision_id, rw.reward, rw.source AS reward_source"""
_COMMAND_JOINS = """LEFT JOIN technicians tech ON tech.id = v.technician_id
          LEFT JOIN replies r ON r.clip_id = v.clip_id
          LEFT JOIN bandit_rewards rw ON rw.decision_id::text = r.decision_id"""


def commands(conn: psycopg.Connection, f: OpsFilter, *, limit: int = 200) -> dict:
    """The day's voice commands, newest first: transcript, extraction, outcome, reply and its reward."""
    sql = f"""WITH {_DAY}
        SELECT {_COMMAND_COLUMNS}
          FROM voice_commands v CROSS JOIN day {_COMMAND_JOINS}
         WHERE v.created_at >= day.start AND v.created_at < day.stop
           AND (%(tech)s::text IS NULL OR v.technician_id = %(tech)s)
         ORDER BY v.created_at DESC, v.id DESC
         LIMIT %(limit)s"""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(sql, f.params(limit=max(1, min(limit, MAX_ROWS)))).fetchall()
    for row in rows:
        _blob_names(row)
    return {"day": f.day.isoformat(), "tz": f.tz, "technician": f.technician_id, "commands": rows}


def failed(conn: psycopg.Connection, f: OpsFilter, *, limit: int = 200) -> dict:
    """Failed and dead-lettered commands of the day (by when they failed), newest first, with their reasons."""
    sql = f"""WITH {_DAY}
        SELECT {_COMMAND_COLUMNS}, v.dead_lettered_at,
               CASE WHEN v.dead_lettered_at IS NOT NULL THEN 'dead_lettered' ELSE v.status END AS failure
          FROM voice_commands v CROSS JOIN day {_COMMAND_JOINS}
         WHERE (v.status = 'failed' OR v.dead_lettered_at IS NOT NULL)
           AND coalesce(v.dead_lettered_at, v.created_at) >= day.start
           AND coalesce(v.dead_lettered_at, v.created_at) < day.stop
           AND (%(tech)s::text IS NULL OR v.technician_id = %(tech)s)
         ORDER BY coalesce(v.dead_lettered_at, v.created_at) DESC, v.id DESC
         LIMIT %(limit)s"""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(sql, f.params(limit=max(1, min(limit, MAX_ROWS)))).fetchall()
    for row in rows:
        _blob_names(row)
        row["reason"] = ": ".join(x for x in (row["error_code"], row["error"]) if x) or row["failure"]
    return {"day": f.day.isoformat(), "tz": f.tz, "technician": f.technician_id, "failed": rows}


def bandit(conn: psycopg.Connection, f: OpsFilter, *, days: int = 7) -> dict:
    """The style share per local hour of decision and the mean reward over time, for ``days`` days ending on the day.

    Buckets are hours when ``days`` is 1 and days otherwise; ``reward_over_time`` also carries each
    style's mean so a chart can show which style earns more."""
    if not 1 <= days <= 90:
        raise InvalidFilter("days must be between 1 and 90")
    unit = "hour" if days == 1 else "day"
    window = f"""{_DAY}, win AS (SELECT day.stop - make_interval(days => %(days)s) AS start, day.stop FROM day)"""
    params = f.params(days=days, unit=unit)
    tech = "AND (%(tech)s::text IS NULL OR d.technician_id = %(tech)s)"
    with conn.cursor(row_factory=dict_row) as cur:
        share_rows = cur.execute(
            f"""WITH {window}
                SELECT d.hour, d.style, count(*)::int AS n
                  FROM bandit_decisions d CROSS JOIN win
                 WHERE d.created_at >= win.start AND d.created_at < win.stop {tech}
                 GROUP BY d.hour, d.style""", params).fetchall()
        reward_rows = cur.execute(
            f"""WITH {window}
                SELECT date_trunc(%(unit)s, rw.created_at AT TIME ZONE %(tz)s) AS bucket, d.style,
                       count(*)::int AS n, avg(rw.reward)::float AS mean
                  FROM bandit_rewards rw JOIN bandit_decisions d ON d.id = rw.decision_id CROSS JOIN win
                 WHERE rw.created_at >= win.start AND rw.created_at < win.stop {tech}
                 GROUP BY 1, 2 ORDER BY 1""", params).fetchall()
        totals = cur.execute(
            f"""WITH {window}
                SELECT count(*)::int AS decisions, count(rw.decision_id)::int AS rewarded,
                       avg(rw.reward)::float AS mean_reward,
                       coalesce(avg(d.explored::int), 0)::float AS explored_share,
                       count(*) FILTER (WHERE rw.source = 'feedback')::int AS from_feedback,
                       count(*) FILTER (WHERE rw.source = 'default')::int AS from_default,
                       count(*) FILTER (WHERE rw.source = 'repeat')::int AS from_repeat
                  FROM bandit_decisions d CROSS JOIN win
                  LEFT JOIN bandit_rewards rw ON rw.decision_id = d.id
                 WHERE d.created_at >= win.start AND d.created_at < win.stop {tech}""", params).fetchone()
    by_hour = [{"hour": h, "total": 0, **{s: 0 for s in STYLES}} for h in range(24)]
    for row in share_rows:
        by_hour[row["hour"]][row["style"]] += row["n"]
        by_hour[row["hour"]]["total"] += row["n"]
    buckets: dict[datetime, dict] = {}
    for row in reward_rows:
        b = buckets.setdefault(row["bucket"], {"bucket": row["bucket"].isoformat(), "n": 0, "sum": 0.0,
                                               "styles": {}})
        b["n"] += row["n"]
        b["sum"] += row["mean"] * row["n"]
        b["styles"][row["style"]] = {"n": row["n"], "mean": round(row["mean"], 4)}
    over_time = [{"bucket": b["bucket"], "n": b["n"], "mean": round(b["sum"] / b["n"], 4), "styles": b["styles"]}
                 for b in buckets.values()]
    return {"day": f.day.isoformat(), "tz": f.tz, "technician": f.technician_id, "days": days, "unit": unit,
            "styles": list(STYLES), "share_by_hour": by_hour, "reward_over_time": over_time, "totals": totals}


def _blob_names(row: dict) -> None:
    """Replace the logged blob URL with container-relative names; none once retention purged the audio."""
    blob_url = row.pop("blob_url")
    if row["purged_at"] is not None:
        row["clip_blob"] = row["reply_blob"] = None
    else:
        row["clip_blob"] = clip_blob_name(blob_url, row["technician_id"], row["clip_id"])


def clip_blob_name(blob_url: str | None, technician_id: str, clip_id: str) -> str | None:
    """The container-relative clip name ``{technician}/{clip_id}.{ext}`` from the URL ingest logged.

    Works for Azure/Azurite URLs and local file URIs alike: the last two path segments, when
    they are this technician's folder and this clip's file."""
    if not blob_url:
        return None
    segments = [unquote(s) for s in urlparse(blob_url).path.split("/") if s]
    if len(segments) < 2:
        return None
    folder, filename = segments[-2], segments[-1]
    if folder != technician_id or not re.fullmatch(re.escape(clip_id) + r"(\.[A-Za-z0-9]{1,5})?", filename):
        return None
    return f"{folder}/{filename}"

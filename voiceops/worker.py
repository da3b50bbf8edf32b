"""Stage 2: a TranscriptEvent -> audited ticket changes and a spoken reply, exactly once per clip.

The database transaction is keyed on clip_id: a redelivered or concurrent copy of the same event
writes nothing twice and still ends with the reply present (re-spoken if the first attempt died
between the commit and the upload). Transient errors propagate so the host retries; everything
permanent is recorded and answered."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from voiceops import telemetry
from voiceops.bandit import StyleContext
from voiceops.bootstrap import Services
from voiceops.contracts import Action, CommandList, OpenTicket, ReplySidecar, TranscriptEvent, VoiceCommand, utcnow
from voiceops.db import commands as log
from voiceops.db import tickets as repo
from voiceops.db.changes import ChangeSet
from voiceops.db.pool import is_contention
from voiceops.dispatch import Dispatcher, Turn, TurnResult
from voiceops.errors import PermanentError, TransientError, VoiceOpsError
from voiceops.extraction.base import Extraction
from voiceops.extraction.confirmation import mark_confirmation
from voiceops.operations import delete_clip, record_dead_letter
from voiceops.replies import Line, compose

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What one event produced: the reply sidecar, and whether it was a repeat delivery."""

    sidecar: ReplySidecar
    duplicate: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)


class _Stopwatch:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._t = time.perf_counter()
        self._start = self._t

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round((now - self._t) * 1000, 2)
        self._t = now

    def total(self) -> dict[str, float]:
        return {**self.laps, "total": round((time.perf_counter() - self._start) * 1000, 2)}


Delivery = tuple[str | bytes, int | None]  # a queue message's body and its delivery count


def handle_message(services: Services, body: str | bytes, *, delivery_count: int | None = None,
                   speak: bool = True) -> Outcome:
    """One queue message: ``handle_batch`` of one, raising what it would have reported."""
    result = handle_batch(services, [(body, delivery_count)], speak=speak)[0]
    if isinstance(result, Exception):
        raise result
    return result


def handle_batch(services: Services, deliveries: Sequence[Delivery], *,
                 speak: bool = True) -> list[Outcome | Exception]:
    """A batch of queue messages, in order: an Outcome or the exception for each.

    Clips are applied together, a handful of statements and one commit for the lot. A technician's
    clips go in queue order: a second clip of the same technician (or a second copy of a clip)
    waits for the next round, and is held back (failed, for the host to redeliver) if an earlier one
    failed transiently. If the database is unreachable every clip of the round fails, for the
    host to retry; any other failure (a lock wait, a deadlock, one clip's bad data) sends the
    round's clips again one by one, so one bad message cannot hold back the rest. A malformed
    message is recorded, not raised. On a message's last delivery (Settings.max_delivery_count) a
    failure is recorded for ops; the host then dead-letters it."""
    results: list[Outcome | Exception | None] = [None] * len(deliveries)
    pending: list[tuple[int, TranscriptEvent]] = []
    for i, (body, _) in enumerate(deliveries):
        try:
            pending.append((i, TranscriptEvent.from_json(body)))
        except ValidationError as exc:
            try:
                results[i] = _record_malformed(services, body, exc)
            except Exception as failure:  # reported with the message, like any other failure
                results[i] = failure
    held_back: set[str] = set()  # technicians whose earlier clip failed transiently: keep their order
    for group in _rounds(pending):
        waiting = [(i, e) for i, e in group if e.technician_id in held_back]
        for i, event in waiting:
            results[i] = TransientError(f"clip {event.clip_id} waits for an earlier clip of {event.technician_id}"
                                        " that failed in this batch", code="held_back")
        ready = [(i, e) for i, e in group if e.technician_id not in held_back]
        for i, result in _run_round(services, ready, speak=speak).items():
            results[i] = result
        held_back |= {e.technician_id for i, e in ready if isinstance(results[i], TransientError)}
    for i, event in pending:
        count = deliveries[i][1]
        if isinstance(results[i], Exception) and count is not None and count >= services.settings.max_delivery_count:
            record_dead_letter(services, event, results[i], count)
    return results


def handle_event(services: Services, event: TranscriptEvent, *, speak: bool = True) -> Outcome:
    """Apply one event exactly once and make sure its reply exists.

    ``speak=False`` stops after the commit (reply text, no audio): the worker-stage benchmark."""
    result = _apply_round(services, [(0, event)], speak=speak)[0]
    if isinstance(result, Exception):
        raise result
    return result


def _rounds(events: list[tuple[int, TranscriptEvent]]) -> list[list[tuple[int, TranscriptEvent]]]:
    """Split a batch so each technician and each clip id appears at most once per round, in queue order."""
    rounds: list[list[tuple[int, TranscriptEvent]]] = []
    while events:
        group, later, seen = [], [], set()
        for item in events:
            keys = {("tech", item[1].technician_id), ("clip", item[1].clip_id)}
            if keys & seen:
                later.append(item)
            else:
                group.append(item)
            seen |= keys  # a deferred clip also holds back its technician's later clips
        rounds.append(group)
        events = later
    return rounds


def _run_round(services: Services, events: list[tuple[int, TranscriptEvent]], *,
               speak: bool) -> dict[int, Outcome | Exception]:
    if not events:
        return {}
    try:
        return _apply_round(services, events, speak=speak)
    except Exception as exc:
        # a server that is down fails every clip alike; anything else (a lock, a deadlock, one
        # clip's bad data or a bug) is retried clip by clip, so it stays that clip's problem
        if len(events) == 1 or (isinstance(exc, TransientError) and not is_contention(exc)):
            return {i: exc for i, _ in events}
        logger.warning("a batch of %d clips failed (%s: %s); applying them one by one", len(events),
                       type(exc).__name__, exc)
        results: dict[int, Outcome | Exception] = {}
        for item in events:
            results.update(_run_round(services, [item], speak=speak))
        return results


def _apply_round(services: Services, events: list[tuple[int, TranscriptEvent]], *,
                 speak: bool) -> dict[int, Outcome | Exception]:
    """Distinct technicians' clips: claim, extract and write in one transaction, then the replies.

    An extractor on the network (``remote``: Azure OpenAI) runs between two transactions instead,
    so no row stays locked while it waits for the model: a first transaction reads the replies
    already stored and the technicians' tickets, the second claims and writes."""
    watches = {i: _Stopwatch() for i, _ in events}
    results: dict[int, Outcome | Exception] = {}

    def extract(item: tuple[int, TranscriptEvent], tickets: list[OpenTicket]) -> Extraction | None:
        i, event = item
        with telemetry.correlation(event.clip_id):
            extraction = None if event.error is not None else _extract(services, event, tickets)
        watches[i].lap("extract")
        return extraction

    def write(fresh: list[tuple[int, TranscriptEvent]], extraction_for) -> tuple[dict[str, int], list, dict]:
        """Claim, lock the claimed technicians' tickets, apply: one transaction."""
        with services.database.transaction() as conn:
            ids = log.claim_many(conn, [e for _, e in fresh])
            claimed = [(i, e) for i, e in fresh if e.clip_id in ids]
            locked = repo.lock_tickets(conn, sorted({e.technician_id for _, e in claimed}))
            work = [(i, e, ids[e.clip_id], extraction_for((i, e), locked[e.technician_id])) for i, e in claimed]
            return ids, claimed, _apply(services, conn, work, locked, watches)

    if getattr(services.extractor, "remote", False):
        with services.database.transaction() as conn:  # replies already stored; context for extraction
            stored = log.get_replies(conn, [e.clip_id for _, e in events])
            technicians = sorted({e.technician_id for _, e in events if e.clip_id not in stored and e.error is None})
            tickets = repo.active_tickets(conn, technicians) if technicians else {}
        fresh = []
        for i, event in events:
            if event.clip_id in stored:
                results[i] = _attempt(event, lambda e=event, i=i: _already_handled(
                    services, e, stored[e.clip_id], watches[i], speak=speak))
            else:
                fresh.append((i, event))
        if not fresh:
            return results
        extracted = _side_by_side(services, fresh, lambda item: extract(item, tickets.get(item[1].technician_id, [])),
                                  worth_it=True)
        extractions = dict(zip((i for i, _ in fresh), extracted, strict=True))
        ids, claimed, sidecars = write(fresh, lambda item, _locked: extractions[item[0]])
    else:  # the offline extractor reads the tickets the transaction holds locked
        fresh = events
        ids, claimed, sidecars = write(fresh, lambda item, locked: extract(item, [t.as_open_ticket() for t in locked]))
    late = [(i, e) for i, e in fresh if e.clip_id not in ids]
    if late:  # handled before, or by another delivery the claim waited for
        with services.database.transaction() as conn:
            replies = log.get_replies(conn, [e.clip_id for _, e in late])
        for i, event in late:
            results[i] = _attempt(event, lambda e=event, i=i: _handled_elsewhere(services, e, replies.get(e.clip_id),
                                                                                 watches[i], speak=speak))
    answered = _side_by_side(services, claimed, lambda item: _attempt(item[1], lambda: _after_commit(
        services, item[1], sidecars[item[0]], watches[item[0]], speak=speak)), worth_it=speak)
    results.update(zip((i for i, _ in claimed), answered, strict=True))
    return results


def _side_by_side(services: Services, items: list, step, *, worth_it: bool) -> list:
    """``step`` over ``items`` in order; on up to Settings.batch_concurrency threads when the step
    waits on the network (``worth_it``), so a batch's OpenAI calls or replies overlap."""
    workers = min(len(items), services.settings.batch_concurrency) if worth_it else 1
    if workers <= 1:
        return [step(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch") as pool:
        return list(pool.map(step, items))


def _attempt(event: TranscriptEvent, step) -> Outcome | Exception:
    """One clip's step after the shared work, logged under its clip id: its failure is that clip's alone."""
    with telemetry.correlation(event.clip_id):
        try:
            return step()
        except Exception as exc:
            return exc


def _after_commit(services: Services, event: TranscriptEvent, sidecar: ReplySidecar, watch: _Stopwatch, *,
                  speak: bool) -> Outcome:
    if services.settings.delete_clip_after_commit:
        _delete_clip(services, event)
    return _publish(services, sidecar, watch) if speak else Outcome(sidecar=sidecar, timings_ms=watch.total())


def _already_handled(services: Services, event: TranscriptEvent, reply: log.ReplyRow, watch: _Stopwatch, *,
                     speak: bool) -> Outcome:
    if reply.technician_id != event.technician_id:
        return _clip_of_another_technician(event, watch)
    return _republish_if_needed(services, reply, watch, speak=speak)


def _handled_elsewhere(services: Services, event: TranscriptEvent, reply: log.ReplyRow | None, watch: _Stopwatch,
                       *, speak: bool) -> Outcome:
    if reply is not None:
        return _already_handled(services, event, reply, watch, speak=speak)
    # the clip was logged without a reply: a malformed message that named no technician, or a
    # dead-lettered delivery (`python -m voiceops retry` re-runs those)
    sidecar = ReplySidecar(clip_id=event.clip_id, technician_id=event.technician_id, status="failed",
                           reply_text="", error="this clip id is recorded as failed; see `python -m voiceops failed`")
    return Outcome(sidecar=sidecar, duplicate=True, timings_ms=watch.total())


def _clip_of_another_technician(event: TranscriptEvent, watch: _Stopwatch) -> Outcome:
    """Clip ids are unique across technicians: never hand one technician another's reply."""
    logger.warning("clip %s was already used by another technician; nothing applied", event.clip_id)
    sidecar = ReplySidecar(clip_id=event.clip_id, technician_id=event.technician_id, status="failed",
                           reply_text="", error="this clip id belongs to another technician's recording")
    return Outcome(sidecar=sidecar, duplicate=True, timings_ms=watch.total())


def _extract(services: Services, event: TranscriptEvent, tickets: list[OpenTicket]) -> Extraction:
    try:
        extraction = services.extractor.extract(event.transcript or "", open_tickets=tickets)
    except TransientError:
        raise  # the model is busy or down: the host retries
    except Exception as exc:
        if services.extractor.remote and not isinstance(exc, PermanentError):
            raise  # an unexpected failure of a remote service may pass: the host retries, then dead-letters
        # the model's answer stayed invalid, or the offline rules failed on this one transcript (a bug):
        # retrying cannot help. Record it, answer the technician, keep the queue going
        # (`python -m voiceops retry CLIP_ID` runs it again after a fix)
        logger.exception("clip %s: the %s extractor failed", event.clip_id, services.extractor.name)
        code = exc.code if isinstance(exc, VoiceOpsError) else "extraction_failed"
        return Extraction(commands=[], extractor=services.extractor.name,
                          details={"error": f"{code}: {type(exc).__name__}: {exc}"})
    s = services.settings
    # a clip the recogniser was unsure of may hold a misheard name or number: read its changes back first
    unsure = event.stt_confidence is not None and event.stt_confidence < s.stt_confidence_threshold
    extraction.commands = mark_confirmation(extraction.commands, s.confirmation_threshold, unsure_audio=unsure)
    if unsure:
        extraction.details["unsure_audio"] = event.stt_confidence
    return extraction


def _failure(event: TranscriptEvent, extraction: Extraction | None) -> str | None:
    """Why a clip has no commands to apply: its audio (from the speech stage) or its extraction."""
    return event.error or (extraction.details.get("error") if extraction else None)


@dataclass
class _Applied:
    """One claimed clip after its commands ran, waiting for its style."""

    i: int
    event: TranscriptEvent
    command_id: int
    extraction: Extraction | None
    commands: list[VoiceCommand]
    result: TurnResult
    context: StyleContext
    explore: bool
    error: str | None  # why the clip had nothing to apply (its audio or its extraction), else None


def _apply(services: Services, conn, claimed: list[tuple[int, TranscriptEvent, int, Extraction | None]],
           locked: dict[str, list[repo.Ticket]], watches: dict[int, _Stopwatch]) -> dict[int, ReplySidecar]:
    """Every claimed clip's turn, style and reply, in the caller's transaction, against the tickets it
    locked: two statements in all (log the style decisions, write everything else)."""
    s = services.settings
    changes = ChangeSet()
    applied: list[_Applied] = []
    for i, event, command_id, extraction in claimed:
        turn = Turn(technician_id=event.technician_id, clip_id=event.clip_id, command_id=command_id,
                    undo_window_s=s.undo_window_s, question_ttl_s=s.pending_question_ttl_s,
                    refusal=_refusal(extraction))
        commands: list[VoiceCommand] = extraction.commands if extraction else []
        dispatcher = Dispatcher(conn, turn, tickets=locked[event.technician_id], changes=changes)
        error = _failure(event, extraction)
        if event.error is not None:
            result = TurnResult(lines=[Line("bad_audio")])
        elif error:
            result = TurnResult(lines=[Line("not_understood")])
        else:
            result = dispatcher.run(commands)
        if result.repeat_requested:
            services.policy.penalize_repeat(event.technician_id, within_s=120, conn=conn)
        when = _local_time(event)
        confidence = min((c.confidence for c in commands), default=0.0)
        context = StyleContext(technician_id=event.technician_id, hour=when.hour, weekday=when.weekday(),
                               action=(commands[0].action if commands else Action.unknown).value,
                               jobs_remaining=dispatcher.jobs_remaining())
        applied.append(_Applied(i, event, command_id, extraction, commands, result, context,
                                explore=error is None and confidence >= s.confirmation_threshold, error=error))
        watches[i].lap("apply")
    decisions = services.policy.choose_many([(a.context, a.explore) for a in applied], conn=conn)

    sidecars = {}
    for a, decision in zip(applied, decisions, strict=True):
        event = a.event
        error = a.error
        watches[a.i].lap("style")
        status = "failed" if error else a.result.reply_status
        sidecar = ReplySidecar(
            clip_id=event.clip_id, technician_id=event.technician_id, status=status, transcript=event.transcript,
            commands=a.commands, changes=a.result.changes, style=decision.style,
            decision_id=str(decision.decision_id), reply_text=compose(a.result.lines, decision.style),
            error=error,
        )
        sidecars[a.i] = sidecar
        changes.save_reply(clip_id=event.clip_id, technician_id=event.technician_id, status=status,
                           style=decision.style, decision_id=sidecar.decision_id, reply_text=sidecar.reply_text,
                           sidecar=sidecar.model_dump(mode="json"))
        code, _, message = (error or "").partition(": ")
        changes.finish(
            a.command_id, status="failed" if error else a.result.command_status,
            extraction=CommandList(commands=a.commands).model_dump(mode="json") if a.extraction else None,
            extractor=a.extraction.extractor if a.extraction else None, timings=watches[a.i].total(),
            error_code=code or None, error=message or None)
        with telemetry.correlation(event.clip_id):
            logger.info("clip %s: %s, %d change(s), style %s", event.clip_id, sidecar.status,
                        len(a.result.changes), decision.style)
    changes.flush(conn)
    return sidecars


def _refusal(extraction: Extraction | None) -> str | None:
    """The kind of request the extractor refused ("refused: bulk" -> "bulk"), if any."""
    reason = str((extraction.details if extraction else {}).get("reason") or "")
    if not reason.startswith("refused"):
        return None
    return reason.partition(":")[2].strip().split(",")[0] or "other"


def _delete_clip(services: Services, event: TranscriptEvent) -> None:
    """Privacy setting: the clip goes once its command is committed (retention purge is the backstop)."""
    try:
        delete_clip(services, event.technician_id, event.clip_id)
    except VoiceOpsError as exc:
        logger.warning("clip %s committed but its audio could not be deleted yet: %s", event.clip_id, exc)


def _local_time(event: TranscriptEvent) -> datetime:
    """The technician's wall-clock time: the phone's recorded_at when sent, else the receive time."""
    return event.recorded_at or event.received_at or utcnow()


# ---------------------------------------------------------------------------- replies
def _reply_names(sidecar: ReplySidecar, extension: str) -> tuple[str, str]:
    base = f"{sidecar.technician_id}/{sidecar.clip_id}"
    return f"{base}.{extension}", f"{base}.json"


def _publish(services: Services, sidecar: ReplySidecar, watch: _Stopwatch, *, duplicate: bool = False) -> Outcome:
    """Speak the reply and upload audio, then the sidecar (the app polls for the sidecar)."""
    spoken = services.tts.synthesize(sidecar.reply_text, style=sidecar.style or "medium")
    watch.lap("tts")
    audio_name, sidecar_name = _reply_names(sidecar, spoken.extension)
    sidecar = sidecar.model_copy(update={"audio": audio_name})
    container = services.settings.replies_container
    services.blobs.put(container, audio_name, spoken.data, content_type=spoken.content_type,
                       metadata={"clip_id": sidecar.clip_id})
    services.blobs.put(container, sidecar_name, sidecar.model_dump_json(indent=2).encode(),
                       content_type="application/json", metadata={"clip_id": sidecar.clip_id})
    watch.lap("upload")
    timings = watch.total()
    with services.database.transaction() as conn:
        log.mark_audio_uploaded(conn, sidecar.clip_id, audio_blob=audio_name, sidecar=sidecar.model_dump(mode="json"))
        log.add_timings(conn, sidecar.clip_id, {f"{k}_publish" if duplicate else k: v for k, v in timings.items()
                                                 if k in {"tts", "upload", "total"}})
    return Outcome(sidecar=sidecar, duplicate=duplicate, timings_ms=timings)


def _republish_if_needed(services: Services, reply: log.ReplyRow, watch: _Stopwatch, *,
                         speak: bool = True) -> Outcome:
    sidecar = ReplySidecar.model_validate(reply.sidecar)
    if reply.audio_uploaded_at is not None or not speak:
        logger.info("clip %s already handled; nothing to do", reply.clip_id)
        return Outcome(sidecar=sidecar, duplicate=True, timings_ms=watch.total())
    logger.info("clip %s was applied but its reply never reached storage; speaking it again", reply.clip_id)
    return _publish(services, sidecar, watch, duplicate=True)


# ---------------------------------------------------------------------------- malformed messages
def _record_malformed(services: Services, body: str | bytes, exc: ValidationError) -> Outcome:
    """Keep a malformed message in the command log (and answer, when it names a technician)."""
    raw = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        data = json.loads(raw)
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    digest = hashlib.sha256(raw.encode()).hexdigest()[:16]
    clip_id = _usable_id(data.get("clip_id"))
    technician_id = _usable_id(data.get("technician_id"))
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()[:5])
    message = f"malformed event: {problems}"
    logger.warning("malformed queue message %s: %s", clip_id or digest, problems)
    event = TranscriptEvent.model_construct(
        clip_id=clip_id or f"malformed-{digest}", technician_id=technician_id or "unknown",
        blob_url=str(data.get("blob_url") or "").replace("\x00", ""), transcript=None,
        error=f"malformed_event: {message}",
        event_id=None, stt_engine=None, stt_confidence=None, audio_seconds=None, recorded_at=None,
        received_at=utcnow(),
    )
    if technician_id is None:
        with services.database.transaction() as conn:
            command_id = log.claim(conn, event)
            if command_id is not None:
                log.finish(conn, command_id, status="failed", extraction=None, extractor=None, timings={},
                           error_code="malformed_event", error=message)
        sidecar = ReplySidecar(clip_id=event.clip_id, technician_id="unknown", status="failed",
                               reply_text="", error=message)
        return Outcome(sidecar=sidecar)
    return handle_event(services, event)


def _usable_id(value: object) -> str | None:
    """An id from a malformed message, if it can be stored as one (short text without NUL)."""
    if isinstance(value, str) and value and len(value) <= 200 and "\x00" not in value:
        return value
    return None

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
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from voiceops.bandit import StyleContext
from voiceops.bootstrap import Services
from voiceops.contracts import Action, CommandList, OpenTicket, ReplySidecar, TranscriptEvent, VoiceCommand, utcnow
from voiceops.db import commands as log
from voiceops.db import tickets as repo
from voiceops.dispatch import Dispatcher, Turn, TurnResult
from voiceops.errors import VoiceOpsError
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


def handle_message(services: Services, body: str | bytes, *, delivery_count: int | None = None,
                   speak: bool = True) -> Outcome:
    """Parse a queue message and handle it; a malformed message is recorded, not raised.

    ``delivery_count`` is the queue's count for this message: on the last delivery
    (Settings.max_delivery_count) a failure is recorded for ops before it propagates to the host,
    which then dead-letters the message."""
    try:
        event = TranscriptEvent.from_json(body)
    except ValidationError as exc:
        return _record_malformed(services, body, exc)
    try:
        return handle_event(services, event, speak=speak)
    except Exception as exc:  # re-raised: the host retries or dead-letters; we only leave the reason
        if delivery_count is not None and delivery_count >= services.settings.max_delivery_count:
            record_dead_letter(services, event, exc, delivery_count)
        raise


def handle_event(services: Services, event: TranscriptEvent, *, speak: bool = True) -> Outcome:
    """Apply one event exactly once and make sure its reply exists.

    ``speak=False`` stops after the commit (reply text, no audio): the worker-stage benchmark."""
    watch = _Stopwatch()
    done, tickets = _existing_reply_or_tickets(services, event)
    if done is not None and done.technician_id != event.technician_id:
        return _clip_of_another_technician(event, watch)
    if done is not None:
        return _republish_if_needed(services, done, watch, speak=speak)

    extraction = None
    if event.error is None:
        extraction = _extract(services, event, tickets)
    watch.lap("extract")

    with services.database.transaction() as conn:
        command_id = log.claim(conn, event)
        if command_id is None:  # another delivery got here first; the claim waited for it to commit
            reply = log.get_reply(conn, event.clip_id)
        else:
            reply = None
            sidecar = _apply(services, conn, event, command_id, extraction, watch)
    if command_id is not None:
        if services.settings.delete_clip_after_commit:
            _delete_clip(services, event)
        return _publish(services, sidecar, watch) if speak else Outcome(sidecar=sidecar, timings_ms=watch.total())
    if reply is not None and reply.technician_id != event.technician_id:
        return _clip_of_another_technician(event, watch)
    if reply is not None:
        return _republish_if_needed(services, reply, watch, speak=speak)
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
    extraction = services.extractor.extract(event.transcript or "", open_tickets=tickets)
    extraction.commands = mark_confirmation(extraction.commands, services.settings.confirmation_threshold)
    return extraction


def _apply(services: Services, conn, event: TranscriptEvent, command_id: int, extraction: Extraction | None,
           watch: _Stopwatch) -> ReplySidecar:
    s = services.settings
    turn = Turn(technician_id=event.technician_id, clip_id=event.clip_id, command_id=command_id,
                undo_window_s=s.undo_window_s, question_ttl_s=s.pending_question_ttl_s,
                refusal=_refusal(extraction))
    commands: list[VoiceCommand] = extraction.commands if extraction else []
    if event.error is not None:
        result = TurnResult(lines=[Line("bad_audio")])
    else:
        result = Dispatcher(conn, turn).run(commands)
    watch.lap("apply")

    policy = services.policy
    if result.repeat_requested:
        policy.penalize_repeat(event.technician_id, within_s=120, conn=conn)
    when = _local_time(event)
    confidence = min((c.confidence for c in commands), default=0.0)
    decision = policy.choose(
        StyleContext(technician_id=event.technician_id, hour=when.hour, weekday=when.weekday(),
                     action=(commands[0].action if commands else Action.unknown).value,
                     jobs_remaining=repo.jobs_remaining(conn, event.technician_id)),
        conn=conn, explore=event.error is None and confidence >= s.confirmation_threshold,
    )
    watch.lap("style")

    status = "failed" if event.error else result.reply_status
    sidecar = ReplySidecar(
        clip_id=event.clip_id, technician_id=event.technician_id, status=status, transcript=event.transcript,
        commands=commands, changes=result.changes, style=decision.style, decision_id=str(decision.decision_id),
        reply_text=compose(result.lines, decision.style), error=event.error,
    )
    log.save_reply(conn, clip_id=event.clip_id, technician_id=event.technician_id, status=status,
                   style=decision.style, decision_id=sidecar.decision_id, reply_text=sidecar.reply_text,
                   audio_blob=None, sidecar=sidecar.model_dump(mode="json"))
    code, _, message = (event.error or "").partition(": ")
    log.finish(conn, command_id, status="failed" if event.error else result.command_status,
               extraction=CommandList(commands=commands).model_dump(mode="json") if extraction else None,
               extractor=extraction.extractor if extraction else None, timings=watch.total(),
               error_code=code or None, error=message or None)
    logger.info("clip %s: %s, %d change(s), style %s", event.clip_id, sidecar.status, len(result.changes),
                decision.style)
    return sidecar


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


def _existing_reply_or_tickets(services: Services, event: TranscriptEvent) -> tuple[log.ReplyRow | None,
                                                                                    list[OpenTicket]]:
    """One read before extraction: the reply if the clip was handled already, else the technician's tickets."""
    with services.database.transaction() as conn:
        reply = log.get_reply(conn, event.clip_id)
        if reply is not None or event.error is not None:
            return reply, []
        return None, repo.technician_tickets(conn, event.technician_id)


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
    clip_id = data.get("clip_id") if isinstance(data.get("clip_id"), str) and data.get("clip_id") else None
    technician_id = data.get("technician_id") if isinstance(data.get("technician_id"), str) else None
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()[:5])
    message = f"malformed event: {problems}"
    logger.warning("malformed queue message %s: %s", clip_id or digest, problems)
    event = TranscriptEvent.model_construct(
        clip_id=clip_id or f"malformed-{digest}", technician_id=technician_id or "unknown",
        blob_url=str(data.get("blob_url") or ""), transcript=None, error=f"malformed_event: {message}",
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

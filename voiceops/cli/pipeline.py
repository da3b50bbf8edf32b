"""`demo` and `process`: the whole pipeline on one machine, ingest and worker joined by JSON."""

from __future__ import annotations

import argparse
import hashlib
import logging
import mimetypes
import time
from pathlib import Path

from voiceops.bootstrap import Services, build_services
from voiceops.db.migrate import migrate
from voiceops.db.seed import seed
from voiceops.errors import PermanentError
from voiceops.ingest import ingest_clip
from voiceops.worker import handle_message

log = logging.getLogger(__name__)

SEED_STORY = ("Hey, I'm done at the Johnson place. I replaced the main capacitor and cleaned the coils. "
              "Mark the job as finished and bill them for 2 hours.")


def register(sub: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="migrate, seed, speak the seed story and run it through the pipeline")
    p.add_argument("--technician", default="tech-gosh")
    p.add_argument("--text", default=SEED_STORY, help="what the technician says (spoken by the local TTS)")
    p.set_defaults(handler=_demo)
    p = sub.add_parser("process", help="run one audio clip end to end")
    p.add_argument("clip", type=Path)
    p.add_argument("--technician", required=True, help="technician id (in Azure it comes from the upload path)")
    p.add_argument("--clip-id", help="default: the file name plus a hash of its bytes, so re-runs are duplicates")
    p.set_defaults(handler=_process)


def clip_id_for(path: Path, data: bytes) -> str:
    """A stable id for a file's contents: re-processing the same bytes is a duplicate delivery."""
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in path.stem)[:60] or "clip"
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}"


def process_clip(services: Services, path: Path, technician_id: str, clip_id: str | None = None) -> dict:
    """Upload, transcribe, hand the event over as JSON, apply it; return what happened."""
    if not path.is_file():
        raise PermanentError(f"no such audio file: {path}", code="file_not_found")
    data = path.read_bytes()
    clip_id = clip_id or clip_id_for(path, data)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    name = f"{technician_id}/{clip_id}{path.suffix.lower()}"
    started = time.perf_counter()
    url = services.blobs.put(services.settings.clips_container, name, data, content_type=content_type)
    upload_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    event = ingest_clip(services, technician_id=technician_id, clip_id=clip_id, data=data, blob_url=url,
                        content_type=content_type)
    ingest_ms = (time.perf_counter() - started) * 1000
    outcome = handle_message(services, event.to_json())  # the same JSON Service Bus would carry
    sidecar = outcome.sidecar
    reply_audio = None
    if sidecar.audio:
        reply_audio = services.blobs.url(services.settings.replies_container, sidecar.audio)
    return {
        "clip": str(path),
        "clip_id": clip_id,
        "transcript": event.transcript,
        "error": event.error,
        "commands": [c.model_dump(mode="json") for c in sidecar.commands],
        "outcome": {"status": sidecar.status, "duplicate": outcome.duplicate,
                    "changes": [c.model_dump(mode="json", exclude_none=True) for c in sidecar.changes]},
        "style": sidecar.style,
        "reply_text": sidecar.reply_text,
        "reply_audio": reply_audio,
        "timings_ms": {"upload": round(upload_ms, 1), "ingest": round(ingest_ms, 1), **outcome.timings_ms},
    }


def _process(args: argparse.Namespace) -> dict:
    services = build_services()
    try:
        migrate(services.database.url)
        return process_clip(services, args.clip, args.technician, args.clip_id)
    finally:
        services.close()


def _demo(args: argparse.Namespace) -> dict:
    services = build_services()
    try:
        log.info("database: applying migrations and resetting the demo tickets")
        migrate(services.database.url)
        with services.database.transaction() as conn:
            seed(conn, reset=True)
        log.info("speaking the technician's words with %s", services.tts.name)
        spoken = services.tts.synthesize(args.text, style="medium")
        folder = services.settings.data_dir / "demo"
        folder.mkdir(parents=True, exist_ok=True)
        clip = folder / f"{args.technician}-said.{spoken.extension}"
        clip.write_bytes(spoken.data)
        log.info("running the pipeline on %s (the first run loads the speech model)", clip)
        result = process_clip(services, clip, args.technician, clip_id=f"demo-{int(time.time() * 1000)}")
        result["database"] = _ticket_state(services, [c["ticket_id"] for c in result["outcome"]["changes"]])
        return result
    finally:
        services.close()


def _ticket_state(services: Services, ticket_ids: list[int]) -> list[dict]:
    """What the database now says about the changed tickets."""
    with services.database.transaction() as conn:
        rows = conn.execute(
            """SELECT t.id, c.name, t.status, t.technician_id,
                      (SELECT coalesce(sum(hours), 0) FROM billing_entries b WHERE b.ticket_id = t.id),
                      (SELECT coalesce(array_agg(part ORDER BY id), '{}') FROM ticket_parts p WHERE p.ticket_id = t.id)
                 FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ANY(%s) ORDER BY t.id""",
            (ticket_ids,),
        ).fetchall()
    return [{"ticket_id": r[0], "customer": r[1], "status": r[2], "technician": r[3], "hours_billed": float(r[4]),
             "parts": list(r[5])} for r in rows]

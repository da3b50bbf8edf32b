"""Correlation and timings: every log line and span from upload to reply carries the clip id.

The clip id lives in a context variable set by ``correlation(clip_id)`` at each entry point (HTTP
request, blob trigger, queue message). A log-record factory copies it onto every record as
``record.clip_id`` ("-" outside a clip), so any handler can print it and the OpenTelemetry log
exporter sends it as a custom dimension. Spans (``stage``) carry it as the ``voiceops.clip_id``
attribute. Application Insights is switched on only when its connection string is set; without it
the OpenTelemetry API is a no-op and nothing leaves the process."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from opentelemetry import trace

if TYPE_CHECKING:
    from voiceops.settings import Settings

log = logging.getLogger(__name__)

#: the log format the local tools use; ``clip_id`` is always present once correlation is installed
LOG_FORMAT = "%(asctime)s %(levelname)s [clip=%(clip_id)s] %(name)s: %(message)s"

_clip_id: ContextVar[str | None] = ContextVar("voiceops_clip_id", default=None)
_lock = threading.Lock()
_installed = False
_azure_monitor = False
_tracer = trace.get_tracer("voiceops")


def current_clip_id() -> str | None:
    """The clip id of the work in progress, if any."""
    return _clip_id.get()


@contextmanager
def correlation(clip_id: str | None) -> Iterator[None]:
    """Tag every log record and span inside the block with ``clip_id``."""
    token = _clip_id.set(clip_id)
    try:
        yield
    finally:
        _clip_id.reset(token)


def tag(clip_id: str) -> None:
    """Set the clip id for the rest of the enclosing ``correlation`` block (which restores it on exit).

    For handlers that learn the clip id only after parsing the request body."""
    _clip_id.set(clip_id)


def install_log_correlation() -> None:
    """Make every LogRecord carry ``clip_id`` (idempotent).

    A record factory rather than a filter: filters on a logger do not see records propagated from
    child loggers, and handler filters would have to be added to handlers we do not own (the
    Functions worker's, the OpenTelemetry exporter's)."""
    global _installed
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args, **kwargs) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            record.clip_id = _clip_id.get() or "-"
            return record

        logging.setLogRecordFactory(factory)
        _installed = True


def configure(settings: Settings) -> bool:
    """Install log correlation; export to Application Insights when its connection string is set.

    Returns whether Azure Monitor is on. Called once per process at the first invocation (never at
    import time: the Functions host must index the app even with no settings)."""
    global _azure_monitor
    install_log_correlation()
    if not settings.appinsights_connection:
        return False
    with _lock:
        if _azure_monitor:
            return True
        try:
            from azure.monitor.opentelemetry import configure_azure_monitor
        except ImportError:  # pragma: no cover - it is in requirements.txt
            log.warning("APPLICATIONINSIGHTS_CONNECTION_STRING is set but azure-monitor-opentelemetry "
                        "is not installed: pip install -r requirements.txt")
            return False
        options: dict[str, object] = {"connection_string": settings.appinsights_connection}
        if settings.managed_identity_client_id:
            # Application Insights with local auth off accepts Entra tokens only
            from azure.identity import ManagedIdentityCredential

            options["credential"] = ManagedIdentityCredential(client_id=settings.managed_identity_client_id)
        configure_azure_monitor(**options)
        _azure_monitor = True
        log.info("telemetry: exporting logs, traces and metrics to Application Insights")
    return True


@contextmanager
def invocation(context: object | None) -> Iterator[None]:
    """Continue the Functions host's trace (``context.trace_context``) so our spans nest under the
    invocation in Application Insights; a no-op without a trace parent (tests, ``serve``)."""
    trace_context = getattr(context, "trace_context", None)
    parent = getattr(trace_context, "trace_parent", None) or getattr(trace_context, "Traceparent", None)
    if not parent:
        yield
        return
    from opentelemetry import context as otel_context
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    state = getattr(trace_context, "trace_state", None) or getattr(trace_context, "Tracestate", None) or ""
    token = otel_context.attach(TraceContextTextMapPropagator().extract({"traceparent": parent, "tracestate": state}))
    try:
        yield
    finally:
        otel_context.detach(token)


@contextmanager
def stage(name: str, **attributes: object) -> Iterator[dict[str, float]]:
    """A span named ``voiceops.<name>`` tagged with the clip id; yields a dict that receives ``ms``."""
    timing: dict[str, float] = {}
    clip_id = _clip_id.get()
    started = time.perf_counter()
    with _tracer.start_as_current_span(f"voiceops.{name}") as span:
        if clip_id:
            span.set_attribute("voiceops.clip_id", clip_id)
        for key, value in attributes.items():
            if value is not None:
                span.set_attribute(f"voiceops.{key}", str(value) if not isinstance(value, int | float) else value)
        try:
            yield timing
        finally:
            timing["ms"] = round((time.perf_counter() - started) * 1000, 1)
            span.set_attribute("voiceops.duration_ms", timing["ms"])


def record_timings(timings_ms: Mapping[str, float], **context: object) -> None:
    """Log per-stage durations on one line and put them on the current span."""
    span = trace.get_current_span()
    for key, value in timings_ms.items():
        span.set_attribute(f"voiceops.timing.{key}_ms", float(value))
    stages = " ".join(f"{k}={float(v):.0f}ms" for k, v in timings_ms.items())
    extra = " ".join(f"{k}={v}" for k, v in context.items() if v is not None)
    log.info("timings %s%s", stages, f" {extra}" if extra else "")

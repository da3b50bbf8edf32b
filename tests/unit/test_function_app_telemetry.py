"""Correlation: every log record inside a clip's work carries its id, across threads and nesting."""

from __future__ import annotations

import logging
import threading

from voiceops import telemetry
from voiceops.settings import Settings

log = logging.getLogger("voiceops.test")


def test_records_carry_the_clip_id_of_their_own_context(caplog):
    telemetry.install_log_correlation()
    telemetry.install_log_correlation()  # idempotent
    caplog.set_level(logging.INFO)

    def work(clip_id: str) -> None:
        with telemetry.correlation(clip_id):
            log.info("working on it")

    log.info("before")
    with telemetry.correlation("clip-main"):
        log.info("main")
        threads = [threading.Thread(target=work, args=(f"clip-{i}",)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with telemetry.correlation("clip-inner"):
            telemetry.tag("clip-tagged")
            log.info("tagged")
        log.info("main again")
    log.info("after")

    seen = [(r.getMessage(), r.clip_id) for r in caplog.records]
    assert seen[0] == ("before", "-") and seen[-1] == ("after", "-")
    assert ("main", "clip-main") in seen and ("main again", "clip-main") in seen
    assert ("tagged", "clip-tagged") in seen
    assert sorted(c for m, c in seen if m == "working on it") == ["clip-0", "clip-1", "clip-2"]


def test_stage_times_a_block_and_timings_are_logged_on_one_line(caplog):
    telemetry.install_log_correlation()
    caplog.set_level(logging.INFO, logger="voiceops.telemetry")
    with telemetry.correlation("clip-t"), telemetry.stage("ingest", technician="tech-a") as timing:
        pass
    assert timing["ms"] >= 0
    with telemetry.correlation("clip-t"):
        telemetry.record_timings({"extract": 12.34, "tts": 80.0}, status="done")
    [record] = [r for r in caplog.records if r.name == "voiceops.telemetry"]
    assert (record.getMessage(), record.clip_id) == ("timings extract=12ms tts=80ms status=done", "clip-t")


def test_azure_monitor_stays_off_without_a_connection_string():
    assert telemetry.configure(Settings()) is False


def test_spans_continue_the_functions_hosts_trace():
    from types import SimpleNamespace

    from opentelemetry import trace

    trace_id, span_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    context = SimpleNamespace(trace_context=SimpleNamespace(trace_parent=f"00-{trace_id}-{span_id}-01",
                                                            trace_state=""))
    with telemetry.invocation(context), telemetry.stage("worker"):
        assert trace.get_current_span().get_span_context().trace_id == int(trace_id, 16)
    assert trace.get_current_span().get_span_context().trace_id != int(trace_id, 16)
    with telemetry.invocation(None):  # tests and `serve` have no host trace
        assert not trace.get_current_span().get_span_context().is_valid


_CONFIGURE = """
import logging
from opentelemetry import trace
from voiceops import telemetry
from voiceops.settings import Settings
on = telemetry.configure(Settings(appinsights_connection="InstrumentationKey=00000000-0000-0000-0000-000000000000;"
                                  "IngestionEndpoint=http://127.0.0.1:9/"))
print(on, type(trace.get_tracer_provider()).__module__,
      any(type(h).__module__.startswith("opentelemetry") for h in logging.getLogger().handlers))
"""


def test_azure_monitor_switches_on_with_a_connection_string():
    """In a subprocess (it installs process-wide providers); the endpoint is a closed local port."""
    import subprocess
    import sys
    from pathlib import Path

    env = {"APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL": "true", "HOME": "/tmp"}
    result = subprocess.run([sys.executable, "-c", _CONFIGURE], cwd=Path(__file__).resolve().parents[2], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "opentelemetry.sdk.trace", "True"]

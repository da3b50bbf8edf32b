#!/usr/bin/env python3
"""Capacity model: 1,000 technicians finishing jobs within the same 10 minutes on Azure.

A small discrete-event simulation of the deployed pipeline, seeded and deterministic:

    phone PUT -> Event Grid -> transcribe_clip (Azure Speech STT) -> Service Bus -> handle_commands
    (rules / Azure OpenAI cascade -> PostgreSQL via PgBouncer -> Azure Speech TTS -> Blob)

It models what decides latency and limits under that burst: target-based scale-out of the two Flex
Consumption scale groups (instances added in steps, each after a cold start), the Service Bus batch
trigger (one batch at a time per instance, messages in a batch handled in order, as function_app.py
does), the Azure OpenAI deployment's tokens- and requests-per-minute limits (429 -> wait), Speech's
concurrent-recognition limit, and the database transactions that reach PgBouncer.

`recommend()` sweeps the settings we control and picks the values written into host.json and
infra/main.bicep; tests/infra/test_capacity.py fails when those files drift from it. The figures are
a model, not a measurement: every assumption is a named field of `Workload` or `Platform`, with its
source, and docs/capacity.md explains them. The baseline is the platform defaults (host.json
maxMessageBatchSize 1000, 100 instances, a 30K-TPM deployment).

    python scripts/capacity_model.py            # baseline beside the recommendation, SCORE lines last
    python scripts/capacity_model.py --json     # the same as JSON
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import random
from dataclasses import asdict, dataclass, replace


@dataclass(frozen=True)
class Workload:
    """The burst and what one clip costs. Speech and model latencies are planning figures, not measured here."""

    technicians: int = 1000
    window_s: float = 600.0  # every technician finishes a job inside the same 10 minutes
    clips_per_technician: int = 2  # "done at the Johnson place..." then "next ticket" / "yes"
    second_clip_after_s: float = 25.0  # think time after the first reply plays
    audio_median_s: float = 12.0  # lognormal clip length
    audio_sigma: float = 0.5
    llm_share: float = 0.5  # cascade: share of clips the rules extractor hands to Azure OpenAI
    prompt_tokens: int = 1800  # system prompt + strict tool schema + the technician's open tickets
    completion_tokens: int = 120
    max_tokens: int = 400  # Azure counts prompt + max_tokens against TPM when the request arrives
    reply_chars: int = 110
    # latencies (seconds)
    stt_fixed_s: float = 0.5  # connection + final result
    stt_per_audio_s: float = 0.35  # recognition from a pushed stream runs faster than real time
    decode_s: float = 0.15
    llm_fixed_s: float = 0.6
    llm_per_output_token_s: float = 0.012
    rules_s: float = 0.005
    db_txn_s: float = 0.04  # claim + ticket changes + audit + bandit decision, one transaction
    tts_s: float = 0.7
    blob_io_s: float = 0.08
    reply_poll_interval_s: float = 2.0  # the phone polls GET /api/replies/{clip_id} until the reply is there
    reply_poll_s: float = 0.05  # one poll: a sidecar read and a SAS
    seed: int = 7


@dataclass(frozen=True)
class Platform:
    """Service limits and prices. Limits are documented defaults; prices are list prices (USD), rounded."""

    scale_interval_s: float = 10.0  # target-based scaling decides about this often
    scale_step: int = 4  # instances added per decision per scale group
    cold_start_s: float = 6.0  # Python worker + imports + first Entra token
    ingest_concurrency: int = 4  # transcribe_clip invocations one instance runs at once
    http_concurrency: int = 8  # functionAppConfig HTTP perInstanceConcurrency set in function.bicep
    speech_concurrent_stt: int = 100  # Speech S0 default real-time recognition concurrency
    openai_rpm_per_k_tpm: float = 6.0  # gpt-4o: 6 requests per minute per 1,000 TPM
    max_connections: int = 859  # PostgreSQL Standard_D2ds_v5 (8 GiB) default max_connections
    instance_memory_gb: float = 2.0
    price_gb_s: float = 0.000026  # Flex Consumption on-demand execution time
    price_per_million_executions: float = 0.40
    price_stt_audio_hour: float = 1.00  # Speech standard real-time STT
    price_tts_per_million_chars: float = 15.0  # neural voices
    price_input_per_million: float = 2.50  # gpt-4o global standard
    price_output_per_million: float = 10.0
    price_servicebus_per_million_ops: float = 0.80  # Standard, beyond the included 13M/month
    price_postgres_hour: float = 0.178  # Standard_D2ds_v5 compute


@dataclass(frozen=True)
class Config:
    """What we choose: host.json, Bicep parameters, pool sizes."""

    batch_size: int = 1000  # host.json extensions.serviceBus.maxMessageBatchSize
    max_instances: int = 100  # functionAppConfig.scaleAndConcurrency.maximumInstanceCount
    openai_capacity_k: int = 30  # deployment capacity, thousands of TPM
    app_pool_max: int = 4  # VOICEOPS_POOL_MAX_SIZE per instance


BASELINE = Config()


@dataclass
class Result:
    clips: int
    p50_reply_s: float
    p95_reply_s: float
    max_reply_s: float
    drained_after_s: float
    peak_ingest_instances: int
    peak_worker_instances: int
    peak_awaiting_reply: int
    peak_http_instances: int
    peak_queue_depth: int
    peak_servicebus_msgs_per_s: float
    peak_openai_tpm_counted: int
    peak_openai_rpm: int
    openai_throttled_requests: int
    peak_speech_concurrent: int
    speech_throttled: int
    peak_db_transactions: int
    peak_pgbouncer_clients: int
    cost_usd: float
    cost_breakdown_usd: dict[str, float]
    cost_per_1000_clips_usd: float


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


class _Limiter:
    """A sliding 60-second window of counted tokens and requests (Azure OpenAI's TPM/RPM)."""

    def __init__(self, tpm: int, rpm: int) -> None:
        self.tpm, self.rpm = tpm, rpm
        self.events: list[tuple[float, int]] = []
        self.throttled = 0
        self.peak_tokens = 0
        self.peak_requests = 0

    def admit(self, now: float, tokens: int) -> float:
        """The time the request is accepted (now, or after 429s until the window has room)."""
        start = now
        while True:
            self.events = [(t, n) for t, n in self.events if t > start - 60.0]
            used = sum(n for _, n in self.events)
            if used + tokens <= self.tpm and len(self.events) + 1 <= self.rpm:
                self.events.append((start, tokens))
                self.peak_tokens = max(self.peak_tokens, used + tokens)
                self.peak_requests = max(self.peak_requests, len(self.events))
                return start
            self.throttled += 1
            # the SDK honours retry-after: wait until the oldest counted request leaves the window
            start = self.events[0][0] + 60.0 + 0.01


def simulate(config: Config, workload: Workload = Workload(), platform: Platform = Platform()) -> Result:
    """Run the burst once and measure what the technicians and the services see."""
    rng = random.Random(workload.seed)
    arrivals: list[tuple[float, float]] = []  # (upload time, audio seconds)
    for _ in range(workload.technicians):
        t = rng.uniform(0, workload.window_s)
        for k in range(workload.clips_per_technician):
            arrivals.append((t + k * workload.second_clip_after_s * (1 + rng.random()),
                             rng.lognormvariate(math.log(workload.audio_median_s), workload.audio_sigma)))
    arrivals.sort()
    uses_llm = [rng.random() < workload.llm_share for _ in arrivals]

    limiter = _Limiter(config.openai_capacity_k * 1000, int(config.openai_capacity_k * platform.openai_rpm_per_k_tpm))
    counted_tokens = workload.prompt_tokens + workload.max_tokens
    events: list[tuple[float, int, str, tuple]] = []
    seq = 0

    def push(t: float, kind: str, *data) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(events, (t, seq, kind, data))

    for i, (t, _) in enumerate(arrivals):
        push(t, "upload", i)
    push(0.0, "scale")

    uploaded = {}
    reply_at: dict[int, float] = {}
    # ingest group: instances (ready time), running invocations, waiting clips
    ingest_ready: list[float] = []
    ingest_running = 0
    ingest_waiting: list[int] = []
    speech_active = 0
    speech_peak = 0
    speech_throttled = 0
    # worker group
    queue: list[int] = []
    worker_ready: list[float] = []
    worker_busy: set[int] = set()
    in_process = 0
    peak_queue = peak_ingest = peak_worker = 0
    enqueued_at: list[float] = []
    db_active: list[tuple[float, float]] = []
    busy_seconds = 0.0
    executions = 0
    end_of_work = 0.0

    def ingest_capacity(now: float) -> int:
        return sum(1 for r in ingest_ready if r <= now) * platform.ingest_concurrency

    def start_ingest(now: float) -> None:
        nonlocal ingest_running, speech_active, speech_peak, speech_throttled, busy_seconds, executions
        while ingest_waiting and ingest_running < ingest_capacity(now):
            i = ingest_waiting.pop(0)
            audio = arrivals[i][1]
            wait = 0.0
            if speech_active >= platform.speech_concurrent_stt:
                speech_throttled += 1
                wait = 1.0  # 429, retried after a second
            speech_active += 1
            speech_peak = max(speech_peak, speech_active)
            took = (workload.decode_s + wait + workload.stt_fixed_s + workload.stt_per_audio_s * audio
                    + workload.blob_io_s)
            ingest_running += 1
            busy_seconds += took / platform.ingest_concurrency
            executions += 1
            push(now + took, "ingested", i)

    def start_batches(now: float) -> None:
        nonlocal executions, in_process
        for w, ready in enumerate(worker_ready):
            if not queue:
                return
            if w in worker_busy or ready > now:
                continue
            batch, queue[:] = queue[: config.batch_size], queue[config.batch_size:]
            worker_busy.add(w)
            in_process += len(batch)
            executions += 1
            push(now, "message", w, batch, 0)

    def handle_message(now: float, w: int, batch: list[int], k: int) -> None:
        """One message of a batch, in order (function_app.handle_commands); the next starts when it ends."""
        nonlocal busy_seconds, in_process
        i = batch[k]
        t = now + workload.blob_io_s
        if uses_llm[i]:
            t = limiter.admit(t, counted_tokens)
            t += workload.llm_fixed_s + workload.llm_per_output_token_s * workload.completion_tokens
        else:
            t += workload.rules_s
        db_active.append((t, t + workload.db_txn_s))
        t += workload.db_txn_s + workload.tts_s + workload.blob_io_s
        reply_at[i] = t
        in_process -= 1
        busy_seconds += t - now
        if k + 1 < len(batch):
            push(t, "message", w, batch, k + 1)
        else:
            push(t, "batch_done", w)

    while events:
        now, _, kind, data = heapq.heappop(events)
        if kind == "upload":
            uploaded[data[0]] = now
            ingest_waiting.append(data[0])
            start_ingest(now)
        elif kind == "ingested":
            ingest_running -= 1
            speech_active -= 1
            queue.append(data[0])
            enqueued_at.append(now)
            peak_queue = max(peak_queue, len(queue))
            start_ingest(now)
            start_batches(now)
        elif kind == "message":
            handle_message(now, *data)
        elif kind == "batch_done":
            worker_busy.discard(data[0])
            end_of_work = max(end_of_work, now)
            start_batches(now)
        elif kind == "scale":
            # target-based scaling per group: desired = backlog / per-instance target, in steps
            in_flight = len(ingest_waiting) + ingest_running
            want_ingest = math.ceil(in_flight / platform.ingest_concurrency)
            # the queue's active message count includes the locked messages being processed
            want_worker = math.ceil((len(queue) + in_process) / config.batch_size)
            room = config.max_instances - len(ingest_ready) - len(worker_ready)
            add = min(max(0, want_ingest - len(ingest_ready)), platform.scale_step, max(0, room))
            ingest_ready.extend([now + platform.cold_start_s] * add)
            room -= add
            add = min(max(0, want_worker - len(worker_ready)), platform.scale_step, max(0, room))
            worker_ready.extend([now + platform.cold_start_s] * add)
            for group in (ingest_ready, worker_ready):
                for r in sorted(set(group)):
                    if r > now:
                        push(r, "ready")
            peak_ingest = max(peak_ingest, len(ingest_ready))
            peak_worker = max(peak_worker, len(worker_ready))
            if len(reply_at) < len(arrivals):
                push(now + platform.scale_interval_s, "scale")
        elif kind == "ready":
            start_ingest(now)
            start_batches(now)

    latencies = [reply_at[i] - uploaded[i] for i in range(len(arrivals))]
    waiting = sorted([(uploaded[i], 1) for i in uploaded] + [(reply_at[i], -1) for i in reply_at])
    level = peak_waiting = 0
    for _, step in waiting:
        level += step
        peak_waiting = max(peak_waiting, level)
    polls_per_s = peak_waiting / workload.reply_poll_interval_s
    http_instances = math.ceil(polls_per_s * workload.reply_poll_s / platform.http_concurrency)
    per_second: dict[int, int] = {}
    for t in enqueued_at:
        per_second[int(t)] = per_second.get(int(t), 0) + 1
    edges = sorted([(s, 1) for s, _ in db_active] + [(e, -1) for _, e in db_active])
    level = peak_db = 0
    for _, step in edges:
        level += step
        peak_db = max(peak_db, level)

    n = len(arrivals)
    audio_hours = sum(a for _, a in arrivals) / 3600
    llm_calls = sum(uses_llm)
    costs = {
        "functions": busy_seconds * platform.instance_memory_gb * platform.price_gb_s
        + executions / 1e6 * platform.price_per_million_executions,
        "speech": audio_hours * platform.price_stt_audio_hour
        + n * workload.reply_chars / 1e6 * platform.price_tts_per_million_chars,
        "openai": llm_calls * (workload.prompt_tokens * platform.price_input_per_million
                               + workload.completion_tokens * platform.price_output_per_million) / 1e6,
        # send + receive + complete per message
        "servicebus": n * 3 / 1e6 * platform.price_servicebus_per_million_ops,
        "postgres": end_of_work / 3600 * platform.price_postgres_hour,
    }
    cost = sum(costs.values())
    return Result(
        clips=n,
        p50_reply_s=round(_percentile(latencies, 0.50), 1),
        p95_reply_s=round(_percentile(latencies, 0.95), 1),
        max_reply_s=round(max(latencies), 1),
        drained_after_s=round(end_of_work, 1),
        peak_ingest_instances=peak_ingest,
        peak_worker_instances=peak_worker,
        peak_awaiting_reply=peak_waiting,
        peak_http_instances=http_instances,
        peak_queue_depth=peak_queue,
        peak_servicebus_msgs_per_s=float(max(per_second.values())),
        peak_openai_tpm_counted=limiter.peak_tokens,
        peak_openai_rpm=limiter.peak_requests,
        openai_throttled_requests=limiter.throttled,
        peak_speech_concurrent=speech_peak,
        speech_throttled=speech_throttled,
        peak_db_transactions=peak_db,
        peak_pgbouncer_clients=(peak_ingest + peak_worker) * config.app_pool_max,
        cost_usd=round(cost, 2),
        cost_breakdown_usd={k: round(v, 3) for k, v in costs.items()},
        cost_per_1000_clips_usd=round(cost / n * 1000, 2),
    )


@dataclass(frozen=True)
class Recommendation:
    config: Config
    pgbouncer_default_pool_size: int
    pgbouncer_max_client_conn: int
    result: Result
    stress: Result


TARGET_P95_S = 30.0  # a technician waits at most this long for the spoken reply, 19 times in 20
BATCH_SIZES = (1, 2, 4, 8, 16, 32)
UNCAPPED = 1000  # Flex Consumption's largest maximumInstanceCount


def recommend(workload: Workload = Workload(), platform: Platform = Platform()) -> Recommendation:
    """The settings we write into host.json and Bicep, derived from the burst and a twice-as-fast stress burst."""
    # 1. OpenAI capacity: the nominal burst's counted peak, unthrottled, +25% headroom, in steps of 10K TPM
    unthrottled = simulate(Config(8, UNCAPPED, 100_000), workload, platform)
    capacity_k = max(10, math.ceil(unthrottled.peak_openai_tpm_counted * 1.25 / 10_000) * 10)
    # 2. batch size: the largest whose p95 stays within 20% of the best (fewer executions and lock renewals)
    runs = {b: simulate(Config(b, UNCAPPED, capacity_k), workload, platform) for b in BATCH_SIZES}
    best = min(r.p95_reply_s for r in runs.values())
    batch = max(b for b, r in runs.items() if r.p95_reply_s <= min(TARGET_P95_S, best * 1.2))
    # 3. instance cap: the same clips in half the window, uncapped and unthrottled (what compute alone needs);
    #    its peak +50%, in tens. The cap bounds what a runaway burst can do to PostgreSQL and the OpenAI
    #    quota, so it is not simply "1000".
    stress_workload = replace(workload, window_s=workload.window_s / 2)
    need = simulate(Config(batch, UNCAPPED, 100_000), stress_workload, platform)
    peak = need.peak_ingest_instances + need.peak_worker_instances + need.peak_http_instances
    cap = max(20, math.ceil(peak * 1.5 / 10) * 10)
    config = Config(batch, cap, capacity_k)
    result = simulate(config, workload, platform)
    stress = simulate(config, stress_workload, platform)
    if result.p95_reply_s > TARGET_P95_S:
        raise SystemExit(f"p95 {result.p95_reply_s}s > {TARGET_P95_S}s with {config}: raise the quotas")
    # 4. PgBouncer: server connections for twice the stress peak of concurrent transactions (>= 10, in tens);
    #    client connections for every instance's full pool, doubled for tools and rolling restarts
    pool = max(10, math.ceil(need.peak_db_transactions * 2 / 10) * 10)
    clients = max(100, math.ceil(cap * config.app_pool_max * 2 / 100) * 100)
    assert pool < platform.max_connections
    return Recommendation(config, pool, clients, result, stress)


def _row(name: str, config: Config, result: Result) -> str:
    return (f"{name:<12} batch={config.batch_size:<5} max_instances={config.max_instances:<4} "
            f"openai={config.openai_capacity_k}K TPM | p50={result.p50_reply_s}s p95={result.p95_reply_s}s "
            f"max={result.max_reply_s}s drained={result.drained_after_s}s workers={result.peak_worker_instances} "
            f"ingest={result.peak_ingest_instances} queue={result.peak_queue_depth} "
            f"429s={result.openai_throttled_requests} cost=${result.cost_usd}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--technicians", type=int, default=Workload.technicians)
    parser.add_argument("--llm-share", type=float, default=Workload.llm_share)
    args = parser.parse_args(argv)
    workload = replace(Workload(), technicians=args.technicians, llm_share=args.llm_share)
    rec = recommend(workload)
    quota_only = replace(BASELINE, openai_capacity_k=rec.config.openai_capacity_k)
    rows = [
        ("baseline", BASELINE, simulate(BASELINE, workload)),
        ("quota_only", quota_only, simulate(quota_only, workload)),
        ("recommended", rec.config, rec.result),
        ("stress_2x", rec.config, rec.stress),  # the same clips in half the window
    ]
    if args.json:
        print(json.dumps({
            "workload": asdict(workload),
            "rows": {name: {"config": asdict(config), **asdict(result)} for name, config, result in rows},
            "derived": {"maxMessageBatchSize": rec.config.batch_size,
                        "functionMaximumInstanceCount": rec.config.max_instances,
                        "openAiDeploymentCapacity": rec.config.openai_capacity_k,
                        "pgbouncerDefaultPoolSize": rec.pgbouncer_default_pool_size,
                        "pgbouncerMaxClientConn": rec.pgbouncer_max_client_conn,
                        "appPoolMaxSize": rec.config.app_pool_max},
        }, indent=2))
    else:
        print(f"{workload.technicians} technicians x {workload.clips_per_technician} clips in "
              f"{workload.window_s / 60:.0f} min, {workload.llm_share:.0%} to Azure OpenAI")
        for name, config, result in rows:
            print(_row(name, config, result))
        r = rec.result
        print(f"  recommended: Service Bus peak {r.peak_servicebus_msgs_per_s:.0f} msg/s; OpenAI peak "
              f"{r.peak_openai_tpm_counted} counted TPM, {r.peak_openai_rpm} RPM; Speech peak "
              f"{r.peak_speech_concurrent} concurrent STT ({r.speech_throttled} throttled); DB peak "
              f"{r.peak_db_transactions} concurrent transactions; {r.peak_awaiting_reply} phones polling "
              f"({r.peak_http_instances} HTTP instance); cost {r.cost_breakdown_usd}")
        print(f"  derived: host.json maxMessageBatchSize={rec.config.batch_size}; Bicep "
              f"functionMaximumInstanceCount={rec.config.max_instances}, "
              f"openAiDeploymentCapacity={rec.config.openai_capacity_k}, "
              f"pgbouncerDefaultPoolSize={rec.pgbouncer_default_pool_size}, "
              f"pgbouncerMaxClientConn={rec.pgbouncer_max_client_conn}, appPoolMaxSize={rec.config.app_pool_max}")
    for name, _, result in rows:
        print(f"SCORE config={name} p95_reply_s={result.p95_reply_s} drained_s={result.drained_after_s} "
              f"peak_instances={result.peak_ingest_instances + result.peak_worker_instances} "
              f"openai_429={result.openai_throttled_requests} cost_usd={result.cost_usd}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

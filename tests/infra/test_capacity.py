"""host.json and the Bicep defaults carry the values scripts/capacity_model.py derives (docs/capacity.md)."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from tests.infra.bicep import ROOT, default, main, module


def _load_model():
    if "capacity_model" not in sys.modules:
        spec = importlib.util.spec_from_file_location("capacity_model", ROOT / "scripts" / "capacity_model.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules["capacity_model"] = mod  # dataclasses look their module up while the class is built
        spec.loader.exec_module(mod)
    return sys.modules["capacity_model"]


@pytest.fixture(scope="module")
def model():
    return _load_model()


@pytest.fixture(scope="module")
def recommendation(model):
    return model.recommend()


def test_host_json_batch_size_is_the_derived_one(recommendation):
    host = json.loads((ROOT / "host.json").read_text())
    assert host["extensions"]["serviceBus"]["maxMessageBatchSize"] == recommendation.config.batch_size


def test_bicep_defaults_are_the_derived_ones(recommendation):
    params = main()["parameters"]
    assert params["functionMaximumInstanceCount"]["default"] == recommendation.config.max_instances
    assert params["openAiDeploymentCapacity"]["default"] == recommendation.config.openai_capacity_k
    assert params["pgbouncerDefaultPoolSize"]["default"] == recommendation.pgbouncer_default_pool_size
    assert params["pgbouncerMaxClientConn"]["default"] == recommendation.pgbouncer_max_client_conn
    assert params["appPoolMaxSize"]["default"] == recommendation.config.app_pool_max
    # the module defaults agree, so deploying a module on its own behaves the same
    fn, ai, pg = module("function"), module("ai"), module("postgres")
    assert default(fn, "maximumInstanceCount") == recommendation.config.max_instances
    assert default(ai, "openAiDeploymentCapacity") == recommendation.config.openai_capacity_k
    assert default(pg, "pgbouncerDefaultPoolSize") == recommendation.pgbouncer_default_pool_size
    assert default(fn, "httpPerInstanceConcurrency") == _load_model().Platform().http_concurrency


def test_pool_fits_the_server_and_the_client_limit(model, recommendation):
    platform = model.Platform()
    assert recommendation.pgbouncer_default_pool_size < platform.max_connections
    clients = recommendation.config.max_instances * recommendation.config.app_pool_max
    assert clients <= recommendation.pgbouncer_max_client_conn


def test_the_model_sees_the_default_batch_size_starve_scale_out(model, recommendation):
    """Why host.json is not left at the default: target-based scaling divides the backlog by the batch size."""
    baseline = model.simulate(model.BASELINE)
    assert recommendation.result.p95_reply_s <= model.TARGET_P95_S < baseline.p95_reply_s
    assert baseline.peak_worker_instances < recommendation.result.peak_worker_instances

"""StylePolicy against real PostgreSQL: logging, rewards, learning, restarts, reset, implicit rewards.

These tests call reset(), which clears the bandit tables, so they run on a database of their own
instead of the shared session database."""

from __future__ import annotations

import threading
import uuid

import psycopg
import pytest

from voiceops.bandit import STYLES, StyleContext, StylePolicy, UnknownDecision
from voiceops.bandit.context import InvalidBanditInput

pytestmark = pytest.mark.integration


@pytest.fixture
def policy(bandit_url):
    with StylePolicy.connect(bandit_url, seed=7) as p:
        p.reset()
        yield p


def ctx(tech="tech-a", hour=17, weekday=4, action="close_ticket", jobs=3) -> StyleContext:
    return StyleContext(technician_id=tech, hour=hour, weekday=weekday, action=action, jobs_remaining=jobs)


def test_choose_logs_the_decision_and_reward_is_joined_by_id(policy, bandit_url):
    d = policy.choose(ctx())
    assert d.style in STYLES and 0 < d.propensity <= 1
    assert policy.reward(d.decision_id, 0.8) is True
    assert policy.reward(d.decision_id, 0.1) is False  # first reward wins
    with psycopg.connect(bandit_url) as conn:
        row = conn.execute(
            "SELECT d.technician_id, d.hour, d.action, d.style, d.propensity, d.model_version, r.reward, r.source"
            " FROM bandit_decisions d JOIN bandit_rewards r ON r.decision_id = d.id WHERE d.id = %s",
            (d.decision_id,),
        ).fetchone()
    assert row == ("tech-a", 17, "close_ticket", d.style, pytest.approx(d.propensity), 0, 0.8, "explicit")


def test_learns_a_preference_and_it_survives_a_restart(policy, bandit_url):
    # this technician only likes short replies late in the day
    for _ in range(150):
        d = policy.choose(ctx())
        policy.reward(d.decision_id, 0.9 if d.style == "short" else 0.2)
    greedy = policy.choose(ctx(), explore=False)
    assert greedy.style == "short" and greedy.propensity == 1.0
    with StylePolicy.connect(bandit_url) as restarted:
        again = restarted.choose(ctx(), explore=False)
        assert again.style == "short"
        assert again.model_version == 150


def test_reset_forgets_in_every_process(policy, bandit_url):
    d = policy.choose(ctx())
    policy.reward(d.decision_id, 1.0)
    with StylePolicy.connect(bandit_url) as other:
        other.choose(ctx())
        assert other.model.version == 1
        policy.reset()
        other.choose(ctx())  # sees the new generation …
        other.choose(ctx())  # … and has dropped its cache before this choice
        assert other.model.version == 0 and not other.model.shared
    with pytest.raises(UnknownDecision):
        policy.reward(d.decision_id, 1.0)


def test_rewards_from_another_process_reach_the_cached_model(policy, bandit_url):
    policy.choose(ctx())  # caches version 0
    with StylePolicy.connect(bandit_url) as other:
        for _ in range(5):
            other.reward(other.choose(ctx(tech="tech-b")).decision_id, 0.5)
    policy.choose(ctx())  # learns the version moved …
    policy.choose(ctx())  # … and has refreshed before this choice
    assert policy.model.version == 5
    assert "tech-b" in policy.model.tech["short"] | policy.model.tech["medium"] | policy.model.tech["long"]


def test_penalize_repeat_zeroes_the_latest_unrewarded_decision(policy, bandit_url):
    with psycopg.connect(bandit_url, autocommit=True) as conn:
        first = policy.choose(ctx(tech="tech-r"))
        second = policy.choose(ctx(tech="tech-r"))
        policy.choose(ctx(tech="tech-other"))
        with conn.transaction():
            penalised = policy.penalize_repeat("tech-r", conn=conn)
            # the repeat's own decision, logged in the same transaction, is not a candidate
            policy.choose(ctx(tech="tech-r"), conn=conn)
        assert penalised == second.decision_id
        rewards = dict(conn.execute("SELECT decision_id::text, reward FROM bandit_rewards").fetchall())
    assert rewards == {second.decision_id: 0.0}
    assert first.decision_id not in rewards
    assert policy.penalize_repeat("tech-nobody") is None


def test_sweep_applies_the_default_reward_once(policy, bandit_url):
    rewarded = policy.choose(ctx())
    policy.reward(rewarded.decision_id, 0.9)
    waiting = [policy.choose(ctx(tech=f"tech-s{i}")) for i in range(3)]
    with psycopg.connect(bandit_url, autocommit=True) as conn:
        conn.execute("UPDATE bandit_decisions SET created_at = created_at - interval '1 hour'")
    assert policy.sweep_default_rewards(older_than_s=600, default_reward=0.6) == 3
    assert policy.sweep_default_rewards(older_than_s=600, default_reward=0.6) == 0
    with psycopg.connect(bandit_url) as conn:
        rows = dict(conn.execute("SELECT decision_id::text, reward FROM bandit_rewards").fetchall())
    assert rows[rewarded.decision_id] == 0.9
    assert all(rows[d.decision_id] == 0.6 for d in waiting)


def test_decision_in_a_rolled_back_transaction_cannot_be_rewarded(policy, bandit_url):
    with psycopg.connect(bandit_url) as conn:
        d = policy.choose(ctx(), conn=conn)
        conn.rollback()
    with pytest.raises(UnknownDecision):
        policy.reward(d.decision_id, 0.5)


def test_bad_input_is_a_typed_error(policy):
    with pytest.raises(InvalidBanditInput):
        ctx(hour=24)
    with pytest.raises(InvalidBanditInput):
        policy.reward(policy.choose(ctx()).decision_id, 1.5)
    with pytest.raises(UnknownDecision):
        policy.reward("not-a-uuid", 0.5)
    with pytest.raises(UnknownDecision):
        policy.reward(str(uuid.uuid4()), 0.5)
    with pytest.raises(InvalidBanditInput):
        policy.reward(policy.choose(ctx()).decision_id, 0.5, source="rumour")


def test_a_reward_rolled_back_with_the_callers_transaction_leaves_no_trace(policy, bandit_url):
    d = policy.choose(ctx(tech="tech-rb"))
    with psycopg.connect(bandit_url) as conn:
        assert policy.reward(d.decision_id, 1.0, conn=conn) is True
        conn.rollback()
    policy.choose(ctx(tech="tech-rb"))  # the cache re-reads committed statistics
    assert policy.model.version == 0 and not policy.model.shared
    assert policy.reward(d.decision_id, 0.3) is True  # the decision is still unrewarded
    assert policy.model.version == 1


def test_a_learner_waiting_for_a_workers_transaction_does_not_block_that_worker(policy, bandit_url):
    first, second = policy.choose(ctx(tech="tech-w1")), policy.choose(ctx(tech="tech-w2"))
    waiting = threading.Thread(target=policy.reward, args=(second.decision_id, 0.5), daemon=True)
    with psycopg.connect(bandit_url) as conn:
        policy.reward(first.decision_id, 0.5, conn=conn)  # the worker's transaction now holds the model row
        waiting.start()  # a feedback on another thread must wait for it …
        waiting.join(0.3)
        assert waiting.is_alive()
        worker = threading.Thread(target=policy.choose, args=(ctx(tech="tech-w1"),), kwargs={"conn": conn},
                                  daemon=True)
        worker.start()  # … while the worker can still choose its style and commit
        worker.join(10)
        assert not worker.is_alive()
    waiting.join(10)
    assert not waiting.is_alive()
    with psycopg.connect(bandit_url) as conn:
        assert conn.execute("SELECT count(*) FROM bandit_rewards").fetchone()[0] == 2

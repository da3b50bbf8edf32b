"""The bandit's model, features and reward mapping, in memory (no database)."""

from __future__ import annotations

import numpy as np
import pytest

from voiceops.bandit import STYLES, InvalidBanditInput, StyleContext, reward_from_feedback
from voiceops.bandit.features import ACTIONS, FeatureSet, action_index
from voiceops.bandit.model import BanditConfig, StyleModel


def ctx(tech="tech-a", hour=10, weekday=1, action="confirm", jobs=3) -> StyleContext:
    return StyleContext(technician_id=tech, hour=hour, weekday=weekday, action=action, jobs_remaining=jobs)


# ---- features -------------------------------------------------------------------------------

def test_action_names_are_matched_by_stem_and_unknown_ones_share_a_slot():
    assert action_index("close_ticket") == action_index("close") == action_index("Close-Ticket")
    assert ACTIONS[action_index("reschedule")] == "reschedule_ticket"
    assert action_index("sing a song") == action_index("dance") == len(ACTIONS)


def test_encoding_is_one_hot_per_group_and_hour_is_cyclic():
    fs = FeatureSet()
    phi, psi = fs.encode(ctx(hour=23))
    assert phi.shape == (fs.d,) and psi.shape == (fs.k,) and len(fs.shared_names) == fs.d
    groups = {"hour<": 0, "weekday=": 0, "action=": 0}
    for name, value in zip(fs.shared_names, phi, strict=True):
        for prefix in groups:
            if name.startswith(prefix) or (prefix == "hour<" and name == "hour>=19"):
                groups[prefix] += value
    assert groups == {"hour<": 1.0, "weekday=": 1.0, "action=": 1.0}
    late, midnight = fs.encode(ctx(hour=23))[0][1:3], fs.encode(ctx(hour=0))[0][1:3]
    assert np.linalg.norm(late - midnight) < 0.3  # 23:00 sits next to 00:00


# ---- rewards --------------------------------------------------------------------------------

@pytest.mark.parametrize(("listened", "replayed", "skipped", "expected"), [
    (1.0, False, False, 1.0), (0.5, False, False, 0.5), (1.0, True, False, 0.5),
    (0.4, False, True, 0.1), (1.0, True, True, 0.125), (0.0, False, False, 0.0),
])
def test_feedback_maps_to_a_reward(listened, replayed, skipped, expected):
    assert reward_from_feedback(listened, replayed, skipped) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [(-0.1, False, False), (1.2, False, False), (float("nan"), False, False),
                                 ("all", False, False), (1.0, "yes", False)])
def test_bad_feedback_is_a_typed_error(bad):
    with pytest.raises(InvalidBanditInput):
        reward_from_feedback(*bad)


# ---- model ----------------------------------------------------------------------------------

def _design(model: StyleModel, turns, style):
    """The explicit ridge problem [φ, ψ⊗e_tech] the Schur-complement solve must reproduce."""
    techs = sorted({c.technician_id for c, s, _ in turns if s == style})
    d, k = model.features.d, model.features.k
    rows, targets = [], []
    for c, s, r in turns:
        if s != style:
            continue
        phi, psi = model.features.encode(c)
        x = np.zeros(d + k * len(techs))
        x[:d] = phi
        t = techs.index(c.technician_id)
        x[d + k * t : d + k * (t + 1)] = psi
        rows.append(x)
        targets.append(r - model.config.prior_mean)
    x, y = np.array(rows), np.array(targets)
    prior = np.diag([model.config.lambda_shared] * d + [model.config.lambda_tech] * (k * len(techs)))
    return techs, np.linalg.solve(x.T @ x + prior, x.T @ y)


def test_hierarchical_solve_equals_the_explicit_ridge_regression():
    rng = np.random.default_rng(3)
    model = StyleModel(config=BanditConfig(half_life=1e12))  # no forgetting: plain sums
    turns = []
    for _ in range(300):
        c = ctx(tech=f"tech-{rng.integers(4)}", hour=int(rng.integers(6, 20)), weekday=int(rng.integers(7)),
                action=str(rng.choice(ACTIONS)), jobs=int(rng.integers(0, 10)))
        style, r = str(rng.choice(STYLES)), float(rng.random())
        model.learn(c, style, r)
        turns.append((c, style, r))
        model.predict(*model.features.encode(c), c.technician_id)  # exercise the incremental path
    d, k = model.features.d, model.features.k
    for style in STYLES:
        techs, beta = _design(model, turns, style)
        post = model._solve(style)
        np.testing.assert_allclose(post.theta, beta[:d], atol=1e-8)
        for t, tech in enumerate(techs):
            np.testing.assert_allclose(post.theta_tech[post.index[tech]], beta[d + k * t : d + k * (t + 1)],
                                       atol=1e-8)


def _play(model, rng, turns, prefer):
    for _ in range(turns):
        c = ctx(tech=f"tech-{rng.integers(6)}", hour=int(rng.integers(6, 20)), action=str(rng.choice(ACTIONS)))
        p = model.probabilities(c, rng)
        j = int(rng.choice(3, p=p))
        model.learn(c, STYLES[j], float(np.clip(rng.normal(0.8 if STYLES[j] == prefer(c) else 0.4, 0.1), 0, 1)))


def test_learns_a_context_dependent_preference_and_propensities_respect_the_floor():
    cfg = BanditConfig()
    model = StyleModel(config=cfg)
    rng = np.random.default_rng(0)
    _play(model, rng, 600, lambda c: "short" if c.hour >= 15 else "long")
    late, morning = ctx(hour=17), ctx(hour=8)
    assert STYLES[int(np.argmax(model.probabilities(late, rng, explore=False)))] == "short"
    assert STYLES[int(np.argmax(model.probabilities(morning, rng, explore=False)))] == "long"
    p = model.probabilities(late, rng)
    assert p.sum() == pytest.approx(1.0) and p.min() >= cfg.floor / 3 - 1e-12
    greedy = model.probabilities(late, rng, explore=False)
    assert sorted(greedy) == [0.0, 0.0, 1.0]


def test_a_technician_with_the_opposite_taste_gets_their_own_answer():
    model = StyleModel()
    rng = np.random.default_rng(1)
    _play(model, rng, 800, lambda c: "long" if c.technician_id == "tech-0" else "short")
    means_crowd = model.predict(*model.features.encode(ctx(tech="tech-3")), "tech-3")[0]
    means_odd = model.predict(*model.features.encode(ctx(tech="tech-0")), "tech-0")[0]
    assert STYLES[int(np.argmax(means_crowd))] == "short"
    assert STYLES[int(np.argmax(means_odd))] == "long"
    # a technician never seen before starts from the crowd's taste
    assert STYLES[int(np.argmax(model.predict(*model.features.encode(ctx(tech="new")), "new")[0]))] == "short"


def test_forgetting_follows_a_change_of_taste_and_rebasing_keeps_the_answer():
    model = StyleModel(config=BanditConfig(half_life=25))
    rng = np.random.default_rng(2)
    _play(model, rng, 500, lambda c: "long")
    _play(model, rng, 700, lambda c: "short")
    assert model.base > 0  # 1200 updates with τ ≈ 36 crossed the rebase threshold (30τ)
    assert STYLES[int(np.argmax(model.probabilities(ctx(), rng, explore=False)))] == "short"
    before = model.predict(*model.features.encode(ctx()), "tech-1")
    model.rebase(model.version)
    after = model.predict(*model.features.encode(ctx()), "tech-1")
    np.testing.assert_allclose(before[0], after[0], atol=1e-9)
    np.testing.assert_allclose(before[1], after[1], rtol=1e-6)


def test_context_validation():
    with pytest.raises(InvalidBanditInput):
        ctx(hour=-1)
    with pytest.raises(InvalidBanditInput):
        ctx(weekday=7)
    with pytest.raises(InvalidBanditInput):
        ctx(tech="  ")
    with pytest.raises(InvalidBanditInput):
        StyleContext(technician_id="t", hour=True, weekday=1, action="confirm", jobs_remaining=1)


def test_context_accepts_numpy_numbers_and_enum_actions_as_plain_values():
    from voiceops.contracts import Action

    c = StyleContext(technician_id=np.str_("tech-n"), hour=np.int64(17), weekday=np.int32(4),
                     action=Action.close_ticket, jobs_remaining=3.0)
    assert (c.technician_id, c.hour, c.weekday, c.action, c.jobs_remaining) == ("tech-n", 17, 4, "close_ticket", 3)
    assert all(type(v) in (int, str) for v in (c.technician_id, c.hour, c.weekday, c.action, c.jobs_remaining))
    with pytest.raises(InvalidBanditInput):
        StyleContext(technician_id="t", hour=16.5, weekday=1, action="confirm", jobs_remaining=1)


def test_draw_index_is_generator_choice():
    from voiceops.bandit.policy import draw_index

    ours, numpy_choice, source = np.random.default_rng(123), np.random.default_rng(123), np.random.default_rng(9)
    for k in range(20_000):
        weights = source.random(3)
        if k % 3 == 0:
            weights[source.integers(3)] = 0.0  # a style the policy never plays
        p = 0.95 * weights / weights.sum() + 0.05 / 3
        assert draw_index(ours, p) == int(numpy_choice.choice(3, p=p))
    assert ours.random() == numpy_choice.random()  # both consumed the same draws

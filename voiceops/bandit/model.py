"""Hierarchical linear Thompson sampling over (shared φ, per-technician ψ) features.

For each style the expected reward is ``φ·θ + ψ·δ_tech``: θ is pooled over every technician, δ
is a technician's own deviation with a tighter prior (ridge λ_tech > λ_shared), so a new
technician starts at the crowd's taste and moves away only as their own evidence accumulates.
This is one ridge regression over the arrow-shaped design [φ, ψ⊗e_tech]; it is solved exactly
through the Schur complement, so its cost grows linearly with the number of technicians.

Sufficient statistics are sums, so concurrent learners just add deltas. Forgetting: an update
made at model version v is stored with weight exp((v - base)/τ), and readers scale the sums by
exp(-(version - base)/τ): evidence loses half its weight every ``half_life`` updates, whatever
the order in which concurrent learners commit.

Choice: Thompson sampling on the per-style predictive normal (mean, σ²·x'Σx) with σ² estimated
from the residuals; the win frequencies of ``draws`` joint samples give the propensities, which
are mixed with an exploration floor. ``explore=False`` plays the posterior mean greedily.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from voiceops.bandit.context import STYLES
from voiceops.bandit.features import FeatureSet

_REBASE_AT = 30.0  # rebase stored weights before exp((v - base)/τ) leaves a comfortable range


@dataclass(frozen=True)
class BanditConfig:
    """Tuning knobs; the defaults are generic choices, not fitted to a simulated world."""

    half_life: float = 3000.0  # updates after which a piece of evidence weighs half
    prior_mean: float = 0.5  # regress (reward − 0.5): an untried style starts mid-scale, not at 0
    lambda_shared: float = 1.0  # ridge on the pooled weights
    lambda_tech: float = 4.0  # ridge on a technician's deviation (shrinks towards the crowd)
    noise_prior: float = 0.05  # prior reward variance (rewards live in [0, 1])
    noise_prior_weight: float = 20.0  # pseudo-observations behind noise_prior
    explore_scale: float = 0.4  # posterior width used for sampling (< 1: TS over-explores; session 7: 0.5 -> 0.4)
    floor: float = 0.003  # total probability spread evenly over the styles (each keeps ≥ 0.001)
    draws: int = 256  # joint posterior draws used to estimate the propensities
    resolve_drift: float = 0.01  # re-solve an untouched style when forgetting moved it this much

    @property
    def tau(self) -> float:
        return self.half_life / math.log(2.0)


class _Posterior:
    """One style's posterior at a reference forgetting scale, updated per technician in place.

    Only the technicians whose statistics changed are recomputed; everything is rebuilt when
    forgetting has moved the scale by more than ``resolve_drift``."""

    def __init__(self, model: StyleModel, style: str, scale: float) -> None:
        cfg, d, k = model.config, model.features.d, model.features.k
        self.scale, self.d, self.k = scale, d, k
        self.lambda_tech = cfg.lambda_tech
        self.techs: list[str] = list(model.tech[style])
        self.index = {t: i for i, t in enumerate(self.techs)}
        t = len(self.techs)
        self.dinv, self.e, self.cmat = np.empty((t, k, k)), np.empty((t, k, d)), np.empty((t, k, d))
        self.dinv_b, self.bvec = np.empty((t, k)), np.empty((t, k))
        self.cte, self.ctdb = np.zeros((d, d)), np.zeros(d)
        if t:
            rows = np.stack([model.tech[style][x] for x in self.techs]) * scale
            dmat = rows[:, : k * k].reshape(t, k, k) + cfg.lambda_tech * np.eye(k)
            self.cmat = cmat = rows[:, k * k : k * k + k * d].reshape(t, k, d)
            self.bvec = rows[:, k * k + k * d : k * k + k * d + k]
            self.dinv = np.linalg.inv(dmat)
            self.e = self.dinv @ cmat
            self.dinv_b = (self.dinv @ self.bvec[:, :, None])[:, :, 0]
            self.cte = cmat.reshape(t * k, d).T @ self.e.reshape(t * k, d)
            self.ctdb = cmat.reshape(t * k, d).T @ self.dinv_b.reshape(t * k)
        self.solve(model.shared.get(style), model.config.lambda_shared)

    def update_tech(self, tech_id: str, row: np.ndarray) -> None:
        """Replace one technician's block (their statistics changed)."""
        d, k = self.d, self.k
        row = row * self.scale
        dinv = np.linalg.inv(row[: k * k].reshape(k, k) + self.lambda_tech * np.eye(k))
        cmat = row[k * k : k * k + k * d].reshape(k, d)
        bvec = row[k * k + k * d : k * k + k * d + k]
        e, dinv_b = dinv @ cmat, dinv @ bvec
        i = self.index.get(tech_id)
        if i is None:
            i = self.index[tech_id] = len(self.techs)
            self.techs.append(tech_id)
            self.dinv = np.concatenate((self.dinv, dinv[None]))
            self.e = np.concatenate((self.e, e[None]))
            self.cmat = np.concatenate((self.cmat, cmat[None]))
            self.dinv_b = np.concatenate((self.dinv_b, dinv_b[None]))
            self.bvec = np.concatenate((self.bvec, bvec[None]))
        else:
            self.cte -= self.cmat[i].T @ self.e[i]
            self.ctdb -= self.cmat[i].T @ self.dinv_b[i]
            self.dinv[i], self.e[i], self.cmat[i], self.dinv_b[i], self.bvec[i] = dinv, e, cmat, dinv_b, bvec
        self.cte += cmat.T @ e
        self.ctdb += cmat.T @ dinv_b

    def solve(self, shared: np.ndarray | None, lambda_shared: float) -> None:
        """Solve for the pooled weights given the current technician blocks (Schur complement)."""
        d = self.d
        if shared is None:
            shared = np.zeros(d * d + d + 2)
        row = shared * self.scale
        a = row[: d * d].reshape(d, d) + lambda_shared * np.eye(d) - self.cte
        b = row[d * d : d * d + d]
        self.sinv = np.linalg.inv(a)
        self.theta = self.sinv @ (b - self.ctdb)
        self.theta_tech = self.dinv_b - self.e @ self.theta
        # ridge identity: r'r − x'θ ≥ residual sum of squares (a conservative noise estimate)
        ssr = row[-2] - self.theta @ b - float(np.sum(self.theta_tech * self.bvec))
        self.ssr, self.weight = max(float(ssr), 0.0), float(row[-1])


class StyleModel:
    """The statistics of every style and technician, and the Thompson sampling choice."""

    def __init__(self, features: FeatureSet | None = None, config: BanditConfig | None = None) -> None:
        self.features = features or FeatureSet()
        self.config = config or BanditConfig()
        d, k = self.features.d, self.features.k
        self.shared_size = d * d + d + 2
        self.tech_size = k * k + k * d + k + 1
        self.clear()

    # ---- statistics -------------------------------------------------------------------------

    def clear(self, *, generation: int = 0, version: int = 0, base: int = 0) -> None:
        """Forget everything (a reset, or a new generation seen in the database)."""
        self.shared: dict[str, np.ndarray] = {}
        self.tech: dict[str, dict[str, np.ndarray]] = {s: {} for s in STYLES}
        self.generation, self.version, self.base = generation, version, base
        self._posterior: dict[str, _Posterior] = {}
        self._dirty: dict[str, set[str]] = {s: set() for s in STYLES}

    def deltas(self, phi: np.ndarray, psi: np.ndarray, reward: float) -> tuple[np.ndarray, np.ndarray]:
        """Unweighted statistic increments for one (context, reward)."""
        reward = reward - self.config.prior_mean
        shared = np.concatenate((np.outer(phi, phi).ravel(), reward * phi, (reward * reward, 1.0)))
        tech = np.concatenate((np.outer(psi, psi).ravel(), np.outer(psi, phi).ravel(), reward * psi, (1.0,)))
        return shared, tech

    def weight(self, version: int, base: int) -> float:
        """The weight an update made at ``version`` is stored with."""
        return math.exp((version - base) / self.config.tau)

    def add(self, style: str, technician_id: str, shared: np.ndarray, tech: np.ndarray, weight: float) -> None:
        """Fold weighted deltas into the statistics (mirrors the SQL bandit_learn)."""
        row = self.shared.get(style)
        self.shared[style] = weight * shared if row is None else row + weight * shared
        rows = self.tech[style]
        row = rows.get(technician_id)
        rows[technician_id] = weight * tech if row is None else row + weight * tech
        self._dirty[style].add(technician_id)

    def set_row(self, scope: str, style: str, stats: np.ndarray) -> None:
        """Replace one statistics row with the database's copy."""
        if scope == "shared":
            self.shared[style] = stats
        else:
            tech_id = scope.removeprefix("tech:")
            self.tech[style][tech_id] = stats
            self._dirty[style].add(tech_id)
        # the shared row is re-read on every solve; an empty set still forces one
        self._dirty[style].add("")

    def rebase(self, version: int) -> None:
        """Rescale every stored row so that ``version`` becomes the new base."""
        factor = math.exp(-(version - self.base) / self.config.tau)
        for style in STYLES:
            if style in self.shared:
                self.shared[style] = self.shared[style] * factor
            for tech_id, row in self.tech[style].items():
                self.tech[style][tech_id] = row * factor
        self.base = version
        self._posterior.clear()

    def learn(self, ctx, style: str, reward: float) -> None:
        """In-memory learning step with the same arithmetic as the database path."""
        phi, psi = self.features.encode(ctx)
        shared, tech = self.deltas(phi, psi, reward)
        self.version += 1
        if (self.version - self.base) / self.config.tau > _REBASE_AT:
            self.rebase(self.version)
        self.add(style, ctx.technician_id, shared, tech, self.weight(self.version, self.base))

    # ---- posterior --------------------------------------------------------------------------

    def _scale(self) -> float:
        return math.exp(-(self.version - self.base) / self.config.tau)

    def _solve(self, style: str) -> _Posterior:
        scale = self._scale()
        post = self._posterior.get(style)
        dirty = self._dirty[style]
        if post is None or abs(post.scale / scale - 1.0) >= self.config.resolve_drift:
            post = self._posterior[style] = _Posterior(self, style, scale)
        elif dirty:
            for tech_id in dirty:
                if tech_id:
                    post.update_tech(tech_id, self.tech[style][tech_id])
            post.solve(self.shared.get(style), self.config.lambda_shared)
        else:
            return post
        dirty.clear()
        return post

    def pooled_weights(self, style: str) -> np.ndarray:
        """The posterior mean of a style's pooled (shared-feature) weights."""
        return self._solve(style).theta

    def predict(self, phi: np.ndarray, psi: np.ndarray, technician_id: str) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and variance of each style's expected reward."""
        cfg = self.config
        means, spreads = np.empty(len(STYLES)), np.empty(len(STYLES))
        ssr = weight = 0.0
        for j, style in enumerate(STYLES):
            sol = self._solve(style)
            ssr += sol.ssr
            weight += sol.weight
            i = sol.index.get(technician_id)
            if i is None:
                means[j] = self.config.prior_mean + phi @ sol.theta
                spreads[j] = psi @ psi / cfg.lambda_tech + phi @ sol.sinv @ phi
            else:
                means[j] = self.config.prior_mean + phi @ sol.theta + psi @ sol.theta_tech[i]
                u = phi - sol.e[i].T @ psi
                spreads[j] = psi @ sol.dinv[i] @ psi + u @ sol.sinv @ u
        noise = (cfg.noise_prior_weight * cfg.noise_prior + ssr) / (cfg.noise_prior_weight + weight)
        return means, noise * spreads

    def probabilities(self, ctx, rng: np.random.Generator, *, explore: bool = True,
                      encoded: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """The policy's probability for each style in this context (``encoded``: its (φ, ψ))."""
        phi, psi = encoded or self.features.encode(ctx)
        means, variances = self.predict(phi, psi, ctx.technician_id)
        if not explore:
            p = np.zeros(len(STYLES))
            p[int(np.argmax(means))] = 1.0
            return p
        cfg = self.config
        draws = means + cfg.explore_scale * np.sqrt(variances) * rng.standard_normal((cfg.draws, len(STYLES)))
        wins = np.bincount(np.argmax(draws, axis=1), minlength=len(STYLES)) / cfg.draws
        return (1.0 - cfg.floor) * wins + cfg.floor / len(STYLES)

-- The response-style bandit: logged decisions, rewards joined by decision id, and the model's
-- sufficient statistics. Every writer adds to the statistics with one atomic UPDATE under the
-- model row's lock, so concurrent workers never lose an update and versions commit in order.

-- One row: the model's version (bumped by every learning step), the discount base and the
-- generation (bumped by reset so every process drops its cached statistics).
CREATE TABLE bandit_model (
    id          smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    generation  integer NOT NULL DEFAULT 0,
    version     bigint NOT NULL DEFAULT 0,
    -- statistics are stored scaled by exp((version_at_learning - base) / tau); see bandit_learn
    base        bigint NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO bandit_model (id) VALUES (1);

CREATE TABLE bandit_decisions (
    id              uuid PRIMARY KEY,
    technician_id   text NOT NULL,
    hour            smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
    weekday         smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    action          text NOT NULL,
    jobs_remaining  integer NOT NULL CHECK (jobs_remaining >= 0),
    style           text NOT NULL CHECK (style IN ('short', 'medium', 'long')),
    propensity      double precision NOT NULL CHECK (propensity > 0 AND propensity <= 1),
    -- the policy's probability for short, medium, long (for off-policy evaluation)
    probabilities   double precision[] NOT NULL,
    explored        boolean NOT NULL,
    model_version   bigint NOT NULL,
    feature_set     text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bandit_decisions_technician_created ON bandit_decisions (technician_id, created_at DESC);
CREATE INDEX bandit_decisions_created ON bandit_decisions (created_at);

-- First reward wins: a later feedback, repeat or default for the same decision is ignored.
CREATE TABLE bandit_rewards (
    decision_id     uuid PRIMARY KEY REFERENCES bandit_decisions(id) ON DELETE CASCADE,
    reward          double precision NOT NULL CHECK (reward >= 0 AND reward <= 1),
    source          text NOT NULL CHECK (source IN ('explicit', 'feedback', 'repeat', 'default')),
    learned_version bigint NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Sufficient statistics per (feature set, scope, style): scope 'shared' holds the pooled
-- regression, 'tech:<id>' a technician's deviation block. ``stats`` is a flat float8 vector
-- whose layout belongs to the feature set; ``events`` counts the updates (undiscounted).
CREATE TABLE bandit_stats (
    feature_set  text NOT NULL,
    scope        text NOT NULL,
    style        text NOT NULL CHECK (style IN ('short', 'medium', 'long')),
    stats        double precision[] NOT NULL,
    events       bigint NOT NULL DEFAULT 0,
    version      bigint NOT NULL,
    PRIMARY KEY (feature_set, scope, style)
);
CREATE INDEX bandit_stats_version ON bandit_stats (version);

-- x + a*y, element by element (the statistics update).
CREATE FUNCTION bandit_axpy(x double precision[], y double precision[], a double precision)
RETURNS double precision[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(coalesce(u.x, 0) + a * u.y ORDER BY u.i)
    FROM unnest(x, y) WITH ORDINALITY AS u(x, y, i)
$$;

-- Record a reward and fold its statistics into the model in one transaction. Returns the new
-- model version, base and generation, or no row when the decision already had a reward.
-- p_shared / p_tech are the unweighted deltas; the weight exp((version - base) / tau) makes old
-- evidence count less (exponential forgetting with additive, order-independent updates).
CREATE FUNCTION bandit_learn(
    p_decision uuid, p_reward double precision, p_source text,
    p_feature_set text, p_style text, p_tech_scope text,
    p_shared double precision[], p_tech double precision[], p_tau double precision)
RETURNS TABLE (version bigint, base bigint, generation integer)
LANGUAGE plpgsql AS $$
DECLARE
    v bigint; b bigint; g integer; w double precision;
BEGIN
    -- the model row lock serialises learners: versions are handed out in commit order
    UPDATE bandit_model m SET version = m.version + 1, updated_at = now() WHERE m.id = 1
        RETURNING m.version, m.base, m.generation INTO v, b, g;
    INSERT INTO bandit_rewards (decision_id, reward, source, learned_version)
        VALUES (p_decision, p_reward, p_source, v)
        ON CONFLICT (decision_id) DO NOTHING;
    IF NOT FOUND THEN
        -- already rewarded: give the version back (we still hold the row lock, nobody saw it)
        UPDATE bandit_model m SET version = m.version - 1 WHERE m.id = 1;
        RETURN;
    END IF;
    IF (v - b) / p_tau > 30 THEN
        -- rebase so the stored weights stay within float range
        UPDATE bandit_stats s
            SET stats = bandit_axpy(NULL, s.stats, exp(-(v - b) / p_tau)), version = v;
        UPDATE bandit_model m SET base = v WHERE m.id = 1;
        b := v;
    END IF;
    w := exp((v - b) / p_tau);
    INSERT INTO bandit_stats AS s (feature_set, scope, style, stats, events, version)
        VALUES (p_feature_set, 'shared', p_style, bandit_axpy(NULL, p_shared, w), 1, v)
        ON CONFLICT (feature_set, scope, style) DO UPDATE
        SET stats = bandit_axpy(s.stats, p_shared, w), events = s.events + 1, version = v;
    INSERT INTO bandit_stats AS s (feature_set, scope, style, stats, events, version)
        VALUES (p_feature_set, p_tech_scope, p_style, bandit_axpy(NULL, p_tech, w), 1, v)
        ON CONFLICT (feature_set, scope, style) DO UPDATE
        SET stats = bandit_axpy(s.stats, p_tech, w), events = s.events + 1, version = v;
    RETURN QUERY SELECT v, b, g;
END $$;

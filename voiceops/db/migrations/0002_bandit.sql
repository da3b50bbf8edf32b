-- The response-style bandit: logged decisions, rewards joined by decision id, and the model's
-- sufficient statistics. Every learner adds its delta inside bandit_learn while holding the
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

-- Record a reward and fold its statistics into the model in one transaction. Returns the new
-- model version, base and generation, or no row when the decision already had a reward.
-- The deltas come sparse (1-based positions and values; features are mostly one-hot) and
-- unweighted: the weight exp((version - base) / tau) makes old evidence count less, i.e.
-- exponential forgetting with additive, order-independent updates.
CREATE FUNCTION bandit_learn(
    p_decision uuid, p_reward double precision, p_source text,
    p_feature_set text, p_style text, p_tech_scope text,
    p_shared_size integer, p_shared_idx integer[], p_shared_val double precision[],
    p_tech_size integer, p_tech_idx integer[], p_tech_val double precision[],
    p_tau double precision)
RETURNS TABLE (version bigint, base bigint, generation integer)
LANGUAGE plpgsql AS $$
DECLARE
    v bigint; b bigint; g integer; w double precision; f double precision;
    s double precision[]; i integer;
    scopes text[] := ARRAY['shared', p_tech_scope];
    sizes integer[] := ARRAY[p_shared_size, p_tech_size];
    j integer;
BEGIN
    -- the model row lock serialises learners: versions are handed out in commit order and the
    -- read-modify-write below cannot interleave with another learner's
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
        -- rebase so the stored weights stay within a comfortable float range
        f := exp(-(v - b) / p_tau);
        UPDATE bandit_stats st SET stats = (SELECT array_agg(x * f ORDER BY k)
                                            FROM unnest(st.stats) WITH ORDINALITY AS u(x, k)),
                                   version = v;
        UPDATE bandit_model m SET base = v WHERE m.id = 1;
        b := v;
    END IF;
    w := exp((v - b) / p_tau);
    FOR j IN 1..2 LOOP
        SELECT st.stats INTO s FROM bandit_stats st
            WHERE st.feature_set = p_feature_set AND st.scope = scopes[j] AND st.style = p_style
            FOR UPDATE;
        IF NOT FOUND THEN
            s := array_fill(0::double precision, ARRAY[sizes[j]]);
        END IF;
        IF j = 1 THEN
            FOR i IN 1..coalesce(array_length(p_shared_idx, 1), 0) LOOP
                s[p_shared_idx[i]] := s[p_shared_idx[i]] + w * p_shared_val[i];
            END LOOP;
        ELSE
            FOR i IN 1..coalesce(array_length(p_tech_idx, 1), 0) LOOP
                s[p_tech_idx[i]] := s[p_tech_idx[i]] + w * p_tech_val[i];
            END LOOP;
        END IF;
        INSERT INTO bandit_stats AS st (feature_set, scope, style, stats, events, version)
            VALUES (p_feature_set, scopes[j], p_style, s, 1, v)
            ON CONFLICT (feature_set, scope, style) DO UPDATE
            SET stats = EXCLUDED.stats, events = st.events + 1, version = v;
    END LOOP;
    RETURN QUERY SELECT v, b, g;
END $$;

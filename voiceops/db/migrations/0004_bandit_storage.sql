-- The statistics vectors are dense floats that never compress: store them out of line without
-- trying (a learning step rewrites the shared row; skipping pglz takes ~0.3 ms off a reward).
ALTER TABLE bandit_stats ALTER COLUMN stats SET STORAGE EXTERNAL;

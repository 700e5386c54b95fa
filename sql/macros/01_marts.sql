-- Helpers shared by the intermediate and mart models (created with the staging macros, before any model).

-- no_estimate: this snapshot has no OEWS estimate for the area and code (projections only).
CREATE OR REPLACE MACRO flag_or_no_estimate(flag, has_oews) AS CASE WHEN has_oews THEN flag ELSE 'no_estimate' END;

-- An occupation in n groups gives each ⌊E/n⌋, and the first E mod n groups (by name) one more,
-- so the parts add up exactly to E (intermediate/06_cluster_allocation.sql and the others that
-- share persons out).
CREATE OR REPLACE MACRO split_whole(total, n, k) AS total // n + CASE WHEN k < total % n THEN 1 ELSE 0 END;

-- The occupation codes of an OEWS release, by its year (the years are bound by the history
-- dataset, pipelines/oews-history.ts: HISTORY_VARIABLES).
CREATE OR REPLACE MACRO code_system(y) AS
  CASE WHEN y < getvariable('hybrid_first_year') THEN 'SOC 2010' WHEN y < getvariable('soc2018_first_year') THEN 'hybrid SOC 2010/2018' ELSE 'SOC 2018' END;

-- BLS's top code for annual wages in a release's year, raised once (pipelines/oews.ts: TOP_CODES).
CREATE OR REPLACE MACRO history_top_code(y) AS
  CASE WHEN y >= getvariable('top_code_raised_year') THEN getvariable('top_code_annual_raised') ELSE getvariable('top_code_annual_before') END;

-- Helpers shared by the intermediate and mart models (created with the staging macros, before any model).

-- no_estimate: this snapshot has no OEWS estimate for the area and code (projections only).
CREATE OR REPLACE MACRO flag_or_no_estimate(flag, has_oews) AS CASE WHEN has_oews THEN flag ELSE 'no_estimate' END;

-- An occupation in n groups gives each ⌊E/n⌋, and the first E mod n groups (by name) one more,
-- so the parts add up exactly to E (intermediate/06_cluster_allocation.sql and the others that
-- share persons out).
CREATE OR REPLACE MACRO split_whole(total, n, k) AS total // n + CASE WHEN k < total % n THEN 1 ELSE 0 END;

-- The occupation codes of an OEWS release, by its year.
CREATE OR REPLACE MACRO code_system(y) AS CASE WHEN y <= 2018 THEN 'SOC 2010' WHEN y <= 2020 THEN 'hybrid SOC 2010/2018' ELSE 'SOC 2018' END;

-- BLS's top code for annual wages: $208,000 through May 2021, $239,200 from May 2022.
CREATE OR REPLACE MACRO history_top_code(y) AS CASE WHEN y >= 2022 THEN 239200 ELSE 208000 END;

-- Old codes shared out to their target codes in whole persons: in proportion to the targets'
-- May 2021 employment (equal shares when none has any), the remainder to the largest fractions
-- (then by code), so each code's employment is kept exactly.
CREATE OR REPLACE TABLE stg_history_split AS
WITH targets AS (
  SELECT m.release_year, m.code, coalesce(t.target_code, m.soc_2018_code) AS target_code,
         max(coalesce(t.weight, 0)) AS weight, string_agg(DISTINCT m.rule, '; ' ORDER BY m.rule) AS rule
  FROM stg_history_members m LEFT JOIN stg_history_targets t USING (soc_2018_code)
  GROUP BY ALL
), weighted AS (
  SELECT t.*, h.employment,
    count(*) OVER w AS n,
    CASE WHEN sum(t.weight) OVER w > 0 THEN t.weight ELSE 1 END AS w_eff,
    CASE WHEN sum(t.weight) OVER w > 0 THEN sum(t.weight) OVER w ELSE count(*) OVER w END AS w_total
  FROM targets t JOIN stg_history h USING (release_year, code)
  WINDOW w AS (PARTITION BY t.release_year, t.code)
), based AS (
  SELECT *, (CAST(employment AS HUGEINT) * w_eff) // w_total AS base, (CAST(employment AS HUGEINT) * w_eff) % w_total AS frac
  FROM weighted
), ranked AS (
  SELECT *, employment - sum(base) OVER (PARTITION BY release_year, code) AS remainder,
    row_number() OVER (PARTITION BY release_year, code ORDER BY frac * 1.0 / w_total DESC, target_code) AS r
  FROM based
)
SELECT release_year, code, target_code, n, rule, w_eff AS weight, w_total AS total_weight,
  CAST(base + CASE WHEN r <= remainder THEN 1 ELSE 0 END AS BIGINT) AS employment
FROM ranked;

-- OEWS history (empty unless the run has --history): each release's national detailed rows,
-- each code once (May 2017-2019 list some codes both as broad and as detailed, as BLS
-- published them; the detailed row is the one kept), and how each code reaches SOC 2018.
CREATE OR REPLACE TEMP TABLE stg_history AS
SELECT release_year, occ_code AS code,
  any_value(trim(occ_title))                        AS title,
  any_value(oews_whole(tot_emp))                    AS employment,
  any_value(oews_flag(tot_emp))                     AS employment_flag,
  any_value(oews_whole(a_median))                   AS annual_wage_median,
  any_value(annual_wage_flag(a_median, hourly))     AS annual_wage_median_flag
FROM raw_oews_history
WHERE lower(trim(o_group)) = 'detailed' AND coalesce(CAST(area_type AS INTEGER), 1) = 1
GROUP BY release_year, occ_code;

-- Each old code's SOC 2018 codes. SOC 2010 releases (May 2014-2018): the BLS crosswalk, and
-- OEWS-only codes through the SOC 2010 codes they stand for (crosswalks/oews_soc_2010_codes.csv);
-- OEWS aggregates those releases share with later ones (13-1020, 29-2010 …) through the code map
-- every snapshot uses. Later releases: that code map first (SOC 2018, OEWS aggregates, broad
-- groups, hybrids), the BLS crosswalk for a SOC 2010 code a hybrid release still carries. A code
-- nothing maps stays itself: it shows in history_coverage as unmapped, never lost.
CREATE OR REPLACE TEMP TABLE stg_history_members AS
WITH soc2010 AS (
  SELECT soc_2010_code AS code, soc_2018_code, 'BLS SOC 2010 to 2018 crosswalk' AS rule FROM raw_soc_2010_to_2018
  UNION ALL
  SELECT o.code, x.soc_2018_code, 'OEWS code for SOC 2010 ' || o.soc_2010_code || ', then the BLS crosswalk'
  FROM raw_oews_soc_2010_codes o JOIN raw_soc_2010_to_2018 x ON x.soc_2010_code = o.soc_2010_code
), soc2018 AS (
  SELECT code, soc_2018_code, 'SOC 2018 code map (' || code_kind || ')' AS rule FROM stg_code_members
), codes AS (SELECT DISTINCT release_year, code FROM stg_history WHERE release_year < 2021),
candidates AS (
  SELECT c.release_year, c.code, m.soc_2018_code, m.rule, CASE WHEN c.release_year <= 2018 THEN 1 ELSE 2 END AS priority
  FROM codes c JOIN soc2010 m USING (code)
  UNION ALL
  SELECT c.release_year, c.code, m.soc_2018_code, m.rule, CASE WHEN c.release_year <= 2018 THEN 2 ELSE 1 END
  FROM codes c JOIN soc2018 m USING (code)
  UNION ALL
  SELECT release_year, code, code, 'not mapped: kept as published', 3 FROM codes
)
SELECT release_year, code, soc_2018_code, any_value(rule) AS rule
FROM (SELECT * FROM candidates QUALIFY priority = min(priority) OVER (PARTITION BY release_year, code))
GROUP BY release_year, code, soc_2018_code;

-- Where a SOC 2018 code sits among the codes of May 2021, the first SOC 2018 release, and that
-- code's employment there: the weight by which a split code is shared.
CREATE OR REPLACE TEMP TABLE stg_history_targets AS
SELECT m.soc_2018_code, m.code AS target_code, h.employment AS weight
FROM stg_code_members m JOIN stg_history h ON h.code = m.code AND h.release_year = 2021;

-- Old codes shared out to their target codes in whole persons: in proportion to the targets'
-- May 2021 employment (equal shares when none has any), the remainder to the largest fractions
-- (then by code), so each code's employment is kept exactly.
CREATE OR REPLACE TEMP TABLE stg_history_split AS
WITH targets AS (
  SELECT m.release_year, m.code, coalesce(t.target_code, m.soc_2018_code) AS target_code,
         max(coalesce(t.weight, 0)) AS weight, any_value(m.rule) AS rule
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

-- Every release's employment by target code: SOC 2018 releases as published, older ones through
-- the split, with the part that came through codes split among several targets.
CREATE OR REPLACE TEMP TABLE stg_history_contributions AS
SELECT release_year, code AS source_code, code AS target_code, 1 AS n, 'same code' AS rule, employment, annual_wage_median, annual_wage_median_flag
FROM stg_history WHERE release_year >= 2021
UNION ALL
SELECT s.release_year, s.code, s.target_code, s.n, s.rule, s.employment, h.annual_wage_median, h.annual_wage_median_flag
FROM stg_history_split s JOIN stg_history h ON h.release_year = s.release_year AND h.code = s.code;

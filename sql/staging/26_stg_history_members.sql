-- Each old code's SOC 2018 codes. SOC 2010 releases (May 2014-2018): the BLS crosswalk, and
-- OEWS-only codes through the SOC 2010 codes they stand for (crosswalks/oews_soc_2010_codes.csv);
-- OEWS aggregates those releases share with later ones (13-1020, 29-2010 …) through the code map
-- every snapshot uses. Later releases: that code map first (SOC 2018, OEWS aggregates, broad
-- groups, hybrids), the BLS crosswalk for a SOC 2010 code a hybrid release still carries. A code
-- nothing maps stays itself: it shows in history_coverage as unmapped, never lost.
CREATE OR REPLACE TABLE stg_history_members AS
WITH soc2010 AS (
  SELECT soc_2010_code AS code, soc_2018_code, 'BLS SOC 2010 to 2018 crosswalk' AS rule FROM raw_soc_2010_to_2018
  UNION ALL
  SELECT o.code, x.soc_2018_code, 'OEWS code for SOC 2010 ' || o.soc_2010_code || ', then the BLS crosswalk'
  FROM raw_oews_soc_2010_codes o JOIN raw_soc_2010_to_2018 x ON x.soc_2010_code = o.soc_2010_code
), soc2018 AS (
  SELECT code, soc_2018_code, 'SOC 2018 code map (' || code_kind || ')' AS rule FROM stg_code_members
), codes AS (SELECT DISTINCT release_year, code FROM stg_history WHERE code_system(release_year) <> 'SOC 2018'),
candidates AS (
  SELECT c.release_year, c.code, m.soc_2018_code, m.rule, CASE WHEN code_system(c.release_year) = 'SOC 2010' THEN 1 ELSE 2 END AS priority
  FROM codes c JOIN soc2010 m USING (code)
  UNION ALL
  SELECT c.release_year, c.code, m.soc_2018_code, m.rule, CASE WHEN code_system(c.release_year) = 'SOC 2010' THEN 2 ELSE 1 END
  FROM codes c JOIN soc2018 m USING (code)
  UNION ALL
  SELECT release_year, code, code, 'not mapped: kept as published', 3 FROM codes
)
-- A code can reach one target by two paths (OEWS's 15-2090 stands for SOC 2010 15-2091 and
-- 15-2099, both now 15-2051): every rule is named, in order, never one picked at random.
SELECT release_year, code, soc_2018_code, string_agg(DISTINCT rule, '; ' ORDER BY rule) AS rule
FROM (SELECT * FROM candidates QUALIFY priority = min(priority) OVER (PARTITION BY release_year, code))
GROUP BY release_year, code, soc_2018_code;

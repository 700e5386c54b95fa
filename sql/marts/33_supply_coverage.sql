-- What the supply side could not place, never silent: per area, completions at programs the
-- NCES crosswalk links to no occupation (liberal arts, general studies …) and at programs
-- Advance CTE's crosswalk gives no cluster; and, the same in every row, CIP codes in one
-- crosswalk and not the other, and institutions in no area (and their completions).
CREATE OR REPLACE TABLE supply_coverage AS
WITH program AS (
  SELECT area_code, any_value(area_name) AS area_name, cip_code, sum(completions) AS completions FROM program_completions GROUP BY area_code, cip_code
), linked AS (
  SELECT DISTINCT cip_code FROM stg_cip_soc
), clustered AS (
  SELECT DISTINCT cip_code FROM stg_cip_clusters
), nces AS (
  SELECT DISTINCT cip_code FROM stg_cip_titles WHERE cip_code NOT LIKE '99.%'
), outside AS (
  SELECT count(DISTINCT i.unitid) AS institutions, coalesce(sum(c.completions), 0) AS completions
  FROM stg_ipeds_institutions i LEFT JOIN stg_ipeds_completions c USING (unitid)
  WHERE i.state_fips IS NULL OR i.state_fips NOT IN (SELECT state_fips FROM stg_states)
)
SELECT p.area_code, any_value(p.area_name) AS area_name,
  sum(p.completions)::BIGINT                                                                  AS completions,
  coalesce(sum(p.completions) FILTER (WHERE p.cip_code NOT IN (SELECT cip_code FROM linked)), 0)::BIGINT    AS completions_without_occupation,
  count(*) FILTER (WHERE p.cip_code NOT IN (SELECT cip_code FROM linked))                     AS programs_without_occupation,
  coalesce(sum(p.completions) FILTER (WHERE p.cip_code NOT IN (SELECT cip_code FROM clustered)), 0)::BIGINT AS completions_without_cluster,
  count(*) FILTER (WHERE p.cip_code NOT IN (SELECT cip_code FROM clustered))                  AS programs_without_cluster,
  (SELECT count(*) FROM nces WHERE cip_code NOT IN (SELECT cip_code FROM clustered))          AS cip_codes_only_in_nces_crosswalk,
  (SELECT count(*) FROM clustered WHERE cip_code NOT IN (SELECT cip_code FROM nces))          AS cip_codes_only_in_advance_cte_crosswalk,
  any_value(o.institutions)                                                                   AS institutions_without_area,
  any_value(o.completions)::BIGINT                                                            AS completions_without_area,
  getvariable('completions_period')                                                           AS completions_period
FROM program p CROSS JOIN outside o
GROUP BY p.area_code
ORDER BY {{supply_coverage_order}};

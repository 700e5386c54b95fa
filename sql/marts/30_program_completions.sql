-- Supply: completions (IPEDS, first majors) per area, program of study (CIP 2020) and award
-- group. An institution counts in its state or territory (its FIPS in HD) and, when that is one
-- of the 50 states or DC, in the nation ('99'), the universe of the OEWS national estimates.
-- A run limited with --areas keeps the nation and those states. Institutions outside every
-- area (the freely associated states) are counted in supply_coverage.
CREATE OR REPLACE VIEW supply_institution_areas AS
SELECT i.unitid, '99' AS area_code
FROM stg_ipeds_institutions i JOIN stg_states s USING (state_fips)
WHERE s.area_type = 'state'
UNION ALL
SELECT i.unitid, i.state_fips
FROM stg_ipeds_institutions i JOIN stg_states s USING (state_fips)
WHERE NOT EXISTS (SELECT 1 FROM run_areas) OR i.state_fips IN (SELECT state_fips FROM run_areas);

-- The supply tables' areas: named as the snapshot names them, else as the state list does.
CREATE OR REPLACE VIEW supply_area_names AS
SELECT a.area_code, coalesce(d.area_name, s.state_name, 'U.S.') AS area_name, coalesce(d.area_type, s.area_type, 'national') AS area_type
FROM (SELECT DISTINCT area_code FROM supply_institution_areas) a
LEFT JOIN dim_area d USING (area_code)
LEFT JOIN stg_states s ON s.state_fips = a.area_code;

-- A program's title: the NCES crosswalk's, else Advance CTE's (NULL for a code in neither).
CREATE OR REPLACE VIEW supply_cip_titles AS
SELECT cip_code, any_value(cip_title) AS cip_title FROM (
  SELECT cip_code, cip_title FROM stg_cip_titles
  UNION ALL
  SELECT cip_code, cip_title FROM stg_cip_clusters WHERE cip_code NOT IN (SELECT cip_code FROM stg_cip_titles)
) GROUP BY cip_code;

CREATE OR REPLACE TABLE program_completions AS
WITH per_institution AS (
  -- Each institution's completions per program and award group (a group holds up to four
  -- award levels), so each institution counts once below without a DISTINCT count.
  SELECT unitid, cip_code, award_group, sum(completions) AS completions
  FROM stg_ipeds_completions WHERE award_group IS NOT NULL GROUP BY ALL
)
SELECT a.area_code, n.area_name, n.area_type, c.cip_code, t.cip_title, c.award_group,
  sum(c.completions)::BIGINT                 AS completions,
  count(*) FILTER (WHERE c.completions > 0) AS institutions,
  getvariable('completions_period')          AS completions_period
FROM per_institution c
JOIN supply_institution_areas a USING (unitid)
JOIN supply_area_names n USING (area_code)
LEFT JOIN supply_cip_titles t USING (cip_code)
GROUP BY ALL
ORDER BY {{program_completions_order}};

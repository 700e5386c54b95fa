-- Projections Central long-term projections by state. Persons, rounded to tens by the states;
-- 'NA' (confidential) becomes NULL with a flag. stfips is not zero-padded in the source.
-- The national rows (stfips 0) are left out: the nation's projections come from BLS directly.
CREATE OR REPLACE TABLE stg_projections_central AS
SELECT
  lpad(CAST(CAST(stfips AS INTEGER) AS VARCHAR), 2, '0') AS state_fips,
  trim(areaname)                               AS area_name,
  code                                         AS soc_code,
  trim(name)                                   AS soc_title,
  CASE WHEN code = '00-0000' THEN 'total' ELSE 'detailed' END AS level,
  CAST(baseyear AS INTEGER)                    AS base_year,
  CAST(projyear AS INTEGER)                    AS proj_year,
  CAST(round(CAST(nullif(upper(base), 'NA') AS DECIMAL(18, 2))) AS BIGINT) AS base_employment,
  CAST(round(CAST(nullif(upper(proj), 'NA') AS DECIMAL(18, 2))) AS BIGINT) AS projected_employment,
  CAST(nullif(upper(percentchange), 'NA') AS DECIMAL(8, 1))                AS change_pct,
  CAST(round(CAST(nullif(upper(avgannualopenings), 'NA') AS DECIMAL(18, 2))) AS BIGINT) AS annual_openings,
  CASE WHEN upper(base) = 'NA' THEN 'not_available' END AS base_employment_flag,
  source_row
FROM raw_projections_central
WHERE CAST(stfips AS INTEGER) <> 0
  AND (NOT EXISTS (SELECT 1 FROM run_areas)
       OR lpad(CAST(CAST(stfips AS INTEGER) AS VARCHAR), 2, '0') IN (SELECT state_fips FROM run_areas));

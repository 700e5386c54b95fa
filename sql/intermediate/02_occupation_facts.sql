-- One row per area × occupation code: OEWS employment and wages, projections, O*NET
-- preparation. Only OEWS "detailed" rows: levels are never mixed or summed together.
-- Projections: BLS Employment Projections for the nation (joined to the OEWS codes), and
-- Projections Central for states; a state's projection codes may differ from its OEWS codes
-- (hybrid codes of the 2020-2030 cycle), so those rows carry one or the other.
-- (The published `occupations` adds the high-opportunity flags to these rows: 04_occupations.sql.)
CREATE OR REPLACE TABLE occupation_facts AS
WITH oews AS (
  SELECT * FROM stg_oews WHERE o_group = 'detailed'
), state_projections AS (
  SELECT state_fips AS area_code, * FROM stg_projections_central WHERE level = 'detailed'
), joined AS (
  SELECT
    coalesce(o.area_code, p.area_code) AS area_code,
    coalesce(o.soc_code, p.soc_code)   AS soc_code,
    coalesce(o.soc_title, p.soc_title) AS soc_title,
    o.soc_code IS NOT NULL             AS has_oews,
    o.* EXCLUDE (area_code, soc_code, soc_title, area_name, area_type),
    p.base_year AS pc_base_year, p.proj_year AS pc_proj_year, p.base_employment AS pc_base_employment,
    p.projected_employment AS pc_projected_employment, p.change_pct AS pc_change_pct, p.annual_openings AS pc_annual_openings
  FROM oews o FULL OUTER JOIN state_projections p ON p.area_code = o.area_code AND p.soc_code = o.soc_code
)
SELECT
  j.area_code, a.area_name, a.area_type,
  j.soc_code, j.soc_title,
  coalesce(k.code_kind, 'unknown') AS code_kind,
  j.employment,
  flag_or_no_estimate(j.employment_flag, j.has_oews) AS employment_flag,
  j.annual_wage_mean,
  flag_or_no_estimate(j.annual_wage_mean_flag, j.has_oews) AS annual_wage_mean_flag,
  j.annual_wage_median,
  flag_or_no_estimate(j.annual_wage_median_flag, j.has_oews) AS annual_wage_median_flag,
  j.annual_wage_p10,
  flag_or_no_estimate(j.annual_wage_p10_flag, j.has_oews) AS annual_wage_p10_flag,
  j.annual_wage_p25,
  flag_or_no_estimate(j.annual_wage_p25_flag, j.has_oews) AS annual_wage_p25_flag,
  j.annual_wage_p75,
  flag_or_no_estimate(j.annual_wage_p75_flag, j.has_oews) AS annual_wage_p75_flag,
  j.annual_wage_p90,
  flag_or_no_estimate(j.annual_wage_p90_flag, j.has_oews) AS annual_wage_p90_flag,
  j.hourly_wage_median,
  flag_or_no_estimate(j.hourly_wage_median_flag, j.has_oews) AS hourly_wage_median_flag,
  j.jobs_per_1000, j.location_quotient,
  CASE WHEN ep.soc_code IS NOT NULL THEN 'BLS Employment Projections'
       WHEN j.pc_base_year IS NOT NULL THEN 'Projections Central' END AS projection_source,
  coalesce(ep.base_year, j.pc_base_year)                AS projection_base_year,
  coalesce(ep.proj_year, j.pc_proj_year)                AS projection_year,
  coalesce(ep.base_employment, j.pc_base_employment)    AS projection_base_employment,
  coalesce(ep.projected_employment, j.pc_projected_employment) AS projected_employment,
  coalesce(ep.change_pct, j.pc_change_pct)              AS projected_change_pct,
  coalesce(ep.annual_openings, j.pc_annual_openings)    AS annual_openings,
  ep.typical_education, ep.work_experience, ep.on_the_job_training,
  jz.job_zone,
  edu.onet_required_education,
  -- Where each row's numbers come from: a row with no OEWS estimate names no OEWS release, and
  -- state rows carry their own projection cycle (Projections Central's may differ from BLS's).
  CASE WHEN j.has_oews THEN getvariable('oews_release') END AS oews_release,
  CASE WHEN ep.soc_code IS NOT NULL THEN getvariable('ep_period')
       WHEN j.pc_base_year IS NOT NULL THEN j.pc_base_year || '–' || j.pc_proj_year END AS projection_period,
  getvariable('onet_release') AS onet_release
FROM joined j
JOIN dim_area a USING (area_code)
-- National projections describe the nation only (the key is NULL elsewhere, which keeps this a
-- hash join: a condition on the area's type alone made DuckDB plan a nested-loop join).
LEFT JOIN (SELECT * FROM stg_employment_projections WHERE level = 'detailed') ep
  ON ep.soc_code = CASE WHEN a.area_type = 'national' THEN j.soc_code END
LEFT JOIN (SELECT DISTINCT code, code_kind FROM stg_code_members) k ON k.code = j.soc_code
LEFT JOIN stg_job_zone_by_code jz ON jz.code = j.soc_code
LEFT JOIN stg_onet_education edu ON edu.soc_code = j.soc_code;

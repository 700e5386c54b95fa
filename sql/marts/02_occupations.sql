-- One row per area × detailed occupation: OEWS employment and wages, BLS projections,
-- O*NET preparation. Only OEWS "detailed" rows: levels are never mixed or summed together.
CREATE OR REPLACE TABLE occupations AS
SELECT
  o.area_code, o.area_name, o.area_type,
  o.soc_code, o.soc_title,
  o.employment, o.employment_flag,
  o.annual_wage_mean, o.annual_wage_mean_flag,
  o.annual_wage_median, o.annual_wage_median_flag,
  o.annual_wage_p10, o.annual_wage_p10_flag,
  o.annual_wage_p25, o.annual_wage_p25_flag,
  o.annual_wage_p75, o.annual_wage_p75_flag,
  o.annual_wage_p90, o.annual_wage_p90_flag,
  o.hourly_wage_median, o.hourly_wage_median_flag,
  o.jobs_per_1000, o.location_quotient,
  ep.base_year            AS projection_base_year,
  ep.proj_year            AS projection_year,
  ep.base_employment      AS projection_base_employment,
  ep.projected_employment AS projected_employment,
  ep.change_pct           AS projected_change_pct,
  ep.annual_openings,
  ep.typical_education, ep.work_experience, ep.on_the_job_training,
  jz.job_zone,
  edu.onet_required_education,
  {{oews_release}} AS oews_release,
  {{ep_period}}    AS ep_period,
  {{onet_release}} AS onet_release
FROM stg_oews o
-- National projections describe the nation only; state projections come from their own source.
LEFT JOIN stg_employment_projections ep
  ON ep.soc_code = o.soc_code AND ep.level = 'detailed' AND o.area_type = 'national'
LEFT JOIN stg_job_zone_by_code jz ON jz.code = o.soc_code
LEFT JOIN stg_onet_education edu ON edu.soc_code = o.soc_code
WHERE o.o_group = 'detailed' AND o.i_group = 'cross-industry';

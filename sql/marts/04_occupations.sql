CREATE OR REPLACE TEMP TABLE occupations AS
WITH bright AS (
  -- Bright Outlook is O*NET's nationwide call: BLS national projections, for every area.
  SELECT soc_code,
    change_pct >= getvariable('bright_growth_pct') OR annual_openings * (proj_year - base_year) >= getvariable('bright_openings') AS bright_outlook
  FROM stg_employment_projections WHERE level = 'detailed'
)
SELECT o.*,
  getvariable('policy_name')          AS policy,
  {{high_wage_sql}}        AS high_wage,
  {{high_skill_sql}}       AS high_skill,
  {{in_demand_sql}}        AS in_demand,
  {{high_opportunity_sql}} AS high_opportunity,
  bright.bright_outlook,
  {{reasons_sql}}          AS opportunity_reasons
FROM occupation_facts o
-- m: what the rules see, row by row. Top-coded wages are known to be at least the top code.
CROSS JOIN LATERAL (
  SELECT
    coalesce(o.annual_wage_median, CASE WHEN o.annual_wage_median_flag = 'top_coded' THEN getvariable('top_code_annual') END) AS annual_wage_median,
    coalesce(o.annual_wage_mean, CASE WHEN o.annual_wage_mean_flag = 'top_coded' THEN getvariable('top_code_annual') END) AS annual_wage_mean,
    coalesce(o.hourly_wage_median, CASE WHEN o.hourly_wage_median_flag = 'top_coded' THEN getvariable('top_code_hourly') END) AS hourly_wage_median,
    coalesce(o.annual_wage_p75, CASE WHEN o.annual_wage_p75_flag = 'top_coded' THEN getvariable('top_code_annual') END) / o.annual_wage_p25 AS wage_growth_potential,
    o.annual_openings, o.projected_change_pct, o.job_zone, o.employment,
    o.typical_education, o.on_the_job_training, o.work_experience
) m
JOIN area_baselines b ON b.area_code = o.area_code
LEFT JOIN bright ON bright.soc_code = o.soc_code;

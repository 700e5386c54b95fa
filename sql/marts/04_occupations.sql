CREATE OR REPLACE TABLE occupations AS
WITH bright AS (
  -- Bright Outlook is O*NET's nationwide call: BLS national projections, for every area.
  SELECT soc_code,
    change_pct >= getvariable('bright_growth_pct') OR annual_openings * (proj_year - base_year) >= getvariable('bright_openings') AS bright_outlook
  FROM stg_employment_projections WHERE level = 'detailed'
), facts AS (
  -- m: what the rules see, row by row, as a struct beside the row (a LATERAL subquery here
  -- needed over 150 MB for 47,173 rows). Top-coded wages are known to be at least the top code.
  SELECT o.*, {
    'annual_wage_median': coalesce(o.annual_wage_median, CASE WHEN o.annual_wage_median_flag = 'top_coded' THEN getvariable('top_code_annual') END),
    'annual_wage_mean': coalesce(o.annual_wage_mean, CASE WHEN o.annual_wage_mean_flag = 'top_coded' THEN getvariable('top_code_annual') END),
    'hourly_wage_median': coalesce(o.hourly_wage_median, CASE WHEN o.hourly_wage_median_flag = 'top_coded' THEN getvariable('top_code_hourly') END),
    'wage_growth_potential': coalesce(o.annual_wage_p75, CASE WHEN o.annual_wage_p75_flag = 'top_coded' THEN getvariable('top_code_annual') END) / o.annual_wage_p25,
    'annual_openings': o.annual_openings, 'projected_change_pct': o.projected_change_pct, 'job_zone': o.job_zone, 'employment': o.employment,
    'typical_education': o.typical_education, 'on_the_job_training': o.on_the_job_training, 'work_experience': o.work_experience
  } AS m
  FROM occupation_facts o
)
SELECT f.* EXCLUDE (m),
  getvariable('policy_name')          AS policy,
  {{high_wage_sql}}        AS high_wage,
  {{high_skill_sql}}       AS high_skill,
  {{in_demand_sql}}        AS in_demand,
  {{high_opportunity_sql}} AS high_opportunity,
  bright.bright_outlook,
  {{reasons_sql}}          AS opportunity_reasons
FROM facts f
JOIN area_baselines b ON b.area_code = f.area_code
LEFT JOIN bright ON bright.soc_code = f.soc_code
ORDER BY {{occupations_order}};

-- High-skill, high-wage, in-demand (Perkins V) flags under the run's policy (policies/*.json,
-- compiled by src/transform/policy.ts into the {{…_sql}} expressions), and O*NET's Bright
-- Outlook. A flag is NULL where the data it needs is missing, never silently false.

-- The area's own yardsticks: all-occupation median and mean wage (OEWS 00-0000), all-occupation
-- projected growth (BLS for the nation, Projections Central for states), and the median and
-- mean openings and P75/P25 wage ratio of its detailed occupations.
CREATE OR REPLACE TEMP TABLE area_baselines AS
WITH totals AS (
  SELECT area_code, annual_wage_median AS all_occupations_median_wage, annual_wage_mean AS all_occupations_mean_wage
  FROM stg_oews WHERE soc_code = '00-0000'
), growth AS (
  SELECT a.area_code,
    CASE WHEN a.area_type = 'national'
         THEN (SELECT change_pct FROM stg_employment_projections WHERE soc_code = '00-0000')
         ELSE p.change_pct END AS all_occupations_growth_pct
  FROM dim_area a LEFT JOIN stg_projections_central p ON p.state_fips = a.area_code AND p.level = 'total'
), spread AS (
  SELECT area_code,
    median(annual_openings) AS median_openings,
    avg(annual_openings)    AS mean_openings,
    median(annual_wage_p75 / annual_wage_p25) AS median_wage_growth_potential
  FROM occupation_facts GROUP BY ALL
)
SELECT a.area_code, t.all_occupations_median_wage, t.all_occupations_mean_wage, g.all_occupations_growth_pct,
       s.median_openings, s.mean_openings, s.median_wage_growth_potential
FROM dim_area a
LEFT JOIN totals t USING (area_code)
LEFT JOIN growth g USING (area_code)
LEFT JOIN spread s USING (area_code);

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


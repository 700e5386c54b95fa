-- High-skill, high-wage, in-demand (Perkins V) flags under the run's policy (policies/*.json,
-- compiled by src/transform/policy.ts into the {{…_sql}} expressions), and O*NET's Bright
-- Outlook. A flag is NULL where the data it needs is missing, never silently false.

-- The area's own yardsticks: all-occupation median and mean wage (OEWS 00-0000), all-occupation
-- projected growth (BLS for the nation, Projections Central for states), and the median and
-- mean openings and P75/P25 wage ratio of its detailed occupations.
CREATE OR REPLACE TABLE area_baselines AS
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

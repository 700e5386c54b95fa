-- The snapshot's geography table: each area with the all-occupations figures its pages and
-- headlines quote (OEWS 00-0000 employment and median wage; all-occupations projected growth),
-- so nobody adds up detailed rows to get a total BLS publishes directly.
CREATE OR REPLACE TABLE areas AS
SELECT
  a.area_code, a.area_name, a.area_type, a.state_fips, a.state_abbr,
  t.employment                    AS all_occupations_employment,
  b.all_occupations_median_wage,
  b.all_occupations_growth_pct
FROM dim_area a
LEFT JOIN area_baselines b USING (area_code)
LEFT JOIN (SELECT area_code, employment FROM stg_oews WHERE soc_code = '00-0000') t USING (area_code)
ORDER BY {{areas_order}};

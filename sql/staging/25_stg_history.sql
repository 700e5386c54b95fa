-- OEWS history (empty unless the run has --history): each release's national detailed rows,
-- each code once (May 2017-2019 list some codes both as broad and as detailed, as BLS
-- published them; the detailed row is the one kept), and how each code reaches SOC 2018.
CREATE OR REPLACE TABLE stg_history AS
SELECT release_year, occ_code AS code,
  any_value(trim(occ_title))                        AS title,
  any_value(oews_whole(tot_emp))                    AS employment,
  any_value(oews_flag(tot_emp))                     AS employment_flag,
  any_value(oews_whole(a_median))                   AS annual_wage_median,
  any_value(annual_wage_flag(a_median, hourly))     AS annual_wage_median_flag
FROM raw_oews_history
WHERE lower(trim(o_group)) = 'detailed' AND coalesce(CAST(area_type AS INTEGER), 1) = 1
GROUP BY release_year, occ_code;

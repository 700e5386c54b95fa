-- OEWS estimates, typed. One row per area × industry × occupation as published, all levels.
CREATE OR REPLACE TABLE stg_oews AS
SELECT
  trim(area)                                   AS area_code,
  trim(area_title)                             AS area_name,
  CASE CAST(area_type AS INTEGER)
    WHEN 1 THEN 'national' WHEN 2 THEN 'state' WHEN 3 THEN 'territory'
    WHEN 4 THEN 'metro' WHEN 6 THEN 'nonmetro' END AS area_type,
  nullif(trim(prim_state), '')                 AS prim_state,
  coalesce(lower(trim(i_group)), 'cross-industry') AS i_group,
  occ_code                                     AS soc_code,
  trim(occ_title)                              AS soc_title,
  lower(trim(o_group))                         AS o_group,
  oews_whole(tot_emp)                          AS employment,
  oews_flag(tot_emp)                           AS employment_flag,
  CAST(oews_decimal(emp_prse) AS DECIMAL(6, 1)) AS employment_rse_pct,
  CAST(oews_decimal(jobs_1000) AS DECIMAL(10, 3)) AS jobs_per_1000,
  CAST(oews_decimal(loc_quotient) AS DECIMAL(10, 2)) AS location_quotient,
  oews_whole(a_mean)                           AS annual_wage_mean,
  -- Annual-only occupations (teachers, pilots) have no hourly wage; hourly-only ones (actors) no annual.
  CASE WHEN oews_flag(a_mean) = 'not_available' AND upper(hourly) = 'TRUE' THEN 'hourly_only' ELSE oews_flag(a_mean) END AS annual_wage_mean_flag,
  oews_whole(a_median)                         AS annual_wage_median,
  CASE WHEN oews_flag(a_median) = 'not_available' AND upper(hourly) = 'TRUE' THEN 'hourly_only' ELSE oews_flag(a_median) END AS annual_wage_median_flag,
  oews_whole(a_pct10)                          AS annual_wage_p10,
  CASE WHEN oews_flag(a_pct10) = 'not_available' AND upper(hourly) = 'TRUE' THEN 'hourly_only' ELSE oews_flag(a_pct10) END AS annual_wage_p10_flag,
  oews_whole(a_pct25)                          AS annual_wage_p25,
  CASE WHEN oews_flag(a_pct25) = 'not_available' AND upper(hourly) = 'TRUE' THEN 'hourly_only' ELSE oews_flag(a_pct25) END AS annual_wage_p25_flag,
  oews_whole(a_pct75)                          AS annual_wage_p75,
  CASE WHEN oews_flag(a_pct75) = 'not_available' AND upper(hourly) = 'TRUE' THEN 'hourly_only' ELSE oews_flag(a_pct75) END AS annual_wage_p75_flag,
  oews_whole(a_pct90)                          AS annual_wage_p90,
  CASE WHEN oews_flag(a_pct90) = 'not_available' AND upper(hourly) = 'TRUE' THEN 'hourly_only' ELSE oews_flag(a_pct90) END AS annual_wage_p90_flag,
  CAST(oews_decimal(h_median) AS DECIMAL(10, 2)) AS hourly_wage_median,
  CASE WHEN oews_flag(h_median) = 'not_available' AND upper(annual) = 'TRUE' THEN 'annual_only' ELSE oews_flag(h_median) END AS hourly_wage_median_flag,
  CAST(source_row AS INTEGER)                  AS source_row
FROM raw_oews;

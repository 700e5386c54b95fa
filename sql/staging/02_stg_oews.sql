-- OEWS estimates, typed: cross-industry, all ownerships, one row per area × occupation as
-- published, all levels. Areas are told apart by AREA_TYPE, never by code prefix (metro codes
-- can start with a state's digits). When an area comes in several scopes (the national file
-- and the all-data file both hold the nation), the rows of one scope are kept.
-- ranked is NOT MATERIALIZED: read twice, DuckDB copied all its rows and columns first (0.23 →
-- 0.18 s of the state refresh's 77,165 rows).
CREATE OR REPLACE TABLE stg_oews AS
WITH ranked AS NOT MATERIALIZED (
  SELECT *,
    CAST(area_type AS INTEGER) AS area_type_code,
    CASE WHEN CAST(area_type AS INTEGER) IN (2, 3) THEN lpad(trim(area), 2, '0') ELSE trim(area) END AS area_key,
    CASE scope WHEN 'nat' THEN 1 WHEN 'st' THEN 2 WHEN 'ma' THEN 3 ELSE 4 END AS scope_rank
  FROM raw_oews
  WHERE coalesce(lower(trim(i_group)), 'cross-industry') = 'cross-industry'
    AND coalesce(trim(own_code), '1235') = '1235'
), scoped AS (
  -- Each area from its first scope (a join on the per-area minimum: faster than a window over every row).
  SELECT r.* FROM ranked r JOIN (SELECT area_key, min(scope_rank) AS scope_rank FROM ranked GROUP BY area_key) USING (area_key, scope_rank)
), located AS (
  SELECT s.*,
    CASE WHEN area_type_code IN (2, 3) THEN area_key WHEN area_type_code IN (4, 6) THEN st.state_fips END AS state_fips
  FROM scoped s
  LEFT JOIN stg_states st ON st.state_abbr = upper(trim(s.prim_state))
)
SELECT
  area_key                                     AS area_code,
  trim(area_title)                             AS area_name,
  CASE area_type_code
    WHEN 1 THEN 'national' WHEN 2 THEN 'state' WHEN 3 THEN 'territory'
    WHEN 4 THEN 'metro' WHEN 6 THEN 'nonmetro' END AS area_type,
  state_fips,
  nullif(trim(prim_state), '')                 AS prim_state,
  'cross-industry'                             AS i_group,
  occ_code                                     AS soc_code,
  trim(occ_title)                              AS soc_title,
  lower(trim(o_group))                         AS o_group,
  oews_whole(tot_emp)                          AS employment,
  oews_flag(tot_emp)                           AS employment_flag,
  CAST(oews_decimal(emp_prse) AS DECIMAL(6, 1)) AS employment_rse_pct,
  CAST(oews_decimal(jobs_1000) AS DECIMAL(10, 3)) AS jobs_per_1000,
  CAST(oews_decimal(loc_quotient) AS DECIMAL(10, 2)) AS location_quotient,
  oews_whole(a_mean)                           AS annual_wage_mean,
  annual_wage_flag(a_mean, hourly) AS annual_wage_mean_flag,
  oews_whole(a_median)                         AS annual_wage_median,
  annual_wage_flag(a_median, hourly) AS annual_wage_median_flag,
  oews_whole(a_pct10)                          AS annual_wage_p10,
  annual_wage_flag(a_pct10, hourly) AS annual_wage_p10_flag,
  oews_whole(a_pct25)                          AS annual_wage_p25,
  annual_wage_flag(a_pct25, hourly) AS annual_wage_p25_flag,
  oews_whole(a_pct75)                          AS annual_wage_p75,
  annual_wage_flag(a_pct75, hourly) AS annual_wage_p75_flag,
  oews_whole(a_pct90)                          AS annual_wage_p90,
  annual_wage_flag(a_pct90, hourly) AS annual_wage_p90_flag,
  CAST(oews_decimal(h_median) AS DECIMAL(10, 2)) AS hourly_wage_median,
  hourly_wage_flag(h_median, annual) AS hourly_wage_median_flag,
  workbook,
  CAST(source_row AS INTEGER)                  AS source_row
FROM located
-- --areas: the nation always, other areas only in the listed states.
WHERE area_type_code = 1 OR NOT EXISTS (SELECT 1 FROM run_areas) OR state_fips IN (SELECT state_fips FROM run_areas);

-- The industry view's inputs. OEWS national sector estimates (empty unless the run reads
-- them): one row per sector × occupation, all levels, markers as NULL plus a flag. Each sector
-- comes under one ownership code that already combines the ownerships BLS counts in it
-- (pipelines/industries.ts), so the sectors partition employment.
CREATE OR REPLACE TABLE stg_oews_industry AS
SELECT
  '99'                                         AS area_code,
  trim(naics)                                  AS naics_sector,
  trim(naics_title)                            AS naics_title,
  trim(own_code)                               AS own_code,
  occ_code                                     AS soc_code,
  trim(occ_title)                              AS soc_title,
  lower(trim(o_group))                         AS o_group,
  oews_whole(tot_emp)                          AS employment,
  oews_flag(tot_emp)                           AS employment_flag,
  oews_whole(a_median)                         AS annual_wage_median,
  annual_wage_flag(a_median, hourly)           AS annual_wage_median_flag,
  CAST(source_row AS INTEGER)                  AS source_row
FROM raw_oews_industry
WHERE lower(trim(i_group)) = 'sector' AND CAST(area_type AS INTEGER) = 1;

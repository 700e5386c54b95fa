-- The industry view's inputs. OEWS national sector estimates (empty unless the run reads
-- them): one row per sector × occupation, all levels, markers as NULL plus a flag. Each sector
-- comes under one ownership code that already combines the ownerships BLS counts in it
-- (pipelines/industries.ts), so the sectors partition employment.
CREATE OR REPLACE TEMP TABLE stg_oews_industry AS
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

-- The 2-digit sectors and the sector OEWS publishes each under (92 Public Administration → 99).
CREATE OR REPLACE TEMP TABLE stg_naics_sectors AS
SELECT naics_sector, naics_title, oews_sector FROM raw_naics_sectors;

-- Advance CTE's sub-cluster ↔ sector alignment, with the OEWS sector each one is measured in.
CREATE OR REPLACE TEMP TABLE stg_industry_subclusters AS
SELECT '2024' AS framework, c.cluster, c.sub_cluster, c.naics_sector, coalesce(s.naics_title, c.naics_title) AS naics_title, s.oews_sector
FROM raw_industry_subclusters c LEFT JOIN stg_naics_sectors s USING (naics_sector);

-- Advance CTE's sub-cluster ↔ sector alignment, with the OEWS sector each one is measured in.
CREATE OR REPLACE TABLE stg_industry_subclusters AS
SELECT '2024' AS framework, c.cluster, c.sub_cluster, c.naics_sector, coalesce(s.naics_title, c.naics_title) AS naics_title, s.oews_sector
FROM raw_industry_subclusters c LEFT JOIN stg_naics_sectors s USING (naics_sector);

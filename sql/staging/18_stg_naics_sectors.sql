-- The 2-digit sectors and the sector OEWS publishes each under (92 Public Administration → 99).
CREATE OR REPLACE TABLE stg_naics_sectors AS
SELECT naics_sector, naics_title, oews_sector FROM raw_naics_sectors;

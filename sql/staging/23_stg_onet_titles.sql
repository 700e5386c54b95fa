-- Everyday titles and related occupations per O*NET-SOC code, as the marts read them.
CREATE OR REPLACE TABLE stg_onet_titles AS
SELECT "O*NET-SOC Code" AS onet_soc_code, trim("Alternate Title") AS title, 'onet_alternate' AS source FROM raw_onet_alternate_titles
UNION ALL
SELECT "O*NET-SOC Code", trim("Reported Job Title"), 'onet_reported' FROM raw_onet_reported_titles;

-- severity: error
-- Every sector in the OEWS sector estimates and in Advance CTE's NAICS crosswalk is a known
-- 2-digit sector (crosswalks/naics_sectors.csv), so no employment is filed under a code
-- nobody can name, and every alignment can be measured.
SELECT 'oews_industry' AS source, naics_sector, any_value(naics_title) AS title FROM stg_oews_industry
WHERE naics_sector NOT IN (SELECT oews_sector FROM stg_naics_sectors) GROUP BY ALL
UNION ALL
SELECT 'industry_crosswalk', naics_sector, any_value(naics_title) FROM stg_industry_subclusters
WHERE oews_sector IS NULL GROUP BY ALL;

-- severity: error
-- Each sector is published under one ownership code (OWN_CODE), which already combines the
-- ownerships BLS counts in it; a sector under two codes would count its workers twice.
SELECT naics_sector, list(DISTINCT own_code ORDER BY own_code) AS own_codes
FROM stg_oews_industry
GROUP BY naics_sector
HAVING count(DISTINCT own_code) > 1;

-- severity: error
-- Every area has a name and a type, and every state or territory a FIPS code we know.
SELECT area_code, area_name, area_type, state_fips, state_abbr
FROM dim_area
WHERE area_name IS NULL OR area_type IS NULL
   OR (area_type IN ('state', 'territory') AND state_fips NOT IN (SELECT state_fips FROM stg_states));

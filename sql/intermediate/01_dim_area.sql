-- Geography: one row per area in the snapshot. OEWS names its areas; areas that only
-- Projections Central covers take their name from the state list.
CREATE OR REPLACE TABLE dim_area AS
WITH oews_areas AS (
  SELECT DISTINCT area_code, area_name, area_type, state_fips, prim_state AS state_abbr FROM stg_oews
), projection_areas AS (
  SELECT DISTINCT p.state_fips AS area_code, coalesce(s.state_name, p.area_name) AS area_name,
         coalesce(s.area_type, 'state') AS area_type, p.state_fips, s.state_abbr
  FROM stg_projections_central p LEFT JOIN stg_states s USING (state_fips)
)
SELECT * FROM oews_areas
UNION ALL
SELECT * FROM projection_areas WHERE area_code NOT IN (SELECT area_code FROM oews_areas);

-- Geography: one row per area in the estimates.
CREATE OR REPLACE TABLE dim_area AS
SELECT DISTINCT area_code, area_name, area_type, prim_state AS state_abbr
FROM stg_oews;

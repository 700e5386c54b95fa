-- SOC 2018 structure, and every code an occupation row can carry (SOC detailed codes and the
-- OEWS aggregates/combinations) with the SOC 2018 detailed codes it stands for.
CREATE OR REPLACE TABLE stg_soc_structure AS
SELECT soc_code, soc_level, soc_title, major_code, nullif(minor_code, '') AS minor_code, nullif(broad_code, '') AS broad_code
FROM raw_soc_structure;

CREATE OR REPLACE TABLE stg_code_members AS
SELECT soc_code AS code, soc_code AS soc_2018_code FROM stg_soc_structure WHERE soc_level = 'detailed'
UNION ALL
SELECT oews_code, soc_2018_code FROM raw_oews_soc_map;

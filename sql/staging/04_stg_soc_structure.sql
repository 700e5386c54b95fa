-- SOC 2018 structure, and every code a data row can carry with the SOC 2018 detailed codes it
-- stands for: SOC detailed codes themselves; OEWS aggregates (13-1020, 21-1018 …, derived by
-- `lmi crosswalks import-soc`); SOC broad codes used in place of their detailed codes (all the
-- detailed codes of the group); and the hybrid and SOC 2010 codes of the 2019-2020 vintages
-- (crosswalks/hybrid_codes_to_soc_2018.csv, with its reasoning).
CREATE OR REPLACE TABLE stg_soc_structure AS
SELECT soc_code, soc_level, soc_title, major_code, nullif(minor_code, '') AS minor_code, nullif(broad_code, '') AS broad_code
FROM raw_soc_structure;

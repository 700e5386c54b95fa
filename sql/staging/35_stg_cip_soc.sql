-- The NCES/BLS CIP 2020 – SOC 2018 crosswalk without its placeholders (SOC 99-9999 "NO MATCH",
-- CIP 99.xxxx), and each program's occupation codes as the run's data uses them: every code
-- that shares a SOC 2018 detailed code with a matched one (an OEWS aggregate such as 13-1020, a
-- state's hybrid code), as programs reach occupations through the framework's crosswalk.
CREATE OR REPLACE TABLE stg_cip_soc AS
SELECT DISTINCT trim(cip_code) AS cip_code, regexp_replace(trim(cip_title), '\.$', '') AS cip_title, trim(soc_code) AS soc_code
FROM raw_cip_soc
WHERE trim(soc_code) <> '99-9999' AND trim(cip_code) NOT LIKE '99.%';

CREATE OR REPLACE TABLE stg_cip_occupations AS
SELECT DISTINCT x.cip_code, m.code AS soc_code
FROM stg_cip_soc x JOIN stg_code_members m ON m.soc_2018_code = x.soc_code;

-- Every CIP code the NCES crosswalk lists, matched or not (coverage tells the two apart).
CREATE OR REPLACE TABLE stg_cip_titles AS
SELECT trim(cip_code) AS cip_code, any_value(regexp_replace(trim(cip_title), '\.$', '')) AS cip_title FROM raw_cip_soc GROUP BY 1;

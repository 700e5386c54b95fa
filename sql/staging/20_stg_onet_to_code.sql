-- O*NET for career exploration: everyday titles, RIASEC interests and related occupations,
-- mapped from O*NET-SOC codes (15-1252.00) to the snapshot's occupation codes: an O*NET-SOC
-- code maps to its SOC 2018 code by its first seven characters, and a SOC code to every
-- occupation code that stands for it (an OEWS aggregate such as 13-1020 takes its members').
CREATE OR REPLACE TABLE stg_onet_to_code AS
SELECT DISTINCT o."O*NET-SOC Code" AS onet_soc_code, m.code AS soc_code
FROM raw_onet_occupation o
JOIN stg_code_members m ON m.soc_2018_code = left(o."O*NET-SOC Code", 7);

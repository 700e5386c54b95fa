-- O*NET's occupations as it describes them: title and description per O*NET-SOC code.
CREATE OR REPLACE TABLE stg_onet_occupations AS
SELECT "O*NET-SOC Code" AS onet_soc_code, trim("Title") AS onet_title, trim("Description") AS description
FROM raw_onet_occupation;

CREATE OR REPLACE TABLE stg_onet_related AS
SELECT "O*NET-SOC Code" AS onet_soc_code, "Related O*NET-SOC Code" AS related_onet_soc_code, "Relatedness Tier" AS tier, CAST("Index" AS INTEGER) AS idx
FROM raw_onet_related;

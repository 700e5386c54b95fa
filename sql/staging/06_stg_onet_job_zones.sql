-- O*NET: titles, Job Zones and education at SOC level. An O*NET-SOC code (15-1252.00) rolls up
-- to its SOC code (15-1252); where a SOC code has several O*NET-SOC codes, its own ".00"
-- record decides, else the value most of them share (ties: the lower Job Zone).
CREATE OR REPLACE TABLE stg_onet_job_zones AS
WITH zones AS (
  SELECT "O*NET-SOC Code" AS onet_soc_code, left("O*NET-SOC Code", 7) AS soc_code, CAST("Job Zone" AS INTEGER) AS job_zone
  FROM raw_onet_job_zones
), by_value AS (
  SELECT soc_code, job_zone, bool_or(onet_soc_code LIKE '%.00') AS from_base_record, count(*) AS records
  FROM zones GROUP BY ALL
)
SELECT soc_code, first(job_zone ORDER BY from_base_record DESC, records DESC, job_zone) AS job_zone
FROM by_value GROUP BY soc_code;

-- Job Zone for every occupation code; OEWS aggregates take the value most of their SOC
-- detailed codes share (ties: the lower Job Zone).
CREATE OR REPLACE TABLE stg_job_zone_by_code AS
WITH member_zones AS (
  SELECT m.code, z.job_zone, count(*) AS members
  FROM stg_code_members m JOIN stg_onet_job_zones z ON z.soc_code = m.soc_2018_code
  GROUP BY ALL
)
SELECT code, first(job_zone ORDER BY members DESC, job_zone) AS job_zone FROM member_zones GROUP BY code;

-- O*NET: titles, Job Zones and education at SOC level. An O*NET-SOC code (15-1252.00) rolls up
-- to its SOC code (15-1252); where a SOC code has several O*NET-SOC codes, its own ".00"
-- record decides, else the value most of them share (ties: the lower Job Zone).
CREATE OR REPLACE TEMP TABLE stg_onet_job_zones AS
WITH zones AS (
  SELECT "O*NET-SOC Code" AS onet_soc_code, left("O*NET-SOC Code", 7) AS soc_code, CAST("Job Zone" AS INTEGER) AS job_zone
  FROM raw_onet_job_zones
), by_value AS (
  SELECT soc_code, job_zone, bool_or(onet_soc_code LIKE '%.00') AS from_base_record, count(*) AS records
  FROM zones GROUP BY ALL
)
SELECT soc_code, first(job_zone ORDER BY from_base_record DESC, records DESC, job_zone) AS job_zone
FROM by_value GROUP BY soc_code;

-- Most common "Required Level of Education" (scale RL) among workers in the ".00" occupation.
CREATE OR REPLACE TEMP TABLE stg_onet_education AS
WITH rl AS (
  SELECT left(e."O*NET-SOC Code", 7) AS soc_code, CAST(e."Category" AS INTEGER) AS category,
         CAST(e."Data Value" AS DECIMAL(6, 2)) AS pct
  FROM raw_onet_ete e
  WHERE e."Scale ID" = 'RL' AND e."O*NET-SOC Code" LIKE '%.00' AND coalesce(e."Recommend Suppress", 'N') <> 'Y'
)
SELECT rl.soc_code, first(c."Category Description" ORDER BY rl.pct DESC, rl.category) AS onet_required_education
FROM rl
JOIN raw_onet_ete_categories c ON c."Scale ID" = 'RL' AND CAST(c."Category" AS INTEGER) = rl.category
GROUP BY rl.soc_code;

-- Job Zone for every occupation code; OEWS aggregates take the value most of their SOC
-- detailed codes share (ties: the lower Job Zone).
CREATE OR REPLACE TEMP TABLE stg_job_zone_by_code AS
WITH member_zones AS (
  SELECT m.code, z.job_zone, count(*) AS members
  FROM stg_code_members m JOIN stg_onet_job_zones z ON z.soc_code = m.soc_2018_code
  GROUP BY ALL
)
SELECT code, first(job_zone ORDER BY members DESC, job_zone) AS job_zone FROM member_zones GROUP BY code;

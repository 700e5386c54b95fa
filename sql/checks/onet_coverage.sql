-- severity: error
-- param job_zone_floor_pct: 85
-- param interests_floor_pct: 80
-- param titles_floor_pct: 85
-- The share of the nation's occupations that O*NET gives a Job Zone, interest scores and
-- everyday titles stays above its floor (May 2024 with O*NET 27.0: 94%, 90% and 100%). A
-- member of the O*NET zip cut short at a line break still parses; it shows here, as hundreds of
-- occupations without a Job Zone, interests or titles.
WITH nation AS (
  SELECT soc_code, job_zone FROM occupations WHERE area_code = '99'
), shares AS (
  SELECT
    round(100 * count(*) FILTER (WHERE n.job_zone IS NOT NULL) / count(*), 1) AS job_zone_pct,
    round(100 * count(*) FILTER (WHERE i.onet_codes_with_data > 0) / count(*), 1) AS interests_pct,
    round(100 * count(*) FILTER (WHERE n.soc_code IN (SELECT soc_code FROM occupation_titles WHERE source <> 'oews')) / count(*), 1) AS titles_pct,
    count(*) AS occupations
  FROM nation n LEFT JOIN occupation_interests i USING (soc_code)
)
SELECT 'job_zone' AS what, job_zone_pct AS share_pct, $job_zone_floor_pct AS floor_pct, occupations FROM shares WHERE job_zone_pct < $job_zone_floor_pct
UNION ALL
SELECT 'interests', interests_pct, $interests_floor_pct, occupations FROM shares WHERE interests_pct < $interests_floor_pct
UNION ALL
SELECT 'titles', titles_pct, $titles_floor_pct, occupations FROM shares WHERE titles_pct < $titles_floor_pct;

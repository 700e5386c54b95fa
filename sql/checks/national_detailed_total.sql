-- severity: error
-- param max_shortfall_pct: 5
-- The nation's detailed OEWS rows add up to its own all-occupations total (00-0000) within
-- max_shortfall_pct: a national release whose detailed rows fall far short lost rows (a cut-off
-- or damaged file) and must not be published.
WITH total AS (
  SELECT employment AS total FROM stg_oews WHERE area_type = 'national' AND soc_code = '00-0000'
), detailed AS (
  SELECT coalesce(sum(employment), 0) AS detailed, count(*) AS occupations FROM stg_oews WHERE area_type = 'national' AND o_group = 'detailed'
)
SELECT t.total, d.detailed, d.occupations, round(100 * (t.total - d.detailed) / t.total, 3) AS shortfall_pct
FROM total t, detailed d
WHERE t.total - d.detailed > $max_shortfall_pct / 100 * t.total;

-- severity: error
-- param max_shortfall_pct: 5
-- Every history release's detailed rows add up to its own all-occupations total (00-0000)
-- within max_shortfall_pct, as national_detailed_total asks of the current release: a release
-- with rows lost (a cut or damaged file with a consistent <dimension>) would bend the trend.
WITH detailed AS (
  SELECT release_year, coalesce(sum(employment), 0) AS detailed, count(*) AS occupations FROM stg_history GROUP BY release_year
)
SELECT d.release_year, t.employment AS total, d.detailed, d.occupations,
  round(100 * (t.employment - d.detailed) / t.employment, 3) AS shortfall_pct
FROM detailed d LEFT JOIN stg_history_totals t USING (release_year)
WHERE t.employment IS NULL OR t.employment - d.detailed > $max_shortfall_pct / 100 * t.employment;

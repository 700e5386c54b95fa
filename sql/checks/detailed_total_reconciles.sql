-- severity: warn
-- param tolerance_pct: 0.5
-- Detailed employment adds up to within tolerance_pct of the area's all-occupations total
-- (00-0000), for OEWS and for state projections; a larger gap means rows were lost or
-- suppressed (projections are rounded to tens, so they never match exactly).
WITH totals AS (
  SELECT area_code, 'oews' AS source, employment AS total FROM stg_oews WHERE soc_code = '00-0000'
  UNION ALL
  SELECT state_fips, 'projections_central', base_employment FROM stg_projections_central WHERE level = 'total'
), detailed AS (
  SELECT area_code, 'oews' AS source, sum(employment) AS detailed FROM occupations WHERE employment_flag IS DISTINCT FROM 'no_estimate' GROUP BY ALL
  UNION ALL
  SELECT state_fips, 'projections_central', sum(base_employment) FROM stg_projections_central WHERE level = 'detailed' GROUP BY ALL
)
SELECT t.area_code, t.source, t.total, d.detailed, round(100 * (d.detailed - t.total) / t.total, 3) AS gap_pct
FROM totals t JOIN detailed d USING (area_code, source)
WHERE abs(d.detailed - t.total) > $tolerance_pct / 100 * t.total;

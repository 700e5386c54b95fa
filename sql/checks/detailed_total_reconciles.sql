-- severity: warn
-- param tolerance_pct: 0.5
-- Detailed employment adds up to within tolerance_pct of the area's all-occupations total
-- (00-0000); a larger gap means rows were lost or suppressed.
WITH total AS (
  SELECT area_code, employment FROM stg_oews
  WHERE soc_code = '00-0000' AND i_group = 'cross-industry'
), detailed AS (
  SELECT area_code, sum(employment) AS employment FROM occupations GROUP BY ALL
)
SELECT t.area_code, t.employment AS total_employment, d.employment AS detailed_employment,
       round(100 * (d.employment - t.employment) / t.employment, 3) AS gap_pct
FROM total t JOIN detailed d USING (area_code)
WHERE abs(d.employment - t.employment) > {{tolerance_pct}} / 100 * t.employment;

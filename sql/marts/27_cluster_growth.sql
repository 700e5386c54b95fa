-- Growth a board can use: change and compound annual growth of allocated employment over 1, 3,
-- 5 and 10 years to the newest release, flagged where a code-system change (May 2019, May 2021)
-- falls inside the window, with how much of either end came through split codes.
CREATE OR REPLACE TABLE cluster_growth AS
WITH latest AS (SELECT max(release) AS r FROM cluster_history), windows AS (SELECT unnest([1, 3, 5, 10]) AS years)
SELECT b.area_code, b.framework, b.cluster, w.years AS window_years, a.release AS from_release, b.release AS to_release,
  a.employment_allocated AS employment_from, b.employment_allocated AS employment_to,
  b.employment_allocated - a.employment_allocated AS change,
  CAST(round(100.0 * (b.employment_allocated - a.employment_allocated) / nullif(a.employment_allocated, 0), 2) AS DECIMAL(8, 2)) AS change_pct,
  CAST(round(100.0 * (pow(b.employment_allocated / nullif(a.employment_allocated, 0), 1.0 / w.years) - 1), 2) AS DECIMAL(8, 2)) AS cagr_pct,
  code_system(a.release) <> code_system(b.release) AS code_system_change,
  CAST(round(greatest(a.employment_via_split_allocated / nullif(a.employment_allocated, 0), b.employment_via_split_allocated / nullif(b.employment_allocated, 0)), 4) AS DECIMAL(6, 4)) AS split_share
FROM cluster_history b
CROSS JOIN windows w
JOIN cluster_history a ON a.framework = b.framework AND a.cluster = b.cluster AND a.release = b.release - w.years
WHERE b.release = (SELECT r FROM latest)
ORDER BY {{cluster_growth_order}};

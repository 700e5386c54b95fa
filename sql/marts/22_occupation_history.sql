-- History of demand by cluster (empty unless the run has --history): one row per release ×
-- framework × cluster (× sub-cluster, × occupation), national. Allocation as in cluster_demand.
CREATE OR REPLACE TABLE occupation_history AS
WITH titles AS (
  SELECT code, title FROM stg_history WHERE release_year = (SELECT max(release_year) FROM stg_history WHERE code_system(release_year) = 'SOC 2018')
)
SELECT
  c.release_year AS release, 'May ' || c.release_year AS release_label, '99' AS area_code, code_system(c.release_year) AS code_system,
  c.target_code AS soc_code,
  coalesce(any_value(t.title), any_value(s.soc_title), any_value(h.title)) AS soc_title,
  sum(c.employment)::BIGINT AS employment,
  coalesce(sum(c.employment) FILTER (WHERE c.n > 1), 0)::BIGINT AS employment_via_split,
  list(DISTINCT c.source_code ORDER BY c.source_code) AS source_codes,
  -- A target made of several old codes takes the wage of the one that gave it the most.
  arg_max(c.annual_wage_median, coalesce(c.employment, -1)) AS annual_wage_median,
  arg_max(c.annual_wage_median_flag, coalesce(c.employment, -1)) AS annual_wage_median_flag
FROM stg_history_contributions c
LEFT JOIN titles t ON t.code = c.target_code
LEFT JOIN stg_soc_structure s ON s.soc_code = c.target_code
LEFT JOIN stg_history h ON h.release_year = c.release_year AND h.code = c.target_code
GROUP BY c.release_year, c.target_code
ORDER BY {{occupation_history_order}};

-- Each detailed occupation's employment in each sector, shared out to its clusters and
-- sub-clusters in whole persons exactly as in cluster_allocation (same groups, same order).
CREATE OR REPLACE TABLE industry_allocation AS
SELECT
  i.area_code, g.framework, g.cluster, g.sub_cluster, i.naics_sector, i.naics_title, i.soc_code,
  i.employment,
  split_whole(i.employment, g.n, g.k) AS employment_allocated,
  i.annual_wage_median, i.annual_wage_median_flag
FROM stg_oews_industry i
JOIN code_groups g USING (soc_code)
WHERE i.o_group = 'detailed';

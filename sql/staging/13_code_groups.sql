-- Each code's groups: its clusters (sub_cluster NULL) and its sub-clusters, with its share
-- number k of n (by name) for split_whole. One table for every allocation (cluster demand, the
-- industry view, history), so a code is always split the same way.
CREATE OR REPLACE TABLE code_groups AS
WITH groups AS (
  SELECT DISTINCT framework, soc_code, cluster, NULL::VARCHAR AS sub_cluster FROM stg_code_clusters
  UNION ALL
  SELECT DISTINCT framework, soc_code, cluster, sub_cluster FROM stg_code_clusters
)
SELECT *,
  row_number() OVER (PARTITION BY framework, soc_code, sub_cluster IS NULL ORDER BY cluster, sub_cluster) - 1 AS k,
  count(*)     OVER (PARTITION BY framework, soc_code, sub_cluster IS NULL) AS n
FROM groups;

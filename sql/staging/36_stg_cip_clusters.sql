-- Advance CTE's CIP crosswalk: each program's 2024 Career Clusters and Sub-Clusters, and its
-- share number k of n (by name) for split_whole, so a program's completions are split across
-- its clusters in whole persons as an occupation's employment is (13_code_groups.sql).
CREATE OR REPLACE TABLE stg_cip_clusters AS
SELECT DISTINCT cip_code, cip_title, cluster, sub_cluster FROM raw_cip_clusters;

CREATE OR REPLACE TABLE cip_groups AS
WITH groups AS (
  SELECT DISTINCT cip_code, cluster, NULL::VARCHAR AS sub_cluster FROM stg_cip_clusters
  UNION ALL
  SELECT DISTINCT cip_code, cluster, sub_cluster FROM stg_cip_clusters
)
SELECT '2024' AS framework, *,
  row_number() OVER (PARTITION BY cip_code, sub_cluster IS NULL ORDER BY cluster, sub_cluster) - 1 AS k,
  count(*)     OVER (PARTITION BY cip_code, sub_cluster IS NULL) AS n
FROM groups;

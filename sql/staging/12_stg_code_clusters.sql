CREATE OR REPLACE TABLE stg_code_clusters AS
WITH pairs AS (
  SELECT DISTINCT x.framework, x.code AS soc_code, l.cluster, l.sub_cluster
  FROM stg_code_framework x
  JOIN stg_framework_links l ON l.framework = x.framework AND l.soc_code = x.framework_code
)
SELECT
  framework, soc_code, cluster, sub_cluster,
  count(DISTINCT cluster) OVER (PARTITION BY framework, soc_code) > 1 AS interdisciplinary,
  -- Both weights sum to 1 over an occupation's rows (one row per sub-cluster), so Σ employment ×
  -- weight over the table gives the area total. cluster_weight shares the occupation equally
  -- among its clusters, then each cluster's share equally among that cluster's rows;
  -- sub_cluster_weight shares it equally among its sub-clusters.
  1.0 / (count(DISTINCT cluster) OVER (PARTITION BY framework, soc_code) * count(*) OVER (PARTITION BY framework, soc_code, cluster)) AS cluster_weight,
  1.0 / count(*) OVER (PARTITION BY framework, soc_code)                AS sub_cluster_weight
FROM pairs;

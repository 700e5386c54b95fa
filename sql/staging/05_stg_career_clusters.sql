-- Advance CTE 2024: SOC code → cluster → sub-cluster, with the weights that split an
-- occupation across the clusters (and sub-clusters) it belongs to.
CREATE OR REPLACE TABLE stg_occupation_clusters AS
WITH pairs AS (
  SELECT DISTINCT soc_code, cluster, sub_cluster, interdisciplinary FROM raw_career_clusters
)
SELECT
  soc_code, cluster, sub_cluster, interdisciplinary,
  1.0 / count(DISTINCT cluster) OVER (PARTITION BY soc_code) AS cluster_weight,
  1.0 / count(*) OVER (PARTITION BY soc_code)                AS sub_cluster_weight
FROM pairs;

CREATE OR REPLACE TABLE stg_framework AS
SELECT DISTINCT cluster, sub_cluster FROM raw_career_clusters;

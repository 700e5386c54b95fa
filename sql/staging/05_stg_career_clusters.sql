-- Career Cluster frameworks: Advance CTE 2024 (framework '2024'; 14 clusters, sub-clusters)
-- and the legacy 16 clusters as O*NET published them (framework 'legacy_16'; pathways in the
-- sub_cluster column), so boards still reporting on the old clusters get the same tables.
CREATE OR REPLACE TEMP TABLE stg_framework_links AS
SELECT DISTINCT '2024' AS framework, soc_code, cluster, sub_cluster FROM raw_career_clusters
UNION ALL
SELECT DISTINCT 'legacy_16', soc_code, cluster, pathway FROM raw_legacy_clusters;

CREATE OR REPLACE TEMP TABLE stg_framework AS
SELECT DISTINCT framework, cluster, sub_cluster FROM stg_framework_links;

-- A framework lists SOC detailed codes (and, for 2024, OEWS aggregates); any other code (a
-- hybrid, a broad code, a detailed code the framework only lists inside an aggregate) takes the
-- clusters of the framework codes that share a SOC 2018 detailed code with it.
CREATE OR REPLACE TEMP TABLE stg_code_framework AS
WITH framework_members AS (
  SELECT DISTINCT l.framework, l.soc_code AS framework_code, m.soc_2018_code
  FROM stg_framework_links l JOIN stg_code_members m ON m.code = l.soc_code
)
SELECT DISTINCT f.framework, m.code, f.framework_code
FROM stg_code_members m JOIN framework_members f USING (soc_2018_code);

CREATE OR REPLACE TEMP TABLE stg_code_clusters AS
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

-- Each code's groups: its clusters (sub_cluster NULL) and its sub-clusters, with its share
-- number k of n (by name) for split_whole. One table for every allocation (cluster demand, the
-- industry view, history), so a code is always split the same way.
CREATE OR REPLACE TEMP TABLE code_groups AS
WITH groups AS (
  SELECT DISTINCT framework, soc_code, cluster, NULL::VARCHAR AS sub_cluster FROM stg_code_clusters
  UNION ALL
  SELECT DISTINCT framework, soc_code, cluster, sub_cluster FROM stg_code_clusters
)
SELECT *,
  row_number() OVER (PARTITION BY framework, soc_code, sub_cluster IS NULL ORDER BY cluster, sub_cluster) - 1 AS k,
  count(*)     OVER (PARTITION BY framework, soc_code, sub_cluster IS NULL) AS n
FROM groups;

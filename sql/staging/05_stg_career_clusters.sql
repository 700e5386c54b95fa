-- Advance CTE 2024: which clusters and sub-clusters each occupation code belongs to. The
-- framework lists SOC detailed codes and OEWS aggregates; any other code (a hybrid, a broad
-- code, a detailed code the framework only lists inside an aggregate) takes the clusters of
-- the framework codes that share a SOC 2018 detailed code with it.
CREATE OR REPLACE TABLE stg_framework AS
SELECT DISTINCT cluster, sub_cluster FROM raw_career_clusters;

-- Which framework codes each code shares a SOC 2018 detailed code with.
CREATE OR REPLACE TABLE stg_code_framework AS
WITH framework_members AS (
  SELECT DISTINCT c.soc_code AS framework_code, m.soc_2018_code
  FROM raw_career_clusters c JOIN stg_code_members m ON m.code = c.soc_code
)
SELECT DISTINCT m.code, f.framework_code
FROM stg_code_members m JOIN framework_members f USING (soc_2018_code);

CREATE OR REPLACE TABLE stg_code_clusters AS
WITH pairs AS (
  SELECT DISTINCT x.code AS soc_code, r.cluster, r.sub_cluster
  FROM stg_code_framework x JOIN raw_career_clusters r ON r.soc_code = x.framework_code
)
SELECT
  soc_code, cluster, sub_cluster,
  count(DISTINCT cluster) OVER (PARTITION BY soc_code) > 1 AS interdisciplinary,
  1.0 / count(DISTINCT cluster) OVER (PARTITION BY soc_code) AS cluster_weight,
  1.0 / count(*) OVER (PARTITION BY soc_code)                AS sub_cluster_weight
FROM pairs;

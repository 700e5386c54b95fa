-- Career Cluster frameworks: Advance CTE 2024 (framework '2024'; 14 clusters, sub-clusters)
-- and the legacy 16 clusters as O*NET published them (framework 'legacy_16'; pathways in the
-- sub_cluster column), so boards still reporting on the old clusters get the same tables.
CREATE OR REPLACE TABLE stg_framework_links AS
SELECT DISTINCT '2024' AS framework, soc_code, cluster, sub_cluster FROM raw_career_clusters
UNION ALL
SELECT DISTINCT 'legacy_16', soc_code, cluster, pathway FROM raw_legacy_clusters;

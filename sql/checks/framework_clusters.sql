-- severity: error
-- Every cluster and sub-cluster in the demand tables is one of the framework's.
SELECT DISTINCT 'cluster_demand' AS tbl, cluster, NULL AS sub_cluster FROM cluster_demand
WHERE cluster NOT IN (SELECT cluster FROM stg_framework)
UNION ALL
SELECT DISTINCT 'subcluster_demand', cluster, sub_cluster FROM subcluster_demand d
WHERE NOT EXISTS (SELECT 1 FROM stg_framework f WHERE f.cluster = d.cluster AND f.sub_cluster = d.sub_cluster);

-- severity: error
-- Every cluster and sub-cluster in the demand tables is one of its framework's.
SELECT DISTINCT 'cluster_demand' AS tbl, framework, cluster, NULL AS sub_cluster FROM cluster_demand d
WHERE NOT EXISTS (SELECT 1 FROM stg_framework f WHERE f.framework = d.framework AND f.cluster = d.cluster)
UNION ALL
SELECT DISTINCT 'subcluster_demand', framework, cluster, sub_cluster FROM subcluster_demand d
WHERE NOT EXISTS (SELECT 1 FROM stg_framework f WHERE f.framework = d.framework AND f.cluster = d.cluster AND f.sub_cluster = d.sub_cluster);

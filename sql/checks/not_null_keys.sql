-- severity: error
-- Key columns are never empty.
SELECT 'occupations' AS tbl, area_code, soc_code AS key FROM occupations WHERE area_code IS NULL OR soc_code IS NULL OR area_type IS NULL
UNION ALL
SELECT 'occupation_clusters', NULL, soc_code FROM occupation_clusters WHERE soc_code IS NULL OR cluster IS NULL OR sub_cluster IS NULL
UNION ALL
SELECT 'cluster_demand', area_code, cluster FROM cluster_demand WHERE area_code IS NULL OR cluster IS NULL
UNION ALL
SELECT 'subcluster_demand', area_code, cluster FROM subcluster_demand WHERE area_code IS NULL OR cluster IS NULL OR sub_cluster IS NULL;

-- The occupation → Career Cluster map published with the snapshot, per framework: each
-- framework's own codes, and every other code this snapshot's occupations carry.
CREATE OR REPLACE TABLE occupation_clusters AS
SELECT framework, soc_code, cluster, sub_cluster, interdisciplinary, cluster_weight, sub_cluster_weight
FROM stg_code_clusters c
WHERE EXISTS (SELECT 1 FROM stg_framework_links l WHERE l.framework = c.framework AND l.soc_code = c.soc_code)
   OR soc_code IN (SELECT soc_code FROM occupations)
ORDER BY {{occupation_clusters_order}};

-- The occupation → Career Cluster map published with the snapshot: the framework's own codes,
-- and every other code this snapshot's occupations carry.
CREATE OR REPLACE TABLE occupation_clusters AS
SELECT soc_code, cluster, sub_cluster, interdisciplinary, cluster_weight, sub_cluster_weight
FROM stg_code_clusters
WHERE soc_code IN (SELECT soc_code FROM raw_career_clusters)
   OR soc_code IN (SELECT soc_code FROM occupations);

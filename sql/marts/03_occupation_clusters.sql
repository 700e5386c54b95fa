-- The occupation → Career Cluster map published with the snapshot.
CREATE OR REPLACE TABLE occupation_clusters AS
SELECT soc_code, cluster, sub_cluster, interdisciplinary, cluster_weight, sub_cluster_weight
FROM stg_occupation_clusters;

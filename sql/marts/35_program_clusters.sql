-- Each program's clusters and sub-clusters as pairs: the flat form of programs.clusters and
-- programs.sub_clusters (two lists that do not say which sub-cluster is in which cluster).
CREATE OR REPLACE TABLE program_clusters AS
SELECT DISTINCT cip_code, cluster, sub_cluster FROM stg_programs
WHERE cip_code IN (SELECT cip_code FROM programs)
ORDER BY {{program_clusters_order}};

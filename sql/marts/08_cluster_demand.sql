CREATE OR REPLACE TABLE cluster_demand AS
SELECT * EXCLUDE (sub_cluster) FROM demand WHERE sub_cluster IS NULL
ORDER BY {{cluster_demand_order}};

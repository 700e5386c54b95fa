CREATE OR REPLACE TABLE cluster_history AS SELECT * EXCLUDE (sub_cluster) FROM history_demand WHERE sub_cluster IS NULL
ORDER BY {{cluster_history_order}};

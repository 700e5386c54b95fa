CREATE OR REPLACE TABLE subcluster_history AS SELECT * FROM history_demand WHERE sub_cluster IS NOT NULL
ORDER BY {{subcluster_history_order}};

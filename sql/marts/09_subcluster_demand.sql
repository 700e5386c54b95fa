CREATE OR REPLACE TABLE subcluster_demand AS
SELECT * FROM demand WHERE sub_cluster IS NOT NULL
ORDER BY {{subcluster_demand_order}};

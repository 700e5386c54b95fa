CREATE OR REPLACE TABLE stg_framework AS
SELECT DISTINCT framework, cluster, sub_cluster FROM stg_framework_links;

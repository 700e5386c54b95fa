-- The other clusters a related occupation belongs to, one a row: the flat form of
-- related_occupations.other_clusters.
CREATE OR REPLACE TABLE related_occupation_clusters AS
SELECT soc_code, related_soc_code, unnest(other_clusters) AS cluster FROM related_occupations
ORDER BY {{related_occupation_clusters_order}};

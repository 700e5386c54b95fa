-- severity: error
-- Every detailed occupation sits in at least one Career Cluster.
SELECT o.area_code, o.soc_code, o.soc_title, o.employment
FROM occupations o
WHERE NOT EXISTS (SELECT 1 FROM occupation_clusters c WHERE c.soc_code = o.soc_code);

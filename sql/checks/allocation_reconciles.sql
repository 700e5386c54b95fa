-- severity: error
-- Allocated employment over all clusters, and over all sub-clusters, equals the area's mapped
-- detailed employment exactly.
WITH mapped AS (
  SELECT area_code, sum(employment) AS employment
  FROM occupations o
  WHERE EXISTS (SELECT 1 FROM occupation_clusters c WHERE c.soc_code = o.soc_code)
  GROUP BY ALL
), allocated AS (
  SELECT area_code, 'cluster' AS grain, sum(employment_allocated) AS employment_allocated FROM cluster_demand GROUP BY ALL
  UNION ALL
  SELECT area_code, 'sub_cluster', sum(employment_allocated) FROM subcluster_demand GROUP BY ALL
)
SELECT a.area_code, a.grain, m.employment AS mapped_employment, a.employment_allocated
FROM allocated a JOIN mapped m USING (area_code)
WHERE a.employment_allocated IS DISTINCT FROM m.employment;

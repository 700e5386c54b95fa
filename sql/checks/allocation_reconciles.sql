-- severity: error
-- Allocated employment (and allocated base-year projected employment) over all clusters, and
-- over all sub-clusters, equals the area's mapped total exactly, in each framework.
WITH mapped AS (
  SELECT o.area_code, c.framework,
    coalesce(sum(o.employment), 0) AS mapped_employment,
    coalesce(sum(o.projection_base_employment), 0) AS mapped_projection_base_employment
  FROM occupations o
  JOIN (SELECT DISTINCT framework, soc_code FROM occupation_clusters) c USING (soc_code)
  GROUP BY ALL
), allocated AS (
  SELECT area_code, framework, 'cluster' AS grain,
         coalesce(sum(employment_allocated), 0) AS employment_allocated,
         coalesce(sum(projection_base_employment_allocated), 0) AS base_allocated
  FROM cluster_demand GROUP BY ALL
  UNION ALL
  SELECT area_code, framework, 'sub_cluster', coalesce(sum(employment_allocated), 0), coalesce(sum(projection_base_employment_allocated), 0)
  FROM subcluster_demand GROUP BY ALL
)
SELECT a.area_code, a.framework, a.grain, m.mapped_employment, a.employment_allocated, m.mapped_projection_base_employment, a.base_allocated
FROM allocated a JOIN mapped m USING (area_code, framework)
WHERE a.employment_allocated <> m.mapped_employment OR a.base_allocated <> m.mapped_projection_base_employment;

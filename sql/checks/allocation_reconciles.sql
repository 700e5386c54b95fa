-- severity: error
-- Allocated employment (and allocated base-year projected employment) over all clusters, and
-- over all sub-clusters, equals the area's mapped total exactly.
WITH mapped AS (
  SELECT area_code, mapped_employment, mapped_projection_base_employment FROM coverage
), allocated AS (
  SELECT area_code, 'cluster' AS grain,
         coalesce(sum(employment_allocated), 0) AS employment_allocated,
         coalesce(sum(projection_base_employment_allocated), 0) AS base_allocated
  FROM cluster_demand GROUP BY ALL
  UNION ALL
  SELECT area_code, 'sub_cluster', coalesce(sum(employment_allocated), 0), coalesce(sum(projection_base_employment_allocated), 0)
  FROM subcluster_demand GROUP BY ALL
)
SELECT a.area_code, a.grain, m.mapped_employment, a.employment_allocated, m.mapped_projection_base_employment, a.base_allocated
FROM allocated a JOIN mapped m USING (area_code)
WHERE a.employment_allocated <> m.mapped_employment OR a.base_allocated <> m.mapped_projection_base_employment;

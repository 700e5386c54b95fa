-- severity: error
-- param floor_pct: 99.5
-- At least floor_pct of each area's employment (OEWS) and base-year projected employment
-- reaches a Career Cluster.
SELECT area_code, area_name, employment_mapped_pct, projection_base_employment_mapped_pct,
       unmapped_employment, unmapped_projection_base_employment
FROM coverage
WHERE employment_mapped_pct < $floor_pct OR projection_base_employment_mapped_pct < $floor_pct;

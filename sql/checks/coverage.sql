-- severity: error
-- param floor_pct: 99.5
-- At least floor_pct of each area's detailed employment reaches a Career Cluster.
WITH by_area AS (
  SELECT area_code,
    sum(employment) AS employment,
    sum(employment) FILTER (WHERE soc_code IN (SELECT soc_code FROM occupation_clusters)) AS mapped
  FROM occupations GROUP BY ALL
)
SELECT area_code, employment, mapped, round(100 * mapped / employment, 3) AS mapped_pct
FROM by_area
WHERE coalesce(mapped, 0) < {{floor_pct}} / 100 * employment;

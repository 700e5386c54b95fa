-- severity: warn
-- param max_change_pct: 15
-- A cluster's employment moving more than max_change_pct since the previous snapshot is worth
-- a look before anyone publishes from it (a new release can move it; a broken join can too).
SELECT c.area_code, c.framework, c.cluster, p.employment AS previous_employment, c.employment,
       round(100 * (c.employment - p.employment) / p.employment, 1) AS change_pct,
       p.oews_release AS previous_release, c.oews_release AS release
FROM cluster_demand c
JOIN previous_cluster_demand p USING (area_code, framework, cluster)
WHERE p.employment > 0 AND abs(c.employment - p.employment) > $max_change_pct / 100 * p.employment;

-- Supply against demand per area, Career Cluster and Sub-Cluster (2024 framework: the legacy 16
-- clusters have no CIP crosswalk), in all and by education level. Completions: each program's,
-- per award level's education level, split across its clusters (and sub-clusters) in whole
-- persons as an occupation's employment is (split_whole, by name), so they add up exactly.
-- Openings: the clusters' allocated annual openings (cluster_allocation), in all and of the
-- occupations whose typical entry education is that level. NULL, never 0, where the snapshot
-- lacks a side: completions for areas IPEDS does not cover (metro areas), openings for areas
-- with no projections.
CREATE OR REPLACE TABLE cluster_supply_demand AS
WITH program_levels AS (
  SELECT c.area_code, c.cip_code, l.education_level, sum(c.completions)::BIGINT AS completions
  FROM program_completions c JOIN (SELECT DISTINCT award_group, education_level FROM stg_award_levels) l USING (award_group)
  GROUP BY ALL
), supply AS (
  -- sub_cluster '' for a cluster's own row until the end: NULLs never match in a join.
  SELECT p.area_code, g.framework, g.cluster, coalesce(g.sub_cluster, '') AS sub_cluster, p.education_level, sum(split_whole(p.completions, g.n, g.k))::BIGINT AS completions
  FROM program_levels p JOIN cip_groups g USING (cip_code)
  GROUP BY ALL
), supply_levels AS (
  SELECT * FROM supply
  UNION ALL
  SELECT area_code, framework, cluster, sub_cluster, 'all', sum(completions)::BIGINT FROM supply GROUP BY ALL
), demand AS (
  SELECT a.area_code, a.framework, a.cluster, coalesce(a.sub_cluster, '') AS sub_cluster, e.education_level, sum(a.annual_openings_allocated)::BIGINT AS annual_openings
  FROM cluster_allocation a
  JOIN occupations o USING (area_code, soc_code)
  JOIN stg_ep_education_levels e ON e.typical_education = o.typical_education
  WHERE a.framework = '2024'
  GROUP BY ALL
  UNION ALL
  SELECT area_code, framework, cluster, coalesce(sub_cluster, ''), 'all', sum(annual_openings_allocated)::BIGINT
  FROM cluster_allocation WHERE framework = '2024' GROUP BY ALL
), supply_areas AS (
  SELECT DISTINCT area_code FROM program_completions
), demand_areas AS (
  SELECT area_code, any_value(oews_release) AS oews_release, any_value(projection_period) AS projection_period
  FROM occupations GROUP BY area_code HAVING count(annual_openings) > 0
), frame AS (
  -- Every area either side covers × every cluster and sub-cluster × level.
  SELECT a.area_code, g.framework, g.cluster, g.sub_cluster, lv.education_level
  FROM (SELECT area_code FROM supply_areas UNION SELECT area_code FROM demand_areas) a
  CROSS JOIN (SELECT DISTINCT framework, cluster, coalesce(sub_cluster, '') AS sub_cluster FROM cip_groups) g
  CROSS JOIN (SELECT 'all' AS education_level UNION ALL SELECT DISTINCT education_level FROM stg_award_levels) lv
)
SELECT f.area_code, n.area_name, n.area_type, f.framework,
  CASE WHEN f.sub_cluster = '' THEN 'cluster' ELSE 'sub_cluster' END AS level,
  f.cluster, nullif(f.sub_cluster, '') AS sub_cluster, f.education_level,
  CASE WHEN f.area_code IN (SELECT area_code FROM supply_areas) THEN coalesce(s.completions, 0) END AS completions,
  CASE WHEN da.area_code IS NOT NULL THEN coalesce(d.annual_openings, 0) END AS annual_openings_allocated,
  CAST(CASE WHEN da.area_code IS NOT NULL AND f.area_code IN (SELECT area_code FROM supply_areas) AND d.annual_openings > 0
       THEN round(coalesce(s.completions, 0) / d.annual_openings, 2) END AS DECIMAL(12, 2)) AS supply_per_opening,
  getvariable('completions_period') AS completions_period, da.oews_release, da.projection_period
FROM frame f
LEFT JOIN supply_levels s USING (area_code, framework, cluster, sub_cluster, education_level)
LEFT JOIN demand d USING (area_code, framework, cluster, sub_cluster, education_level)
LEFT JOIN demand_areas da USING (area_code)
LEFT JOIN (SELECT area_code, area_name, area_type FROM dim_area UNION ALL SELECT area_code, area_name, area_type FROM supply_area_names WHERE area_code NOT IN (SELECT area_code FROM dim_area)) n USING (area_code)
ORDER BY {{cluster_supply_demand_order}};

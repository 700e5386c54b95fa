-- Each occupation's employment, openings and projected employment shared out to its clusters (sub_cluster NULL) and
-- to its sub-clusters, in whole persons. An occupation in n groups gives each ⌊E/n⌋, and the
-- first E mod n groups (by name) one more, so the parts add up exactly to E: allocated
-- totals over all clusters (or all sub-clusters) of an area equal its mapped employment,
-- in each framework.
CREATE OR REPLACE MACRO split_whole(total, n, k) AS total // n + CASE WHEN k < total % n THEN 1 ELSE 0 END;

-- Each occupation's groups: its clusters (sub_cluster NULL) and its sub-clusters, with its
-- share number k of n (by name) for split_whole. Shared with the industry view.
CREATE OR REPLACE TABLE occupation_groups AS
WITH groups AS (
  SELECT DISTINCT framework, soc_code, cluster, NULL::VARCHAR AS sub_cluster FROM occupation_clusters
  UNION ALL
  SELECT DISTINCT framework, soc_code, cluster, sub_cluster FROM occupation_clusters
)
SELECT *,
  row_number() OVER (PARTITION BY framework, soc_code, sub_cluster IS NULL ORDER BY cluster, sub_cluster) - 1 AS k,
  count(*)     OVER (PARTITION BY framework, soc_code, sub_cluster IS NULL) AS n
FROM groups;

CREATE OR REPLACE TABLE cluster_allocation AS
SELECT
  o.area_code, g.framework, g.cluster, g.sub_cluster, o.soc_code,
  o.employment,
  split_whole(o.employment, g.n, g.k)      AS employment_allocated,
  o.annual_openings,
  split_whole(o.annual_openings, g.n, g.k) AS annual_openings_allocated,
  o.projection_base_employment,
  split_whole(o.projection_base_employment, g.n, g.k) AS projection_base_employment_allocated,
  o.projected_employment,
  split_whole(o.projected_employment, g.n, g.k)       AS projected_employment_allocated,
  o.annual_wage_median, o.annual_wage_median_flag,
  o.high_opportunity,
  o.oews_release, o.projection_source, o.projection_period
FROM occupations o
JOIN occupation_groups g USING (soc_code);

-- Each occupation's employment, openings and projected employment shared out to its clusters (sub_cluster NULL) and
-- to its sub-clusters, in whole persons. An occupation in n groups gives each ⌊E/n⌋, and the
-- first E mod n groups (by name) one more, so the parts add up exactly to E: allocated
-- totals over all clusters (or all sub-clusters) of an area equal its mapped employment,
-- in each framework.
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
JOIN code_groups g USING (soc_code);

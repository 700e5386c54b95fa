CREATE OR REPLACE TABLE history_allocation AS
SELECT o.release, o.area_code, g.framework, g.cluster, g.sub_cluster, o.soc_code, o.employment,
  split_whole(o.employment, g.n, g.k)           AS employment_allocated,
  split_whole(o.employment_via_split, g.n, g.k) AS via_split_allocated,
  o.annual_wage_median, o.annual_wage_median_flag
FROM occupation_history o JOIN code_groups g USING (soc_code);

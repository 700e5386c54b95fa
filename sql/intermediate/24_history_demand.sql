CREATE OR REPLACE VIEW history_wages AS
SELECT {'release': release, 'framework': framework, 'cluster': cluster, 'sub_cluster': sub_cluster} AS grp, soc_code,
  employment_allocated AS weight, coalesce(annual_wage_median, history_top_code(release)) AS wage, annual_wage_median_flag = 'top_coded' AS top_coded
FROM history_allocation
WHERE employment IS NOT NULL AND (annual_wage_median IS NOT NULL OR annual_wage_median_flag = 'top_coded');

CREATE OR REPLACE TABLE history_demand AS
WITH medians AS (
  SELECT grp.release, grp.framework, grp.cluster, grp.sub_cluster, median_annual_wage, median_top_coded FROM weighted_median_wage('history_wages')
), totals AS (
  SELECT release, area_code, framework, cluster, sub_cluster,
    count(*)                                   AS occupations,
    sum(employment)::BIGINT                    AS employment,
    sum(employment_allocated)::BIGINT          AS employment_allocated,
    coalesce(sum(via_split_allocated), 0)::BIGINT AS employment_via_split_allocated,
    count(*) FILTER (WHERE employment IS NULL) AS occupations_with_suppressed_employment
  FROM history_allocation GROUP BY ALL
)
SELECT t.release, 'May ' || t.release AS release_label, t.area_code, code_system(t.release) AS code_system,
  t.framework, t.cluster, t.sub_cluster,
  t.occupations, t.employment, t.employment_allocated, t.employment_via_split_allocated, t.occupations_with_suppressed_employment,
  m.median_annual_wage, CASE WHEN m.median_top_coded THEN 'top_coded' END AS median_annual_wage_flag
FROM totals t
LEFT JOIN medians m ON m.release = t.release AND m.framework = t.framework AND m.cluster = t.cluster AND m.sub_cluster IS NOT DISTINCT FROM t.sub_cluster;

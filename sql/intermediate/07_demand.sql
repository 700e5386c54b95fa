-- Labor demand per area × cluster (sub_cluster NULL) and per area × sub-cluster.
-- employment: gross (an occupation counts fully in every cluster it belongs to);
-- employment_allocated: shared out, so an area's clusters add up to its mapped employment.
-- Median of occupation median wages weighted by allocated employment: the same persons, each
-- counted once, as every other allocated figure (an occupation shared with other clusters weighs
-- only its share here). Top-coded medians (≥ the top code) sort at the top code.
CREATE OR REPLACE VIEW demand_wages AS
SELECT {'area_code': area_code, 'framework': framework, 'cluster': cluster, 'sub_cluster': sub_cluster} AS grp, soc_code,
  employment_allocated AS weight, coalesce(annual_wage_median, getvariable('top_code_annual')) AS wage, annual_wage_median_flag = 'top_coded' AS top_coded
FROM cluster_allocation
WHERE employment IS NOT NULL AND (annual_wage_median IS NOT NULL OR annual_wage_median_flag = 'top_coded');

CREATE OR REPLACE TABLE demand AS
WITH medians AS (
  SELECT grp.area_code, grp.framework, grp.cluster, grp.sub_cluster, median_annual_wage, median_top_coded FROM weighted_median_wage('demand_wages')
), totals AS (
  SELECT area_code, framework, cluster, sub_cluster,
    -- Sums are cast back to BIGINT (DuckDB widens them to HUGEINT, which BI tools read as DOUBLE).
    count(*)                                  AS occupations,
    sum(employment)::BIGINT                   AS employment,
    sum(employment_allocated)::BIGINT         AS employment_allocated,
    count(*) FILTER (WHERE employment IS NULL) AS occupations_with_suppressed_employment,
    sum(annual_openings)::BIGINT              AS annual_openings,
    sum(annual_openings_allocated)::BIGINT    AS annual_openings_allocated,
    (sum(projection_base_employment) FILTER (WHERE projected_employment IS NOT NULL))::BIGINT AS projection_base_employment,
    (sum(projected_employment) FILTER (WHERE projection_base_employment IS NOT NULL))::BIGINT AS projected_employment,
    sum(projection_base_employment_allocated)::BIGINT AS projection_base_employment_allocated,
    sum(projected_employment_allocated)::BIGINT       AS projected_employment_allocated,
    count(*) FILTER (WHERE annual_wage_median IS NULL) AS occupations_with_suppressed_wages,
    -- Unknown is not 0: where any occupation's opportunity is unknown (no wage or projection to
    -- test), the count and the jobs are unknown too, and the unknown ones are counted.
    count(*) FILTER (WHERE high_opportunity IS NULL)   AS occupations_with_unknown_opportunity,
    CASE WHEN count(*) FILTER (WHERE high_opportunity IS NULL) = 0 THEN count(*) FILTER (WHERE high_opportunity) END AS high_opportunity_occupations,
    CASE WHEN count(*) FILTER (WHERE high_opportunity IS NULL) = 0 THEN coalesce(sum(employment) FILTER (WHERE high_opportunity), 0) END::BIGINT AS high_opportunity_employment,
    -- Where the numbers come from, per row: states may have projections but no OEWS estimate.
    max(oews_release)                                  AS oews_release,
    string_agg(DISTINCT projection_source, '; ' ORDER BY projection_source) AS projection_source,
    string_agg(DISTINCT projection_period, '; ' ORDER BY projection_period) AS projection_period
  FROM cluster_allocation GROUP BY ALL
)
SELECT
  t.area_code, a.area_name, a.area_type, t.framework, t.cluster, t.sub_cluster,
  t.occupations, t.employment, t.employment_allocated, t.occupations_with_suppressed_employment,
  t.annual_openings, t.annual_openings_allocated,
  t.projection_base_employment, t.projected_employment,
  t.projection_base_employment_allocated, t.projected_employment_allocated,
  CAST(round((t.projected_employment / nullif(t.projection_base_employment, 0) - 1) * 100, 1) AS DECIMAL(8, 1)) AS projected_change_pct,
  m.median_annual_wage,
  CASE WHEN m.median_top_coded THEN 'top_coded' END AS median_annual_wage_flag,
  t.occupations_with_suppressed_wages,
  t.high_opportunity_occupations,
  t.occupations_with_unknown_opportunity,
  t.high_opportunity_employment,
  CAST(round(t.high_opportunity_employment / nullif(t.employment, 0), 4) AS DECIMAL(6, 4)) AS high_opportunity_employment_share,
  t.oews_release, t.projection_source, t.projection_period
FROM totals t
JOIN dim_area a USING (area_code)
LEFT JOIN medians m
  ON m.area_code = t.area_code AND m.framework = t.framework AND m.cluster = t.cluster AND m.sub_cluster IS NOT DISTINCT FROM t.sub_cluster;

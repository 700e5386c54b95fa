-- The cluster's median wage in the sector, weighted by allocated employment as in cluster_demand.
CREATE OR REPLACE VIEW industry_wages AS
SELECT {'area_code': area_code, 'framework': framework, 'cluster': cluster, 'sub_cluster': sub_cluster, 'naics_sector': naics_sector} AS grp, soc_code,
  employment_allocated AS weight, coalesce(annual_wage_median, getvariable('top_code_annual')) AS wage, annual_wage_median_flag = 'top_coded' AS top_coded
FROM industry_allocation
WHERE employment IS NOT NULL AND (annual_wage_median IS NOT NULL OR annual_wage_median_flag = 'top_coded');

CREATE OR REPLACE TABLE cluster_industry_demand AS
WITH medians AS (
  SELECT grp.area_code, grp.framework, grp.cluster, grp.sub_cluster, grp.naics_sector, median_annual_wage, median_top_coded FROM weighted_median_wage('industry_wages')
), totals AS (
  SELECT area_code, framework, cluster, sub_cluster, naics_sector, any_value(naics_title) AS naics_title,
    count(*)                                   AS occupations,
    sum(employment)::BIGINT                    AS employment,
    sum(employment_allocated)::BIGINT          AS employment_allocated,
    count(*) FILTER (WHERE employment IS NULL) AS occupations_with_suppressed_employment
  FROM industry_allocation GROUP BY ALL
)
SELECT
  t.area_code, t.framework, t.cluster, t.sub_cluster,
  CASE WHEN t.sub_cluster IS NULL THEN 'cluster' ELSE 'sub_cluster' END AS level,
  t.naics_sector, t.naics_title,
  t.occupations, t.employment, t.employment_allocated, t.occupations_with_suppressed_employment,
  CAST(round(t.employment_allocated / nullif(sum(t.employment_allocated) OVER (PARTITION BY t.area_code, t.framework, t.cluster, t.sub_cluster), 0), 4) AS DECIMAL(6, 4)) AS share_of_cluster,
  m.median_annual_wage,
  CASE WHEN m.median_top_coded THEN 'top_coded' END AS median_annual_wage_flag,
  -- Aligned: the framework's crosswalk links this sector to the cluster (any of its sub-clusters)
  -- or to this sub-cluster. The legacy 16 clusters have no such crosswalk.
  CASE WHEN t.framework <> '2024' THEN NULL
       WHEN t.sub_cluster IS NULL THEN EXISTS (SELECT 1 FROM stg_industry_subclusters x WHERE x.cluster = t.cluster AND x.oews_sector = t.naics_sector)
       ELSE EXISTS (SELECT 1 FROM stg_industry_subclusters x WHERE x.cluster = t.cluster AND x.sub_cluster = t.sub_cluster AND x.oews_sector = t.naics_sector)
  END AS aligned
FROM totals t
LEFT JOIN medians m
  ON m.area_code = t.area_code AND m.framework = t.framework AND m.cluster = t.cluster
 AND m.sub_cluster IS NOT DISTINCT FROM t.sub_cluster AND m.naics_sector = t.naics_sector
ORDER BY {{cluster_industry_demand_order}};

-- The industry view (national; empty unless the run reads OEWS sector estimates): where each
-- cluster's workers work, by 2-digit NAICS sector, and how much of that work sits in the
-- sectors Advance CTE aligns with the cluster.

-- The framework's crosswalk as published.
CREATE OR REPLACE TEMP TABLE industry_subclusters AS
SELECT framework, cluster, sub_cluster, naics_sector, naics_title, oews_sector FROM stg_industry_subclusters;

-- Each detailed occupation's employment in each sector, shared out to its clusters and
-- sub-clusters in whole persons exactly as in cluster_allocation (same groups, same order).
CREATE OR REPLACE TEMP TABLE industry_allocation AS
SELECT
  i.area_code, g.framework, g.cluster, g.sub_cluster, i.naics_sector, i.naics_title, i.soc_code,
  i.employment,
  split_whole(i.employment, g.n, g.k) AS employment_allocated,
  i.annual_wage_median, i.annual_wage_median_flag
FROM stg_oews_industry i
JOIN code_groups g USING (soc_code)
WHERE i.o_group = 'detailed';

-- The cluster's median wage in the sector, weighted by allocated employment as in cluster_demand.
CREATE OR REPLACE TEMP VIEW industry_wages AS
SELECT {'area_code': area_code, 'framework': framework, 'cluster': cluster, 'sub_cluster': sub_cluster, 'naics_sector': naics_sector} AS grp, soc_code,
  employment_allocated AS weight, coalesce(annual_wage_median, getvariable('top_code_annual')) AS wage, annual_wage_median_flag = 'top_coded' AS top_coded
FROM industry_allocation
WHERE employment IS NOT NULL AND (annual_wage_median IS NOT NULL OR annual_wage_median_flag = 'top_coded');

CREATE OR REPLACE TEMP TABLE cluster_industry_demand AS
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
 AND m.sub_cluster IS NOT DISTINCT FROM t.sub_cluster AND m.naics_sector = t.naics_sector;

-- Per cluster and sub-cluster of the 2024 framework: the share of its (allocated) employment in
-- the sectors the framework aligns with it, and the three largest sectors outside them.
CREATE OR REPLACE TEMP TABLE industry_alignment AS
SELECT
  area_code, framework, cluster, sub_cluster, level,
  sum(employment_allocated)::BIGINT                                   AS employment_allocated,
  coalesce(sum(employment_allocated) FILTER (WHERE aligned), 0)::BIGINT AS aligned_employment_allocated,
  CAST(round(coalesce(sum(employment_allocated) FILTER (WHERE aligned), 0) / nullif(sum(employment_allocated), 0), 4) AS DECIMAL(6, 4)) AS aligned_share,
  coalesce(list(naics_sector ORDER BY naics_sector) FILTER (WHERE aligned), []) AS aligned_sectors,
  coalesce(list({'naics_sector': naics_sector, 'naics_title': naics_title, 'share_of_cluster': share_of_cluster} ORDER BY employment_allocated DESC NULLS LAST, naics_sector) FILTER (WHERE NOT aligned), [])[1:3] AS top_sectors_outside
FROM cluster_industry_demand
WHERE framework = '2024'
GROUP BY ALL;

-- Per cluster and sub-cluster of the 2024 framework: the share of its (allocated) employment in
-- the sectors the framework aligns with it, and the three largest sectors outside them.
CREATE OR REPLACE TABLE industry_alignment AS
SELECT
  area_code, framework, cluster, sub_cluster, level,
  sum(employment_allocated)::BIGINT                                   AS employment_allocated,
  coalesce(sum(employment_allocated) FILTER (WHERE aligned), 0)::BIGINT AS aligned_employment_allocated,
  CAST(round(coalesce(sum(employment_allocated) FILTER (WHERE aligned), 0) / nullif(sum(employment_allocated), 0), 4) AS DECIMAL(6, 4)) AS aligned_share,
  coalesce(list(naics_sector ORDER BY naics_sector) FILTER (WHERE aligned), []) AS aligned_sectors,
  coalesce(list({'naics_sector': naics_sector, 'naics_title': naics_title, 'share_of_cluster': share_of_cluster} ORDER BY employment_allocated DESC NULLS LAST, naics_sector) FILTER (WHERE NOT aligned), [])[1:3] AS top_sectors_outside
FROM cluster_industry_demand
WHERE framework = '2024'
GROUP BY ALL
ORDER BY {{industry_alignment_order}};

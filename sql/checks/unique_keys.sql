-- severity: error
-- Each published table has one row per key.
SELECT 'occupations' AS tbl, area_code || ' ' || soc_code AS key, count(*) AS rows FROM occupations GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'occupation_clusters', framework || ' ' || soc_code || ' ' || cluster || ' / ' || sub_cluster, count(*) FROM occupation_clusters GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'cluster_demand', area_code || ' ' || framework || ' ' || cluster, count(*) FROM cluster_demand GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'subcluster_demand', area_code || ' ' || framework || ' ' || cluster || ' / ' || sub_cluster, count(*) FROM subcluster_demand GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'programs', area_code || ' ' || cip_code, count(*) FROM programs GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'cluster_industry_demand', area_code || ' ' || framework || ' ' || cluster || ' / ' || coalesce(sub_cluster, '') || ' ' || naics_sector, count(*) FROM cluster_industry_demand GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'industry_alignment', area_code || ' ' || framework || ' ' || cluster || ' / ' || coalesce(sub_cluster, ''), count(*) FROM industry_alignment GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'occupation_titles', soc_code || ' ' || source || ' ' || title, count(*) FROM occupation_titles GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'occupation_interests', soc_code, count(*) FROM occupation_interests GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'cluster_interests', area_code || ' ' || framework || ' ' || cluster || ' / ' || coalesce(sub_cluster, ''), count(*) FROM cluster_interests GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'related_occupations', soc_code || ' ' || related_soc_code, count(*) FROM related_occupations GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'cluster_history', release || ' ' || framework || ' ' || cluster, count(*) FROM cluster_history GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'subcluster_history', release || ' ' || framework || ' ' || cluster || ' / ' || sub_cluster, count(*) FROM subcluster_history GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'occupation_history', release || ' ' || soc_code, count(*) FROM occupation_history GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'industry_subclusters', framework || ' ' || cluster || ' / ' || sub_cluster || ' ' || naics_sector, count(*) FROM industry_subclusters GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'coverage', area_code, count(*) FROM coverage GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'dim_area', area_code, count(*) FROM dim_area GROUP BY ALL HAVING count(*) > 1;

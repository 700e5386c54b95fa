-- Where an occupation leads: O*NET's related occupations (best tier and index when several
-- O*NET-SOC codes meet), and whether each shares a 2024 cluster or bridges into others. The
-- table holds every area's codes; a view of one area keeps the pairs whose codes it has.
CREATE OR REPLACE TABLE related_occupations AS
WITH pairs AS (
  SELECT a.soc_code, b.soc_code AS related_soc_code, r.tier, r.idx
  FROM stg_onet_related r
  JOIN stg_onet_to_code a ON a.onet_soc_code = r.onet_soc_code
  JOIN stg_onet_to_code b ON b.onet_soc_code = r.related_onet_soc_code
  WHERE a.soc_code <> b.soc_code
), best AS (
  SELECT soc_code, related_soc_code, arg_min(tier, idx) AS relatedness_tier, min(idx) AS relatedness_index
  FROM pairs GROUP BY ALL
), members AS (
  SELECT code, list(soc_2018_code) AS members FROM stg_code_members GROUP BY code
), clusters AS (
  SELECT soc_code, list(DISTINCT cluster ORDER BY cluster) AS clusters FROM occupation_clusters WHERE framework = '2024' GROUP BY soc_code
)
SELECT b.soc_code, b.related_soc_code, t.soc_title AS related_soc_title, b.relatedness_tier, b.relatedness_index,
  len(list_intersect(coalesce(ca.clusters, []), coalesce(cb.clusters, []))) > 0 AS same_cluster,
  list_sort(list_filter(coalesce(cb.clusters, []), x -> NOT list_contains(coalesce(ca.clusters, []), x))) AS other_clusters
FROM best b
JOIN snapshot_codes s ON s.soc_code = b.soc_code
JOIN snapshot_codes t ON t.soc_code = b.related_soc_code
LEFT JOIN clusters ca ON ca.soc_code = b.soc_code
LEFT JOIN clusters cb ON cb.soc_code = b.related_soc_code
LEFT JOIN members ma ON ma.code = b.soc_code
LEFT JOIN members mb ON mb.code = b.related_soc_code
-- Two codes for the same work (15-1252 and the hybrid 15-1256 that holds it, which only a
-- state's projections use) are no path from one to the other. Tested on the pairs kept, not
-- on every O*NET pair: an anti-join there made the model several times slower.
WHERE NOT coalesce(list_has_any(ma.members, mb.members), false)
ORDER BY {{related_occupations_order}};

-- Career exploration tables: titles people use, interest profiles, and where an occupation
-- leads (O*NET), for the occupation codes this snapshot publishes.
CREATE OR REPLACE TEMP TABLE snapshot_codes AS
SELECT soc_code, any_value(soc_title ORDER BY area_type <> 'national', area_code) AS soc_title FROM occupations GROUP BY soc_code;

-- Every title an occupation goes by: OEWS's own, O*NET's alternate titles and the job titles
-- workers reported to O*NET.
CREATE OR REPLACE TEMP TABLE occupation_titles AS
SELECT DISTINCT soc_code, title, source FROM (
  SELECT soc_code, soc_title AS title, 'oews' AS source FROM snapshot_codes
  UNION ALL
  SELECT t.soc_code, o.title, o.source FROM stg_onet_titles o JOIN stg_onet_to_code t USING (onet_soc_code)
) WHERE soc_code IN (SELECT soc_code FROM snapshot_codes) AND title <> '';

-- RIASEC per occupation code, 1 to 7, rounded to hundredths; NULL where O*NET has no scores
-- (many "all other" occupations), never a made-up average.
CREATE OR REPLACE TEMP TABLE occupation_interests AS
SELECT c.soc_code,
  CAST(round(i.realistic, 2) AS DECIMAL(4, 2))     AS realistic,
  CAST(round(i.investigative, 2) AS DECIMAL(4, 2)) AS investigative,
  CAST(round(i.artistic, 2) AS DECIMAL(4, 2))      AS artistic,
  CAST(round(i.social, 2) AS DECIMAL(4, 2))        AS social,
  CAST(round(i.enterprising, 2) AS DECIMAL(4, 2))  AS enterprising,
  CAST(round(i.conventional, 2) AS DECIMAL(4, 2))  AS conventional,
  riasec_code(i.realistic, i.investigative, i.artistic, i.social, i.enterprising, i.conventional) AS interest_code,
  coalesce(i.onet_codes, 0)           AS onet_codes,
  coalesce(i.onet_codes_with_data, 0) AS onet_codes_with_data
FROM snapshot_codes c LEFT JOIN stg_occupation_interests i USING (soc_code);

-- Per area, framework, cluster (and sub-cluster): the six scores weighted by allocated
-- employment over the occupations that have scores, and the share of employment that has them.
CREATE OR REPLACE TEMP TABLE cluster_interests AS
WITH weighted AS (
  SELECT a.area_code, a.framework, a.cluster, a.sub_cluster, a.employment_allocated AS w, i.*
  FROM cluster_allocation a LEFT JOIN stg_occupation_interests i USING (soc_code)
  WHERE a.employment_allocated IS NOT NULL
), sums AS (
  SELECT area_code, framework, cluster, sub_cluster,
    sum(w)                                          AS employment_allocated,
    sum(w) FILTER (WHERE realistic IS NOT NULL)     AS with_data,
    sum(w * realistic) / sum(w) FILTER (WHERE realistic IS NOT NULL)         AS realistic,
    sum(w * investigative) / sum(w) FILTER (WHERE realistic IS NOT NULL)     AS investigative,
    sum(w * artistic) / sum(w) FILTER (WHERE realistic IS NOT NULL)          AS artistic,
    sum(w * social) / sum(w) FILTER (WHERE realistic IS NOT NULL)            AS social,
    sum(w * enterprising) / sum(w) FILTER (WHERE realistic IS NOT NULL)      AS enterprising,
    sum(w * conventional) / sum(w) FILTER (WHERE realistic IS NOT NULL)      AS conventional
  FROM weighted GROUP BY ALL
)
SELECT area_code, framework, cluster, sub_cluster,
  CASE WHEN sub_cluster IS NULL THEN 'cluster' ELSE 'sub_cluster' END AS level,
  CAST(round(realistic, 2) AS DECIMAL(4, 2))     AS realistic,
  CAST(round(investigative, 2) AS DECIMAL(4, 2)) AS investigative,
  CAST(round(artistic, 2) AS DECIMAL(4, 2))      AS artistic,
  CAST(round(social, 2) AS DECIMAL(4, 2))        AS social,
  CAST(round(enterprising, 2) AS DECIMAL(4, 2))  AS enterprising,
  CAST(round(conventional, 2) AS DECIMAL(4, 2))  AS conventional,
  riasec_code(realistic, investigative, artistic, social, enterprising, conventional) AS interest_code,
  employment_allocated::BIGINT                   AS employment_allocated,
  coalesce(with_data, 0)::BIGINT                 AS employment_with_interest_data,
  CAST(round(coalesce(with_data, 0) / nullif(employment_allocated, 0), 4) AS DECIMAL(6, 4)) AS interest_data_share
FROM sums;

-- Where an occupation leads: O*NET's related occupations (best tier and index when several
-- O*NET-SOC codes meet), and whether each shares a 2024 cluster or bridges into others.
CREATE OR REPLACE TEMP TABLE related_occupations AS
WITH pairs AS (
  SELECT a.soc_code, b.soc_code AS related_soc_code, r.tier, r.idx
  FROM stg_onet_related r
  JOIN stg_onet_to_code a ON a.onet_soc_code = r.onet_soc_code
  JOIN stg_onet_to_code b ON b.onet_soc_code = r.related_onet_soc_code
  WHERE a.soc_code <> b.soc_code
), best AS (
  SELECT soc_code, related_soc_code, arg_min(tier, idx) AS relatedness_tier, min(idx) AS relatedness_index
  FROM pairs GROUP BY ALL
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
LEFT JOIN clusters cb ON cb.soc_code = b.related_soc_code;

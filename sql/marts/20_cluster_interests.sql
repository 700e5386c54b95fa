-- Per area, framework, cluster (and sub-cluster): the six scores weighted by allocated
-- employment over the occupations that have scores, and the share of employment that has them.
CREATE OR REPLACE TABLE cluster_interests AS
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
FROM sums
ORDER BY {{cluster_interests_order}};

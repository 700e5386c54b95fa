CREATE OR REPLACE TABLE stg_code_members AS
WITH candidates AS (
  SELECT soc_code AS code, soc_code AS soc_2018_code, 'soc_2018_detailed' AS code_kind, 1 AS priority
  FROM stg_soc_structure WHERE soc_level = 'detailed'
  UNION ALL
  SELECT oews_code, soc_2018_code, 'oews_aggregate', 2 FROM raw_oews_soc_map
  UNION ALL
  SELECT b.soc_code, d.soc_code, 'soc_broad', 3
  FROM stg_soc_structure b JOIN stg_soc_structure d ON d.broad_code = b.soc_code AND d.soc_level = 'detailed'
  WHERE b.soc_level = 'broad'
  UNION ALL
  SELECT code, soc_2018_code, 'hybrid', 4 FROM raw_hybrid_codes
)
-- A code described by several rules keeps the most specific (an OEWS aggregate that is also a
-- broad code has the same members either way).
SELECT code, soc_2018_code, code_kind
FROM candidates
QUALIFY priority = min(priority) OVER (PARTITION BY code);

-- How much of each area's employment reaches a Career Cluster of the 2024 framework, and
-- which codes do not.
CREATE OR REPLACE TABLE coverage AS
WITH o AS (
  SELECT o.*, o.soc_code IN (SELECT soc_code FROM occupation_clusters WHERE framework = '2024') AS mapped FROM occupations o
)
SELECT
  area_code, area_name, area_type,
  coalesce(sum(employment), 0)::BIGINT                                   AS employment,
  coalesce(sum(employment) FILTER (WHERE mapped), 0)::BIGINT             AS mapped_employment,
  coalesce(sum(employment) FILTER (WHERE NOT mapped), 0)::BIGINT         AS unmapped_employment,
  CAST(round(100 * sum(employment) FILTER (WHERE mapped) / nullif(sum(employment), 0), 3) AS DECIMAL(7, 3)) AS employment_mapped_pct,
  coalesce(sum(projection_base_employment), 0)::BIGINT                            AS projection_base_employment,
  coalesce(sum(projection_base_employment) FILTER (WHERE mapped), 0)::BIGINT      AS mapped_projection_base_employment,
  coalesce(sum(projection_base_employment) FILTER (WHERE NOT mapped), 0)::BIGINT  AS unmapped_projection_base_employment,
  CAST(round(100 * sum(projection_base_employment) FILTER (WHERE mapped) / nullif(sum(projection_base_employment), 0), 3) AS DECIMAL(7, 3)) AS projection_base_employment_mapped_pct,
  coalesce(
    list({'soc_code': soc_code, 'soc_title': soc_title, 'employment': employment, 'projection_base_employment': projection_base_employment} ORDER BY soc_code)
      FILTER (WHERE NOT mapped),
    []) AS unmapped_codes
FROM o
GROUP BY ALL;

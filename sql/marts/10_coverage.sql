-- How much of each area's employment reaches a Career Cluster of the 2024 framework, and
-- which codes do not. An area with no OEWS estimate (projections only) has NULL employment
-- figures, not 0; likewise an area without projections.
CREATE OR REPLACE TABLE coverage AS
WITH o AS (
  SELECT o.*, o.soc_code IN (SELECT soc_code FROM occupation_clusters WHERE framework = '2024') AS mapped FROM occupations o
)
SELECT
  area_code, area_name, area_type,
  sum(employment)::BIGINT                                                AS employment,
  CASE WHEN count(employment) > 0 THEN coalesce(sum(employment) FILTER (WHERE mapped), 0) END::BIGINT     AS mapped_employment,
  CASE WHEN count(employment) > 0 THEN coalesce(sum(employment) FILTER (WHERE NOT mapped), 0) END::BIGINT AS unmapped_employment,
  CAST(round(100 * sum(employment) FILTER (WHERE mapped) / nullif(sum(employment), 0), 3) AS DECIMAL(7, 3)) AS employment_mapped_pct,
  sum(projection_base_employment)::BIGINT                                          AS projection_base_employment,
  CASE WHEN count(projection_base_employment) > 0 THEN coalesce(sum(projection_base_employment) FILTER (WHERE mapped), 0) END::BIGINT     AS mapped_projection_base_employment,
  CASE WHEN count(projection_base_employment) > 0 THEN coalesce(sum(projection_base_employment) FILTER (WHERE NOT mapped), 0) END::BIGINT AS unmapped_projection_base_employment,
  CAST(round(100 * sum(projection_base_employment) FILTER (WHERE mapped) / nullif(sum(projection_base_employment), 0), 3) AS DECIMAL(7, 3)) AS projection_base_employment_mapped_pct,
  coalesce(
    list({'soc_code': soc_code, 'soc_title': soc_title, 'employment': employment, 'projection_base_employment': projection_base_employment} ORDER BY soc_code)
      FILTER (WHERE NOT mapped),
    []) AS unmapped_codes,
  -- Occupations no CIP program of the framework leads to (the crosswalk's "NO MATCH" rows).
  count(*) FILTER (WHERE soc_code NOT IN (SELECT soc_code FROM stg_program_occupations)) AS occupations_without_program
FROM o
GROUP BY ALL
ORDER BY {{coverage_order}};

-- BLS Employment Projections, Table 1.10 (pipelines/ep-separations.ts): separations and
-- openings, typed. Rates are percents with one decimal; counts are published in thousands with
-- one decimal and stored as persons (exact: thousands × 1000). The reader let through only
-- numbers and EP's markers ('—', not available), which TRY_CAST turns into NULL.
CREATE OR REPLACE TABLE stg_ep_separations AS
SELECT
  code                                                        AS soc_code,
  trim(title)                                                 AS soc_title,
  CASE lower(trim(occupation_type)) WHEN 'line item' THEN 'detailed' ELSE 'summary' END AS level,
  getvariable('ep_separations_period')                        AS projection_period,
  TRY_CAST(labor_force_exit_rate AS DECIMAL(5, 1))            AS labor_force_exit_rate_pct,
  TRY_CAST(occupational_transfer_rate AS DECIMAL(5, 1))       AS occupational_transfer_rate_pct,
  TRY_CAST(separations_rate AS DECIMAL(5, 1))                 AS separations_rate_pct,
  CAST(round(TRY_CAST(labor_force_exits AS DECIMAL(18, 3)) * 1000) AS BIGINT)      AS labor_force_exits,
  CAST(round(TRY_CAST(occupational_transfers AS DECIMAL(18, 3)) * 1000) AS BIGINT) AS occupational_transfers,
  CAST(round(TRY_CAST(separations AS DECIMAL(18, 3)) * 1000) AS BIGINT)            AS separations,
  CAST(round(TRY_CAST(openings AS DECIMAL(18, 3)) * 1000) AS BIGINT)               AS annual_openings,
  CAST(source_row AS INTEGER)                                 AS source_row
FROM raw_ep_separations;

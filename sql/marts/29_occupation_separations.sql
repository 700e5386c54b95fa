-- Where each detailed occupation's openings come from, nationally: separations (workers who
-- leave the labor force or move to another occupation) and growth. Detailed rows only, so
-- rows can be added up; summary rows (groups and totals) are left out, never mixed in.
CREATE OR REPLACE TABLE occupation_separations AS
SELECT
  soc_code, soc_title, projection_period,
  labor_force_exit_rate_pct, occupational_transfer_rate_pct, separations_rate_pct,
  labor_force_exits, occupational_transfers, separations, annual_openings,
  CAST(round(100.0 * separations / nullif(annual_openings, 0), 1) AS DECIMAL(6, 1)) AS replacement_share_pct
FROM stg_ep_separations
WHERE level = 'detailed'
ORDER BY {{occupation_separations_order}};

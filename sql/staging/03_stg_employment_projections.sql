-- BLS Employment Projections, Table 1.2. Employment and openings are published in thousands
-- with one decimal; stored here as persons (exact: thousands × 1000).
CREATE OR REPLACE TABLE stg_employment_projections AS
SELECT
  code                                                   AS soc_code,
  trim(title)                                            AS soc_title,
  CASE lower(trim(occupation_type)) WHEN 'line item' THEN 'detailed' ELSE 'summary' END AS level,
  getvariable('ep_base_year')                                       AS base_year,
  getvariable('ep_proj_year')                                       AS proj_year,
  CAST(round(CAST(employment_base AS DECIMAL(18, 3)) * 1000) AS BIGINT) AS base_employment,
  CAST(round(CAST(employment_proj AS DECIMAL(18, 3)) * 1000) AS BIGINT) AS projected_employment,
  CAST(change_percent AS DECIMAL(8, 1))                  AS change_pct,
  CAST(round(CAST(openings AS DECIMAL(18, 3)) * 1000) AS BIGINT) AS annual_openings,
  CASE WHEN median_wage LIKE '>=%' OR median_wage IN ('—', '-') THEN NULL ELSE CAST(round(CAST(median_wage AS DECIMAL(18, 2))) AS BIGINT) END AS median_annual_wage,
  CASE WHEN median_wage LIKE '>=%' THEN 'top_coded' WHEN median_wage IN ('—', '-') THEN 'not_available' END AS median_annual_wage_flag,
  nullif(nullif(trim(education), '—'), '-')             AS typical_education,
  nullif(nullif(trim(work_experience), '—'), '-')       AS work_experience,
  nullif(nullif(trim(on_the_job_training), '—'), '-')   AS on_the_job_training,
  CAST(source_row AS INTEGER)                            AS source_row
FROM raw_ep;

-- severity: error
-- Area types and flags take only the documented values.
WITH flags AS (
  UNPIVOT (SELECT area_code, soc_code, COLUMNS('_flag$') FROM occupations)
  ON COLUMNS('_flag$') INTO NAME flag_column VALUE flag
)
SELECT area_code, soc_code, 'area_type' AS column_name, area_type AS value FROM occupations
WHERE area_type NOT IN ('national', 'state', 'territory', 'metro', 'nonmetro')
UNION ALL
SELECT area_code, soc_code, flag_column, flag FROM flags
WHERE flag NOT IN ('not_available', 'top_coded', 'hourly_only', 'annual_only', 'under_half_percent_reporting', 'no_estimate')
UNION ALL
SELECT area_code, soc_code, 'code_kind', code_kind FROM occupations
WHERE code_kind NOT IN ('soc_2018_detailed', 'oews_aggregate', 'soc_broad', 'hybrid');

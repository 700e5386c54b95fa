-- Every release's employment by target code: SOC 2018 releases as published, older ones through
-- the split, with the part that came through codes split among several targets.
CREATE OR REPLACE TABLE stg_history_contributions AS
SELECT release_year, code AS source_code, code AS target_code, 1 AS n, 'same code' AS rule, employment, annual_wage_median, annual_wage_median_flag
FROM stg_history WHERE code_system(release_year) = 'SOC 2018'
UNION ALL
SELECT s.release_year, s.code, s.target_code, s.n, s.rule, s.employment, h.annual_wage_median, h.annual_wage_median_flag
FROM stg_history_split s JOIN stg_history h ON h.release_year = s.release_year AND h.code = s.code;

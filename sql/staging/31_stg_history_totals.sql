-- OEWS history (empty unless the run has --history): each release's own all-occupations total
-- (its 00-0000 row), which its detailed rows must add up to (sql/checks/history_detailed_total.sql).
CREATE OR REPLACE TABLE stg_history_totals AS
SELECT release_year, any_value(oews_whole(tot_emp)) AS employment
FROM raw_oews_history
WHERE trim(occ_code) = '00-0000' AND coalesce(CAST(area_type AS INTEGER), 1) = 1
GROUP BY release_year;

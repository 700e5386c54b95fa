-- Where a SOC 2018 code sits among the codes of May 2021, the first SOC 2018 release, and that
-- code's employment there: the weight by which a split code is shared.
CREATE OR REPLACE TABLE stg_history_targets AS
SELECT m.soc_2018_code, m.code AS target_code, h.employment AS weight
FROM stg_code_members m JOIN stg_history h ON h.code = m.code AND h.release_year = getvariable('soc2018_first_year');

-- Programs of study (CIP 2020) and the occupations they lead to, from Advance CTE's Full
-- Framework crosswalk. The crosswalk's placeholder rows (CIP 99.9999 "NO MATCH": occupations
-- with no program) are not programs and are left out; coverage counts those occupations.
CREATE OR REPLACE TABLE stg_programs AS
SELECT cip_code, cip_title, soc_code, cluster, sub_cluster
FROM raw_program_occupations
WHERE cip_code NOT LIKE '99.%' AND upper(cip_title) <> 'NO MATCH';

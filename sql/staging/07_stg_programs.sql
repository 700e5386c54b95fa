-- Programs of study (CIP 2020) and the occupations they lead to, from Advance CTE's Full
-- Framework crosswalk. The crosswalk's placeholder rows (CIP 99.9999 "NO MATCH": occupations
-- with no program) are not programs and are left out; coverage counts those occupations.
CREATE OR REPLACE TEMP TABLE stg_programs AS
SELECT cip_code, cip_title, soc_code, cluster, sub_cluster
FROM raw_program_occupations
WHERE cip_code NOT LIKE '99.%' AND upper(cip_title) <> 'NO MATCH';

-- The framework codes some program leads to.
CREATE OR REPLACE TEMP TABLE stg_program_occupations AS
SELECT DISTINCT x.code AS soc_code
FROM stg_programs p JOIN stg_code_framework x ON x.framework = '2024' AND x.framework_code = p.soc_code;

-- The framework codes some program leads to.
CREATE OR REPLACE TABLE stg_program_occupations AS
SELECT DISTINCT x.code AS soc_code
FROM stg_programs p JOIN stg_code_framework x ON x.framework = '2024' AND x.framework_code = p.soc_code;

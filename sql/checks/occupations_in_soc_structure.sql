-- severity: error
-- Every occupation code is a SOC 2018 detailed code, or an OEWS code mapped to SOC 2018.
SELECT DISTINCT o.soc_code, o.soc_title
FROM occupations o
WHERE o.soc_code NOT IN (SELECT code FROM stg_code_members);

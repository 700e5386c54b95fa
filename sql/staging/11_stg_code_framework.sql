-- A framework lists SOC detailed codes (and, for 2024, OEWS aggregates); any other code (a
-- hybrid, a broad code, a detailed code the framework only lists inside an aggregate) takes the
-- clusters of the framework codes that share a SOC 2018 detailed code with it.
CREATE OR REPLACE TABLE stg_code_framework AS
WITH framework_members AS (
  SELECT DISTINCT l.framework, l.soc_code AS framework_code, m.soc_2018_code
  FROM stg_framework_links l JOIN stg_code_members m ON m.code = l.soc_code
)
SELECT DISTINCT f.framework, m.code, f.framework_code
FROM stg_code_members m JOIN framework_members f USING (soc_2018_code);

-- The occupations each program leads to: the framework's CIP ↔ SOC links, through the codes the
-- data uses (as programs reads them). The flat form of programs.occupation_codes for BI tools that
-- read no lists: an area's are the links whose soc_code the area has in occupations.
CREATE OR REPLACE TABLE program_occupation_links AS
SELECT DISTINCT p.cip_code, x.code AS soc_code
FROM stg_programs p JOIN stg_code_framework x ON x.framework = '2024' AND x.framework_code = p.soc_code
WHERE p.cip_code IN (SELECT cip_code FROM programs)
ORDER BY {{program_occupation_links_order}};

-- severity: warn
-- Within one area, no two codes of one source should stand for the same SOC 2018 occupation
-- (e.g. a broad code beside one of its detailed codes): if the publisher's broader row already
-- includes the narrower one, people are counted twice. A warning, because publishers do this
-- (Iowa's 2020-2030 projections list both 53-6098 and 53-6099) and only they can say which.
WITH rows_by_source AS (
  SELECT area_code, 'oews' AS source, soc_code FROM occupations WHERE employment_flag IS DISTINCT FROM 'no_estimate'
  UNION ALL
  SELECT area_code, 'projections', soc_code FROM occupations WHERE projection_base_employment IS NOT NULL
)
SELECT r.area_code, r.source, m.soc_2018_code, list(r.soc_code ORDER BY r.soc_code) AS codes
FROM rows_by_source r JOIN stg_code_members m ON m.code = r.soc_code
GROUP BY r.area_code, r.source, m.soc_2018_code
HAVING count(*) > 1;

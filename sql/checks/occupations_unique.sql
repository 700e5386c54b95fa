-- severity: error
-- One row per area × occupation in the occupations table.
SELECT area_code, soc_code, count(*) AS rows
FROM occupations GROUP BY ALL HAVING count(*) > 1;

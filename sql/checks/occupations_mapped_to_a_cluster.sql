-- severity: error
-- Every occupation OEWS estimates sits in at least one Career Cluster of the 2024 framework (OEWS May 2021 and later
-- map completely; projections with older codes are held to the coverage floor instead).
SELECT o.area_code, o.soc_code, o.soc_title, o.employment
FROM occupations o
WHERE o.employment_flag IS DISTINCT FROM 'no_estimate'
  AND o.soc_code NOT IN (SELECT soc_code FROM occupation_clusters WHERE framework = '2024');

-- severity: error
-- In each sector, the clusters' allocated employment adds up exactly to the sector's published
-- detailed employment in occupations that reach a cluster (suppressed cells are left out of
-- both, never counted as zero), in each framework.
WITH published AS (
  SELECT i.naics_sector, f.framework, sum(i.employment) AS detailed
  FROM stg_oews_industry i
  JOIN (SELECT DISTINCT framework, soc_code FROM code_groups) f USING (soc_code)
  WHERE i.o_group = 'detailed'
  GROUP BY ALL
), allocated AS (
  SELECT naics_sector, framework, sum(employment_allocated) AS allocated
  FROM cluster_industry_demand WHERE level = 'cluster' GROUP BY ALL
)
SELECT p.naics_sector, p.framework, p.detailed, a.allocated
FROM published p FULL OUTER JOIN allocated a USING (naics_sector, framework)
WHERE p.detailed IS DISTINCT FROM a.allocated;

-- Where each occupation's workers work: OEWS national sector estimates per detailed occupation
-- (empty unless the run reads them, --industries). Shares are of the sectors whose employment
-- BLS publishes; a sector it withholds has no share, never 0.
CREATE OR REPLACE TABLE occupation_industries AS
SELECT i.area_code, i.soc_code, i.naics_sector, i.naics_title, i.employment, i.employment_flag,
  CAST(round(i.employment / nullif(sum(i.employment) OVER (PARTITION BY i.area_code, i.soc_code), 0), 4) AS DECIMAL(6, 4)) AS share_of_occupation,
  i.annual_wage_median, i.annual_wage_median_flag
FROM stg_oews_industry i
WHERE i.o_group = 'detailed' AND i.soc_code IN (SELECT soc_code FROM snapshot_codes)
ORDER BY {{occupation_industries_order}};

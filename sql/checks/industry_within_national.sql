-- severity: error
-- An occupation's employment summed over the sectors never exceeds its cross-industry national
-- employment by more than rounding: BLS rounds each published estimate to the nearest ten, so
-- n sector figures plus the national one can differ by up to 5 × (n + 1) persons (May 2024:
-- 23 occupations exceed by 10 to 30). More than that means a worker counted twice.
WITH sectors AS (
  SELECT soc_code, sum(employment) AS sector_total, count(employment) AS sectors
  FROM stg_oews_industry WHERE o_group = 'detailed' GROUP BY soc_code
)
SELECT s.soc_code, s.sector_total, o.employment AS national, s.sector_total - o.employment AS excess
FROM sectors s JOIN stg_oews o ON o.soc_code = s.soc_code AND o.area_type = 'national' AND o.o_group = 'detailed'
WHERE s.sector_total - o.employment > 5 * (s.sectors + 1);

-- Supply against demand per area and program of study: its completions (all award levels), the
-- annual openings of the occupations the NCES CIP–SOC crosswalk links it to (those the area's
-- data has), the completions of every program the crosswalk links to one of the same SOC
-- occupations (competing supply: a small program in a crowded field is no shortage), supply
-- per opening and its balance label (crosswalks/supply_balance_bands.csv). Where there is no
-- ratio, balance_note says why, never 0 or infinity.
CREATE OR REPLACE TABLE program_supply_demand AS
WITH program AS (
  SELECT area_code, any_value(area_name) AS area_name, any_value(area_type) AS area_type, cip_code, any_value(cip_title) AS cip_title,
    sum(completions)::BIGINT AS completions
  FROM program_completions GROUP BY area_code, cip_code
), links AS (
  SELECT p.area_code, p.cip_code, o.soc_code, o.annual_openings
  FROM program p
  JOIN stg_cip_occupations x USING (cip_code)
  JOIN occupations o ON o.area_code = p.area_code AND o.soc_code = x.soc_code
), demand AS (
  SELECT area_code, cip_code, count(*) AS occupations, sum(annual_openings)::BIGINT AS annual_openings
  FROM links GROUP BY ALL
), rivals AS (
  -- Programs that share an occupation (a SOC 2018 code of the NCES crosswalk), each pair once,
  -- itself included: the same in every area, so found once, not per area.
  SELECT DISTINCT a.cip_code, b.cip_code AS rival
  FROM stg_cip_soc a JOIN stg_cip_soc b USING (soc_code)
), competing AS (
  SELECT p.area_code, r.cip_code, sum(p.completions)::BIGINT AS competing_completions
  FROM rivals r JOIN program p ON p.cip_code = r.rival
  -- Only where there is a ratio to make: areas with the occupations' openings (a national run
  -- has the states' completions and no state openings, which it need not pair).
  WHERE p.area_code IN (SELECT area_code FROM links)
  GROUP BY ALL
), area_demand AS (
  SELECT area_code, count(annual_openings) > 0 AS has_openings,
    any_value(oews_release) AS oews_release, any_value(projection_period) AS projection_period
  FROM occupations GROUP BY area_code
), measured AS (
  SELECT p.*, d.occupations, d.annual_openings, c.competing_completions,
    CASE WHEN d.annual_openings > 0 THEN round(c.competing_completions / d.annual_openings, 2) END AS supply_per_opening,
    CASE
      WHEN NOT coalesce(a.has_openings, false) THEN 'no openings in this snapshot: it has no projections for this area'
      WHEN d.occupations IS NULL THEN 'no occupation: the CIP–SOC crosswalk links this program to none that this area has'
      WHEN d.annual_openings IS NULL THEN 'no openings: none of its occupations has projected openings here'
      WHEN d.annual_openings = 0 THEN 'no openings: its occupations have no projected openings'
    END AS balance_note,
    a.oews_release, a.projection_period
  FROM program p
  LEFT JOIN demand d USING (area_code, cip_code)
  LEFT JOIN competing c USING (area_code, cip_code)
  LEFT JOIN area_demand a USING (area_code)
)
SELECT m.area_code, m.area_name, m.area_type, m.cip_code, m.cip_title, m.completions,
  coalesce(m.occupations, 0) AS occupations,
  m.annual_openings,
  m.competing_completions,
  CAST(m.supply_per_opening AS DECIMAL(12, 2)) AS supply_per_opening,
  b.balance, m.balance_note,
  getvariable('completions_period') AS completions_period, m.oews_release, m.projection_period
FROM measured m
LEFT JOIN stg_supply_bands b ON m.supply_per_opening >= b.min_ratio AND (b.max_ratio IS NULL OR m.supply_per_opening < b.max_ratio)
ORDER BY {{program_supply_demand_order}};

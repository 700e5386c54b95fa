-- The three highest of six scores as letters, ties in R-I-A-S-E-C order: e.g. 'SIC'. Each
-- letter's place is how many scores come before it (higher, or equal and earlier in RIASEC);
-- cheaper than sorting six structs per row.
CREATE OR REPLACE MACRO riasec_letter(place, r, i, a, s, e, c) AS CASE place
  WHEN (i > r)::INT + (a > r)::INT + (s > r)::INT + (e > r)::INT + (c > r)::INT THEN 'R'
  WHEN (r >= i)::INT + (a > i)::INT + (s > i)::INT + (e > i)::INT + (c > i)::INT THEN 'I'
  WHEN (r >= a)::INT + (i >= a)::INT + (s > a)::INT + (e > a)::INT + (c > a)::INT THEN 'A'
  WHEN (r >= s)::INT + (i >= s)::INT + (a >= s)::INT + (e > s)::INT + (c > s)::INT THEN 'S'
  WHEN (r >= e)::INT + (i >= e)::INT + (a >= e)::INT + (s >= e)::INT + (c > e)::INT THEN 'E'
  ELSE 'C' END;
-- NULL without scores (stg_onet_interest_scores keeps only codes with all six).
CREATE OR REPLACE MACRO riasec_code(r, i, a, s, e, c) AS CASE WHEN r IS NOT NULL AND i IS NOT NULL AND a IS NOT NULL AND s IS NOT NULL AND e IS NOT NULL AND c IS NOT NULL THEN
  riasec_letter(0, r, i, a, s, e, c) || riasec_letter(1, r, i, a, s, e, c) || riasec_letter(2, r, i, a, s, e, c) END;

-- Per occupation code: the mean of its O*NET-SOC codes that have scores (unrounded, for the
-- cluster figures), and how many it has with and without.
CREATE OR REPLACE TABLE stg_occupation_interests AS
SELECT t.soc_code,
  count(*)                     AS onet_codes,
  count(s.onet_soc_code)       AS onet_codes_with_data,
  avg(s.realistic)     AS realistic,     avg(s.investigative) AS investigative, avg(s.artistic)     AS artistic,
  avg(s.social)        AS social,        avg(s.enterprising)  AS enterprising,  avg(s.conventional) AS conventional
FROM stg_onet_to_code t LEFT JOIN stg_onet_interest_scores s USING (onet_soc_code)
GROUP BY t.soc_code;

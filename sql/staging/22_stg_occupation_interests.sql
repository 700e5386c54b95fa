-- The three highest of six scores as letters, ties in R-I-A-S-E-C order: e.g. 'SIC'.
CREATE OR REPLACE MACRO riasec_code(r, i, a, s, e, c) AS CASE WHEN r IS NOT NULL THEN array_to_string(list_transform(list_sort([
  {'k': -r, 'o': 1, 'l': 'R'}, {'k': -i, 'o': 2, 'l': 'I'}, {'k': -a, 'o': 3, 'l': 'A'},
  {'k': -s, 'o': 4, 'l': 'S'}, {'k': -e, 'o': 5, 'l': 'E'}, {'k': -c, 'o': 6, 'l': 'C'}])[1:3], x -> x.l), '') END;

-- Per occupation code: the mean of its O*NET-SOC codes that have scores (unrounded, for the
-- cluster figures), and how many it has with and without.
CREATE OR REPLACE TEMP TABLE stg_occupation_interests AS
SELECT t.soc_code,
  count(*)                     AS onet_codes,
  count(s.onet_soc_code)       AS onet_codes_with_data,
  avg(s.realistic)     AS realistic,     avg(s.investigative) AS investigative, avg(s.artistic)     AS artistic,
  avg(s.social)        AS social,        avg(s.enterprising)  AS enterprising,  avg(s.conventional) AS conventional
FROM stg_onet_to_code t LEFT JOIN stg_onet_interest_scores s USING (onet_soc_code)
GROUP BY t.soc_code;

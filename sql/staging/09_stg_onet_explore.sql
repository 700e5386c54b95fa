-- O*NET for career exploration: everyday titles, RIASEC interests and related occupations,
-- mapped from O*NET-SOC codes (15-1252.00) to the snapshot's occupation codes: an O*NET-SOC
-- code maps to its SOC 2018 code by its first seven characters, and a SOC code to every
-- occupation code that stands for it (an OEWS aggregate such as 13-1020 takes its members').
CREATE OR REPLACE TEMP TABLE stg_onet_to_code AS
SELECT DISTINCT o."O*NET-SOC Code" AS onet_soc_code, m.code AS soc_code
FROM raw_onet_occupation o
JOIN stg_code_members m ON m.soc_2018_code = left(o."O*NET-SOC Code", 7);

-- RIASEC scores (scale OI, 1 to 7) per O*NET-SOC code that has all six.
CREATE OR REPLACE TEMP TABLE stg_onet_interest_scores AS
SELECT "O*NET-SOC Code" AS onet_soc_code,
  max(CAST("Data Value" AS DOUBLE)) FILTER (WHERE "Element Name" = 'Realistic')     AS realistic,
  max(CAST("Data Value" AS DOUBLE)) FILTER (WHERE "Element Name" = 'Investigative') AS investigative,
  max(CAST("Data Value" AS DOUBLE)) FILTER (WHERE "Element Name" = 'Artistic')      AS artistic,
  max(CAST("Data Value" AS DOUBLE)) FILTER (WHERE "Element Name" = 'Social')        AS social,
  max(CAST("Data Value" AS DOUBLE)) FILTER (WHERE "Element Name" = 'Enterprising')  AS enterprising,
  max(CAST("Data Value" AS DOUBLE)) FILTER (WHERE "Element Name" = 'Conventional')  AS conventional
FROM raw_onet_interests
WHERE "Scale ID" = 'OI'
GROUP BY ALL
HAVING count(*) = 6;

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

-- Everyday titles and related occupations per O*NET-SOC code, as the marts read them.
CREATE OR REPLACE TEMP TABLE stg_onet_titles AS
SELECT "O*NET-SOC Code" AS onet_soc_code, trim("Alternate Title") AS title, 'onet_alternate' AS source FROM raw_onet_alternate_titles
UNION ALL
SELECT "O*NET-SOC Code", trim("Reported Job Title"), 'onet_reported' FROM raw_onet_reported_titles;

CREATE OR REPLACE TEMP TABLE stg_onet_related AS
SELECT "O*NET-SOC Code" AS onet_soc_code, "Related O*NET-SOC Code" AS related_onet_soc_code, "Relatedness Tier" AS tier, CAST("Index" AS INTEGER) AS idx
FROM raw_onet_related;

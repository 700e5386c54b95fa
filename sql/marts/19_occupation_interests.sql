-- RIASEC per occupation code, 1 to 7, rounded to hundredths; NULL where O*NET has no scores
-- (many "all other" occupations), never a made-up average.
CREATE OR REPLACE TABLE occupation_interests AS
SELECT c.soc_code,
  CAST(round(i.realistic, 2) AS DECIMAL(4, 2))     AS realistic,
  CAST(round(i.investigative, 2) AS DECIMAL(4, 2)) AS investigative,
  CAST(round(i.artistic, 2) AS DECIMAL(4, 2))      AS artistic,
  CAST(round(i.social, 2) AS DECIMAL(4, 2))        AS social,
  CAST(round(i.enterprising, 2) AS DECIMAL(4, 2))  AS enterprising,
  CAST(round(i.conventional, 2) AS DECIMAL(4, 2))  AS conventional,
  riasec_code(i.realistic, i.investigative, i.artistic, i.social, i.enterprising, i.conventional) AS interest_code,
  coalesce(i.onet_codes, 0)           AS onet_codes,
  coalesce(i.onet_codes_with_data, 0) AS onet_codes_with_data
FROM snapshot_codes c LEFT JOIN stg_occupation_interests i USING (soc_code)
ORDER BY {{occupation_interests_order}};

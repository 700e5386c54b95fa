-- RIASEC scores (scale OI, 1 to 7) per O*NET-SOC code that has all six.
CREATE OR REPLACE TABLE stg_onet_interest_scores AS
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

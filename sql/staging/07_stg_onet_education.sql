-- Most common "Required Level of Education" (scale RL) among workers in the ".00" occupation.
CREATE OR REPLACE TABLE stg_onet_education AS
WITH rl AS (
  SELECT left(e."O*NET-SOC Code", 7) AS soc_code, CAST(e."Category" AS INTEGER) AS category,
         CAST(e."Data Value" AS DECIMAL(6, 2)) AS pct
  FROM raw_onet_ete e
  WHERE e."Scale ID" = 'RL' AND e."O*NET-SOC Code" LIKE '%.00' AND coalesce(e."Recommend Suppress", 'N') <> 'Y'
)
SELECT rl.soc_code, first(c."Category Description" ORDER BY rl.pct DESC, rl.category) AS onet_required_education
FROM rl
JOIN raw_onet_ete_categories c ON c."Scale ID" = 'RL' AND CAST(c."Category" AS INTEGER) = rl.category
GROUP BY rl.soc_code;

-- Every title an occupation goes by: OEWS's own, O*NET's alternate titles and the job titles
-- workers reported to O*NET.
CREATE OR REPLACE TABLE occupation_titles AS
SELECT DISTINCT soc_code, title, source FROM (
  SELECT soc_code, soc_title AS title, 'oews' AS source FROM snapshot_codes
  UNION ALL
  SELECT t.soc_code, o.title, o.source FROM stg_onet_titles o JOIN stg_onet_to_code t USING (onet_soc_code)
) WHERE soc_code IN (SELECT soc_code FROM snapshot_codes) AND title <> ''
ORDER BY {{occupation_titles_order}};

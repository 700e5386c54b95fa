-- What O*NET says each occupation is: every O*NET-SOC occupation that maps to the code (its
-- own XX-XXXX.00 first, then O*NET's specialties such as 29-1141.01, or an OEWS aggregate's
-- members), with O*NET's description and the address of its O*NET OnLine page.
CREATE OR REPLACE TABLE occupation_onet AS
SELECT t.soc_code, t.onet_soc_code,
  o.onet_title, o.description,
  t.onet_soc_code = t.soc_code || '.00' AS primary_code,
  'https://www.onetonline.org/link/summary/' || t.onet_soc_code AS onet_online_url
FROM stg_onet_to_code t
JOIN stg_onet_occupations o USING (onet_soc_code)
WHERE t.soc_code IN (SELECT soc_code FROM snapshot_codes)
ORDER BY {{occupation_onet_order}};

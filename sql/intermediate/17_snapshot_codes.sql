-- Career exploration tables: titles people use, interest profiles, and where an occupation
-- leads (O*NET), for the occupation codes this snapshot publishes.
CREATE OR REPLACE TABLE snapshot_codes AS
SELECT soc_code, any_value(soc_title ORDER BY area_type <> 'national', area_code) AS soc_title FROM occupations GROUP BY soc_code;

-- The codes of each history release that reach no cluster: the flat form of
-- history_coverage.unmapped_codes.
CREATE OR REPLACE TABLE history_unmapped_codes AS
SELECT release, u.soc_code AS soc_code, u.soc_title AS soc_title, u.employment AS employment
FROM (SELECT release, unnest(unmapped_codes) AS u FROM history_coverage)
ORDER BY {{history_unmapped_codes_order}};

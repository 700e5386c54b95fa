-- The codes of each area that reach no cluster: the flat form of coverage.unmapped_codes.
CREATE OR REPLACE TABLE coverage_unmapped_codes AS
SELECT area_code, u.soc_code AS soc_code, u.soc_title AS soc_title, u.employment AS employment, u.projection_base_employment AS projection_base_employment
FROM (SELECT area_code, unnest(unmapped_codes) AS u FROM coverage)
ORDER BY {{coverage_unmapped_codes_order}};

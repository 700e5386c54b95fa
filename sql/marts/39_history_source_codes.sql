-- The codes each history row's employment came from, one a row: the flat form of
-- occupation_history.source_codes.
CREATE OR REPLACE TABLE history_source_codes AS
SELECT release, soc_code, unnest(source_codes) AS source_code FROM occupation_history
ORDER BY {{history_source_codes_order}};

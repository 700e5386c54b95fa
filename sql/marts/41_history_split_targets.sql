-- Each split code of a history release with each of its SOC 2018 targets, one a row: the flat
-- form of history_coverage.split_codes (a list of codes, each with a list of targets).
CREATE OR REPLACE TABLE history_split_targets AS
SELECT release, s.code AS code, s.title AS title, s.employment AS employment, s.rule AS rule, t.target_code AS target_code, t.employment AS target_employment, t.weight AS weight
FROM (SELECT release, s, unnest(s.targets) AS t FROM (SELECT release, unnest(split_codes) AS s FROM history_coverage))
ORDER BY {{history_split_targets_order}};

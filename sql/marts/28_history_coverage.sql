-- Per release: how much reaches a cluster, the codes that do not, and every split with its rule.
CREATE OR REPLACE TABLE history_coverage AS
WITH mapped AS (SELECT DISTINCT soc_code FROM code_groups WHERE framework = '2024'),
splits AS (
  SELECT s.release_year, s.code, any_value(h.title) AS title, any_value(h.employment) AS employment, array_to_string(list_sort(list_distinct(flatten(list(string_split(s.rule, '; '))))), '; ') AS rule,
    list({'target_code': s.target_code, 'employment': s.employment, 'weight': s.weight} ORDER BY s.target_code) AS targets
  FROM stg_history_split s JOIN stg_history h ON h.release_year = s.release_year AND h.code = s.code
  WHERE s.n > 1 GROUP BY s.release_year, s.code
)
SELECT o.release, 'May ' || o.release AS release_label, code_system(o.release) AS code_system,
  (SELECT sum(employment) FROM stg_history h WHERE h.release_year = o.release)::BIGINT AS detailed_employment,
  sum(o.employment) FILTER (WHERE o.soc_code IN (SELECT soc_code FROM mapped))::BIGINT AS mapped_employment,
  CAST(round(100.0 * sum(o.employment) FILTER (WHERE o.soc_code IN (SELECT soc_code FROM mapped)) / nullif(sum(o.employment), 0), 3) AS DECIMAL(7, 3)) AS employment_mapped_pct,
  coalesce(list({'soc_code': o.soc_code, 'soc_title': o.soc_title, 'employment': o.employment} ORDER BY o.soc_code) FILTER (WHERE o.soc_code NOT IN (SELECT soc_code FROM mapped)), []) AS unmapped_codes,
  coalesce((SELECT list({'code': s.code, 'title': s.title, 'employment': s.employment, 'rule': s.rule, 'targets': s.targets} ORDER BY s.code) FROM splits s WHERE s.release_year = o.release),
           []) AS split_codes,
  'Split codes are shared among their SOC 2018 targets in proportion to the targets'' May ' || getvariable('soc2018_first_year')
    || ' employment (equal shares when none has any), in whole persons, largest remainders first.' AS split_rule
FROM occupation_history o
GROUP BY o.release
ORDER BY {{history_coverage_order}};

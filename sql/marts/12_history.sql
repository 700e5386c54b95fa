-- History of demand by cluster (empty unless the run has --history): one row per release ×
-- framework × cluster (× sub-cluster, × occupation), national. Allocation as in cluster_demand.
CREATE OR REPLACE MACRO code_system(y) AS CASE WHEN y <= 2018 THEN 'SOC 2010' WHEN y <= 2020 THEN 'hybrid SOC 2010/2018' ELSE 'SOC 2018' END;
-- BLS's top code for annual wages: $208,000 through May 2021, $239,200 from May 2022.
CREATE OR REPLACE MACRO history_top_code(y) AS CASE WHEN y >= 2022 THEN 239200 ELSE 208000 END;

CREATE OR REPLACE TEMP TABLE occupation_history AS
WITH titles AS (
  SELECT code, title FROM stg_history WHERE release_year = (SELECT max(release_year) FROM stg_history WHERE release_year >= 2021)
)
SELECT
  c.release_year AS release, 'May ' || c.release_year AS release_label, '99' AS area_code, code_system(c.release_year) AS code_system,
  c.target_code AS soc_code,
  coalesce(any_value(t.title), any_value(s.soc_title), any_value(h.title)) AS soc_title,
  sum(c.employment)::BIGINT AS employment,
  coalesce(sum(c.employment) FILTER (WHERE c.n > 1), 0)::BIGINT AS employment_via_split,
  list(DISTINCT c.source_code ORDER BY c.source_code) AS source_codes,
  -- A target made of several old codes takes the wage of the one that gave it the most.
  arg_max(c.annual_wage_median, coalesce(c.employment, -1)) AS annual_wage_median,
  arg_max(c.annual_wage_median_flag, coalesce(c.employment, -1)) AS annual_wage_median_flag
FROM stg_history_contributions c
LEFT JOIN titles t ON t.code = c.target_code
LEFT JOIN stg_soc_structure s ON s.soc_code = c.target_code
LEFT JOIN stg_history h ON h.release_year = c.release_year AND h.code = c.target_code
GROUP BY c.release_year, c.target_code;

CREATE OR REPLACE TEMP TABLE history_allocation AS
SELECT o.release, o.area_code, g.framework, g.cluster, g.sub_cluster, o.soc_code, o.employment,
  split_whole(o.employment, g.n, g.k)           AS employment_allocated,
  split_whole(o.employment_via_split, g.n, g.k) AS via_split_allocated,
  o.annual_wage_median, o.annual_wage_median_flag
FROM occupation_history o JOIN code_groups g USING (soc_code);

CREATE OR REPLACE TEMP VIEW history_wages AS
SELECT {'release': release, 'framework': framework, 'cluster': cluster, 'sub_cluster': sub_cluster} AS grp, soc_code,
  employment_allocated AS weight, coalesce(annual_wage_median, history_top_code(release)) AS wage, annual_wage_median_flag = 'top_coded' AS top_coded
FROM history_allocation
WHERE employment IS NOT NULL AND (annual_wage_median IS NOT NULL OR annual_wage_median_flag = 'top_coded');

CREATE OR REPLACE TEMP TABLE history_demand AS
WITH medians AS (
  SELECT grp.release, grp.framework, grp.cluster, grp.sub_cluster, median_annual_wage, median_top_coded FROM weighted_median_wage('history_wages')
), totals AS (
  SELECT release, area_code, framework, cluster, sub_cluster,
    count(*)                                   AS occupations,
    sum(employment)::BIGINT                    AS employment,
    sum(employment_allocated)::BIGINT          AS employment_allocated,
    coalesce(sum(via_split_allocated), 0)::BIGINT AS employment_via_split_allocated,
    count(*) FILTER (WHERE employment IS NULL) AS occupations_with_suppressed_employment
  FROM history_allocation GROUP BY ALL
)
SELECT t.release, 'May ' || t.release AS release_label, t.area_code, code_system(t.release) AS code_system,
  t.framework, t.cluster, t.sub_cluster,
  t.occupations, t.employment, t.employment_allocated, t.employment_via_split_allocated, t.occupations_with_suppressed_employment,
  m.median_annual_wage, CASE WHEN m.median_top_coded THEN 'top_coded' END AS median_annual_wage_flag
FROM totals t
LEFT JOIN medians m ON m.release = t.release AND m.framework = t.framework AND m.cluster = t.cluster AND m.sub_cluster IS NOT DISTINCT FROM t.sub_cluster;

CREATE OR REPLACE TEMP TABLE cluster_history AS SELECT * EXCLUDE (sub_cluster) FROM history_demand WHERE sub_cluster IS NULL;
CREATE OR REPLACE TEMP TABLE subcluster_history AS SELECT * FROM history_demand WHERE sub_cluster IS NOT NULL;

-- Growth a board can use: change and compound annual growth of allocated employment over 1, 3,
-- 5 and 10 years to the newest release, flagged where a code-system change (May 2019, May 2021)
-- falls inside the window, with how much of either end came through split codes.
CREATE OR REPLACE TEMP TABLE cluster_growth AS
WITH latest AS (SELECT max(release) AS r FROM cluster_history), windows AS (SELECT unnest([1, 3, 5, 10]) AS years)
SELECT b.area_code, b.framework, b.cluster, w.years AS window_years, a.release AS from_release, b.release AS to_release,
  a.employment_allocated AS employment_from, b.employment_allocated AS employment_to,
  b.employment_allocated - a.employment_allocated AS change,
  CAST(round(100.0 * (b.employment_allocated - a.employment_allocated) / nullif(a.employment_allocated, 0), 2) AS DECIMAL(8, 2)) AS change_pct,
  CAST(round(100.0 * (pow(b.employment_allocated / nullif(a.employment_allocated, 0), 1.0 / w.years) - 1), 2) AS DECIMAL(8, 2)) AS cagr_pct,
  (a.release < 2019 AND b.release >= 2019) OR (a.release < 2021 AND b.release >= 2021) AS code_system_change,
  CAST(round(greatest(a.employment_via_split_allocated / nullif(a.employment_allocated, 0), b.employment_via_split_allocated / nullif(b.employment_allocated, 0)), 4) AS DECIMAL(6, 4)) AS split_share
FROM cluster_history b
CROSS JOIN windows w
JOIN cluster_history a ON a.framework = b.framework AND a.cluster = b.cluster AND a.release = b.release - w.years
WHERE b.release = (SELECT r FROM latest);

-- Per release: how much reaches a cluster, the codes that do not, and every split with its rule.
CREATE OR REPLACE TEMP TABLE history_coverage AS
WITH mapped AS (SELECT DISTINCT soc_code FROM code_groups WHERE framework = '2024'),
splits AS (
  SELECT s.release_year, s.code, any_value(h.title) AS title, any_value(h.employment) AS employment, any_value(s.rule) AS rule,
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
  'Split codes are shared among their SOC 2018 targets in proportion to the targets'' May 2021 employment (equal shares when none has any), in whole persons, largest remainders first.' AS split_rule
FROM occupation_history o
GROUP BY o.release;

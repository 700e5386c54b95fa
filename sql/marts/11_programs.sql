-- Program outlook: each CIP 2020 program of the framework, its clusters and sub-clusters, and
-- per area the occupations it prepares for (each counted once, through the codes the area's
-- data uses), with their employment, openings, median wage and high-opportunity count.
-- occ is NOT MATERIALIZED: read twice, DuckDB kept a copy of its rows (1.7 million for the
-- all-areas workbook), which ran the model out of memory; reading it twice costs no more time.
-- headline: the occupations a program's completers enter, its figures' base. The framework also
-- links programs to the postsecondary teachers of their field (25-1xxx: a nurse anesthetist
-- program to nursing instructors), whose jobs and wages would pull the program's figures toward
-- a teaching career; they count apart (postsecondary_teacher_*), unless they are all it leads to.
CREATE OR REPLACE VIEW program_occupations AS
SELECT *, NOT postsecondary_teacher OR NOT bool_or(NOT postsecondary_teacher) OVER (PARTITION BY cip_code, area_code) AS headline
FROM (
  SELECT l.cip_code, o.area_code, o.soc_code, o.employment, o.annual_openings, o.high_opportunity,
    coalesce(o.annual_wage_median, CASE WHEN o.annual_wage_median_flag = 'top_coded' THEN getvariable('top_code_annual') END) AS wage,
    o.annual_wage_median_flag = 'top_coded' AS top_coded,
    starts_with(o.soc_code, '25-1') AS postsecondary_teacher
  FROM (SELECT DISTINCT p.cip_code, x.code AS soc_code FROM stg_programs p JOIN stg_code_framework x ON x.framework = '2024' AND x.framework_code = p.soc_code) l
  JOIN occupations o USING (soc_code)
);

CREATE OR REPLACE VIEW program_wages AS
SELECT {'cip_code': cip_code, 'area_code': area_code} AS grp, soc_code, employment AS weight, wage, top_coded
FROM program_occupations WHERE headline AND wage IS NOT NULL AND employment IS NOT NULL;

-- Built unsorted, then sorted into its published order by a statement of its own: sorted in
-- the same statement, its rows were held for the sort beside the joins' hash tables, and the
-- model needed 128 MB of DuckDB's memory instead of 96 MB (beside 07_demand.sql it ran out of
-- the 160 MB cap in 2 runs of 10).
CREATE OR REPLACE TABLE programs_unsorted AS
WITH program AS (
  SELECT cip_code, any_value(cip_title) AS cip_title,
    list(DISTINCT cluster ORDER BY cluster)         AS clusters,
    list(DISTINCT sub_cluster ORDER BY sub_cluster) AS sub_clusters
  FROM stg_programs GROUP BY cip_code
), occ AS NOT MATERIALIZED (
  SELECT * FROM program_occupations
), medians AS (
  -- Employment-weighted median of the occupations' median wages (each occupation once).
  SELECT grp.cip_code, grp.area_code, median_annual_wage, median_top_coded FROM weighted_median_wage('program_wages')
), interest_scores AS (
  -- The program's six O*NET interest scores: its occupations' weighted by their employment here.
  SELECT o.cip_code, o.area_code,
    sum(o.employment * i.realistic) / sum(o.employment)     AS realistic,
    sum(o.employment * i.investigative) / sum(o.employment) AS investigative,
    sum(o.employment * i.artistic) / sum(o.employment)      AS artistic,
    sum(o.employment * i.social) / sum(o.employment)        AS social,
    sum(o.employment * i.enterprising) / sum(o.employment)  AS enterprising,
    sum(o.employment * i.conventional) / sum(o.employment)  AS conventional
  FROM occ o JOIN stg_occupation_interests i USING (soc_code)
  WHERE o.employment IS NOT NULL AND i.realistic IS NOT NULL
  GROUP BY ALL
), interests AS (
  -- Its RIASEC code. riasec_code repeats each argument many times: given the sums, it computed
  -- each of them again every time.
  SELECT cip_code, area_code, riasec_code(realistic, investigative, artistic, social, enterprising, conventional) AS interest_code FROM interest_scores
), totals AS (
  SELECT cip_code, area_code,
    list(soc_code ORDER BY soc_code)          AS occupation_codes,
    count(*)                                  AS occupations,
    (sum(employment) FILTER (WHERE headline))::BIGINT      AS employment,
    (sum(annual_openings) FILTER (WHERE headline))::BIGINT AS annual_openings,
    -- Unknown is not 0 (as in demand): unknown when any related occupation's is.
    CASE WHEN count(*) FILTER (WHERE headline AND high_opportunity IS NULL) = 0 THEN count(*) FILTER (WHERE headline AND high_opportunity) END AS high_opportunity_occupations,
    count(*) FILTER (WHERE headline AND high_opportunity IS NULL) AS occupations_with_unknown_opportunity,
    count(*) FILTER (WHERE NOT headline)                 AS postsecondary_teacher_occupations,
    (sum(employment) FILTER (WHERE NOT headline))::BIGINT AS postsecondary_teacher_employment
  FROM occ GROUP BY ALL
)
SELECT
  t.area_code, a.area_name, a.area_type,
  p.cip_code, p.cip_title, p.clusters, p.sub_clusters,
  t.occupations, t.occupation_codes, t.employment, t.annual_openings,
  m.median_annual_wage,
  CASE WHEN m.median_top_coded THEN 'top_coded' END AS median_annual_wage_flag,
  t.high_opportunity_occupations,
  t.occupations_with_unknown_opportunity,
  t.postsecondary_teacher_occupations,
  t.postsecondary_teacher_employment,
  x.interest_code,
  getvariable('policy_name') AS policy
FROM totals t
JOIN program p USING (cip_code)
JOIN dim_area a USING (area_code)
LEFT JOIN medians m USING (cip_code, area_code)
LEFT JOIN interests x USING (cip_code, area_code);

CREATE OR REPLACE TABLE programs AS SELECT * FROM programs_unsorted ORDER BY {{programs_order}};
DROP TABLE programs_unsorted;

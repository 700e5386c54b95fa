-- IPEDS completions, first majors only (MAJORNUM = 1: a second major would count a student
-- twice), by institution, program (CIP 2020) and award level, with the level's award group and
-- education level (NULL for a level crosswalks/ipeds_award_levels.csv lacks: the check
-- accepted_values names it). CIPCODE 99 rows are each institution's totals per award level, kept
-- apart for the check that its programs add up to them.
CREATE OR REPLACE TABLE stg_ipeds_completions AS
SELECT c.unitid, c.cipcode AS cip_code, CAST(c.awlevel AS INTEGER) AS awlevel, l.award_group, l.education_level,
  CAST(c.ctotalt AS BIGINT) AS completions, CAST(c.source_row AS BIGINT) AS source_row
FROM raw_ipeds_completions c
LEFT JOIN stg_award_levels l ON l.awlevel = CAST(c.awlevel AS INTEGER)
WHERE c.majornum = '1' AND c.cipcode <> '99';

CREATE OR REPLACE TABLE stg_ipeds_institution_totals AS
SELECT unitid, CAST(awlevel AS INTEGER) AS awlevel, sum(CAST(ctotalt AS BIGINT)) AS completions
FROM raw_ipeds_completions
WHERE majornum = '1' AND cipcode = '99'
GROUP BY ALL;

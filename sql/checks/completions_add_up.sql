-- severity: error
-- For every institution and award level, its programs' completions (first majors) add up to its
-- own total (the CIPCODE 99 row): a file that lost rows, or rows read twice, would not.
WITH programs AS (
  SELECT unitid, awlevel, sum(completions) AS completions FROM stg_ipeds_completions GROUP BY ALL
)
SELECT coalesce(p.unitid, t.unitid) AS unitid, coalesce(p.awlevel, t.awlevel) AS awlevel,
  p.completions AS programs_sum, t.completions AS institution_total
FROM programs p FULL JOIN stg_ipeds_institution_totals t ON t.unitid = p.unitid AND t.awlevel = p.awlevel
WHERE p.completions IS DISTINCT FROM t.completions AND NOT (p.completions IS NULL AND t.completions = 0);

-- severity: error
-- No two history releases hold the same figures: every code's employment equal in both is one
-- release's file served under another's name (May 2017's workbook as May 2016 would make the
-- trend flat where it was not), never two real releases.
WITH fingerprints AS (
  SELECT release_year, count(*) AS occupations,
    md5(string_agg(code || '=' || coalesce(CAST(employment AS VARCHAR), employment_flag, ''), ',' ORDER BY code)) AS fingerprint
  FROM stg_history GROUP BY release_year
)
SELECT a.release_year, b.release_year AS same_as_release, a.occupations
FROM fingerprints a JOIN fingerprints b ON a.fingerprint = b.fingerprint AND a.release_year > b.release_year;

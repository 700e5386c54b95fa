-- severity: error
-- Every award level in the completions file is one crosswalks/ipeds_award_levels.csv groups:
-- a level IPEDS adds would otherwise drop its completions from every supply figure.
SELECT awlevel, count(*) AS rows, sum(completions) AS completions
FROM stg_ipeds_completions WHERE award_group IS NULL
GROUP BY awlevel;

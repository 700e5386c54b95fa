-- Helpers shared by the staging models.
-- OEWS publishes markers in place of numbers; they become NULL plus a flag, never zero.
CREATE OR REPLACE MACRO oews_flag(x) AS CASE trim(x)
    WHEN '*'  THEN 'not_available'   -- wage not available
    WHEN '**' THEN 'not_available'   -- employment not available
    WHEN '#'  THEN 'top_coded'       -- at or above the top code ($239,200/yr from May 2022)
    WHEN '~'  THEN 'under_half_percent_reporting'
  END;
CREATE OR REPLACE MACRO oews_decimal(x) AS CASE WHEN oews_flag(x) IS NULL THEN CAST(x AS DECIMAL(18, 4)) END;
-- A whole-dollar annual wage or a head count.
CREATE OR REPLACE MACRO oews_whole(x) AS CAST(round(oews_decimal(x)) AS BIGINT);
-- Annual-only occupations (teachers, pilots) have no hourly wage; hourly-only ones (actors)
-- no annual wage: their '*' says so more precisely than not_available.
CREATE OR REPLACE MACRO annual_wage_flag(x, hourly) AS
  CASE WHEN oews_flag(x) = 'not_available' AND upper(hourly) = 'TRUE' THEN 'hourly_only' ELSE oews_flag(x) END;
CREATE OR REPLACE MACRO hourly_wage_flag(x, annual) AS
  CASE WHEN oews_flag(x) = 'not_available' AND upper(annual) = 'TRUE' THEN 'annual_only' ELSE oews_flag(x) END;

-- The weighted median of occupation wages per group, for every median the marts publish:
-- `src` names a table or view with grp (a STRUCT of the group's keys), soc_code (the tie-break),
-- weight (employment, allocated or not), wage (top-coded wages at the top code) and top_coded.
-- Half the weight is at or below the median ("half the jobs pay this or less": with an exact
-- half, the lower wage); top_coded says the median landed on a top-coded wage.
CREATE OR REPLACE MACRO weighted_median_wage(src) AS TABLE
WITH cumulative AS (
  SELECT *,
    sum(weight) OVER (PARTITION BY grp ORDER BY wage, soc_code ROWS UNBOUNDED PRECEDING) AS running,
    sum(weight) OVER (PARTITION BY grp) AS total
  FROM query_table(src)
)
SELECT grp,
  first(wage ORDER BY running) FILTER (WHERE 2 * running >= total)      AS median_annual_wage,
  first(top_coded ORDER BY running) FILTER (WHERE 2 * running >= total) AS median_top_coded
FROM cumulative GROUP BY grp;

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

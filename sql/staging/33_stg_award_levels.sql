-- IPEDS award levels grouped as program designers speak of them, and the Employment
-- Projections' typical entry education by the same education levels (crosswalks/
-- ipeds_award_levels.csv and ep_education_levels.csv; sources in crosswalks/supply_demand.md).
CREATE OR REPLACE TABLE stg_award_levels AS
SELECT CAST(awlevel AS INTEGER) AS awlevel, award_level, award_group, education_level FROM raw_award_levels;

CREATE OR REPLACE TABLE stg_ep_education_levels AS
SELECT typical_education, education_level FROM raw_ep_education_levels;

-- The balance label of a program's supply per opening (crosswalks/supply_balance_bands.csv).
CREATE OR REPLACE TABLE stg_supply_bands AS
SELECT balance, CAST(min_supply_per_opening AS DOUBLE) AS min_ratio, CAST(max_supply_per_opening AS DOUBLE) AS max_ratio, meaning FROM raw_supply_bands;

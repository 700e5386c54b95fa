-- IPEDS institutions (HD of the completions' collection year): each institution's state as a
-- FIPS code like the area codes, its county and its CBSA (metro or micro area); NULL where IPEDS
-- writes a "not applicable" code (-1, -2). An institution whose FIPS is no state or territory of
-- crosswalks/states.csv (the freely associated states: 64, 68, 70) belongs to no area.
CREATE OR REPLACE TABLE stg_ipeds_institutions AS
SELECT i.unitid, i.instnm AS institution_name, i.stabbr AS state_abbr,
  CASE WHEN CAST(i.fips AS INTEGER) > 0 THEN lpad(i.fips, 2, '0') END      AS state_fips,
  CASE WHEN CAST(i.countycd AS INTEGER) > 0 THEN lpad(i.countycd, 5, '0') END AS county_code,
  CASE WHEN CAST(i.cbsa AS INTEGER) > 0 THEN i.cbsa END                     AS cbsa_code
FROM raw_ipeds_institutions i;

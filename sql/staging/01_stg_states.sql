-- States and territories (crosswalks/states.csv): FIPS code, USPS abbreviation, name, type.
CREATE OR REPLACE TABLE stg_states AS
SELECT state_fips, state_abbr, state_name, area_type FROM raw_states;

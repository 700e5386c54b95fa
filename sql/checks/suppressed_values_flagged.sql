-- severity: error
-- A missing employment or wage always carries a flag saying why (never a silent NULL or zero).
SELECT area_code, soc_code, employment, employment_flag, annual_wage_median, annual_wage_median_flag
FROM occupations
WHERE (employment IS NULL AND employment_flag IS NULL)
   OR (annual_wage_median IS NULL AND annual_wage_median_flag IS NULL)
   OR (employment IS NOT NULL AND employment_flag IS NOT NULL);

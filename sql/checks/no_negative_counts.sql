-- severity: error
-- Employment, openings and wages are never negative.
SELECT area_code, soc_code, employment, annual_openings, annual_wage_median
FROM occupations
WHERE employment < 0 OR annual_openings < 0 OR annual_wage_median < 0 OR annual_wage_mean < 0
   OR projection_base_employment < 0 OR projected_employment < 0;

// The cluster median wage on a small hand-made fixture, run through the real sql/intermediate/07_demand.sql and sql/marts/08_cluster_demand.sql:
// weights are allocated employment; the exact-half case takes the lower wage ("half the jobs pay
// this or less"); a median that lands on a top-coded (#) wage is the top code, flagged; an
// occupation without a published wage is left out.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../src/load/warehouse.js';
import { SQL_DIR } from '../src/paths.js';
import { publishedOrderSql } from '../src/publish/snapshot.js';

const TOP_CODE = 239_200;

describe('cluster medians (07_demand.sql)', () => {
  let w: Warehouse;
  const rows: [cluster: string, soc: string, employment: number, allocated: number, wage: number | null, flag: string | null][] = [
    // Exact half: 50 + 50 jobs; the median is the lower wage.
    ['Half', '00-0001', 50, 50, 40_000, null],
    ['Half', '00-0002', 50, 50, 60_000, null],
    // The median lands on a top-coded wage: 30 jobs at $50,000, 70 at or above the top code.
    ['Top', '00-0003', 30, 30, 50_000, null],
    ['Top', '00-0004', 70, 70, null, 'top_coded'],
    // Allocated weights: X has 100 jobs of which 10 are this cluster's share; Y 50, all here.
    // By allocated weight (10 vs 50) the median is Y's $30,000; by gross weight it would be X's.
    ['Allocated', '00-0005', 100, 10, 100_000, null],
    ['Allocated', '00-0006', 50, 50, 30_000, null],
    // A wage BLS did not publish is left out, not counted as 0.
    ['Allocated', '00-0007', 1_000, 1_000, null, 'not_available'],
  ];

  beforeAll(async () => {
    w = await Warehouse.open(':memory:');
    await w.run(`CREATE TABLE dim_area AS SELECT '99' AS area_code, 'U.S.' AS area_name, 'national' AS area_type`);
    await w.run(`CREATE TABLE cluster_allocation (area_code VARCHAR, framework VARCHAR, cluster VARCHAR, sub_cluster VARCHAR, soc_code VARCHAR,
      employment BIGINT, employment_allocated BIGINT, annual_openings BIGINT, annual_openings_allocated BIGINT,
      projection_base_employment BIGINT, projection_base_employment_allocated BIGINT, projected_employment BIGINT, projected_employment_allocated BIGINT,
      annual_wage_median BIGINT, annual_wage_median_flag VARCHAR, high_opportunity BOOLEAN, oews_release VARCHAR, projection_source VARCHAR, projection_period VARCHAR)`);
    for (const [cluster, soc, e, a, wage, flag] of rows)
      await w.run(
        `INSERT INTO cluster_allocation VALUES ('99', '2024', '${cluster}', NULL, '${soc}', ${e}, ${a}, NULL, NULL, NULL, NULL, NULL, NULL, ${wage ?? 'NULL'}, ${flag ? `'${flag}'` : 'NULL'}, false, 'May 2024', NULL, NULL)`,
      );
    // Where the numbers come from: one cluster whose occupations carry two projection sources
    // and periods (three rows, one a repeat), the others none.
    for (const [soc, source, period] of [
      ['00-0008', 'Projections Central', '2020–2030'],
      ['00-0009', 'BLS Employment Projections', '2024–2034'],
      ['00-0010', 'Projections Central', '2020–2030'],
    ] as const)
      await w.run(
        `INSERT INTO cluster_allocation VALUES ('99', '2024', 'Sources', NULL, $soc, 10, 10, NULL, NULL, NULL, NULL, NULL, NULL, 50000, NULL, false, 'May 2024', $source, $period)`,
        { soc, source, period },
      );
    for (const macros of ['00_staging.sql', '01_marts.sql']) await w.runSqlFile(path.join(SQL_DIR, 'macros', macros));
    await w.setVariables({ top_code_annual: { type: 'BIGINT', value: TOP_CODE } });
    for (const model of ['intermediate/07_demand.sql', 'marts/08_cluster_demand.sql']) await w.runSqlFile(path.join(SQL_DIR, model), publishedOrderSql());
  });
  afterAll(() => w.close());

  const median = async (cluster: string) =>
    (
      await w.all<{ median_annual_wage: number | null; median_annual_wage_flag: string | null; occupations_with_suppressed_wages: number }>(
        `SELECT median_annual_wage, median_annual_wage_flag, occupations_with_suppressed_wages FROM cluster_demand WHERE cluster = '${cluster}'`,
      )
    )[0]!;

  it('exact half: the lower wage', async () => {
    expect(await median('Half')).toEqual({ median_annual_wage: 40_000, median_annual_wage_flag: null, occupations_with_suppressed_wages: 0 });
  });

  it('a median on a top-coded wage is the top code, flagged', async () => {
    expect(await median('Top')).toEqual({ median_annual_wage: TOP_CODE, median_annual_wage_flag: 'top_coded', occupations_with_suppressed_wages: 1 });
  });

  it('names each distinct projection source and period once, in order, and none (NULL, not empty) where no occupation has one', async () => {
    expect(await w.all("SELECT cluster, projection_source, projection_period FROM cluster_demand WHERE cluster IN ('Sources', 'Half') ORDER BY cluster")).toEqual([
      { cluster: 'Half', projection_source: null, projection_period: null },
      { cluster: 'Sources', projection_source: 'BLS Employment Projections; Projections Central', projection_period: '2020–2030; 2024–2034' },
    ]);
  });

  it('weights are allocated employment, and unpublished wages are left out', async () => {
    expect(await median('Allocated')).toEqual({ median_annual_wage: 30_000, median_annual_wage_flag: null, occupations_with_suppressed_wages: 1 });
  });
});

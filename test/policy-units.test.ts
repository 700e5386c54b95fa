// Units of the policy compiler and the crosswalk name rules, on small inputs with hand-worked
// answers: compilePolicy's SQL run in DuckDB over made-up occupations (a flag is NULL when its
// data is missing, never silently false), and canonicalNames' spelling choice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalNames } from '../pipelines/career-clusters.js';
import { Warehouse } from '../src/load/warehouse.js';
import { compilePolicy, loadPolicy } from '../src/transform/policy.js';

describe('compilePolicy (perkins-default, run in DuckDB)', () => {
  let w: Warehouse;
  let sql: Record<string, string>;
  beforeAll(async () => {
    sql = compilePolicy((await loadPolicy('perkins-default')).policy);
    w = await Warehouse.open(':memory:');
    // The area's yardsticks, and four occupations the rules see (columns as 04_occupations.sql names them).
    await w.run(
      `CREATE TABLE b AS SELECT 49500 AS all_occupations_median_wage, 3.1 AS all_occupations_growth_pct, 4500 AS median_openings, 60000 AS all_occupations_mean_wage, 4000 AS mean_openings, 1.8 AS median_wage_growth_potential`,
    );
    await w.run(`CREATE TABLE m (name VARCHAR, annual_wage_median DOUBLE, annual_wage_mean DOUBLE, hourly_wage_median DOUBLE, wage_growth_potential DOUBLE,
      annual_openings DOUBLE, projected_change_pct DOUBLE, job_zone INTEGER, employment BIGINT, typical_education VARCHAR, on_the_job_training VARCHAR, work_experience VARCHAR)`);
    await w.run(`INSERT INTO m VALUES
      ('nurse',   93600, 98000, 45.0, 1.6, 189100, 4.9, 4, 3282010, 'Bachelor''s degree', 'None', 'None'),
      ('cashier', 30000, 31000, 14.4, 1.3, 600000, -2.0, 2, 3000000, 'No formal educational credential', 'Short-term on-the-job training', 'None'),
      ('welder',  51000, 53000, 24.5, 1.5, 45000, 2.0, 3, 424040, 'High school diploma or equivalent', 'Moderate-term on-the-job training', 'None'),
      ('unknown', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  });
  afterAll(() => w.close());

  const flags = async () =>
    w.all<Record<string, unknown>>(
      `SELECT name, ${sql.high_wage_sql} AS high_wage, ${sql.high_skill_sql} AS high_skill, ${sql.in_demand_sql} AS in_demand, ${sql.high_opportunity_sql} AS high_opportunity, ${sql.reasons_sql} AS reasons FROM m, b ORDER BY name`,
    );

  it('flags by the area yardsticks: wage ≥ area median; a credential, long training or Job Zone ≥ 3; openings ≥ median or growth ≥ all occupations', async () => {
    const rows = Object.fromEntries((await flags()).map((r) => [r.name, r]));
    expect([rows.nurse!.high_wage, rows.nurse!.high_skill, rows.nurse!.in_demand, rows.nurse!.high_opportunity]).toEqual([true, true, true, true]);
    expect([rows.cashier!.high_wage, rows.cashier!.high_skill, rows.cashier!.in_demand, rows.cashier!.high_opportunity]).toEqual([false, false, true, false]);
    // Job Zone 3 makes the welder high skill; wage 51,000 ≥ 49,500 high wage; openings 45,000 ≥ 4,500 in demand.
    expect([rows.welder!.high_wage, rows.welder!.high_skill, rows.welder!.in_demand, rows.welder!.high_opportunity]).toEqual([true, true, true, true]);
  });

  it('a flag whose data is missing is NULL, not false', async () => {
    const unknown = (await flags()).find((r) => r.name === 'unknown')!;
    expect([unknown.high_wage, unknown.high_skill, unknown.in_demand, unknown.high_opportunity, unknown.reasons]).toEqual([null, null, null, null, null]);
  });

  it('says why in words, with the numbers', async () => {
    const nurse = (await flags()).find((r) => r.name === 'nurse')!;
    expect(nurse.reasons).toMatch(/^high wage: median \$93,600 ≥ area median \$49,500; /);
    expect(nurse.reasons).toContain("Bachelor's degree");
  });
});

describe('canonicalNames', () => {
  it('takes the spelling most rows use, trims and folds spaces, and says what it changed', () => {
    const { canon, notes } = canonicalNames(['Water Systems', 'Water Systems', 'water systems', '  Energy  &  Natural Resources ', 'Energy & Natural Resources']);
    expect([canon('water systems'), canon('WATER SYSTEMS'), canon('Energy &   Natural Resources')]).toEqual(['Water Systems', 'Water Systems', 'Energy & Natural Resources']);
    expect(notes).toContain('"water systems" (1 row) written as "Water Systems"');
    expect(notes.some((n) => n.includes('trimmed'))).toBe(true);
  });

  it('breaks a tie between spellings the same way whatever the row order, so a re-import gives the same bytes', () => {
    const a = canonicalNames(['arts, A/V', 'Arts, A/V']).canon('ARTS, A/V');
    const b = canonicalNames(['Arts, A/V', 'arts, A/V']).canon('arts, a/v');
    expect(a).toBe(b);
    expect(['arts, A/V', 'Arts, A/V']).toContain(a);
  });
});

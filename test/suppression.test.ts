// Suppression markers become NULL with a flag, never 0: the SQL macros one marker at a time, and
// the real OEWS sector workbook, whose `**` (employment not available) and `~` (under 0.5% of
// establishments reporting) cells the national workbooks do not have.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OEWS_COLUMNS } from '../pipelines/oews.js';
import { readSheetTable } from '../src/extract/columns.js';
import { Warehouse } from '../src/load/warehouse.js';
import { SQL_DIR } from '../src/paths.js';
import { DATA, exceljsRows, tempDir } from './helpers.js';

const SECTOR_WORKBOOK = path.join(DATA, 'lmi', 'oews', 'natsector', 'natsector_M2024_dl.xlsx');

describe('the OEWS marker macros', () => {
  let w: Warehouse;
  beforeAll(async () => {
    w = await Warehouse.open(':memory:');
    await w.runSqlFile(path.join(SQL_DIR, 'macros', '00_staging.sql'));
  });
  afterAll(() => w.close());

  it.each([
    ['*', 'not_available'],
    ['**', 'not_available'],
    ['#', 'top_coded'],
    ['~', 'under_half_percent_reporting'],
    [' ** ', 'not_available'],
  ])('%j is NULL with flag %s', async (marker, flag) => {
    const [row] = await w.all<Record<string, unknown>>(`SELECT oews_decimal($m) AS d, oews_whole($m) AS n, oews_flag($m) AS f`.replaceAll('$m', `'${marker}'`));
    expect(row).toEqual({ d: null, n: null, f: flag });
  });

  it('a number stays exact and unflagged; 0 is 0', async () => {
    const [row] = await w.all<Record<string, unknown>>(
      `SELECT oews_whole('3282010') AS n, oews_flag('3282010') AS f, oews_whole('0') AS z, CAST(oews_decimal('32.66') AS VARCHAR) AS d`,
    );
    expect(row).toEqual({ n: 3282010, f: null, z: 0, d: '32.6600' });
  });

  it("'*' wages of annual-only and hourly-only occupations say which", async () => {
    const [row] = await w.all<Record<string, unknown>>(
      `SELECT annual_wage_flag('*', 'TRUE') AS a, hourly_wage_flag('*', 'TRUE') AS h, annual_wage_flag('*', NULL) AS n, annual_wage_flag('#', 'TRUE') AS t`,
    );
    expect(row).toEqual({ a: 'hourly_only', h: 'annual_only', n: 'not_available', t: 'top_coded' });
  });
});

describe('the real sector workbook (natsector_M2024_dl.xlsx)', () => {
  let w: Warehouse;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  /** Marker cells as an independent reader (exceljs) sees them. */
  const expected = { totEmpSuppressed: 0, pctRptUnderHalf: 0, rows: 0 };

  beforeAll(async () => {
    for await (const get of exceljsRows(SECTOR_WORKBOOK)) {
      expected.rows++;
      if (get('TOT_EMP') === '**') expected.totEmpSuppressed++;
      if (get('PCT_RPT') === '~') expected.pctRptUnderHalf++;
    }
    tmp = await tempDir();
    w = await Warehouse.open(':memory:');
    await w.runSqlFile(path.join(SQL_DIR, 'macros', '00_staging.sql'));
    await readSheetTable({ file: SECTOR_WORKBOOK, displayName: 'natsector_M2024_dl.xlsx', specs: OEWS_COLUMNS }, (rows, columns) => w.loadTextRows('raw', columns, rows, tmp.dir));
  });
  afterAll(async () => {
    w.close();
    await tmp.cleanup();
  });

  it('has real ** and ~ cells to test with', () => {
    expect(expected.rows).toBe(16_434);
    expect(expected.totEmpSuppressed).toBeGreaterThan(100);
    expect(expected.pctRptUnderHalf).toBeGreaterThan(100);
  });

  it('reads every ** employment as NULL flagged not_available, never 0', async () => {
    const [row] = await w.all<Record<string, bigint>>(`SELECT
        count(*) FILTER (WHERE trim(tot_emp) = '**') AS raw_markers,
        count(*) FILTER (WHERE oews_whole(tot_emp) IS NULL AND oews_flag(tot_emp) = 'not_available') AS null_flagged,
        count(*) FILTER (WHERE trim(tot_emp) = '**' AND oews_whole(tot_emp) IS NOT NULL) AS valued,
        count(*) AS rows
      FROM raw`);
    expect(Number(row!.rows)).toBe(expected.rows);
    expect(Number(row!.raw_markers)).toBe(expected.totEmpSuppressed);
    expect(Number(row!.null_flagged)).toBe(expected.totEmpSuppressed);
    expect(Number(row!.valued)).toBe(0);
  });

  it('reads every ~ reporting share as NULL flagged under_half_percent_reporting', async () => {
    const [row] = await w.all<Record<string, bigint>>(`SELECT
        count(*) FILTER (WHERE oews_flag(pct_rpt) = 'under_half_percent_reporting' AND oews_decimal(pct_rpt) IS NULL) AS flagged
      FROM raw`);
    expect(Number(row!.flagged)).toBe(expected.pctRptUnderHalf);
  });
});

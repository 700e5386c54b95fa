// One benchmark measurement, in its own process so its peak RSS is its own: an OEWS-layout
// workbook → a DuckDB table, with the pipeline's reader or with exceljs's WorkbookReader.
// Prints JSON: rows loaded, Σ TOT_EMP (from the table), peak RSS.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OEWS_COLUMNS } from '../pipelines/oews.js';
import { readSheetTable } from '../src/extract/columns.js';
import { Warehouse } from '../src/load/warehouse.js';

const [reader, file] = process.argv.slice(2) as ['pipeline' | 'exceljs', string];
const work = await mkdtemp(path.join(os.tmpdir(), 'lmi-bench-'));
// A file-backed database, with raw_oews in the run's in-memory database, as the pipeline loads it (pipelines/oews.ts).
const db = await Warehouse.open(path.join(work, 'bench.duckdb'));
try {
  if (reader === 'pipeline') {
    await readSheetTable({ file, displayName: path.basename(file), specs: OEWS_COLUMNS }, (rows, columns) => db.loadTextRows('raw_oews', columns, rows, work));
  } else {
    const ExcelJS = (await import('exceljs')).default;
    const columns = [...OEWS_COLUMNS.map((c) => c.key), 'source_row'];
    async function* rows(): AsyncGenerator<(string | null)[]> {
      const wb = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', worksheets: 'emit', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
      let index: number[] = [];
      for await (const sheet of wb) {
        for await (const row of sheet) {
          const values = row.values as unknown[];
          if (row.number === 1) {
            // Columns by header, as the pipeline finds them.
            index = OEWS_COLUMNS.map((c) => values.findIndex((v) => typeof v === 'string' && c.header.test(v.trim())));
            continue;
          }
          yield [...index.map((i) => (i < 0 || values[i] === undefined || values[i] === null ? null : String(values[i]))), String(row.number)];
        }
        break;
      }
    }
    await db.loadTextRows('raw_oews', columns, rows(), work);
  }
  const [result] = await db.all<{ rows: number; tot_emp: string }>('SELECT count(*) AS rows, CAST(sum(TRY_CAST(tot_emp AS HUGEINT)) AS VARCHAR) AS tot_emp FROM raw_oews');
  process.stdout.write(JSON.stringify({ reader, rows: result!.rows, totEmpSum: result!.tot_emp, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
} finally {
  db.close();
  await rm(work, { recursive: true, force: true });
}

// Test helpers: where the real data is, temp folders, run options, and (from testkit/) the
// loopback HTTP server that serves a folder laid out by official URL (HOST/PATH).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import pino from 'pino';
import { crosswalksDirDefault } from '../src/paths.js';
import type { RunOptions } from '../src/run.js';

export const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = process.env.LMI_SHARED ?? path.resolve(PROJECT, '..', 'shared');
export const DATA = path.join(SHARED, 'data');
export const MIRROR = path.join(SHARED, 'mirror');
export const oewsWorkbook = (year: number) => path.join(DATA, 'lmi', 'oews', 'national', `national_M${year}_dl.xlsx`);

export const silentLog = pino({ level: 'silent' });

/**
 * Options for a run on the real May 2024 national files from ../shared/mirror (read as a
 * folder), silent, with the releases pinned; `extra` changes any of them.
 */
export const runOptions = (outputDir: string, extra: Partial<RunOptions> = {}): RunOptions => ({
  outputDir,
  crosswalksDir: crosswalksDirDefault(),
  releases: { oews: '2024', onet: '27.0' },
  mirror: MIRROR,
  log: silentLog,
  ...extra,
});

/**
 * The data rows of the OEWS data sheet (the first whose header has OCC_CODE: exceljs emits sheets
 * in the order the zip holds them), read with exceljs, an independent reader, not the project's:
 * for each row, a getter from a header name (any case) to the cell's text ('' when empty).
 */
export async function* exceljsRows(file: string): AsyncGenerator<(column: string) => string> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', worksheets: 'emit' });
  for await (const sheet of reader) {
    let header: string[] = [];
    for await (const row of sheet) {
      const cells = (row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)));
      if (row.number === 1) header = cells.map((c) => c.toUpperCase());
      if (!header.includes('OCC_CODE')) break;
      if (row.number > 1) yield (column) => cells[header.indexOf(column.toUpperCase())] ?? '';
    }
    if (header.includes('OCC_CODE')) return;
  }
}

/** Debian's Python, where .ci/run installs python3-openpyxl (the machine's default python3 may be another). */
export const DEBIAN_PYTHON = process.env.LMI_PYTHON ?? '/usr/bin/python3';

/** Byte equality for large files (vitest's deep equality walks a Buffer element by element). */
export const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

export async function tempDir(prefix = 'lmi-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export { startMirrorServer, type MirrorServer, type RequestLog } from '../testkit/mirror-server.js';

/**
 * Every published table of a snapshot as a second Parquet reader (hyparquet, not DuckDB) reads
 * it, beside its JSON file: the tables whose rows differ, with the first row that does. BIGINT
 * values come as BigInt from hyparquet and as numbers in the JSON; dates as Date.
 */
export async function parquetAgainstJson(snapshotDir: string, tables: readonly string[]): Promise<{ table: string; rows: number; differs?: string }[]> {
  const plain = (v: unknown): unknown =>
    typeof v === 'bigint'
      ? Number(v)
      : Array.isArray(v)
        ? v.map(plain)
        : v instanceof Date
          ? v.toISOString()
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
            : v;
  const out: { table: string; rows: number; differs?: string }[] = [];
  for (const table of tables) {
    const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(path.join(snapshotDir, `${table}.parquet`)) })).map(plain);
    const json = JSON.parse(await readFile(path.join(snapshotDir, `${table}.json`), 'utf8')) as unknown[];
    const i = rows.findIndex((r, k) => JSON.stringify(r) !== JSON.stringify(json[k]));
    out.push({
      table,
      rows: rows.length,
      ...(i >= 0 || rows.length !== json.length ? { differs: `row ${i}: ${JSON.stringify(rows[i])} against ${JSON.stringify(json[i])}` } : {}),
    });
  }
  return out;
}

// Bulk loads of raw tables: rows (a source's own CSV lines, or rows made into CSV) spooled to one
// file and read by one INSERT through DuckDB's CSV reader, which splits the file across its
// threads, far faster than row-by-row inserts.
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type CsvChunk, csvField } from '../extract/sheet-csv.js';
import { tempPathFor } from '../fsutil.js';
import { ident, lit } from './sql-text.js';

/** What a bulk load needs of the warehouse (Warehouse is one). */
export interface BulkLoadTarget {
  run(sql: string, params?: Record<string, string | number | boolean | null>): Promise<void>;
  /** The name of `table` in the warehouse file (LoadOptions.persist). */
  persisted(table: string): string;
  /** Another connection to the same warehouse. */
  connect(): Promise<BulkLoadTarget & { close(): void }>;
  /** Run `work` with DuckDB's thread count raised to `threads` (undefined: as configured). */
  withThreads<T>(threads: number | undefined, work: () => Promise<T>): Promise<T>;
  /** A background load under way. */
  trackLoad(table: string, load: Promise<void>): void;
}

export type TextRow = (string | null)[];

export interface LoadOptions {
  /** Add the rows to the existing table instead of replacing it. Default false. */
  append?: boolean;
  /** Extra VARCHAR columns holding one value for every row of this load (e.g. the workbook's name). */
  constants?: Record<string, string>;
  /**
   * Keep the table in the warehouse file for later runs (the history's releases, loaded once).
   * Default false: a table of the run's in-memory database (spilling past the memory cap), gone
   * with the run, which spares DuckDB compressing and checkpointing data rebuilt every run.
   */
  persist?: boolean;
  /**
   * Return once the rows are spooled, and INSERT them on a connection of its own while Node goes
   * on (parsing the next dataset). Default false. The table is whole once loadsOf(table) resolves.
   */
  background?: boolean;
}

/** Rows for loadTextRows: plain rows, a source's batches (readSheetTable's), or its CSV lines. */
export type TextRows = AsyncIterable<TextRow> | Iterable<TextRow> | { batches(): AsyncIterable<TextRow[]>; csv?: () => AsyncIterable<CsvChunk> };

/**
 * The rows as CSV text in pieces of about a thousand lines: a source's own CSV lines where it has
 * them (sheetCsv, read from the sheet's bytes), else lines made from its rows.
 */
async function* csvPieces(rows: TextRows, width: number): AsyncGenerator<{ bytes: string | Buffer; lines: number }> {
  if ('csv' in rows && rows.csv) {
    yield* rows.csv();
    return;
  }
  const fields: string[] = new Array(width);
  const piece = (batch: TextRow[]) => {
    const lines = batch.map((row) => {
      for (let i = 0; i < width; i++) {
        const v = row[i] ?? null;
        fields[i] = v === null ? '' : csvField(v);
      }
      return fields.join(',');
    });
    return { bytes: `${lines.join('\n')}\n`, lines: batch.length };
  };
  if ('batches' in rows) {
    for await (const batch of rows.batches()) if (batch.length) yield piece(batch);
    return;
  }
  let batch: TextRow[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= 1000) {
      yield piece(batch);
      batch = [];
    }
  }
  if (batch.length) yield piece(batch);
}

/** Rows in one DuckDB row group: the unit its scans hand to a thread. */
const ROW_GROUP_ROWS = 122_880;

/**
 * DuckDB's CSV read buffer, for every read_csv of the run: 4 MB instead of its default 32 MB
 * keeps peak memory down at no cost in speed (measured). The buffer comes from glibc's malloc,
 * and freeing one of 32 MB raised glibc's thresholds for the rest of the run: it then kept up to
 * 64 MB freed in each of its arenas instead of handing it back.
 */
export const CSV_BUFFER_BYTES = 4_000_000;

/**
 * Bulk-load text rows into a table of VARCHAR columns (typed later by the staging SQL). The
 * rows are written to one CSV spool file as they come and read by one INSERT at the end (with
 * `background`, on a connection of its own after this returns): DuckDB's CSV reader splits the
 * file across its threads, far faster than row-by-row inserts.
 * Reading each 100,000 rows as they were spooled was slower and heavier: the INSERTs competed
 * with the parsing for the cores.
 */
export async function loadTextRows(target: BulkLoadTarget, table: string, columns: string[], rows: TextRows, spoolDir: string, opts: LoadOptions = {}): Promise<number> {
  await mkdir(spoolDir, { recursive: true });
  const cols = `{${columns.map((c) => `${lit(c)}: 'VARCHAR'`).join(', ')}}`;
  const constants = Object.keys(opts.constants ?? {});
  // Constant columns (which file, which scope) are bound values, added as the spool is read.
  const extra = constants.map((c, i) => `, $c${i} AS ${ident(c)}`).join('');
  const params = Object.fromEntries(constants.map((c, i) => [`c${i}`, opts.constants![c]!]));
  if (!opts.append)
    await target.run(
      `CREATE OR REPLACE TABLE ${opts.persist ? target.persisted(table) : ident(table)} (${[...columns, ...constants].map((c) => `${ident(c)} VARCHAR`).join(', ')})`,
    );
  const spool = tempPathFor(path.join(spoolDir, `${table}.csv`));
  let count = 0;
  async function* lines() {
    for await (const piece of csvPieces(rows, columns.length)) {
      count += piece.lines;
      yield piece.bytes;
    }
  }
  try {
    // pipeline: backpressure, and a failed read (a bad value) closes the file before it throws.
    await pipeline(lines, createWriteStream(spool, { highWaterMark: 1 << 20 }));
  } catch (err) {
    await rm(spool, { force: true });
    throw err;
  }
  const insert = async (w: BulkLoadTarget) => {
    try {
      if (count > 0)
        await w.withThreads(count > ROW_GROUP_ROWS ? availableParallelism() : undefined, () =>
          w.run(
            `INSERT INTO ${opts.persist ? target.persisted(table) : ident(table)} SELECT *${extra} FROM read_csv($file, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${cols}, allow_quoted_nulls = false, buffer_size = ${CSV_BUFFER_BYTES})`,
            { file: spool, ...params },
          ),
        );
    } finally {
      await rm(spool, { force: true });
    }
  };
  if (!opts.background) await insert(target);
  else {
    const other = await target.connect();
    target.trackLoad(
      table,
      insert(other).finally(() => other.close()),
    );
  }
  return count;
}

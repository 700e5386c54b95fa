// The DuckDB warehouse: raw tables loaded in bulk, then the SQL in sql/ run in order.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue, listValue } from '@duckdb/node-api';
import { ModelError } from '../errors.js';
import { type CsvChunk, csvField } from '../extract/sheet-csv.js';
import { tempPathFor } from '../fsutil.js';
import { PROJECT_ROOT } from '../paths.js';

export type Row = Record<string, unknown>;

/**
 * SQL string literal, only where DuckDB takes no bound parameter (ATTACH's path) or where SQL
 * is generated from the project's own configuration (policy labels): values reach SQL as
 * bound parameters ($name) or variables (getvariable('name')) everywhere else.
 */
export const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** SQL identifier. */
export const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Values bound to $name placeholders (a list binds as a VARCHAR[]). */
export type Params = Record<string, string | number | boolean | null | readonly string[]>;

/** Params as DuckDB values. */
function bound(params: Params | undefined): Record<string, DuckDBValue> | undefined {
  if (!params) return undefined;
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? listValue(v) : (v as DuckDBValue)]));
}

/** SQL types a run variable may take (getvariable() returns the value with this type). */
export type VariableType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DECIMAL(10, 2)';

type TextRow = (string | null)[];

export interface LoadOptions {
  /** Add the rows to the existing table instead of replacing it. Default false. */
  append?: boolean;
  /** Extra VARCHAR columns holding one value for every row of this load (e.g. the workbook's name). */
  constants?: Record<string, string>;
  /**
   * Keep the table in the warehouse file for later runs (the history's releases, loaded once).
   * Default false: a TEMP table, in memory (spilling past the memory cap), gone with the run,
   * which spares DuckDB compressing and checkpointing data that is rebuilt every run.
   */
  persist?: boolean;
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

/** End a spool file's stream and wait until its bytes are written. */
async function finish(out: WriteStream): Promise<void> {
  out.end();
  await once(out, 'finish');
}

const WHOLE_NUMBER_TYPES = new Set(['BIGINT', 'HUGEINT', 'UBIGINT', 'UHUGEINT']);
/** The result's BIGINT-like columns, found once per result (not once per value: results can hold 100k rows). */
function wholeNumberColumns(reader: { columnNames(): string[]; columnTypes(): { toString(): string }[] }): string[] {
  const types = reader.columnTypes();
  return reader.columnNames().filter((_, i) => WHOLE_NUMBER_TYPES.has(types[i]!.toString()));
}

/** Rows per CSV spool chunk: large enough for DuckDB's reader to be efficient, small enough to overlap parsing. */
export const SPOOL_CHUNK_ROWS = 100_000;
/** DuckDB's CSV read buffer: 4 MB instead of its default 32 MB keeps peak memory down at no cost in speed (measured). */
export const CSV_BUFFER_BYTES = 4_000_000;

export class Warehouse {
  private constructor(
    readonly file: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    /** A second connection (connect()) closes only itself. */
    private readonly ownsInstance = true,
  ) {}

  /**
   * Another connection to the same database, for work that can run beside this connection's
   * (it shares the buffer pool and threads; it does not see this connection's TEMP tables).
   */
  async connect(): Promise<Warehouse> {
    return new Warehouse(this.file, this.instance, await this.instance.connect(), false);
  }

  /**
   * `small`: one thread, a 64 MB cap, and rows in the order the files hold them, for readers
   * that stream a published file as it was written (the report).
   */
  static async open(file: string, opts: { small?: boolean } = {}): Promise<Warehouse> {
    if (file !== ':memory:') await mkdir(path.dirname(file), { recursive: true });
    const instance = await DuckDBInstance.create(file, {
      // Raw loads need no particular row order (every published table has an ORDER BY), and
      // DuckDB loads much faster without keeping it.
      preserve_insertion_order: 'false',
      // The warehouse is small (the all-data raw table compresses to ~20 MB); a cap keeps bulk
      // loads from holding hundreds of MB of cache. Default 256 MB, LMI_DUCKDB_MEMORY to change.
      memory_limit: process.env.LMI_DUCKDB_MEMORY ?? '256MB',
      // Default: one per core (DuckDB's own default). LMI_DUCKDB_THREADS caps it where several
      // runs share the cores (the test suite runs two files at once on two cores).
      ...(process.env.LMI_DUCKDB_THREADS ? { threads: process.env.LMI_DUCKDB_THREADS } : {}),
      ...(opts.small ? { threads: '1', memory_limit: '64MB', preserve_insertion_order: 'true' } : {}),
    });
    const connection = await instance.connect();
    return new Warehouse(file, instance, connection);
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.connection.run(sql, bound(params));
  }

  /**
   * Set DuckDB variables the SQL models read with getvariable('name'): the run's facts (release
   * labels read from the files among them) reach the models bound, never pasted into their text.
   */
  async setVariables(vars: Record<string, { type: VariableType; value: string | number | null }>): Promise<void> {
    for (const [name, { type, value }] of Object.entries(vars)) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`variable name ${JSON.stringify(name)} is not a plain identifier`);
      await this.run(`SET VARIABLE ${name} = CAST($value AS ${type})`, { value });
    }
  }

  /**
   * Rows as plain JSON-safe objects: whole numbers as JS numbers when they fit exactly, else
   * strings. `params` binds values to $name placeholders (values from users or files never
   * become SQL text).
   */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, bound(params));
    const whole = wholeNumberColumns(reader);
    return reader.getRowObjectsJson().map((row) => {
      for (const k of whole) {
        const v = row[k];
        if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) (row as Row)[k] = Number(v);
      }
      return row;
    }) as T[];
  }

  /** Rows as arrays of JSON-safe values (faster than objects for large results), whole numbers as in all(). */
  async rows(sql: string, params?: Params): Promise<unknown[][]> {
    const reader = await this.connection.runAndReadAll(sql, bound(params));
    const names = reader.columnNames();
    const whole = new Set(wholeNumberColumns(reader).map((c) => names.indexOf(c)));
    const rows = reader.getRowsJson() as unknown[][];
    if (whole.size)
      for (const row of rows)
        for (const i of whole) {
          const v = row[i];
          if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) row[i] = Number(v);
        }
    return rows;
  }

  /** Rows as arrays, a DuckDB chunk (2,048 rows) at a time: memory holds one chunk, not the result. */
  async *streamRows(sql: string, params?: Params): AsyncGenerator<unknown[]> {
    const result = await this.connection.stream(sql, bound(params));
    const names = result.columnNames();
    const types = result.columnTypes();
    const whole = names.map((_, i) => i).filter((i) => WHOLE_NUMBER_TYPES.has(types[i]!.toString()));
    for await (const rows of result.yieldRowsJson()) {
      for (const row of rows as unknown[][]) {
        for (const i of whole) {
          const v = row[i];
          if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) row[i] = Number(v);
        }
        yield row;
      }
    }
  }

  async scalar<T = unknown>(sql: string, params?: Params): Promise<T> {
    const rows = await this.all(sql, params);
    const first = rows[0];
    return (first ? Object.values(first)[0] : undefined) as T;
  }

  /** Run every .sql file in a folder in name order (01_…, 02_…); each file's milliseconds, by name. */
  async runSqlFolder(folder: string, fragments: Record<string, string> = {}): Promise<Record<string, number>> {
    const files = (await readdir(folder)).filter((f) => f.endsWith('.sql')).sort();
    const ms: Record<string, number> = {};
    for (const f of files) {
      const started = performance.now();
      await this.runSqlFile(path.join(folder, f), fragments);
      ms[f] = Math.round(performance.now() - started);
    }
    return ms;
  }

  /**
   * Run a .sql file. `{{name}}` placeholders take SQL expressions compiled from the project's
   * policy (src/transform/policy.ts), never values: those the models read with getvariable().
   */
  async runSqlFile(file: string, fragments: Record<string, string> = {}): Promise<void> {
    const sql = (await readFile(file, 'utf8')).replace(/\{\{(\w+)\}\}/g, (m, name: string) => {
      if (!(name in fragments)) throw new ModelError(path.relative(PROJECT_ROOT, file), `no SQL for placeholder ${m}`);
      return fragments[name]!;
    });
    try {
      await this.connection.run(sql);
    } catch (err) {
      throw new ModelError(path.relative(PROJECT_ROOT, file), (err as Error).message.replace(/\s+/g, ' '));
    }
  }

  /**
   * Bulk-load text rows into a table of VARCHAR columns (typed later by the staging SQL).
   * Rows are spooled to CSV in chunks that DuckDB's CSV reader ingests on its own threads while
   * the next chunk is being parsed, which is far faster than row-by-row inserts; memory stays
   * at one chunk.
   */
  async loadTextRows(table: string, columns: string[], rows: TextRows, spoolDir: string, opts: LoadOptions = {}): Promise<number> {
    await mkdir(spoolDir, { recursive: true });
    const cols = `{${columns.map((c) => `${lit(c)}: 'VARCHAR'`).join(', ')}}`;
    const constants = Object.keys(opts.constants ?? {});
    // Constant columns (which file, which scope) are bound values, added as each spool is read.
    const extra = constants.map((c, i) => `, $c${i} AS ${ident(c)}`).join('');
    const params = Object.fromEntries(constants.map((c, i) => [`c${i}`, opts.constants![c]!]));
    const readSpool = () =>
      `SELECT *${extra} FROM read_csv($files, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${cols}, allow_quoted_nulls = false, buffer_size = ${CSV_BUFFER_BYTES})`;
    if (!opts.append)
      await this.run(`CREATE OR REPLACE ${opts.persist ? '' : 'TEMP '}TABLE ${ident(table)} (${[...columns, ...constants].map((c) => `${ident(c)} VARCHAR`).join(', ')})`);
    // A TEMP table takes each spool as soon as it is written, one INSERT at a time, each removing
    // its spool when done: its rows are only copied, beside the parsing. A table in the file takes
    // all the spools in one INSERT at the end: DuckDB compresses what one INSERT appends on as
    // many threads as it has row groups, and the INSERTs of 100,000-row spools ran on one thread
    // each while the parsing held the other core (bench workbook: 2.5 → 2.0 s).
    let ingesting: Promise<void> = Promise.resolve();
    const spools: string[] = [];
    const ingest = (files: string[]) => {
      ingesting = ingesting.then(async () => {
        await this.run(`INSERT INTO ${ident(table)} ${readSpool()}`, { files, ...params });
        for (const file of files) await rm(file, { force: true });
      });
      // Keep the chain from reporting an unhandled rejection before it is awaited below.
      ingesting.catch(() => undefined);
    };
    const spoolWritten = (file: string) => {
      if (!opts.persist) ingest([file]);
    };
    let count = 0;
    let out: WriteStream | undefined;
    let inChunk = 0;
    try {
      for await (const piece of csvPieces(rows, columns.length)) {
        if (!out) {
          const file = tempPathFor(path.join(spoolDir, `${table}.csv`));
          spools.push(file);
          out = createWriteStream(file, { highWaterMark: 1 << 20 });
        }
        if (!out.write(piece.bytes)) await once(out, 'drain');
        count += piece.lines;
        inChunk += piece.lines;
        if (inChunk >= SPOOL_CHUNK_ROWS) {
          await finish(out);
          out = undefined;
          inChunk = 0;
          spoolWritten(spools.at(-1)!);
        }
      }
      if (out) {
        await finish(out);
        out = undefined;
        spoolWritten(spools.at(-1)!);
      }
      if (opts.persist && spools.length) ingest(spools);
      await ingesting;
    } finally {
      out?.destroy();
      await ingesting.catch(() => undefined);
      for (const f of spools) await rm(f, { force: true });
    }
    return count;
  }

  close(): void {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

// The DuckDB warehouse: raw tables loaded in bulk, then the SQL in sql/ run in order.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { ModelError } from '../errors.js';
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

/** Values bound to $name placeholders. */
export type Params = Record<string, string | number | boolean | null>;

/** SQL types a run variable may take (getvariable() returns the value with this type). */
export type VariableType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DECIMAL(10, 2)';

function csvField(v: string | null): string {
  if (v === null) return '';
  // Quote everything that is not plainly safe, so empty strings stay distinguishable from NULL.
  // indexOf, not a regex: this runs for every cell of 400k-row workbooks.
  if (v === '' || v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) return `"${v.replaceAll('"', '""')}"`;
  return v;
}

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

/** Rows in batches: a source's own batches (readSheetTable's), or rows grouped a thousand at a time. */
async function* batchesOf(rows: AsyncIterable<TextRow> | Iterable<TextRow> | { batches(): AsyncIterable<TextRow[]> }): AsyncGenerator<TextRow[]> {
  if ('batches' in rows) {
    yield* rows.batches();
    return;
  }
  let batch: TextRow[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= 1000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
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
    await this.connection.run(sql, params as Record<string, DuckDBValue> | undefined);
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
    const reader = await this.connection.runAndReadAll(sql, params as Record<string, DuckDBValue> | undefined);
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
    const reader = await this.connection.runAndReadAll(sql, params as Record<string, DuckDBValue> | undefined);
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
    const result = await this.connection.stream(sql, params as Record<string, DuckDBValue> | undefined);
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
  async loadTextRows(
    table: string,
    columns: string[],
    rows: AsyncIterable<(string | null)[]> | Iterable<(string | null)[]> | { batches(): AsyncIterable<(string | null)[][]> },
    spoolDir: string,
    opts: LoadOptions = {},
  ): Promise<number> {
    await mkdir(spoolDir, { recursive: true });
    const cols = `{${columns.map((c) => `${lit(c)}: 'VARCHAR'`).join(', ')}}`;
    const constants = Object.keys(opts.constants ?? {});
    // Constant columns (which file, which scope) are bound values, added as each spool is read.
    const extra = constants.map((c, i) => `, $c${i} AS ${ident(c)}`).join('');
    const params = Object.fromEntries(constants.map((c, i) => [`c${i}`, opts.constants![c]!]));
    const readSpool = () =>
      `SELECT *${extra} FROM read_csv($file, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${cols}, allow_quoted_nulls = false, buffer_size = ${CSV_BUFFER_BYTES})`;
    if (!opts.append)
      await this.run(`CREATE OR REPLACE ${opts.persist ? '' : 'TEMP '}TABLE ${ident(table)} (${[...columns, ...constants].map((c) => `${ident(c)} VARCHAR`).join(', ')})`);
    let ingesting: Promise<void> = Promise.resolve();
    const spools: string[] = [];
    const ingest = (file: string) => {
      // Chained: one INSERT at a time, each removing its spool when done.
      ingesting = ingesting.then(async () => {
        await this.run(`INSERT INTO ${ident(table)} ${readSpool()}`, { file, ...params });
        await rm(file, { force: true });
      });
      // Keep the chain from reporting an unhandled rejection before it is awaited below.
      ingesting.catch(() => undefined);
    };
    let count = 0;
    let out: WriteStream | undefined;
    let inChunk = 0;
    try {
      let lines: string[] = [];
      let size = 0;
      const fields: string[] = new Array(columns.length);
      const flush = async (final: boolean) => {
        if (!out) {
          const file = tempPathFor(path.join(spoolDir, `${table}.csv`));
          spools.push(file);
          out = createWriteStream(file, { highWaterMark: 1 << 20 });
        }
        if (lines.length && !out.write(lines.join('\n') + '\n')) await once(out, 'drain');
        lines = [];
        size = 0;
        if (final || inChunk >= SPOOL_CHUNK_ROWS) {
          const done = out;
          out = undefined;
          inChunk = 0;
          done.end();
          await once(done, 'finish');
          ingest(spools.at(-1)!);
        }
      };
      for await (const batch of batchesOf(rows)) {
        for (const row of batch) {
          for (let i = 0; i < columns.length; i++) fields[i] = csvField(row[i] ?? null);
          const line = fields.join(',');
          lines.push(line);
          size += line.length;
          count++;
          inChunk++;
          if (size > 1 << 20 || inChunk >= SPOOL_CHUNK_ROWS) await flush(false);
        }
      }
      await flush(true);
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

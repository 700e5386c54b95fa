// The DuckDB warehouse: its instance and connections, the run's in-memory database (its session:
// variables, background loads), queries, bulk loads of raw tables, and running one .sql file
// (sql/ as a whole runs in src/transform/models.ts). Lending connections is pool.ts's; the
// conversion of values, values.ts's.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { DefinitionError, ModelError } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';
import { settleAll } from '../promises.js';
import { type LoadOptions, loadTextRows, type TextRows } from './bulk-load.js';
import { ident, lit } from './sql-text.js';
import { convertWholeNumbers, wholeNumberColumns } from './values.js';
import { DEFAULT_DUCKDB, type DuckDbSettings } from './duckdb-settings.js';

export type Row = Record<string, unknown>;

export { CSV_BUFFER_BYTES, type LoadOptions, type TextRows } from './bulk-load.js';
export { ident, lit } from './sql-text.js';

/** Values bound to $name placeholders. */
export type Params = Record<string, string | number | boolean | null>;

/** SQL types a run variable may take (getvariable() returns the value with this type). */
export type VariableType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DECIMAL(10, 2)';

/**
 * The in-memory database every run builds its tables in (raw, staging, marts), attached beside
 * the warehouse file and the default for new tables. Unlike TEMP tables it is shared by all
 * connections, so models and published tables can be built side by side; DuckDB does not
 * compress, write or checkpoint it (the file keeps only what later runs reuse: the history).
 */
export const RUN_DATABASE = 'work';

/** What the connections of one DuckDB instance share: the file's database name and the run's variables. */
interface Session {
  /** The name DuckDB gives the warehouse file's database (`warehouse`, or `memory` for ':memory:'). */
  store: string;
  /** The DuckDB memory cap it was opened with, for withMemoryHint. */
  memoryLimit: string;
  /** Each variable with the number of the setVariables call that last set it. */
  variables: Map<string, { type: VariableType; value: string | number | null; version: number }>;
  /** setVariables calls so far. */
  version: number;
  open: Set<Warehouse>;
  /** INSERTs running in the background (LoadOptions.background), by table. */
  loading: Map<string, Promise<void>[]>;
}

/**
 * DuckDB's "Out of Memory" message with what to do about it: every stage (models, checks, the
 * publish's writes) fails the same way past the cap, and names the setting that raises it.
 */
export function withMemoryHint(message: string, memoryLimit: string): string {
  if (!/Out of Memory Error/i.test(message)) return message;
  return `${message} (DuckDB's memory cap is LMI_DUCKDB_MEMORY=${memoryLimit}: raise it, e.g. LMI_DUCKDB_MEMORY=2GB)`;
}

/**
 * A .sql model's text with its `{{name}}` placeholders filled: SQL expressions compiled from the
 * project's policy (src/transform/policy.ts), never values (those the models read with getvariable()).
 */
export async function readModelSql(file: string, fragments: Record<string, string>): Promise<string> {
  return (await readFile(file, 'utf8')).replace(/\{\{(\w+)\}\}/g, (m, name: string) => {
    if (!(name in fragments)) throw new ModelError(path.relative(PROJECT_ROOT, file), `no SQL for placeholder ${m}`);
    return fragments[name]!;
  });
}

export class Warehouse {
  /** The session's variables this connection has set (their version): see setVariables. */
  private variablesSeen = 0;

  private constructor(
    readonly file: string,
    private readonly instance: DuckDBInstance,
    private readonly duckdb: DuckDBConnection,
    private readonly session: Session,
    /** A second connection (connect()) closes only itself. */
    private readonly ownsInstance = true,
  ) {
    session.open.add(this);
  }

  /**
   * Another connection to the same database, for work that can run beside this connection's:
   * it shares the buffer pool, the run's database and its variables.
   */
  async connect(): Promise<Warehouse> {
    const other = new Warehouse(this.file, this.instance, await this.instance.connect(), this.session, false);
    await other.useRunDatabase();
    return other;
  }

  /**
   * New tables go to the run's database, and names are looked up there only: a table kept in
   * the file (persisted) is always named with its database, so a same-named table an earlier
   * version left in the file is never read in place of one the run dropped or did not build.
   */
  private async useRunDatabase(): Promise<void> {
    await this.run(`USE ${RUN_DATABASE}`);
    await this.run(`SET search_path = ${lit(`${RUN_DATABASE}.main`)}`);
  }

  /** A table kept in the warehouse file (for later runs), by its qualified name. */
  persisted(table: string): string {
    return `${ident(this.session.store)}.main.${ident(table)}`;
  }

  /** Whether the warehouse file holds `table`. */
  async isPersisted(table: string): Promise<boolean> {
    const found = await this.all('SELECT 1 FROM duckdb_tables() WHERE database_name = $db AND schema_name = $schema AND table_name = $table', {
      db: this.session.store,
      schema: 'main',
      table,
    });
    return found.length > 0;
  }

  /**
   * `small`: one thread, a 64 MB cap, and rows in the order the files hold them, for readers
   * that stream a published file as it was written (the report).
   */
  static async open(file: string, opts: { small?: boolean; duckdb?: DuckDbSettings } = {}): Promise<Warehouse> {
    const duckdb = opts.duckdb ?? DEFAULT_DUCKDB;
    if (file !== ':memory:') await mkdir(path.dirname(file), { recursive: true });
    const instance = await DuckDBInstance.create(file, {
      // Raw loads need no particular row order (every published table has an ORDER BY), and
      // DuckDB loads much faster without keeping it. The publish turns it on for its writes
      // (SnapshotDraft).
      preserve_insertion_order: 'false',
      // Past the cap DuckDB spills to disk; the default (src/settings.ts) leaves every run headroom.
      memory_limit: duckdb.memoryLimit,
      // A bulk load larger than a row group takes every core for its INSERT (loadTextRows).
      threads: String(duckdb.threads),
      // When DuckDB frees more than this at once (a hash table, a sort, a dropped table), its
      // allocator hands the freed pages back to the system at once (DuckDB's default, 512 MB,
      // keeps them for reuse): a lower peak in the same time; much lower thresholds cost time.
      allocator_bulk_deallocation_flush_threshold: '16MB',
      ...(opts.small ? { threads: '1', memory_limit: '64MB', preserve_insertion_order: 'true' } : {}),
    });
    const connection = await instance.connect();
    const store = String((await connection.runAndReadAll('SELECT current_database()')).getRows()[0]![0]);
    await connection.run(`ATTACH ':memory:' AS ${RUN_DATABASE}`);
    const memoryLimit = opts.small ? '64MB' : duckdb.memoryLimit;
    const warehouse = new Warehouse(file, instance, connection, { store, memoryLimit, variables: new Map(), version: 0, open: new Set(), loading: new Map() });
    await warehouse.useRunDatabase();
    return warehouse;
  }

  /** The DuckDB memory cap it was opened with (for withMemoryHint). */
  get memoryLimit(): string {
    return this.session.memoryLimit;
  }

  async run(sql: string, params?: Params): Promise<void> {
    await (await this.connection()).run(sql, params as Record<string, DuckDBValue> | undefined);
  }

  /**
   * Set DuckDB variables the SQL models read with getvariable('name'): the run's facts (release
   * labels read from the files among them) reach the models bound, never pasted into their text.
   */
  async setVariables(vars: Record<string, { type: VariableType; value: string | number | null }>): Promise<void> {
    for (const name of Object.keys(vars)) if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new DefinitionError(`variable name ${JSON.stringify(name)} is not a plain identifier`);
    const version = ++this.session.version;
    for (const [name, v] of Object.entries(vars)) this.session.variables.set(name, { ...v, version });
    await this.connection();
  }

  /**
   * This connection, with the variables set since its last query. DuckDB keeps variables per
   * connection, and each connection sets them itself before its next query: setting them on
   * another connection's behalf could run beside a query of its own (a pool's connection busy
   * with a model), and two queries at once on one connection is what the binding must not do.
   */
  private async connection(): Promise<DuckDBConnection> {
    if (this.variablesSeen < this.session.version) {
      const seen = this.variablesSeen;
      this.variablesSeen = this.session.version;
      for (const [name, { type, value, version }] of this.session.variables)
        if (version > seen) await this.duckdb.run(`SET VARIABLE ${name} = CAST($value AS ${type})`, { value } as Record<string, DuckDBValue>);
    }
    return this.duckdb;
  }

  /**
   * Rows as plain JSON-safe objects: whole numbers as JS numbers when they fit exactly, else
   * strings. `params` binds values to $name placeholders (values from users or files never
   * become SQL text).
   */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await (await this.connection()).runAndReadAll(sql, params as Record<string, DuckDBValue> | undefined);
    const names = reader.columnNames();
    const whole = wholeNumberColumns(reader.columnTypes()).map((i) => names[i]!);
    return reader.getRowObjectsJson().map((row) => convertWholeNumbers(row as Row, whole)) as T[];
  }

  /** Rows as arrays of JSON-safe values (faster than objects for large results), whole numbers as in all(). */
  async rows(sql: string, params?: Params): Promise<unknown[][]> {
    const reader = await (await this.connection()).runAndReadAll(sql, params as Record<string, DuckDBValue> | undefined);
    const whole = wholeNumberColumns(reader.columnTypes());
    const rows = reader.getRowsJson() as unknown[][];
    if (whole.length) for (const row of rows) convertWholeNumbers(row, whole);
    return rows;
  }

  /** Rows as arrays, a DuckDB chunk (2,048 rows) at a time: memory holds one chunk, not the result. */
  async *streamRows(sql: string, params?: Params): AsyncGenerator<unknown[]> {
    const result = await (await this.connection()).stream(sql, params as Record<string, DuckDBValue> | undefined);
    const whole = wholeNumberColumns(result.columnTypes());
    for await (const rows of result.yieldRowsJson()) for (const row of rows as unknown[][]) yield convertWholeNumbers(row, whole);
  }

  async scalar<T = unknown>(sql: string, params?: Params): Promise<T> {
    const rows = await this.all(sql, params);
    const first = rows[0];
    return (first ? Object.values(first)[0] : undefined) as T;
  }

  /** Run one .sql file, its placeholders filled (readModelSql); a failure is a ModelError naming it. */
  async runSqlFile(file: string, fragments: Record<string, string> = {}): Promise<void> {
    await this.runModel(file, await readModelSql(file, fragments));
  }

  /** Run a model's SQL (`file` says where it came from); a failure is a ModelError naming the file, on one line. */
  async runModel(file: string, sql: string): Promise<void> {
    try {
      await (await this.connection()).run(sql);
    } catch (err) {
      throw new ModelError(path.relative(PROJECT_ROOT, file), withMemoryHint((err as Error).message.replace(/\s+/g, ' '), this.session.memoryLimit));
    }
  }

  /**
   * Drop control characters (but tab, line feed, carriage return) from every text column of a
   * raw table read by DuckDB's own CSV reader (O*NET's members, the Projections Central CSV): a
   * downloaded title must never reach a terminal as an escape sequence. The xlsx readers drop
   * them as they decode (src/extract/xlsx.ts). Only the rows that have one are rewritten.
   */
  async stripControlCharacters(table: string): Promise<void> {
    const columns = (await this.all<{ column_name: string; column_type: string }>(`DESCRIBE ${ident(table)}`)).filter((c) => c.column_type === 'VARCHAR');
    for (const { column_name } of columns) {
      const c = ident(column_name);
      await this.run(`UPDATE ${ident(table)} SET ${c} = regexp_replace(${c}, $controls, '', 'g') WHERE regexp_matches(${c}, $controls)`, {
        controls: '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\x{80}-\\x{9f}]',
      });
    }
  }

  /** Bulk-load text rows into a table of VARCHAR columns (bulk-load.ts). */
  loadTextRows(table: string, columns: string[], rows: TextRows, spoolDir: string, opts: LoadOptions = {}): Promise<number> {
    return loadTextRows(this, table, columns, rows, spoolDir, opts);
  }

  /** A background load of `table` under way (loadsOf waits for it). */
  trackLoad(table: string, load: Promise<void>): void {
    // Awaited by loadsOf; until then a failure must not count as unhandled.
    load.catch(() => undefined);
    this.session.loading.set(table, [...(this.session.loading.get(table) ?? []), load]);
  }

  /**
   * The background loads of `table` (every table's when undefined): resolves when they are
   * done, or throws the first failure. Undefined when there are none.
   */
  loadsOf(table?: string): Promise<void> | undefined {
    const loads = table === undefined ? [...this.session.loading.values()].flat() : this.session.loading.get(table);
    return loads?.length ? settleAll(loads).then(() => undefined) : undefined;
  }

  /**
   * Run `work` with DuckDB's thread count raised to `threads` (undefined: as configured). The
   * setting is the instance's: only for work no other connection runs beside (a load).
   */
  async withThreads<T>(threads: number | undefined, work: () => Promise<T>): Promise<T> {
    const configured = Number(await this.scalar("SELECT current_setting('threads')"));
    if (threads === undefined || threads <= configured) return work();
    await this.run(`SET threads = ${Math.trunc(threads)}`);
    try {
      return await work();
    } finally {
      await this.run(`SET threads = ${configured}`);
    }
  }

  /** The run's tables (its database's main schema; the publish's sorted copies are elsewhere), by name. */
  async runTables(): Promise<string[]> {
    const tables = await this.all<{ table_name: string }>("SELECT table_name FROM duckdb_tables() WHERE database_name = $db AND schema_name = 'main' ORDER BY table_name", {
      db: RUN_DATABASE,
    });
    return tables.map((t) => t.table_name);
  }

  /** Drop the run's tables that `keep` does not name: memory for the stages after. */
  async dropRunTables(keep: (table: string) => boolean): Promise<string[]> {
    const dropped = (await this.runTables()).filter((t) => !keep(t));
    for (const table of dropped) await this.run(`DROP TABLE ${RUN_DATABASE}.main.${ident(table)}`);
    return dropped;
  }

  close(): void {
    this.session.open.delete(this);
    this.duckdb.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

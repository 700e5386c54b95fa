// The DuckDB warehouse: raw tables loaded in bulk, then the SQL in sql/ run in order.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { tempPathFor } from '../fsutil.js';

export type Row = Record<string, unknown>;

/** SQL string literal. */
export const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** SQL identifier. */
export const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

function csvField(v: string | null): string {
  if (v === null) return '';
  // Quote everything that is not plainly safe, so empty strings stay distinguishable from NULL.
  if (v === '' || /[",\r\n]/.test(v)) return `"${v.replaceAll('"', '""')}"`;
  return v;
}

const WHOLE_NUMBER_TYPES = new Set(['BIGINT', 'HUGEINT', 'UBIGINT', 'UHUGEINT']);
function isWholeNumberColumn(reader: { columnNames(): string[]; columnTypes(): { toString(): string }[] }, name: string): boolean {
  const i = reader.columnNames().indexOf(name);
  return i >= 0 && WHOLE_NUMBER_TYPES.has(reader.columnTypes()[i]!.toString());
}

export class Warehouse {
  private constructor(
    readonly file: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(file: string): Promise<Warehouse> {
    if (file !== ':memory:') await mkdir(path.dirname(file), { recursive: true });
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    return new Warehouse(file, instance, connection);
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  /** Rows as plain JSON-safe objects: whole numbers as JS numbers when they fit exactly, else strings. */
  async all<T = Row>(sql: string): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson().map((row) => {
      for (const [k, v] of Object.entries(row)) if (typeof v === 'string' && /^-?\d{1,15}$/.test(v) && typeof row[k] === 'string' && isWholeNumberColumn(reader, k)) (row as Row)[k] = Number(v);
      return row;
    }) as T[];
  }

  async scalar<T = unknown>(sql: string): Promise<T> {
    const rows = await this.all(sql);
    const first = rows[0];
    return (first ? Object.values(first)[0] : undefined) as T;
  }

  /** Run every .sql file in a folder in name order (01_…, 02_…). */
  async runSqlFolder(folder: string, vars: Record<string, string> = {}): Promise<string[]> {
    const files = (await readdir(folder)).filter((f) => f.endsWith('.sql')).sort();
    for (const f of files) await this.runSqlFile(path.join(folder, f), vars);
    return files;
  }

  /** Run a .sql file; `{{name}}` placeholders are replaced by `vars` (SQL literals, made by the caller). */
  async runSqlFile(file: string, vars: Record<string, string> = {}): Promise<void> {
    const sql = (await readFile(file, 'utf8')).replace(/\{\{(\w+)\}\}/g, (m, name: string) => {
      if (!(name in vars)) throw new Error(`${file}: no value for placeholder ${m}`);
      return vars[name]!;
    });
    try {
      await this.connection.run(sql);
    } catch (err) {
      throw new Error(`${path.basename(file)}: ${(err as Error).message}`);
    }
  }

  /**
   * Bulk-load text rows into a table of VARCHAR columns (plus whatever the SQL later casts).
   * Rows are spooled to CSV and read by DuckDB's CSV reader, which is far faster than
   * row-by-row inserts; memory stays at one write buffer.
   */
  async loadTextRows(table: string, columns: string[], rows: AsyncIterable<(string | null)[]> | Iterable<(string | null)[]>, spoolDir: string): Promise<number> {
    await mkdir(spoolDir, { recursive: true });
    const spool = tempPathFor(path.join(spoolDir, `${table}.csv`));
    const out = createWriteStream(spool, { highWaterMark: 1 << 20 });
    let count = 0;
    try {
      let chunk = '';
      for await (const row of rows) {
        let line = '';
        for (let i = 0; i < columns.length; i++) line += (i ? ',' : '') + csvField(row[i] ?? null);
        chunk += line + '\n';
        count++;
        if (chunk.length > 1 << 20) {
          if (!out.write(chunk)) await once(out, 'drain');
          chunk = '';
        }
      }
      out.end(chunk);
      await once(out, 'finish');
      const cols = `{${columns.map((c) => `${lit(c)}: 'VARCHAR'`).join(', ')}}`;
      await this.run(
        `CREATE OR REPLACE TABLE ${ident(table)} AS SELECT * FROM read_csv(${lit(spool)}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${cols}, allow_quoted_nulls = false)`,
      );
    } finally {
      out.destroy();
      await rm(spool, { force: true });
    }
    return count;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

// A published snapshot opened for reading: its folder, id and Parquet files, and a small
// in-memory DuckDB to query them with. Everything that reads a published snapshot (the report,
// lmi diff, the search and program views, a future API) opens it here.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { type Params, Warehouse } from '../load/warehouse.js';
import { readLatest } from './manifest.js';

export class SnapshotReader {
  private constructor(
    /** The snapshot's folder. */
    readonly dir: string,
    readonly snapshotId: string,
    private readonly db: Warehouse,
  ) {}

  /**
   * The snapshot latest.json names in `outputDir` (a ConfigError when none is published). `small`
   * (default true): one thread and a 64 MB cap, enough to read one area's rows.
   */
  static async latest(outputDir: string, opts: { small?: boolean } = {}): Promise<SnapshotReader> {
    const latest = await readLatest(outputDir);
    if (!latest) throw new ConfigError(`no snapshot in ${outputDir}: run lmi run first`);
    return new SnapshotReader(path.join(outputDir, latest.path), latest.snapshot_id, await Warehouse.open(':memory:', { small: opts.small ?? true }));
  }

  /** The snapshot in `dir` (its id is the folder's name), e.g. one being published. */
  static async open(dir: string, opts: { small?: boolean } = {}): Promise<SnapshotReader> {
    return new SnapshotReader(dir, path.basename(dir), await Warehouse.open(':memory:', { small: opts.small ?? true }));
  }

  /** Open the latest snapshot, run `read` with it, and close it whatever happens. */
  static async withLatest<T>(outputDir: string, read: (snapshot: SnapshotReader) => Promise<T>, opts: { small?: boolean } = {}): Promise<T> {
    const snapshot = await SnapshotReader.latest(outputDir, opts);
    try {
      return await read(snapshot);
    } finally {
      snapshot.close();
    }
  }

  /** A published table's Parquet file. */
  file(table: string): string {
    return path.join(this.dir, `${table}.parquet`);
  }

  /** Whether the snapshot has the table (older snapshots lack the tables added since). */
  has(table: string): boolean {
    return existsSync(this.file(table));
  }

  all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]> {
    return this.db.all<T>(sql, params);
  }

  scalar<T = unknown>(sql: string, params?: Params): Promise<T> {
    return this.db.scalar<T>(sql, params);
  }

  /** Rows as arrays, a chunk at a time (Warehouse.streamRows). */
  streamRows(sql: string, params?: Params): AsyncGenerator<unknown[]> {
    return this.db.streamRows(sql, params);
  }

  /** A statement with no result (a COPY of a table to CSV, a working table of the reader's own). */
  run(sql: string, params?: Params): Promise<void> {
    return this.db.run(sql, params);
  }

  /** The snapshot's area code for an area code or a state abbreviation, or a one-line error. */
  async areaCode(area: string): Promise<string> {
    const [row] = await this.all<{ area_code: string }>(
      `SELECT area_code FROM read_parquet($file) WHERE area_code = $area OR upper(state_abbr) = upper($area) ORDER BY area_type <> 'state' LIMIT 1`,
      { area, file: this.file('areas') },
    );
    if (!row) throw new ConfigError(`--area ${area}: not in snapshot ${this.snapshotId} (see its areas table)`);
    return row.area_code;
  }

  close(): void {
    this.db.close();
  }
}

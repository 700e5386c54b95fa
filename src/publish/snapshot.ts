// Publish a snapshot: every table as Parquet and JSON, the manifest, the quality report and
// the column docs, written to a hidden folder, copied to S3 if asked, and only then renamed
// into place. `latest.json` is written last, atomically, so a reader never sees a half-written
// snapshot, a failed run leaves the previous one exactly as it was, and a snapshot folder
// newer than latest.json is one a run died publishing (the next run's sweep removes it).
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PublishError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../fsutil.js';
import { type Latest, type Manifest, ManifestSchema, latestFile, readLatest, releasesOf, snapshotsDir } from './manifest.js';
import { QualityReportSchema, type QualityReport } from '../check/checks.js';
import { redactUrl } from '../redact.js';
import { DEFAULT_PARQUET_COMPRESSION, type ParquetCompression } from './parquet.js';
import { type ConnectionPool, PRIORITY_FIRST } from '../load/pool.js';
import { RUN_DATABASE, type Warehouse, ident, lit, withMemoryHint } from '../load/warehouse.js';
import { PriorityLimit, settleAll } from '../promises.js';
import type { TableLineage } from '../transform/lineage.js';
import { docsMarkdown, publishedTables } from './tables.js';

/**
 * The `{{TABLE_order}}` placeholders of the marts: each published table's row order, for the
 * ORDER BY of the model that builds it. Sorted there, once, the table is written as it stands;
 * a sorted copy made for the writes cost time and held a second copy of each table in DuckDB's
 * memory while later models ran.
 */
export function publishedOrderSql(): Record<string, string> {
  return Object.fromEntries(Object.entries(publishedTables()).map(([table, spec]) => [`${table}_order`, rowOrderSql(spec)]));
}

/** A published table's row order as an ORDER BY list: its declared order, else its key. */
export const rowOrderSql = (spec: { key: readonly string[]; order?: string }): string => spec.order ?? spec.key.map(ident).join(', ');

/** schema.json: every column's name, type and meaning, and where the table comes from, for BI tools and people. */
async function writeSchema(warehouse: Warehouse, dir: string, lineage: PublishInput['lineage']): Promise<void> {
  const schema: Record<string, { title: string; description: string; lineage?: unknown; columns: { name: string; type: string; description: string }[] }> = {};
  // One query for every table's columns, not a DESCRIBE per table at the end of the run.
  const columns = await warehouse.all<{ table_name: string; column_name: string; data_type: string }>(
    "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = $db AND schema_name = 'main' ORDER BY table_name, column_index",
    { db: RUN_DATABASE },
  );
  for (const [table, doc] of Object.entries(publishedTables())) {
    schema[table] = {
      title: doc.title,
      description: doc.description,
      lineage: lineage?.[table],
      columns: columns.filter((c) => c.table_name === table).map((c) => ({ name: c.column_name, type: c.data_type, description: doc.columns[c.column_name] ?? '' })),
    };
  }
  await writeJsonAtomic(path.join(dir, 'schema.json'), schema);
}

export interface PublishInput {
  /** The manifest but for what the draft knows: its snapshot id and the tables written. */
  manifest: Omit<Manifest, 'tables' | 'snapshot_id'>;
  quality: QualityReport;
  /** Each table's model, upstream models, raw tables and datasets, for schema.json. Default: none written. */
  lineage?: Record<string, TableLineage & { datasets: string[] }>;
  /** Copies the finished snapshot elsewhere (S3) before it is renamed into place and latest.json moves. */
  remote?: (snapshotDir: string, latest: Latest) => Promise<void>;
  /** Build report/ (the site, demand.xlsx, CSV). Default true. */
  report?: boolean;
}

/**
 * A snapshot being written, in a hidden folder of snapshots/: each table is written as soon as
 * the run has built it (write), on the pool the models run on, while later models and the
 * checks still run. Then either publish (the rest of the files, the rename, latest.json) or
 * discard (the folder goes; nothing published changes).
 */
export class SnapshotDraft {
  private readonly writes = new Map<string, Promise<Manifest['tables'][string]>>();
  /** Copies into snapshot.duckdb, one at a time, the largest first. */
  private readonly intoSnapshotFile = new PriorityLimit(1);
  private closed = false;

  private constructor(
    private readonly warehouse: Warehouse,
    private readonly pool: ConnectionPool,
    private readonly outputDir: string,
    readonly snapshotId: string,
    /** The hidden folder the files are written to. */
    readonly dir: string,
    /** Told of a cleanup that failed after the real failure (which is the one thrown). */
    private readonly onCleanupError?: (err: Error, what: string) => void,
    private readonly compression: ParquetCompression = DEFAULT_PARQUET_COMPRESSION,
  ) {}

  static async start(opts: {
    warehouse: Warehouse;
    pool: ConnectionPool;
    outputDir: string;
    snapshotId: string;
    onCleanupError?: (err: Error, what: string) => void;
    /** The Parquet files' codec. Default DEFAULT_PARQUET_COMPRESSION. */
    compression?: ParquetCompression;
  }): Promise<SnapshotDraft> {
    const root = snapshotsDir(opts.outputDir);
    if (existsSync(path.join(root, opts.snapshotId))) throw new PublishError(`snapshot ${opts.snapshotId} already exists in ${root}`);
    const dir = path.join(root, `.partial-${opts.snapshotId}-${process.pid}`);
    // partitioned/: the Hive partitions' tree (DuckDB's PARTITION_BY makes only the last folder).
    await mkdir(path.join(dir, 'partitioned'), { recursive: true });
    const { warehouse } = opts;
    try {
      // A table's files keep the order its model sorted it into (see writeTable).
      await warehouse.run('SET preserve_insertion_order = true');
      // ATTACH takes no bound parameter: the path is the project's own (snapshot folder + fixed name).
      await warehouse.run(`ATTACH ${lit(path.join(dir, 'snapshot.duckdb'))} AS snapshot_file`);
      // Each copy into snapshot.duckdb is checkpointed as it commits (straight into the file,
      // no write-ahead log), on the pool beside the other writes; else DETACH checkpointed the
      // last ones alone at the end. The run writes nothing else to a file meanwhile.
      await warehouse.run("SET checkpoint_threshold = '0b'");
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return new SnapshotDraft(warehouse, opts.pool, opts.outputDir, opts.snapshotId, dir, opts.onCleanupError, opts.compression);
  }

  /**
   * One table, in the order its model sorted it into: its Parquet file (and Hive partitions),
   * its JSON file and its copy in snapshot.duckdb, each a task of its own on the pool (a large
   * table's files are written side by side), all reading its rows in insertion order.
   */
  private async writeTable(table: string): Promise<Manifest['tables'][string]> {
    const { pool, dir } = this;
    const rows = Number(await pool.use((c) => c.scalar(`SELECT count(*) FROM ${ident(table)}`), PRIORITY_FIRST - 1));
    const files = [`${table}.parquet`, `${table}.json`];
    const partition = publishedTables()[table]?.partitionBy;
    // Hive partitions in a tree of their own: a connector that loads every Parquet file under a
    // folder (Power BI's folder source, an Athena table on the prefix) must not count rows twice.
    if (partition && rows > 0) files.push(`partitioned/${table}/${partition}=*/data_0.parquet`);
    // The largest tables' files first (their rows as the priority), so that the last ones written are small.
    const task = (sql: string, params: Record<string, string> = {}) => pool.use((c) => c.run(sql, params), rows);
    // snapshot.duckdb holds every table in the file itself (not views over the Parquet: DuckDB
    // resolves a view's relative path against the working directory, so views broke when the
    // file was opened from elsewhere, moved or synced). Power BI or `duckdb /any/path/snapshot.duckdb` opens it as is.
    // One table at a time: a second writer of the file only waits (for a checkpoint, often) and
    // holds a connection the other files could use.
    const copied = this.intoSnapshotFile.run(() => pool.use((c) => c.run(`CREATE TABLE snapshot_file.${ident(table)} AS SELECT * FROM ${ident(table)}`), PRIORITY_FIRST - 2), rows);
    await settleAll([
      copied,
      task(`COPY ${ident(table)} TO $file (FORMAT json, ARRAY true)`, { file: path.join(dir, files[1]!) }),
      task(`COPY ${ident(table)} TO $file (FORMAT parquet, COMPRESSION ${this.compression})`, { file: path.join(dir, files[0]!) }),
      partition && rows > 0
        ? task(`COPY ${ident(table)} TO $folder (FORMAT parquet, COMPRESSION ${this.compression}, PARTITION_BY (${ident(partition)}), FILENAME_PATTERN 'data_{i}')`, {
            folder: path.join(dir, 'partitioned', table),
          })
        : Promise.resolve(),
    ]);
    return { rows, files };
  }

  /** Start writing a published table (once; any other name is not published and is ignored). */
  write(table: string): void {
    if (!(table in publishedTables()) || this.writes.has(table)) return;
    const written = this.writeTable(table);
    // Awaited by publish or discard; until then a failure must not count as unhandled.
    written.catch(() => undefined);
    this.writes.set(table, written);
  }

  /** Wait for every write started, then let go of snapshot.duckdb and the sort order. */
  private async close(): Promise<Manifest['tables']> {
    if (this.closed) throw new PublishError(`snapshot ${this.snapshotId} was already published or discarded`);
    this.closed = true;
    const tables: Manifest['tables'] = {};
    try {
      await settleAll([...this.writes].map(async ([table, written]) => void (tables[table] = await written)));
    } finally {
      await this.warehouse.run('DETACH snapshot_file');
      await this.warehouse.run('RESET checkpoint_threshold');
      await this.warehouse.run('SET preserve_insertion_order = false');
    }
    return tables;
  }

  /**
   * Write the tables not written yet, then quality.json, the docs, schema.json, manifest.json
   * and the report; copy to S3 if asked; rename the folder into place and write latest.json.
   * A failure removes the folder and is thrown as a PublishError.
   */
  async publish({ manifest, quality, lineage, remote, report = true }: PublishInput): Promise<{ dir: string; manifest: Manifest; latest: Latest }> {
    const finalDir = path.join(snapshotsDir(this.outputDir), this.snapshotId);
    let renamed = false;
    try {
      // Largest first: the pool's connections then finish at about the same time.
      const sizes = new Map(
        (
          await this.warehouse.all<{ table_name: string; rows: number }>(
            "SELECT table_name, estimated_size AS rows FROM duckdb_tables() WHERE database_name = $db AND schema_name = 'main'",
            { db: RUN_DATABASE },
          )
        ).map((t) => [t.table_name, t.rows]),
      );
      for (const table of Object.keys(publishedTables()).sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0))) this.write(table);
      // While the pool writes the tables: the files that need none of them.
      await writeJsonAtomic(path.join(this.dir, 'quality.json'), QualityReportSchema.parse(quality));
      await writeFileAtomic(path.join(this.dir, 'docs', 'columns.md'), docsMarkdown());
      await writeSchema(this.warehouse, this.dir, lineage);
      const written = await this.close();
      // Every table is written, and what follows (the report, the upload) reads the files: the
      // run's tables give DuckDB's memory back first (kept, they raised the peak of a refresh
      // with its report).
      await this.warehouse.dropRunTables(() => false);
      // The manifest lists the tables in their declared order, whichever was written first.
      const tables = Object.fromEntries(Object.keys(publishedTables()).map((t) => [t, written[t]!]));
      // Whatever a dataset recorded, no URL's credentials reach the published manifest (or the report, which reads it).
      const sources = manifest.sources.map((src) => ({ ...src, url: redactUrl(src.url), requested_url: redactUrl(src.requested_url) }));
      const full: Manifest = ManifestSchema.parse({ ...manifest, sources, snapshot_id: this.snapshotId, tables });
      const latest: Latest = {
        snapshot_id: this.snapshotId,
        path: `snapshots/${this.snapshotId}`,
        created_at: manifest.created_at,
        releases: releasesOf(full),
        rows: Object.fromEntries(Object.entries(tables).map(([t, v]) => [t, v.rows])),
        quality: full.quality,
      };
      await writeJsonAtomic(path.join(this.dir, 'manifest.json'), full);
      // The report reads the files just written, and the previous snapshot for what changed.
      const previous = await readLatest(this.outputDir);
      // Loaded only when used: the report's charting and spreadsheet libraries are slow to import.
      if (report) await (await import('./report/index.js')).buildReport(this.dir, { previousDir: previous && path.join(this.outputDir, previous.path) });
      if (remote) await remote(this.dir, latest);
      await rename(this.dir, finalDir);
      renamed = true;
      await writeJsonAtomic(latestFile(this.outputDir), latest);
      return { dir: finalDir, manifest: full, latest };
    } catch (err) {
      // The first failure is the one reported; a cleanup that fails too is only told of.
      for (const dir of renamed ? [finalDir] : [this.dir])
        await rm(dir, { recursive: true, force: true }).catch((cleanup: Error) => this.onCleanupError?.(cleanup, `removing ${dir}`));
      if (err instanceof PublishError) throw err;
      throw new PublishError(`publishing snapshot ${this.snapshotId} failed: ${withMemoryHint((err as Error).message, this.warehouse.memoryLimit)}`);
    }
  }

  /** The run failed (a check, a model): wait for the writes under way, then remove the folder. */
  async discard(): Promise<void> {
    if (this.closed) return;
    await this.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true }).catch((cleanup: Error) => this.onCleanupError?.(cleanup, `removing ${this.dir}`));
  }
}

/**
 * The data test unique_keys, generated from the tables' declared keys (sql/marts/*.yml; and the internal
 * dim_area): the keys that occur more than once. NULL parts of a key count as equal.
 */
export function uniqueKeysSql(): string {
  const tables: [string, readonly string[]][] = [...Object.entries(publishedTables()).map(([t, s]) => [t, s.key] as [string, readonly string[]]), ['dim_area', ['area_code']]];
  return tables
    .map(
      ([table, key]) =>
        `SELECT ${lit(table)} AS tbl, concat_ws(' ', ${key.map((c) => `coalesce(CAST(${ident(c)} AS VARCHAR), '(none)')`).join(', ')}) AS key, count(*) AS rows FROM ${ident(table)} GROUP BY ${key.map(ident).join(', ')} HAVING count(*) > 1`,
    )
    .join('\nUNION ALL\n');
}

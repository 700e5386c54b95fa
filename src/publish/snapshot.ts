// Publish a snapshot: every table as Parquet and JSON, the manifest, the quality report and
// the column docs, written to a hidden folder, copied to S3 if asked, and only then renamed
// into place. `latest.json` is written last, atomically, so a reader never sees a half-written
// snapshot, a failed run leaves the previous one exactly as it was, and a snapshot folder
// newer than latest.json is one a run died publishing (the next run's sweep removes it).
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { PublishError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../fsutil.js';
import { SourceProvenanceSchema } from '../context.js';
import { QualityReportSchema, type QualityReport } from '../check/checks.js';
import { ConnectionPool, RUN_DATABASE, type Warehouse, ident, lit } from '../load/warehouse.js';
import { settleAll } from '../promises.js';
import { DATASET_TABLES } from '../../pipelines/index.js';
import { TABLE_DOCS, docsMarkdown } from './columns.js';

/**
 * Published tables: each one's key (one row per key: the data test unique_keys is generated from
 * these) and the order its rows are written in (stable, so output is reproducible; default: the key).
 */
export const SNAPSHOT_TABLES = {
  occupations: { key: ['area_code', 'soc_code'] },
  occupation_clusters: { key: ['framework', 'soc_code', 'cluster', 'sub_cluster'] },
  cluster_demand: { key: ['area_code', 'framework', 'cluster'] },
  subcluster_demand: { key: ['area_code', 'framework', 'cluster', 'sub_cluster'] },
  coverage: { key: ['area_code'] },
  areas: { key: ['area_code'] },
  programs: { key: ['area_code', 'cip_code'] },
  cluster_industry_demand: {
    key: ['area_code', 'framework', 'cluster', 'sub_cluster', 'naics_sector'],
    order: 'area_code, framework, cluster, sub_cluster NULLS FIRST, naics_sector',
  },
  industry_alignment: { key: ['area_code', 'framework', 'cluster', 'sub_cluster'], order: 'area_code, framework, cluster, sub_cluster NULLS FIRST' },
  industry_subclusters: { key: ['framework', 'cluster', 'sub_cluster', 'naics_sector'] },
  occupation_titles: { key: ['soc_code', 'source', 'title'] },
  occupation_interests: { key: ['soc_code'] },
  cluster_interests: { key: ['area_code', 'framework', 'cluster', 'sub_cluster'], order: 'area_code, framework, cluster, sub_cluster NULLS FIRST' },
  related_occupations: { key: ['soc_code', 'related_soc_code'], order: 'soc_code, relatedness_index, related_soc_code' },
  cluster_history: { key: ['release', 'framework', 'cluster'] },
  subcluster_history: { key: ['release', 'framework', 'cluster', 'sub_cluster'] },
  occupation_history: { key: ['release', 'soc_code'] },
  cluster_growth: { key: ['framework', 'cluster', 'window_years'] },
  history_coverage: { key: ['release'] },
} as const satisfies Record<string, { key: readonly string[]; order?: string }>;
export type SnapshotTable = keyof typeof SNAPSHOT_TABLES;

/** Every table a snapshot publishes: the core tables above, then those the datasets declare (pipelines/). */
export const PUBLISHED_TABLES: Record<string, { key: readonly string[]; order?: string }> = { ...SNAPSHOT_TABLES, ...DATASET_TABLES };

export const ManifestSchema = z.object({
  snapshot_id: z.string(),
  /** The run that made it (runs history), so a run killed after publishing is still credited. */
  run_id: z.string().optional(),
  created_at: z.string(),
  code_version: z.string(),
  input_hash: z.string(),
  sources: z.array(SourceProvenanceSchema),
  facts: z.record(z.string(), z.union([z.string(), z.number()])),
  crosswalk_version: z.string(),
  policy: z.object({ name: z.string(), version: z.string(), title: z.string(), sha256: z.string(), sources: z.array(z.object({ title: z.string(), url: z.string() })) }),
  bright_outlook: z.object({ edition: z.string(), faster_than_average_pct: z.number(), openings_over_period: z.number(), source: z.string() }),
  tables: z.record(z.string(), z.object({ rows: z.number(), files: z.array(z.string()) })),
  quality: z.enum(['pass', 'warn', 'fail']),
  attribution: z.array(z.string()),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const LatestSchema = z.object({
  snapshot_id: z.string(),
  path: z.string(),
  created_at: z.string(),
  /** What a consumer polls for (added later; older latest.json files lack them). */
  releases: z.record(z.string(), z.string()).optional(),
  rows: z.record(z.string(), z.number()).optional(),
  quality: z.enum(['pass', 'warn', 'fail']).optional(),
});
export type Latest = z.infer<typeof LatestSchema>;

export const snapshotsDir = (outputDir: string) => path.join(outputDir, 'snapshots');
export const latestFile = (outputDir: string) => path.join(outputDir, 'latest.json');

export async function readLatest(outputDir: string): Promise<Latest | undefined> {
  const file = latestFile(outputDir);
  if (!existsSync(file)) return undefined;
  return LatestSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

export async function readManifest(outputDir: string, snapshotId: string): Promise<Manifest> {
  return ManifestSchema.parse(JSON.parse(await readFile(path.join(snapshotsDir(outputDir), snapshotId, 'manifest.json'), 'utf8')));
}

/** Each source's release, by source name, as latest.json and `lmi snapshots` show them. */
export function releasesOf(manifest: Pick<Manifest, 'sources'>): Record<string, string> {
  return Object.fromEntries(manifest.sources.map((s) => [s.source, s.release]));
}

/**
 * Snapshot folders a run finished writing but never published: made after the snapshot
 * latest.json names (or when there is none). A kill between the folder's rename and the
 * latest.json write leaves one; nothing may list it as published, and the sweep removes it.
 */
export async function unpublishedSnapshots(outputDir: string): Promise<string[]> {
  const root = snapshotsDir(outputDir);
  if (!existsSync(root)) return [];
  const latest = await readLatest(outputDir);
  const out: string[] = [];
  for (const id of (await readdir(root)).filter((n) => !n.startsWith('.')).sort()) {
    if (id === latest?.snapshot_id) continue;
    const created = await readManifest(outputDir, id).then(
      (m) => m.created_at,
      () => undefined,
    );
    if (created === undefined || !latest || created > latest.created_at) out.push(id);
  }
  return out;
}

/** Tables also written as Hive-style partitions (TABLE/area_type=…/data_0.parquet): they grow with areas. */
export const PARTITIONED_TABLES: Partial<Record<string, string>> = {
  occupations: 'area_type',
  cluster_history: 'release',
  subcluster_history: 'release',
  occupation_history: 'release',
};

/**
 * Write the tables of a snapshot into `dir` (Parquet, JSON and snapshot.duckdb), returning row
 * counts. The pool's connections take the tables, largest first, one at a time (DuckDB writes a
 * table on one thread: see Warehouse.open). Each table is sorted once, into its published order, and
 * then written as it stands with insertion order kept: an ORDER BY in each COPY sorted every
 * table three times, and each sort held memory DuckDB does not count against its cap.
 */
async function writeTables(warehouse: Warehouse, dir: string): Promise<Manifest['tables']> {
  const tables: Manifest['tables'] = {};
  await warehouse.run('SET preserve_insertion_order = true');
  // ATTACH takes no bound parameter: the path is the project's own (snapshot folder + fixed name).
  await warehouse.run(`ATTACH ${lit(path.join(dir, 'snapshot.duckdb'))} AS snapshot_file`);
  const pool = await ConnectionPool.open(warehouse);
  try {
    const sizes = new Map(
      (
        await warehouse.all<{ table_name: string; rows: number }>('SELECT table_name, estimated_size AS rows FROM duckdb_tables() WHERE database_name = $db', { db: RUN_DATABASE })
      ).map((t) => [t.table_name, t.rows]),
    );
    const largestFirst = Object.keys(PUBLISHED_TABLES).sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0));
    await settleAll(largestFirst.map((table) => pool.use(async (connection) => void (tables[table] = await writeTable(connection, dir, table)))));
  } finally {
    pool.close();
    await warehouse.run('DETACH snapshot_file');
    await warehouse.run('SET preserve_insertion_order = false');
  }
  // The manifest lists the tables in their declared order, whichever connection wrote them first.
  return Object.fromEntries(Object.keys(PUBLISHED_TABLES).map((t) => [t, tables[t]!]));
}

/**
 * One table: sorted into its published order, then its Parquet file (and Hive partitions), its
 * JSON file, and its copy in snapshot.duckdb, all from the sorted rows.
 */
async function writeTable(connection: Warehouse, dir: string, table: string): Promise<Manifest['tables'][string]> {
  const spec = PUBLISHED_TABLES[table]!;
  await connection.run(`CREATE OR REPLACE TABLE ${ident(table)} AS SELECT * FROM ${ident(table)} ORDER BY ${spec.order ?? spec.key.join(', ')}`);
  const files = [`${table}.parquet`, `${table}.json`];
  await connection.run(`COPY ${ident(table)} TO $file (FORMAT parquet, COMPRESSION zstd)`, { file: path.join(dir, files[0]!) });
  const rows = Number(await connection.scalar(`SELECT count(*) FROM ${ident(table)}`));
  const partition = PARTITIONED_TABLES[table];
  if (partition && rows > 0) {
    await connection.run(`COPY ${ident(table)} TO $folder (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${ident(partition)}), FILENAME_PATTERN 'data_{i}')`, {
      folder: path.join(dir, table),
    });
    files.push(`${table}/${partition}=*/data_0.parquet`);
  }
  await connection.run(`COPY ${ident(table)} TO $file (FORMAT json, ARRAY true)`, { file: path.join(dir, files[1]!) });
  // snapshot.duckdb holds every table in the file itself (not views over the Parquet: DuckDB
  // resolves a view's relative path against the working directory, so views broke when the
  // file was opened from elsewhere, moved or synced). Power BI or `duckdb /any/path/snapshot.duckdb` opens it as is.
  await connection.run(`CREATE TABLE snapshot_file.${ident(table)} AS SELECT * FROM ${ident(table)}`);
  return { rows, files };
}

/** schema.json: every column's name, type and meaning, for BI tools and people. */
async function writeSchema(warehouse: Warehouse, dir: string): Promise<void> {
  const schema: Record<string, { title: string; description: string; columns: { name: string; type: string; description: string }[] }> = {};
  for (const table of Object.keys(PUBLISHED_TABLES)) {
    const doc = TABLE_DOCS[table]!;
    const columns = await warehouse.all<{ column_name: string; column_type: string }>(`DESCRIBE ${ident(table)}`);
    schema[table] = {
      title: doc.title,
      description: doc.description,
      columns: columns.map((c) => ({ name: c.column_name, type: c.column_type, description: doc.columns[c.column_name] ?? '' })),
    };
  }
  await writeJsonAtomic(path.join(dir, 'schema.json'), schema);
}

export interface PublishInput {
  warehouse: Warehouse;
  outputDir: string;
  manifest: Omit<Manifest, 'tables'>;
  quality: QualityReport;
  /** Copies the finished snapshot elsewhere (S3) before it is renamed into place and latest.json moves. */
  remote?: (snapshotDir: string, latest: Latest) => Promise<void>;
  /** Build report/ (the site, demand.xlsx, CSV). Default true. */
  report?: boolean;
  /** Told of a cleanup that failed after the real failure (which is the one thrown). */
  onCleanupError?: (err: Error, what: string) => void;
}

export async function publishSnapshot({
  warehouse,
  outputDir,
  manifest,
  quality,
  remote,
  report = true,
  onCleanupError,
}: PublishInput): Promise<{ dir: string; manifest: Manifest; latest: Latest }> {
  const root = snapshotsDir(outputDir);
  const finalDir = path.join(root, manifest.snapshot_id);
  if (existsSync(finalDir)) throw new PublishError(`snapshot ${manifest.snapshot_id} already exists in ${root}`);
  const tmpDir = path.join(root, `.partial-${manifest.snapshot_id}-${process.pid}`);
  await mkdir(tmpDir, { recursive: true });
  let renamed = false;
  try {
    const tables = await writeTables(warehouse, tmpDir);
    const full: Manifest = ManifestSchema.parse({ ...manifest, tables });
    const latest: Latest = {
      snapshot_id: manifest.snapshot_id,
      path: `snapshots/${manifest.snapshot_id}`,
      created_at: manifest.created_at,
      releases: releasesOf(full),
      rows: Object.fromEntries(Object.entries(tables).map(([t, v]) => [t, v.rows])),
      quality: full.quality,
    };
    await writeJsonAtomic(path.join(tmpDir, 'quality.json'), QualityReportSchema.parse(quality));
    await writeFileAtomic(path.join(tmpDir, 'docs', 'columns.md'), docsMarkdown());
    await writeSchema(warehouse, tmpDir);
    await writeJsonAtomic(path.join(tmpDir, 'manifest.json'), full);
    // The report reads the files just written, and the previous snapshot for what changed.
    const previous = await readLatest(outputDir);
    // Loaded only when used: the report's charting and spreadsheet libraries cost 0.4 s to import.
    if (report) await (await import('./report/index.js')).buildReport(tmpDir, { previousDir: previous && path.join(outputDir, previous.path) });
    if (remote) await remote(tmpDir, latest);
    await rename(tmpDir, finalDir);
    renamed = true;
    await writeJsonAtomic(latestFile(outputDir), latest);
    return { dir: finalDir, manifest: full, latest };
  } catch (err) {
    // The first failure is the one reported; a cleanup that fails too is only told of.
    for (const dir of renamed ? [finalDir] : [tmpDir]) await rm(dir, { recursive: true, force: true }).catch((cleanup: Error) => onCleanupError?.(cleanup, `removing ${dir}`));
    if (err instanceof PublishError) throw err;
    throw new PublishError(`publishing snapshot ${manifest.snapshot_id} failed: ${(err as Error).message}`);
  }
}

/**
 * The data test unique_keys, generated from the tables' declared keys (and the internal
 * dim_area): the keys that occur more than once. NULL parts of a key count as equal.
 */
export function uniqueKeysSql(): string {
  const tables: [string, readonly string[]][] = [...Object.entries(PUBLISHED_TABLES).map(([t, s]) => [t, s.key] as [string, readonly string[]]), ['dim_area', ['area_code']]];
  return tables
    .map(
      ([table, key]) =>
        `SELECT ${lit(table)} AS tbl, concat_ws(' ', ${key.map((c) => `coalesce(CAST(${ident(c)} AS VARCHAR), '(none)')`).join(', ')}) AS key, count(*) AS rows FROM ${ident(table)} GROUP BY ${key.map(ident).join(', ')} HAVING count(*) > 1`,
    )
    .join('\nUNION ALL\n');
}

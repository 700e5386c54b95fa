// Publish a snapshot: every table as Parquet and JSON, the manifest, the quality report and
// the column docs, written to a hidden folder that is renamed into place when complete.
// `latest.json` is written last, atomically, so a reader never sees a half-written snapshot
// and a failed run leaves the previous one exactly as it was.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { PublishError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../fsutil.js';
import { SourceProvenanceSchema } from '../context.js';
import { QualityReportSchema, type QualityReport } from '../check/checks.js';
import { Warehouse, ident, lit } from '../load/warehouse.js';
import { TABLE_DOCS, docsMarkdown } from './columns.js';

/** Published tables and the order their rows are written in (stable, so output is reproducible). */
export const SNAPSHOT_TABLES = {
  occupations: 'area_code, soc_code',
  occupation_clusters: 'framework, soc_code, cluster, sub_cluster',
  cluster_demand: 'area_code, framework, cluster',
  subcluster_demand: 'area_code, framework, cluster, sub_cluster',
  coverage: 'area_code',
  areas: 'area_code',
  programs: 'area_code, cip_code',
} as const;
export type SnapshotTable = keyof typeof SNAPSHOT_TABLES;

export const ManifestSchema = z.object({
  snapshot_id: z.string(),
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

export const LatestSchema = z.object({ snapshot_id: z.string(), path: z.string(), created_at: z.string() });
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

/** Tables also written as Hive-style partitions (TABLE/area_type=…/data_0.parquet): they grow with areas. */
export const PARTITIONED_TABLES: Partial<Record<SnapshotTable, string>> = { occupations: 'area_type' };

/** Write the tables of a snapshot into `dir` (Parquet and JSON), returning row counts. */
async function writeTables(warehouse: Warehouse, dir: string): Promise<Manifest['tables']> {
  const tables: Manifest['tables'] = {};
  for (const [table, order] of Object.entries(SNAPSHOT_TABLES) as [SnapshotTable, string][]) {
    const query = `SELECT * FROM ${ident(table)} ORDER BY ${order}`;
    const files = [`${table}.parquet`, `${table}.json`];
    await warehouse.run(`COPY (${query}) TO ${lit(path.join(dir, files[0]!))} (FORMAT parquet, COMPRESSION zstd)`);
    await warehouse.run(`COPY (${query}) TO ${lit(path.join(dir, files[1]!))} (FORMAT json, ARRAY true)`);
    const partition = PARTITIONED_TABLES[table];
    if (partition) {
      await warehouse.run(`COPY (${query}) TO ${lit(path.join(dir, table))} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${ident(partition)}), FILENAME_PATTERN 'data_{i}')`);
      files.push(`${table}/${partition}=*/data_0.parquet`);
    }
    tables[table] = { rows: Number(await warehouse.scalar(`SELECT count(*) FROM ${ident(table)}`)), files };
  }
  return tables;
}

/** schema.json: every column's name, type and meaning, for BI tools and people. */
async function writeSchema(warehouse: Warehouse, dir: string): Promise<void> {
  const schema: Record<string, { title: string; description: string; columns: { name: string; type: string; description: string }[] }> = {};
  for (const table of Object.keys(SNAPSHOT_TABLES)) {
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

/**
 * snapshot.duckdb: views over the snapshot's Parquet (relative paths), so `duckdb snapshot.duckdb`
 * run in the snapshot folder, or a BI tool pointed at it, opens every table as is.
 */
async function writeDuckdbViews(dir: string): Promise<void> {
  const db = await Warehouse.open(path.join(dir, 'snapshot.duckdb'));
  try {
    // Views are bound when created: resolve the relative paths from the snapshot folder.
    await db.run(`SET file_search_path = ${lit(dir)}`);
    for (const table of Object.keys(SNAPSHOT_TABLES)) await db.run(`CREATE VIEW ${ident(table)} AS SELECT * FROM read_parquet(${lit(`${table}.parquet`)})`);
  } finally {
    db.close();
  }
}

export interface PublishInput {
  warehouse: Warehouse;
  outputDir: string;
  manifest: Omit<Manifest, 'tables'>;
  quality: QualityReport;
  /** Copies the finished snapshot elsewhere (S3) before the local latest.json moves. */
  remote?: (snapshotDir: string, latest: Latest) => Promise<void>;
}

export async function publishSnapshot({ warehouse, outputDir, manifest, quality, remote }: PublishInput): Promise<{ dir: string; manifest: Manifest }> {
  const root = snapshotsDir(outputDir);
  const finalDir = path.join(root, manifest.snapshot_id);
  if (existsSync(finalDir)) throw new PublishError(`snapshot ${manifest.snapshot_id} already exists in ${root}`);
  const tmpDir = path.join(root, `.partial-${manifest.snapshot_id}-${process.pid}`);
  await mkdir(tmpDir, { recursive: true });
  const latest: Latest = { snapshot_id: manifest.snapshot_id, path: `snapshots/${manifest.snapshot_id}`, created_at: manifest.created_at };
  try {
    const tables = await writeTables(warehouse, tmpDir);
    const full: Manifest = ManifestSchema.parse({ ...manifest, tables });
    await writeJsonAtomic(path.join(tmpDir, 'quality.json'), QualityReportSchema.parse(quality));
    await writeFileAtomic(path.join(tmpDir, 'docs', 'columns.md'), docsMarkdown());
    await writeSchema(warehouse, tmpDir);
    await writeDuckdbViews(tmpDir);
    await writeJsonAtomic(path.join(tmpDir, 'manifest.json'), full);
    await rename(tmpDir, finalDir);
    if (remote) await remote(finalDir, latest);
    await writeJsonAtomic(latestFile(outputDir), latest);
    return { dir: finalDir, manifest: full };
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    if (err instanceof PublishError) throw err;
    throw new PublishError(`publishing snapshot ${manifest.snapshot_id} failed: ${(err as Error).message}`);
  }
}

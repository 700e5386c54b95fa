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
import { ident, lit, type Warehouse } from '../load/warehouse.js';
import { docsMarkdown } from './columns.js';

/** Published tables and the order their rows are written in (stable, so output is reproducible). */
export const SNAPSHOT_TABLES = {
  occupations: 'area_code, soc_code',
  occupation_clusters: 'soc_code, cluster, sub_cluster',
  cluster_demand: 'area_code, cluster',
  subcluster_demand: 'area_code, cluster, sub_cluster',
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

/** Write the tables of a snapshot into `dir` (Parquet and JSON), returning row counts. */
async function writeTables(warehouse: Warehouse, dir: string): Promise<Manifest['tables']> {
  const tables: Manifest['tables'] = {};
  for (const [table, order] of Object.entries(SNAPSHOT_TABLES)) {
    const query = `SELECT * FROM ${ident(table)} ORDER BY ${order}`;
    const parquet = path.join(dir, `${table}.parquet`);
    const json = path.join(dir, `${table}.json`);
    await warehouse.run(`COPY (${query}) TO ${lit(parquet)} (FORMAT parquet, COMPRESSION zstd)`);
    await warehouse.run(`COPY (${query}) TO ${lit(json)} (FORMAT json, ARRAY true)`);
    tables[table] = { rows: Number(await warehouse.scalar(`SELECT count(*) FROM ${ident(table)}`)), files: [`${table}.parquet`, `${table}.json`] };
  }
  return tables;
}

export interface PublishInput {
  warehouse: Warehouse;
  outputDir: string;
  manifest: Omit<Manifest, 'tables'>;
  quality: QualityReport;
}

export async function publishSnapshot({ warehouse, outputDir, manifest, quality }: PublishInput): Promise<{ dir: string; manifest: Manifest }> {
  const root = snapshotsDir(outputDir);
  const finalDir = path.join(root, manifest.snapshot_id);
  if (existsSync(finalDir)) throw new PublishError(`snapshot ${manifest.snapshot_id} already exists in ${root}`);
  const tmpDir = path.join(root, `.partial-${manifest.snapshot_id}-${process.pid}`);
  await mkdir(tmpDir, { recursive: true });
  try {
    const tables = await writeTables(warehouse, tmpDir);
    const full: Manifest = ManifestSchema.parse({ ...manifest, tables });
    await writeJsonAtomic(path.join(tmpDir, 'quality.json'), QualityReportSchema.parse(quality));
    await writeFileAtomic(path.join(tmpDir, 'docs', 'columns.md'), docsMarkdown());
    await writeJsonAtomic(path.join(tmpDir, 'manifest.json'), full);
    await rename(tmpDir, finalDir);
    await writeJsonAtomic(latestFile(outputDir), { snapshot_id: manifest.snapshot_id, path: `snapshots/${manifest.snapshot_id}`, created_at: manifest.created_at } satisfies Latest);
    return { dir: finalDir, manifest: full };
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    if (err instanceof PublishError) throw err;
    throw new PublishError(`publishing snapshot ${manifest.snapshot_id} failed: ${(err as Error).message}`);
  }
}

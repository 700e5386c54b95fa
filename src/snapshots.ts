// Published snapshots: list them, and compare two by area and cluster.
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DATASETS } from '../pipelines/index.js';
import { ConfigError } from './errors.js';
import { diffClusterDemandFiles, type DiffRow } from './publish/diff.js';
import { readLatest, readManifest, snapshotsDir, unpublishedSnapshots } from './publish/manifest.js';

export interface SnapshotSummary {
  snapshot_id: string;
  created_at: string;
  latest: boolean;
  releases: Record<string, string>;
  rows: Record<string, number>;
  quality: string;
}

/** The releases a list of snapshots shows: each dataset's headline (pipelines/*.ts `headline`). */
function headlineReleases(sources: { source: string; release: string }[]): Record<string, string> {
  return Object.assign({}, ...DATASETS.map((d) => d.headline?.(sources) ?? {}));
}

export async function listSnapshots(outputDir: string): Promise<SnapshotSummary[]> {
  const root = snapshotsDir(outputDir);
  if (!existsSync(root)) return [];
  const latest = await readLatest(outputDir);
  // A folder a run died publishing is not a published snapshot (the next run removes it).
  const unpublished = new Set(await unpublishedSnapshots(outputDir));
  const out: SnapshotSummary[] = [];
  for (const id of (await readdir(root)).filter((n) => !n.startsWith('.') && !unpublished.has(n)).sort()) {
    if (!existsSync(path.join(root, id, 'manifest.json'))) continue;
    const m = await readManifest(outputDir, id);
    out.push({
      snapshot_id: id,
      created_at: m.created_at,
      latest: latest?.snapshot_id === id,
      releases: headlineReleases(m.sources),
      rows: Object.fromEntries(Object.entries(m.tables).map(([t, v]) => [t, v.rows])),
      quality: m.quality,
    });
  }
  return out.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Per area × cluster: each measure in A and B and the change, for rows present in either. */
export async function diffSnapshots(outputDir: string, a: string, b: string): Promise<DiffRow[]> {
  const resolve = async (id: string) => {
    const real = id === 'latest' ? (await readLatest(outputDir))?.snapshot_id : id;
    const file = real && path.join(snapshotsDir(outputDir), real, 'cluster_demand.parquet');
    if (!file || !existsSync(file)) throw new ConfigError(`no snapshot "${id}" in ${snapshotsDir(outputDir)} (see lmi snapshots)`);
    return file;
  };
  return diffClusterDemandFiles(await resolve(a), await resolve(b));
}

/**
 * Snapshots kept by default: the newest 10 (about 2 GB of state snapshots with their reports).
 * A board that diffs against older ones raises it (the config file's `retention`, `lmi prune --keep`).
 */
export const DEFAULT_RETENTION = 10;

/**
 * Remove published snapshots beyond the newest `keep`, never the one latest.json names (an older
 * release pinned last may be the latest and not the newest). The caller holds the run lock.
 * Returns the ids removed, oldest first.
 */
export async function pruneSnapshots(outputDir: string, keep: number): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 1) throw new ConfigError(`retention ${keep}: keep at least 1 snapshot`);
  const list = await listSnapshots(outputDir);
  const newest = new Set(list.slice(-keep).map((s) => s.snapshot_id));
  const removed = list.filter((s) => !s.latest && !newest.has(s.snapshot_id)).map((s) => s.snapshot_id);
  for (const id of removed) await rm(path.join(snapshotsDir(outputDir), id), { recursive: true, force: true });
  return removed;
}

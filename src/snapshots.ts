// Published snapshots: list them, and compare two by area and cluster.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './errors.js';
import { Warehouse, lit } from './load/warehouse.js';
import { readLatest, readManifest, releasesOf, snapshotsDir, unpublishedSnapshots } from './publish/snapshot.js';

export interface SnapshotSummary {
  snapshot_id: string;
  created_at: string;
  latest: boolean;
  releases: Record<string, string>;
  rows: Record<string, number>;
  quality: string;
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
      releases: releasesOf({ sources: m.sources.filter((s) => /^(oews|ep|onet|projections_central)/.test(s.source)) }),
      rows: Object.fromEntries(Object.entries(m.tables).map(([t, v]) => [t, v.rows])),
      quality: m.quality,
    });
  }
  return out.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Measures compared between snapshots, when both have them. */
export const DIFF_MEASURES = ['employment', 'employment_allocated', 'annual_openings', 'median_annual_wage', 'high_opportunity_occupations'] as const;

export type DiffRow = Record<string, string | number | null>;

/** Per area × cluster: each measure in A and B and the change, for rows present in either. */
export async function diffSnapshots(outputDir: string, a: string, b: string): Promise<DiffRow[]> {
  const resolve = async (id: string) => {
    const real = id === 'latest' ? (await readLatest(outputDir))?.snapshot_id : id;
    const file = real && path.join(snapshotsDir(outputDir), real, 'cluster_demand.parquet');
    if (!file || !existsSync(file)) throw new ConfigError(`no snapshot "${id}" in ${snapshotsDir(outputDir)} (see lmi snapshots)`);
    return file;
  };
  const [fa, fb] = [await resolve(a), await resolve(b)];
  const db = await Warehouse.open(':memory:');
  try {
    await db.run(`CREATE TABLE a AS SELECT * FROM read_parquet(${lit(fa)}); CREATE TABLE b AS SELECT * FROM read_parquet(${lit(fb)})`);
    const columns = async (t: string) => new Set((await db.all<{ column_name: string }>(`DESCRIBE ${t}`)).map((r) => r.column_name));
    const [ca, cb] = [await columns('a'), await columns('b')];
    // Snapshots from before the framework column held the 2024 framework only.
    for (const [t, cols] of [['a', ca], ['b', cb]] as const) if (!cols.has('framework')) await db.run(`ALTER TABLE ${t} ADD COLUMN framework VARCHAR DEFAULT '2024'`);
    const measures = DIFF_MEASURES.filter((m) => ca.has(m) && cb.has(m));
    const select = measures.flatMap((m) => [`a.${m} AS ${m}_a`, `b.${m} AS ${m}_b`, `b.${m} - a.${m} AS ${m}_change`]);
    return await db.all<DiffRow>(
      `SELECT coalesce(a.area_code, b.area_code) AS area_code, coalesce(a.area_name, b.area_name) AS area_name, coalesce(a.framework, b.framework) AS framework, coalesce(a.cluster, b.cluster) AS cluster, ${select.join(', ')}
       FROM a FULL OUTER JOIN b ON a.area_code = b.area_code AND a.framework = b.framework AND a.cluster = b.cluster
       ORDER BY 1, 3, 4`,
    );
  } finally {
    db.close();
  }
}

/** One measure of one area × cluster that differs between the two snapshots. */
export interface DiffChange {
  area_code: string;
  area_name: string;
  framework: string;
  cluster: string;
  measure: string;
  before: number | null;
  after: number | null;
  change: number | null;
  /** Percent change; null when there was nothing before (or the row is new or gone). */
  change_pct: number | null;
}

/** The diff rows as a list of what changed (a measure that is equal in both is left out). */
export function diffChanges(rows: DiffRow[]): DiffChange[] {
  const out: DiffChange[] = [];
  for (const r of rows) {
    for (const m of DIFF_MEASURES) {
      if (!(`${m}_a` in r)) continue;
      const before = r[`${m}_a`] as number | null;
      const after = r[`${m}_b`] as number | null;
      if (before === after) continue;
      const change = before !== null && after !== null ? after - before : null;
      out.push({
        area_code: String(r.area_code),
        area_name: String(r.area_name),
        framework: String(r.framework),
        cluster: String(r.cluster),
        measure: m,
        before,
        after,
        change,
        change_pct: change !== null && before ? Math.round((1000 * change) / before) / 10 : null,
      });
    }
  }
  return out;
}

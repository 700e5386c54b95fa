// What changed between two snapshots' cluster demand, per area × cluster and measure: used by
// `lmi diff` and by the report's "what changed" section.
import { Warehouse } from '../load/warehouse.js';

/** Measures compared between snapshots, when both have them. */
export const DIFF_MEASURES = ['employment', 'employment_allocated', 'annual_openings', 'median_annual_wage', 'high_opportunity_occupations'] as const;

export type DiffRow = Record<string, string | number | null>;

/** The diff of two cluster_demand.parquet files (A older, B newer). */
export async function diffClusterDemandFiles(fa: string, fb: string): Promise<DiffRow[]> {
  const db = await Warehouse.open(':memory:');
  try {
    await db.run('CREATE TABLE a AS SELECT * FROM read_parquet($file)', { file: fa });
    await db.run('CREATE TABLE b AS SELECT * FROM read_parquet($file)', { file: fb });
    const columns = async (t: string) => new Set((await db.all<{ column_name: string }>(`DESCRIBE ${t}`)).map((r) => r.column_name));
    const [ca, cb] = [await columns('a'), await columns('b')];
    // Snapshots from before the framework column held the 2024 framework only.
    for (const [t, cols] of [
      ['a', ca],
      ['b', cb],
    ] as const)
      if (!cols.has('framework')) await db.run(`ALTER TABLE ${t} ADD COLUMN framework VARCHAR DEFAULT '2024'`);
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

// The end-to-end national snapshot on the real May 2024 files, fetched over HTTP from a
// loopback server that serves ../shared/mirror.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import pino from 'pino';
import { runPipeline, type RunResult } from '../src/run.js';

type Published = Extract<RunResult, { status: 'published' }>;
import { readLatest } from '../src/publish/manifest.js';
import { rowOrderSql } from '../src/publish/snapshot.js';
import { publishedTables } from '../src/publish/tables.js';
import { exceljsRows, MIRROR, oewsWorkbook, parquetAgainstJson, startMirrorServer, tempDir, type MirrorServer, runOptions } from './helpers.js';

type Row = Record<string, any>;

/**
 * Straight from the workbook, read with exceljs (an independent reader, not the project's):
 * the 00-0000 row and every detailed row's TOT_EMP.
 */
async function workbookFigures(year: number) {
  let total = 0;
  const detailed = new Map<string, number>();
  for await (const get of exceljsRows(oewsWorkbook(year))) {
    if (get('OCC_CODE') === '00-0000') total = Number(get('TOT_EMP'));
    if (get('O_GROUP') === 'detailed') detailed.set(get('OCC_CODE'), Number(get('TOT_EMP')));
  }
  return { total, detailed };
}

describe('national snapshot, May 2024', () => {
  let server: MirrorServer;
  let out: Awaited<ReturnType<typeof tempDir>>;
  let result: Published;
  const logLines: Row[] = [];
  const json = async (table: string): Promise<Row[]> => JSON.parse(await readFile(path.join(result.snapshotDir, `${table}.json`), 'utf8'));
  /** Rows of the Advance CTE 2024 framework (the tables also hold the legacy 16 clusters). */
  const framework2024 = async (table: string) => (await json(table)).filter((r) => r.framework === '2024');

  beforeAll(async () => {
    server = await startMirrorServer();
    out = await tempDir();
    const log = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (logLines.push(JSON.parse(String(c))), cb()) }));
    const outcome = await runPipeline(runOptions(out.dir, { releases: {}, mirror: server.url, fetch: { contact: 'lmi-tests@example.org' }, log }));
    if (outcome.status !== 'published') throw new Error('expected a published snapshot');
    result = outcome;
  });
  afterAll(async () => {
    await server.close();
    await out.cleanup();
  });

  it('discovers the newest releases the mirror has and records them', () => {
    const releases = Object.fromEntries(result.manifest.sources.map((s) => [s.source, s.release]));
    expect(releases.oews).toBe('May 2024');
    expect(releases.ep).toBe('2024–2034');
    expect(releases.onet).toBe('27.0');
    const oews = result.manifest.sources.find((s) => s.source === 'oews')!;
    expect(oews.url).toBe('https://www.bls.gov/oes/special-requests/oesm24nat.zip');
    expect(oews.bytes).toBe(281660);
    expect(oews.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(server.requests.every((r) => String(r.headers['user-agent']).includes('lmi-tests@example.org'))).toBe(true);
  });

  it('has the 831 detailed occupations, and the national total is the workbook 00-0000 row', async () => {
    const { total, detailed } = await workbookFigures(2024);
    expect(total).toBe(154_187_380);
    const occupations = await json('occupations');
    expect(occupations).toHaveLength(831);
    expect(new Set(occupations.map((o) => o.soc_code))).toEqual(new Set(detailed.keys()));
    for (const o of occupations) expect(o.employment).toBe(detailed.get(o.soc_code));
  });

  it('allocates employment to the 14 clusters so they add up exactly to the detailed total', async () => {
    const { detailed } = await workbookFigures(2024);
    const detailedTotal = [...detailed.values()].reduce((a, b) => a + b, 0);
    const clusters = await framework2024('cluster_demand');
    expect(clusters).toHaveLength(14);
    expect(clusters.reduce((a, c) => a + c.employment_allocated, 0)).toBe(detailedTotal);
    const subs = await framework2024('subcluster_demand');
    expect(subs.reduce((a, c) => a + c.employment_allocated, 0)).toBe(detailedTotal);
  });

  it('maps every detailed code, and gross exceeds allocated by exactly the multi-cluster double counting', async () => {
    const occupations = await json('occupations');
    const map = await framework2024('occupation_clusters');
    const clustersOf = new Map<string, Set<string>>();
    for (const m of map) clustersOf.set(m.soc_code, (clustersOf.get(m.soc_code) ?? new Set()).add(m.cluster));
    for (const o of occupations) expect(clustersOf.get(o.soc_code)?.size ?? 0, o.soc_code).toBeGreaterThan(0);
    const doubleCounted = occupations.reduce((a, o) => a + o.employment * (clustersOf.get(o.soc_code)!.size - 1), 0);
    const clusters = await framework2024('cluster_demand');
    const gross = clusters.reduce((a, c) => a + c.employment, 0);
    const allocated = clusters.reduce((a, c) => a + c.employment_allocated, 0);
    expect(doubleCounted).toBeGreaterThan(0);
    expect(gross - allocated).toBe(doubleCounted);
  });

  it('keeps suppressed values as null with a flag, never zero', async () => {
    const occupations = new Map((await json('occupations')).map((o) => [o.soc_code, o]));
    const ceo = occupations.get('11-1011')!;
    expect(ceo.annual_wage_p90).toBeNull();
    expect(ceo.annual_wage_p90_flag).toBe('top_coded');
    expect(ceo.annual_wage_median).toBe(206_420);
    const actors = occupations.get('27-2011')!;
    expect(actors.annual_wage_median).toBeNull();
    expect(actors.annual_wage_median_flag).toBe('hourly_only');
    const teachers = occupations.get('25-2021')!; // elementary teachers: annual only
    expect(teachers.hourly_wage_median).toBeNull();
    expect(teachers.hourly_wage_median_flag).toBe('annual_only');
  });

  it('joins projections in persons and O*NET job zones, including for OEWS aggregate codes', async () => {
    const occupations = new Map((await json('occupations')).map((o) => [o.soc_code, o]));
    const ceo = occupations.get('11-1011')!;
    // EP Table 1.2: 309.4 and 322.7 thousand, 22.2 thousand openings a year.
    expect([ceo.projection_base_employment, ceo.projected_employment, ceo.annual_openings]).toEqual([309_400, 322_700, 22_200]);
    expect([ceo.projection_base_year, ceo.projection_year, ceo.projection_period]).toEqual([2024, 2034, '2024–2034']);
    expect(ceo.typical_education).toBe("Bachelor's degree");
    expect(ceo.job_zone).toBe(5);
    // 13-1020 is an OEWS aggregate of 13-1021/22/23 (O*NET 27.0 zones 4, 3, 4): the zone most share.
    expect(occupations.get('13-1020')!.job_zone).toBe(4);
    // 29-1141 has specialties in zones 3-5; its own .00 record (zone 4) decides.
    expect(occupations.get('29-1141')!.job_zone).toBe(4);
  });

  it('publishes Parquet that matches the JSON, a manifest, quality report, docs and latest.json', async () => {
    const latest = await readLatest(out.dir);
    expect(latest?.snapshot_id).toBe(result.snapshotId);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    for (const table of Object.keys(publishedTables())) {
      const rows = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM '${path.join(result.snapshotDir, `${table}.parquet`)}'`)).getRowObjects()[0]!.n;
      expect(rows, table).toBe((await json(table)).length);
      expect(result.manifest.tables[table]!.rows).toBe(rows);
      const columns = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM '${path.join(result.snapshotDir, `${table}.parquet`)}'`)).getRowObjects().map((r) => String(r.column_name));
      expect(
        columns.filter((c) => !(c in publishedTables()[table]!.columns)),
        `${table} columns without docs`,
      ).toEqual([]);
      expect(
        Object.keys(publishedTables()[table]!.columns).filter((c) => !columns.includes(c)),
        `${table} docs for missing columns`,
      ).toEqual([]);
    }
    conn.closeSync();
    // A failing (error) check would have stopped the run; on the real May 2024 files every check passes, warnings included.
    const quality = JSON.parse(await readFile(path.join(result.snapshotDir, 'quality.json'), 'utf8'));
    expect(quality.checks.filter((c: Row) => c.status !== 'pass').map((c: Row) => c.name)).toEqual([]);
    expect([quality.status, result.manifest.quality]).toEqual(['pass', 'pass']);
    expect(await readFile(path.join(result.snapshotDir, 'docs', 'columns.md'), 'utf8')).toContain('employment_allocated');
    expect(result.manifest.crosswalk_version).toMatch(/^SOC_Career_Clusters_Crosswalk\.xlsx@9a290fe4/);
  });

  it('cluster medians are weighted by allocated employment (Arts, Entertainment & Design: $75,260)', async () => {
    // Recomputed here from occupations.json and occupation_clusters.json: each occupation's
    // employment split in whole persons among its clusters (or sub-clusters), by name order.
    const occupations = new Map((await json('occupations')).map((o) => [o.soc_code, o]));
    const map = await framework2024('occupation_clusters');
    const topCode = 239_200;
    const median = (items: { wage: number; weight: number; key: string }[]) => {
      items.sort((a, b) => a.wage - b.wage || a.key.localeCompare(b.key));
      const total = items.reduce((a, i) => a + i.weight, 0);
      let running = 0;
      for (const i of items) if (2 * (running += i.weight) >= total) return i.wage;
      return null;
    };
    const allocated = (groupOf: (m: Row) => string) => {
      const groups = new Map<string, string[]>();
      for (const m of map) groups.set(m.soc_code, [...new Set([...(groups.get(m.soc_code) ?? []), groupOf(m)])].sort());
      const out = new Map<string, { wage: number; weight: number; key: string }[]>();
      for (const [soc, list] of groups) {
        const o = occupations.get(soc);
        if (!o || o.employment === null) continue;
        const wage = o.annual_wage_median ?? (o.annual_wage_median_flag === 'top_coded' ? topCode : null);
        if (wage === null) continue;
        list.forEach((g, k) => {
          const weight = Math.floor(o.employment / list.length) + (k < o.employment % list.length ? 1 : 0);
          out.set(g, [...(out.get(g) ?? []), { wage, weight, key: soc }]);
        });
      }
      return out;
    };
    const byCluster = allocated((m) => m.cluster);
    const clusters = await framework2024('cluster_demand');
    for (const c of clusters) expect(c.median_annual_wage, c.cluster).toBe(median(byCluster.get(c.cluster)!));
    expect(clusters.find((c) => c.cluster === 'Arts, Entertainment, & Design')!.median_annual_wage).toBe(75_260);
    const bySub = allocated((m) => `${m.cluster}|${m.sub_cluster}`);
    const subs = await framework2024('subcluster_demand');
    for (const c of subs) expect(c.median_annual_wage, c.sub_cluster).toBe(median(bySub.get(`${c.cluster}|${c.sub_cluster}`)!));
    expect(clusters.filter((c) => c.median_annual_wage_flag !== null)).toEqual([]);
  });

  it('occupation_clusters weights sum to 1 per occupation, so Σ employment × weight is the area total', async () => {
    const occupations = new Map((await json('occupations')).map((o) => [o.soc_code, o.employment as number]));
    const map = await framework2024('occupation_clusters');
    const total = [...occupations.values()].reduce((a, e) => a + e, 0);
    for (const weight of ['cluster_weight', 'sub_cluster_weight']) {
      const sum = map.reduce((a, m) => a + (occupations.get(m.soc_code) ?? 0) * m[weight], 0);
      expect(Math.round(sum), weight).toBe(total);
    }
    // Summing the rows unweighted counts shared occupations several times: the trap the weights avoid.
    expect(map.reduce((a, m) => a + (occupations.get(m.soc_code) ?? 0), 0)).toBeGreaterThan(total);
  });

  it('publishes no crosswalk placeholder as a program, and counts occupations without one', async () => {
    const programs = await json('programs');
    expect(programs.filter((p) => p.cip_code.startsWith('99.') || /no match/i.test(p.cip_title))).toEqual([]);
    expect(programs.find((p) => p.cip_code === '51.3801')?.occupation_codes).toContain('29-1141');
    const [coverage] = await json('coverage');
    expect(coverage!.occupations_without_program).toBeGreaterThan(100);
  });

  it('every row names its vintage: OEWS release and projection period', async () => {
    for (const c of await json('cluster_demand')) {
      expect(c.oews_release).toBe('May 2024');
      expect([c.projection_source, c.projection_period]).toEqual(['BLS Employment Projections', '2024–2034']);
    }
  });

  it('writes every table in its declared row order: Parquet, JSON and snapshot.duckdb alike', async () => {
    // The models sort the published tables (ORDER BY {{TABLE_order}}); nothing sorts them again.
    const db = await DuckDBInstance.create(path.join(result.snapshotDir, 'snapshot.duckdb'), { access_mode: 'READ_ONLY', threads: '1' });
    const conn = await db.connect();
    const outOfOrder = async (rowsWithPosition: string, order: string) =>
      Number(
        (
          await conn.runAndReadAll(`SELECT count(*) FROM (SELECT pos, row_number() OVER (ORDER BY ${order}) - 1 AS wanted FROM (${rowsWithPosition})) WHERE pos <> wanted`)
        ).getRows()[0]![0],
      );
    for (const [table, spec] of Object.entries(publishedTables())) {
      const order = rowOrderSql(spec);
      const file = (ext: string) => `'${path.join(result.snapshotDir, `${table}.${ext}`)}'`;
      expect(await outOfOrder(`SELECT *, file_row_number AS pos FROM read_parquet(${file('parquet')}, file_row_number = true)`, order), `${table}.parquet`).toBe(0);
      // An empty table's JSON ([]) has no columns to read.
      if (result.manifest.tables[table]!.rows > 0)
        expect(await outOfOrder(`SELECT *, row_number() OVER () - 1 AS pos FROM read_json(${file('json')}, format = 'array')`, order), `${table}.json`).toBe(0);
      expect(await outOfOrder(`SELECT *, rowid AS pos FROM ${table}`, order), `${table} in snapshot.duckdb`).toBe(0);
    }
    conn.closeSync();
  });

  it('snapshot.duckdb opens from any working directory, and after the folder moves', async () => {
    const { cp } = await import('node:fs/promises');
    const moved = path.join(out.dir, 'moved-elsewhere');
    await cp(result.snapshotDir, moved, { recursive: true });
    for (const dir of [result.snapshotDir, moved]) {
      const db = await DuckDBInstance.create(path.join(dir, 'snapshot.duckdb'), { access_mode: 'READ_ONLY' });
      const conn = await db.connect();
      // The test process runs from the project folder, not the snapshot folder.
      const n = (await conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM cluster_demand')).getRowObjects()[0]!.n;
      expect(n).toBe((await json('cluster_demand')).length);
      conn.closeSync();
    }
  });

  it('writes every Parquet file with snappy, the codec every reader has', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const codecs = (await conn.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${result.snapshotDir.replaceAll("'", "''")}/**/*.parquet')`)).getRows();
    conn.closeSync();
    expect(codecs).toEqual([['SNAPPY']]);
  });

  it('latest.json carries the releases and row counts a consumer polls for', async () => {
    const latest = await readLatest(out.dir);
    expect(latest?.releases?.oews).toBe('May 2024');
    expect(latest?.rows?.occupations).toBe(831);
    expect(latest?.quality).toBe(result.manifest.quality);
  });

  it('publishes EP Table 1.10 as occupation_separations: every line item, in persons, from one request for the workbook', async () => {
    // Straight from the workbook with exceljs: Table 1.10's line items (detailed occupations).
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(MIRROR, 'www.bls.gov/emp/ind-occ-matrix/occupation.xlsx'));
    const expected = new Map<string, number[]>();
    wb.getWorksheet('Table 1.10')!.eachRow((row) => {
      const v = (row.values as unknown[]).slice(1);
      if (v[2] === 'Line item') expected.set(String(v[1]), v.slice(7, 14).map(Number));
    });
    const rows = await json('occupation_separations');
    expect(rows).toHaveLength(832);
    expect(expected.size).toBe(832);
    for (const r of rows) {
      const [exitRate, transferRate, separationsRate, exits, transfers, separations, openings] = expected.get(r.soc_code)!;
      expect([r.labor_force_exit_rate_pct, r.occupational_transfer_rate_pct, r.separations_rate_pct], r.soc_code).toEqual([exitRate, transferRate, separationsRate]);
      // Thousands with one decimal → persons, exactly.
      expect([r.labor_force_exits, r.occupational_transfers, r.separations, r.annual_openings], r.soc_code).toEqual(
        [exits, transfers, separations, openings].map((x) => Math.round(x! * 1000)),
      );
      expect(r.replacement_share_pct, r.soc_code).toBe(openings ? Math.round((1000 * separations!) / openings) / 10 : null);
      expect(r.projection_period).toBe('2024–2034');
    }
    // Chief executives, row 6 of the sheet: 9.5 + 11.4 = 20.9 thousand separations of 22.2 thousand openings.
    expect(rows.find((r) => r.soc_code === '11-1011')).toMatchObject({
      labor_force_exits: 9_500,
      occupational_transfers: 11_400,
      separations: 20_900,
      annual_openings: 22_200,
      replacement_share_pct: 94.1,
    });
    // ep and ep_separations read one file: one fetch of it (one log line, whatever retries it took).
    expect(logLines.filter((l) => l.msg === 'fetched' && String(l.url).endsWith('/occupation.xlsx'))).toHaveLength(1);
    expect(result.manifest.sources.filter((s) => s.url.endsWith('/occupation.xlsx')).map((s) => [s.source, s.release])).toEqual([
      ['ep', '2024–2034'],
      ['ep_separations', '2024–2034'],
    ]);
  });

  it('a second Parquet reader (hyparquet) reads every published file as its JSON has it', async () => {
    const tables = Object.keys(publishedTables());
    const read = await parquetAgainstJson(result.snapshotDir, tables);
    expect(read.filter((t) => t.differs)).toEqual([]);
    expect(read.find((t) => t.table === 'occupations')?.rows).toBe(831);
  });

  it('every list column has a flat table beside it, which a BI tool without lists reads instead', async () => {
    const schema = JSON.parse(await readFile(path.join(result.snapshotDir, 'schema.json'), 'utf8')) as Record<string, { columns: { name: string; type: string }[] }>;
    const nested = Object.entries(schema).flatMap(([table, t]) => t.columns.filter((c) => /\[\]$|^STRUCT|^MAP/.test(c.type)).map((c) => `${table}.${c.name}`));
    const flattened = new Set(Object.values(publishedTables()).flatMap((t) => t.flattens));
    expect(nested.filter((c) => !flattened.has(c))).toEqual([]);
    // The flat tables hold exactly what the lists do.
    const programs = await json('programs');
    const links = await json('program_occupation_links');
    const areaCodes = new Set((await json('occupations')).map((o) => `${o.area_code}|${o.soc_code}`));
    for (const p of programs)
      expect(p.occupation_codes, p.cip_code).toEqual(
        links
          .filter((l) => l.cip_code === p.cip_code && areaCodes.has(`${p.area_code}|${l.soc_code}`))
          .map((l) => l.soc_code)
          .sort(),
      );
    const pairs = await json('program_clusters');
    for (const p of programs) {
      const own = pairs.filter((x) => x.cip_code === p.cip_code);
      expect([[...new Set(own.map((x) => x.cluster))].sort(), [...new Set(own.map((x) => x.sub_cluster))].sort()], p.cip_code).toEqual([p.clusters, p.sub_clusters]);
    }
    const related = await json('related_occupations');
    expect((await json('related_occupation_clusters')).length).toBe(related.reduce((a, r) => a + r.other_clusters.length, 0));
    expect((await json('coverage_unmapped_codes')).map((u) => u.soc_code)).toEqual((await json('coverage')).flatMap((c) => c.unmapped_codes.map((u: Row) => u.soc_code)));
  });

  it('schema.json says where each table comes from: its model, the models and raw tables under it, and the datasets', async () => {
    const schema = JSON.parse(await readFile(path.join(result.snapshotDir, 'schema.json'), 'utf8'));
    expect(Object.keys(schema)).toEqual(Object.keys(publishedTables()));
    const demand = schema.cluster_demand.lineage;
    expect(demand.model).toBe('sql/marts/08_cluster_demand.sql');
    expect(demand.upstream_models).toEqual(expect.arrayContaining(['sql/staging/02_stg_oews.sql', 'sql/marts/04_occupations.sql', 'sql/intermediate/07_demand.sql']));
    expect(demand.raw_tables).toEqual(expect.arrayContaining(['raw_oews', 'raw_ep', 'raw_career_clusters']));
    expect(demand.datasets).toEqual(expect.arrayContaining(['oews', 'ep', 'career_clusters']));
    // What each table reads is all it names: the separations come from their own dataset only, besides the SOC tables.
    expect(schema.occupation_separations.lineage.datasets).toContain('ep_separations');
    expect(schema.occupation_separations.lineage.datasets).not.toContain('ipeds');
    for (const [table, t] of Object.entries<{ lineage: { model: string } }>(schema)) expect(t.lineage.model, table).toBe(publishedTables()[table]!.model);
  });
});

describe('docs/columns.md', () => {
  it('is what `lmi docs` prints (regenerate with: npx lmi docs > docs/columns.md)', async () => {
    const { docsMarkdown } = await import('../src/publish/tables.js');
    const { PROJECT } = await import('./helpers.js');
    expect(await readFile(path.join(PROJECT, 'docs', 'columns.md'), 'utf8')).toBe(docsMarkdown());
  });

  it('speaks of sub-clusters in the subcluster_demand section', async () => {
    const columns = publishedTables().subcluster_demand!.columns;
    const text = Object.values(columns).join(' ');
    expect(text).not.toMatch(/\bin the cluster\b|\bthe clusters of an area\b/);
    expect(columns.employment_allocated).toMatch(/sub-clusters of an area add up/);
  });
});

describe('legacy 16-cluster framework', () => {
  it('publishes the same tables for the old clusters, allocated exactly too', async () => {
    const server = await startMirrorServer();
    const out = await tempDir();
    try {
      const r = await runPipeline(runOptions(out.dir, { mirror: server.url, fetch: { contact: 'lmi-tests@example.org' } }));
      if (r.status !== 'published') throw new Error('expected a snapshot');
      const rows = async (t: string): Promise<Row[]> => JSON.parse(await readFile(path.join(r.snapshotDir, `${t}.json`), 'utf8'));
      const legacy = (await rows('cluster_demand')).filter((c) => c.framework === 'legacy_16');
      expect(legacy).toHaveLength(16);
      expect(legacy.map((c) => c.cluster)).toContain('Science, Technology, Engineering & Mathematics');
      const occupations = await rows('occupations');
      const mapped = new Set((await rows('occupation_clusters')).filter((m) => m.framework === 'legacy_16').map((m) => m.soc_code));
      const mappedEmployment = occupations.filter((o) => mapped.has(o.soc_code)).reduce((a, o) => a + o.employment, 0);
      expect(legacy.reduce((a, c) => a + c.employment_allocated, 0)).toBe(mappedEmployment);
      expect((await rows('subcluster_demand')).filter((c) => c.framework === 'legacy_16').length).toBeGreaterThan(60);
    } finally {
      await server.close();
      await out.cleanup();
    }
  });
});

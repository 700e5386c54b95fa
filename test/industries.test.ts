// The industry view on the real May 2024 sector workbook (oesm24in4.zip in the mirror) and
// Advance CTE's NAICS crosswalk. Expected figures are computed here from the files, not typed in.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importNaicsCrosswalk, NAICS_CSV, NAICS_PROVENANCE } from '../pipelines/industries.js';
import { HeaderDriftError } from '../src/errors.js';
import { crosswalksDirDefault } from '../src/paths.js';
import { runPipeline, type RunResult } from '../src/run.js';
import { errorOf, rewriteZipEntry, rewriteZipText, withMirrorFiles } from './fixtures.js';
import { DATA, exceljsRows, MIRROR, runOptions, tempDir } from './helpers.js';

type Published = Extract<RunResult, { status: 'published' }>;
type Row = Record<string, any>;
const SECTOR_WORKBOOK = path.join(DATA, 'lmi', 'oews', 'natsector', 'natsector_M2024_dl.xlsx');

/** Detailed rows of the sector workbook, read with exceljs (not the project's reader). */
async function sectorRows(): Promise<{ sector: string; soc: string; employment: number | null; raw: string }[]> {
  const out: { sector: string; soc: string; employment: number | null; raw: string }[] = [];
  for await (const get of exceljsRows(SECTOR_WORKBOOK)) {
    if (get('O_GROUP') !== 'detailed') continue;
    const raw = get('TOT_EMP');
    out.push({ sector: get('NAICS'), soc: get('OCC_CODE'), employment: /^\d+$/.test(raw) ? Number(raw) : null, raw });
  }
  return out;
}

describe('industry view, May 2024', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let r: Published;
  let sectors: Awaited<ReturnType<typeof sectorRows>>;
  const json = async (table: string): Promise<Row[]> => JSON.parse(await readFile(path.join(r.snapshotDir, `${table}.json`), 'utf8'));

  beforeAll(async () => {
    out = await tempDir();
    const result = await runPipeline(runOptions(out.dir, { datasets: { oews_industry: true }, report: false }));
    if (result.status !== 'published') throw new Error('expected a snapshot');
    r = result;
    sectors = await sectorRows();
  });
  afterAll(async () => out.cleanup());

  it('occupation_industries holds every detailed occupation and sector row of the workbook, suppressed ones empty, shares of the published ones', async () => {
    const published = await json('occupation_industries');
    const codes = new Set((await json('occupations')).map((o) => o.soc_code));
    const expected = sectors.filter((s) => codes.has(s.soc));
    expect(published).toHaveLength(expected.length);
    const byKey = new Map(published.map((p) => [`${p.soc_code}|${p.naics_sector}`, p]));
    for (const s of expected) {
      const p = byKey.get(`${s.soc}|${s.sector}`)!;
      expect([p.employment, p.employment === null ? p.employment_flag : null], `${s.soc} ${s.sector}`).toEqual([s.employment, s.employment === null ? 'not_available' : null]);
    }
    // Registered Nurses: most work in health care (NAICS 62), its share the file's figure over the published sectors'.
    const rn = published.filter((p) => p.soc_code === '29-1141');
    const total = expected.filter((s) => s.soc === '29-1141' && s.employment !== null).reduce((a, s) => a + s.employment!, 0);
    expect(rn[0]!.naics_sector).toBe('62');
    expect(rn[0]!.share_of_occupation).toBeCloseTo(expected.find((s) => s.soc === '29-1141' && s.sector === '62')!.employment! / total, 4);
    expect(published.filter((p) => p.employment === null).every((p) => p.share_of_occupation === null)).toBe(true);
  });

  it("never puts more of an occupation's workers in the sectors than the national file has in all industries, beyond BLS's rounding", async () => {
    // BLS rounds every estimate to the nearest ten: n sector figures and the national one can
    // differ by up to 5 × (n + 1). In May 2024, 23 occupations' sectors add up to 10-30 more
    // than their national figure (e.g. 11-1011: 211,860 against 211,850); none by more.
    const national = new Map((await json('occupations')).map((o) => [o.soc_code, o.employment as number]));
    const bySoc = new Map<string, { total: number; n: number }>();
    for (const s of sectors) if (s.employment !== null) bySoc.set(s.soc, { total: (bySoc.get(s.soc)?.total ?? 0) + s.employment, n: (bySoc.get(s.soc)?.n ?? 0) + 1 });
    expect(bySoc.size).toBeGreaterThan(700);
    let over = 0;
    for (const [soc, { total, n }] of bySoc) {
      if (!national.has(soc)) continue;
      expect(total - national.get(soc)!, soc).toBeLessThanOrEqual(5 * (n + 1));
      if (total > national.get(soc)!) over++;
    }
    expect(over).toBe(23);
  });

  it('Healthcare & Human Services works mostly in sector 62, as the file says', async () => {
    // Allocated as the pipeline does: an occupation's sector employment split in whole persons
    // among its 2024 clusters, in name order.
    const map = (await json('occupation_clusters')).filter((m) => m.framework === '2024');
    const clustersOf = new Map<string, string[]>();
    for (const m of map) clustersOf.set(m.soc_code, [...new Set([...(clustersOf.get(m.soc_code) ?? []), m.cluster])].sort());
    const bySector = new Map<string, number>();
    for (const s of sectors) {
      const list = clustersOf.get(s.soc);
      const k = list?.indexOf('Healthcare & Human Services') ?? -1;
      if (s.employment === null || k < 0) continue;
      const share = Math.floor(s.employment / list!.length) + (k < s.employment % list!.length ? 1 : 0);
      bySector.set(s.sector, (bySector.get(s.sector) ?? 0) + share);
    }
    const largest = [...bySector].sort((a, b) => b[1] - a[1])[0]!;
    expect(largest[0]).toBe('62');
    const rows = (await json('cluster_industry_demand')).filter((c) => c.framework === '2024' && c.level === 'cluster' && c.cluster === 'Healthcare & Human Services');
    const top = [...rows].sort((a, b) => b.employment_allocated - a.employment_allocated)[0]!;
    expect([top.naics_sector, top.employment_allocated, top.aligned]).toEqual(['62', largest[1], true]);
    for (const row of rows) expect(row.employment_allocated, row.naics_sector).toBe(bySector.get(row.naics_sector) ?? 0);
  });

  it('suppressed (**) cells are counted, left out of sums, never zero; every sector adds up', async () => {
    const suppressed = sectors.filter((s) => s.raw === '**');
    expect(suppressed.length).toBeGreaterThan(50);
    const rows = await json('cluster_industry_demand');
    const cluster2024 = rows.filter((c) => c.framework === '2024' && c.level === 'cluster');
    const codes = new Set((await json('occupation_clusters')).filter((m) => m.framework === '2024').map((m) => m.soc_code));
    for (const sector of new Set(sectors.map((s) => s.sector))) {
      const published = sectors.filter((s) => s.sector === sector && codes.has(s.soc) && s.employment !== null).reduce((a, s) => a + s.employment!, 0);
      expect(
        cluster2024.filter((c) => c.naics_sector === sector).reduce((a, c) => a + c.employment_allocated, 0),
        sector,
      ).toBe(published);
    }
    expect(rows.reduce((a, c) => a + c.occupations_with_suppressed_employment, 0)).toBeGreaterThan(0);
    expect(rows.some((c) => c.employment === 0 && c.occupations_with_suppressed_employment === c.occupations)).toBe(false);
  });

  it('industry_alignment and the published crosswalk: 92 is measured as OEWS 99', async () => {
    const alignment = await json('industry_alignment');
    const education = alignment.find((a) => a.cluster === 'Education' && a.level === 'cluster')!;
    expect(education.aligned_sectors).toEqual(['61', '99']);
    expect(education.aligned_share).toBeGreaterThan(0.5);
    expect(education.top_sectors_outside).toHaveLength(3);
    const crosswalk = await json('industry_subclusters');
    expect(crosswalk).toHaveLength(112);
    expect(crosswalk.filter((c) => c.naics_sector === '92').every((c) => c.oews_sector === '99')).toBe(true);
    const quality = JSON.parse(await readFile(path.join(r.snapshotDir, 'quality.json'), 'utf8'));
    for (const name of ['industry_sectors_known', 'industry_ownership_partition', 'industry_allocation_reconciles', 'industry_within_national'])
      expect(quality.checks.find((c: Row) => c.name === name)?.status, name).toBe('pass');
  });

  it('a later run without --industries says which tables it no longer publishes, and why', async () => {
    const later = await runPipeline(runOptions(out.dir, { report: false }));
    if (later.status !== 'published') throw new Error('expected a snapshot');
    const note = later.notes.find((n) => n.startsWith('this snapshot has no rows in'));
    expect(note).toMatch(
      /^this snapshot has no rows in cluster_industry_demand, industry_alignment, industry_alignment_sectors, occupation_industries, which the previous latest snapshot \S+ had \(from oews_industry, which this run did not read\)/,
    );
  });

  it('lmi crosswalks import-naics re-imports the official workbook byte for byte', async () => {
    const tmp = await tempDir();
    try {
      const p = await importNaicsCrosswalk(path.join(DATA, 'clusters', 'advance_cte_2024', 'NAICS_Subclusters_Crosswalk.xlsx'), tmp.dir);
      expect([p.rows, p.sub_clusters]).toEqual([112, 71]);
      const made = await readFile(path.join(tmp.dir, NAICS_CSV), 'utf8');
      expect(made).toBe(await readFile(path.join(crosswalksDirDefault(), NAICS_CSV), 'utf8'));
      const rows = Papa.parse<Row>(made, { header: true, skipEmptyLines: true }).data;
      expect(new Set(rows.map((x) => x.cluster)).size).toBe(14);
    } finally {
      await tmp.cleanup();
    }
  });
});

describe('sub-cluster alignment on a crosswalk that differs per sub-cluster', () => {
  // A copy of the real crosswalks/ where Advanced Manufacturing's Robotics sub-cluster is linked
  // to sector 54 instead of 31-33: in the real crosswalk every sub-cluster of a cluster has the
  // same sectors, so only such a copy tells a sub-cluster's alignment from its cluster's.
  let out: Awaited<ReturnType<typeof tempDir>>;
  let r: Published;
  let crosswalk: Row[];

  beforeAll(async () => {
    out = await tempDir();
    const dir = path.join(out.dir, 'crosswalks');
    await cp(crosswalksDirDefault(), dir, { recursive: true });
    const csv = (await readFile(path.join(dir, NAICS_CSV), 'utf8')).replace(
      'Advanced Manufacturing,Robotics,31-33,Manufacturing',
      'Advanced Manufacturing,Robotics,54,"Professional, Scientific, and Technical Services"',
    );
    await writeFile(path.join(dir, NAICS_CSV), csv);
    const provenance = JSON.parse(await readFile(path.join(dir, NAICS_PROVENANCE), 'utf8'));
    provenance.csv_sha256 = createHash('sha256').update(csv).digest('hex');
    await writeFile(path.join(dir, NAICS_PROVENANCE), JSON.stringify(provenance));
    crosswalk = Papa.parse<Row>(csv, { header: true, skipEmptyLines: true }).data;
    const result = await runPipeline(runOptions(path.join(out.dir, 'output'), { datasets: { oews_industry: true }, report: false, crosswalksDir: dir }));
    if (result.status !== 'published') throw new Error('expected a snapshot');
    r = result;
  });
  afterAll(async () => out.cleanup());

  it("a sub-cluster is aligned with the sectors the crosswalk gives it, not its cluster's", async () => {
    const oewsSector = (naics: string) => (naics === '92' ? '99' : naics);
    const linked = (cluster: string, sub: string | null) =>
      new Set(crosswalk.filter((x) => x.cluster === cluster && (sub === null || x.sub_cluster === sub)).map((x) => oewsSector(x.naics_sector)));
    const rows = (JSON.parse(await readFile(path.join(r.snapshotDir, 'cluster_industry_demand.json'), 'utf8')) as Row[]).filter((x) => x.framework === '2024');
    for (const x of rows) expect(x.aligned, `${x.cluster} / ${x.sub_cluster} / ${x.naics_sector}`).toBe(linked(x.cluster, x.sub_cluster).has(x.naics_sector));
    const robotics = (sector: string) => rows.find((x) => x.sub_cluster === 'Robotics' && x.naics_sector === sector)!;
    const engineering = (sector: string) => rows.find((x) => x.cluster === 'Advanced Manufacturing' && x.sub_cluster === 'Engineering' && x.naics_sector === sector)!;
    const cluster = (sector: string) => rows.find((x) => x.cluster === 'Advanced Manufacturing' && x.level === 'cluster' && x.naics_sector === sector)!;
    expect([robotics('31-33').aligned, robotics('54').aligned]).toEqual([false, true]);
    expect([engineering('31-33').aligned, engineering('54').aligned]).toEqual([true, false]);
    expect([cluster('31-33').aligned, cluster('54').aligned]).toEqual([true, true]);
    const alignment = (JSON.parse(await readFile(path.join(r.snapshotDir, 'industry_alignment.json'), 'utf8')) as Row[]).find((a) => a.sub_cluster === 'Robotics')!;
    expect(alignment.aligned_sectors).toEqual(['54']);
  });
});

describe('a renamed column of the sector workbook', () => {
  it('NAICS_TITLE renamed stops the run, naming the file and column, instead of publishing null titles', async () => {
    const out = await tempDir();
    const rel = 'www.bls.gov/oes/special-requests/oesm24in4.zip';
    const zip = await readFile(path.join(MIRROR, rel));
    const renamed = rewriteZipEntry(zip, /natsector_M2024_dl\.xlsx$/, (xlsx) =>
      rewriteZipText(xlsx, /^xl\/sharedStrings\.xml$/, (xml) => xml.replace('>NAICS_TITLE<', '>INDUSTRY_NAME<')),
    );
    try {
      const err = await errorOf(withMirrorFiles({ [rel]: renamed }, (mirror) => runPipeline(runOptions(out.dir, { mirror, datasets: { oews_industry: true }, report: false }))));
      expect(err).toBeInstanceOf(HeaderDriftError);
      expect((err as Error).message).toMatch(/oesm24in4\.zip \(oesm24in4\/natsector_M2024_dl\.xlsx\).*column NAICS_TITLE/);
      expect(existsSync(path.join(out.dir, 'latest.json'))).toBe(false);
    } finally {
      await out.cleanup();
    }
  });
});

// Every state: Projections Central (bulk CSV and paged JSON API, both served on loopback from
// the real 2020-2030 file), OEWS state and metro scopes, and codes that are not SOC 2018
// detailed codes.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../src/errors.js';
import { withWorkbook } from '../src/extract/xlsx.js';
import { crosswalksDirDefault } from '../src/paths.js';
import { runPipeline, type RunOptions, type RunResult } from '../src/run.js';
import { sameBytes, DATA, MIRROR, PROJECT, oewsWorkbook, startMirrorServer, tempDir, type MirrorServer, runOptions } from './helpers.js';
import { writeXlsx } from '../testkit/xlsx-writer.js';
import { zipSync } from 'fflate';

type Row = Record<string, any>;
type Published = Extract<RunResult, { status: 'published' }>;

const exec = promisify(execFile);
const PC_CSV = path.join(DATA, 'lmi', 'projections_central', '2020-2030', 'ltprojections.csv');
const PC_CSV_URL = 'https://public.projectionscentral.org/downloads/ltprojections.csv';
const pcRows = async () => Papa.parse<Record<string, string>>(await readFile(PC_CSV, 'utf8'), { header: true, skipEmptyLines: true }).data;

/** A row of the real CSV as the paged JSON API names its fields. */
const apiRow = (r: Record<string, string>) => ({
  Area: r.areaname,
  Title: r.name,
  Base: r.base,
  Projected: r.proj,
  Change: r.change,
  PercentChange: r.percentchange,
  AvgAnnualOpenings: r.avgannualopenings,
  STFIPS: r.stfips,
  OccCode: r.code,
  BaseYear: r.baseyear,
  ProjYear: r.projyear,
});

/** The paged JSON API, built from the real CSV: rows named as the API names them, pages from 0. */
function pcApi(rows: Record<string, string>[], perPage: number) {
  const pages = Math.ceil(rows.length / perPage);
  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.endsWith('/Projections/LongTermRestJson/all')) return false;
    const page = Number(url.searchParams.get('page'));
    const slice = rows.slice(page * perPage, (page + 1) * perPage).map(apiRow);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ rows: slice, pager: { current_page: page, total_items: rows.length, total_pages: pages, items_per_page: perPage } }));
    return true;
  };
}

const json = async (r: Published, table: string): Promise<Row[]> => JSON.parse(await readFile(path.join(r.snapshotDir, `${table}.json`), 'utf8'));
const published = (r: RunResult): Published => {
  if (r.status !== 'published') throw new Error('expected a published snapshot');
  return r;
};

describe('Projections Central 2020-2030, every state', () => {
  let server: MirrorServer;
  let extra: Awaited<ReturnType<typeof tempDir>>;
  let csvRun: Published, jsonRun: Published, nationalRun: Published;
  const outs: Awaited<ReturnType<typeof tempDir>>[] = [];
  const run = async (opts: Partial<RunOptions>) => {
    const out = await tempDir();
    outs.push(out);
    return published(await runPipeline(runOptions(out.dir, { mirror: server.url, fetch: { contact: 'lmi-tests@example.org' }, ...opts })));
  };

  beforeAll(async () => {
    extra = await tempDir('lmi-pc-');
    const csvPath = path.join(extra.dir, 'public.projectionscentral.org', 'downloads');
    await mkdir(csvPath, { recursive: true });
    await import('node:fs/promises').then((fs) => fs.copyFile(PC_CSV, path.join(csvPath, 'ltprojections.csv')));
    server = await startMirrorServer([MIRROR, extra.dir], pcApi(await pcRows(), 1000));
    [csvRun, jsonRun, nationalRun] = [
      await run({ datasets: { projections_central: { format: 'csv', url: PC_CSV_URL } } }),
      await run({ datasets: { projections_central: { format: 'json' } } }),
      await run({}),
    ];
  });
  afterAll(async () => {
    await server.close();
    await extra.cleanup();
    for (const o of outs) await o.cleanup();
  });

  it('reads the paged API page by page (0 to total_pages - 1) and the bulk CSV to the same tables', async () => {
    const pages = server.requests.filter((r) => r.url.includes('LongTermRestJson')).map((r) => new URL(r.url, 'http://x').searchParams.get('page'));
    expect(pages).toEqual(Array.from({ length: 35 }, (_, i) => String(i)));
    for (const table of ['occupations', 'cluster_demand', 'subcluster_demand', 'coverage', 'areas'])
      expect(sameBytes(await readFile(path.join(jsonRun.snapshotDir, `${table}.json`)), await readFile(path.join(csvRun.snapshotDir, `${table}.json`))), table).toBe(true);
    expect(csvRun.manifest.sources.find((s) => s.source === 'projections_central')).toMatchObject({ release: '2020–2030', url: PC_CSV_URL });
    expect(jsonRun.manifest.sources.find((s) => s.source === 'projections_central')).toMatchObject({ release: '2020–2030', bytes: expect.any(Number) });
  });

  it('gives every state and territory its rows, with 100% of base employment mapped and allocated exactly', async () => {
    const csv = (await pcRows()).filter((r) => r.stfips !== '0' && r.code !== '00-0000');
    const detailedBase = new Map<string, number>();
    for (const r of csv) detailedBase.set(r.stfips!.padStart(2, '0'), (detailedBase.get(r.stfips!.padStart(2, '0')) ?? 0) + Number(r.base));
    expect(detailedBase.size).toBe(54); // 50 states, DC, PR, GU, VI
    const clusters = (await json(csvRun, 'cluster_demand')).filter((c) => c.framework === '2024');
    const coverage = new Map((await json(csvRun, 'coverage')).map((c) => [c.area_code, c]));
    for (const [fips, base] of detailedBase) {
      const allocated = clusters.filter((c) => c.area_code === fips).reduce((a, c) => a + c.projection_base_employment_allocated, 0);
      expect(allocated, `state ${fips}`).toBe(base);
      expect(coverage.get(fips)!.projection_base_employment_mapped_pct, `state ${fips}`).toBeGreaterThanOrEqual(99.5);
    }
    const areas = await json(csvRun, 'areas');
    expect(areas.find((a) => a.area_code === '72')).toMatchObject({ area_name: 'Puerto Rico', area_type: 'territory', state_abbr: 'PR' });
    expect(areas.find((a) => a.area_code === '06')).toMatchObject({ area_name: 'California', area_type: 'state', state_fips: '06' });
  });

  it('state rows name their own vintage: Projections Central 2020–2030 and no OEWS release; coverage employment is null, not 0', async () => {
    const california = (await json(csvRun, 'cluster_demand')).filter((c) => c.area_code === '06');
    expect(california.length).toBeGreaterThan(0);
    for (const c of california) expect([c.oews_release, c.projection_source, c.projection_period]).toEqual([null, 'Projections Central', '2020–2030']);
    const nation = (await json(csvRun, 'cluster_demand')).filter((c) => c.area_code === '99');
    for (const c of nation) expect([c.oews_release, c.projection_source, c.projection_period]).toEqual(['May 2024', 'BLS Employment Projections', '2024–2034']);
    const occupations = (await json(csvRun, 'occupations')).filter((o) => o.area_code === '06');
    for (const o of occupations) expect([o.oews_release, o.projection_period]).toEqual([null, '2020–2030']);
    const coverage = (await json(csvRun, 'coverage')).find((c) => c.area_code === '06')!;
    expect([coverage.employment, coverage.mapped_employment, coverage.unmapped_employment, coverage.employment_mapped_pct]).toEqual([null, null, null, null]);
    expect(coverage.projection_base_employment).toBeGreaterThan(0);
  });

  it('sends hybrid codes to clusters through their SOC 2018 codes, without double counting', async () => {
    const occupations = await json(csvRun, 'occupations');
    const sw = occupations.find((o) => o.area_code === '06' && o.soc_code === '15-1256')!;
    expect(sw).toMatchObject({
      code_kind: 'hybrid',
      employment: null,
      employment_flag: 'no_estimate',
      projection_source: 'Projections Central',
      projection_base_year: 2020,
      projection_year: 2030,
    });
    const map = (await json(csvRun, 'occupation_clusters')).filter((m) => m.soc_code === '15-1256');
    const direct = (await json(csvRun, 'occupation_clusters')).filter((m) => m.soc_code === '15-1252' || m.soc_code === '15-1253');
    expect(new Set(map.map((m) => m.framework))).toEqual(new Set(['2024', 'legacy_16']));
    expect(new Set(map.map((m) => `${m.framework}/${m.cluster}/${m.sub_cluster}`))).toEqual(new Set(direct.map((m) => `${m.framework}/${m.cluster}/${m.sub_cluster}`)));
  });

  it("never lets a state's numbers leak into the nation or another state", async () => {
    const withStates = (await json(csvRun, 'cluster_demand')).filter((c) => c.area_code === '99');
    const nationalOnly = await json(nationalRun, 'cluster_demand');
    expect(withStates).toEqual(nationalOnly);
    const ca = (await json(csvRun, 'occupations')).filter((o) => o.area_code === '06');
    const caCsv = (await pcRows()).filter((r) => r.stfips === '6' && r.code !== '00-0000');
    expect(ca.map((o) => [o.soc_code, o.projection_base_employment]).sort()).toEqual(caCsv.map((r) => [r.code, Number(r.base)]).sort());
  });

  it("a state's hybrid codes never reach the nation's related occupations, search or program views", async () => {
    // Each code's SOC 2018 members, from the vendored crosswalks (a detailed code is its own member).
    const members = new Map<string, Set<string>>();
    for (const csv of ['oews_codes_to_soc_2018.csv', 'hybrid_codes_to_soc_2018.csv'])
      for (const m of Papa.parse<Row>(await readFile(path.join(crosswalksDirDefault(), csv), 'utf8'), { header: true, skipEmptyLines: true }).data) {
        const code = m.oews_code ?? m.code;
        members.set(code, (members.get(code) ?? new Set<string>()).add(m.soc_2018_code));
      }
    const membersOf = (code: string) => members.get(code) ?? new Set([code]);
    const related = await json(csvRun, 'related_occupations');
    const overlapping = related.filter((x) => [...membersOf(x.soc_code)].some((s) => membersOf(x.related_soc_code).has(s)));
    expect(overlapping.map((x) => `${x.soc_code} ${x.related_soc_code}`)).toEqual([]);
    // The nation's pairs are the same with or without the states' projections.
    const national = new Set((await json(nationalRun, 'occupations')).map((o) => o.soc_code));
    const pairs = (rows: Row[]) => rows.filter((x) => national.has(x.soc_code) && national.has(x.related_soc_code));
    expect(pairs(related)).toEqual(await json(nationalRun, 'related_occupations'));
    // lmi search and lmi program, national view: what the national-only snapshot shows.
    const output = (r: Published) => path.resolve(r.snapshotDir, '..', '..');
    const cli = async (r: Published, ...args: string[]) =>
      JSON.parse((await exec(process.execPath, [path.join(PROJECT, 'bin', 'lmi.js'), ...args, '--json', '--output', output(r)], { cwd: PROJECT })).stdout);
    for (const words of [
      ['software', 'developer'],
      ['computer', 'systems', 'analyst'],
    ]) {
      const hits = (await cli(csvRun, 'search', ...words)) as Row[];
      for (const h of hits.filter((x) => x.kind === 'occupation')) expect(national.has(h.code), `${words.join(' ')}: ${h.code}`).toBe(true);
      expect(hits.map((h) => h.code)).toEqual(((await cli(nationalRun, 'search', ...words)) as Row[]).map((h) => h.code));
    }
    const program = await cli(csvRun, 'program', '11.0701');
    for (const o of program.related as Row[]) for (const b of o.leads_to_other_clusters ?? []) expect(national.has(b.related_soc_code), b.related_soc_code).toBe(true);
    expect(program.related).toEqual((await cli(nationalRun, 'program', '11.0701')).related);
    // A state with projections and no OEWS file: its jobs are absent from the snapshot, not withheld by BLS.
    const { stdout } = await exec(process.execPath, [path.join(PROJECT, 'bin', 'lmi.js'), 'search', 'welder', '--area', 'CA', '--output', output(csvRun)], { cwd: PROJECT });
    expect(stdout).toContain('jobs not in this snapshot');
    expect(stdout).not.toContain('jobs not published');
  });

  it('--areas limits the run to the listed states, keeping the nation', async () => {
    const r = await run({ datasets: { projections_central: { format: 'csv', url: PC_CSV_URL } }, areas: ['06', '48'] });
    expect((await json(r, 'areas')).map((a) => a.area_code).sort()).toEqual(['06', '48', '99']);
  });

  it('the bulk CSV: the first bad value names the file, line and column; values are trimmed as the API rows are', async () => {
    const lines = (await readFile(PC_CSV, 'utf8')).split('\n');
    const cells = (line: string) => line.split('","');
    const edit = (n: number, column: number, value: string) => {
      const c = cells(lines[n - 1]!);
      c[column] = column === 0 ? `"${value}` : value;
      lines[n - 1] = c.join('","');
    };
    edit(10, 5, ' 52200 '); // padded: trimmed, not an error
    edit(4000, 2, '11-10x1'); // a bad code, later in the file
    edit(1234, 5, '5x'); // the first bad value: base, column F
    const dir = await tempDir('lmi-pc-bad-');
    const out = await tempDir();
    await mkdir(path.join(dir.dir, 'public.projectionscentral.org', 'downloads'), { recursive: true });
    await writeFile(path.join(dir.dir, 'public.projectionscentral.org', 'downloads', 'ltprojections.csv'), lines.join('\n'));
    const broken = await startMirrorServer([dir.dir, MIRROR]);
    try {
      const err = await runPipeline(runOptions(out.dir, { mirror: broken.url, datasets: { projections_central: { format: 'csv', url: PC_CSV_URL } } })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataError);
      expect((err as Error).message).toBe('ltprojections.csv row 1234, column base (F): "5x" is not a number or a marker matching /^NA$/i');
    } finally {
      await broken.close();
      await dir.cleanup();
      await out.cleanup();
    }
  });

  it('a page without a field names the page, row and field', async () => {
    const rows = (await pcRows()).slice(0, 30);
    const broken = await startMirrorServer([MIRROR], (req, res) => {
      if (!req.url?.includes('LongTermRestJson')) return false;
      const body = {
        rows: rows.map((r, i) => (i === 7 ? { Area: r.areaname } : apiRow(r))),
        pager: { total_pages: 1 },
      };
      res.writeHead(200).end(JSON.stringify(body));
      return true;
    });
    const out = await tempDir();
    try {
      const err = await runPipeline(runOptions(out.dir, { mirror: broken.url, datasets: { projections_central: { format: 'json' } } })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DataError);
      expect((err as Error).message).toBe('Projections Central API page 0 row 8, column STFIPS: is missing from the row');
    } finally {
      await broken.close();
      await out.cleanup();
    }
  });
});

describe('OEWS state and metro scopes (workbooks written by the test from real national rows, area fields changed)', () => {
  let server: MirrorServer;
  let files: Awaited<ReturnType<typeof tempDir>>;
  let out: Awaited<ReturnType<typeof tempDir>>;
  let result: Published;
  const national = new Map<number, { header: (string | null)[]; rows: (string | null)[][] }>();

  /** National rows of `year` as if published for another area. */
  const asArea = (year: number, area: string, title: string, type: number, state: string) => {
    const { header, rows } = national.get(year)!;
    const col = (name: string) => header.indexOf(name);
    return [
      header,
      ...rows.map((r) =>
        r.map((v, i) => (i === col('AREA') ? area : i === col('AREA_TITLE') ? title : i === col('AREA_TYPE') ? String(type) : i === col('PRIM_STATE') ? state : v)),
      ),
    ];
  };

  beforeAll(async () => {
    for (const year of [2021, 2022, 2023, 2024])
      national.set(
        year,
        await withWorkbook(oewsWorkbook(year), async (wb) => {
          const all: (string | null)[][] = [];
          for await (const r of wb.rows()) all.push(r.cells);
          return { header: all[0]!, rows: all.slice(1) };
        }),
      );
    files = await tempDir('lmi-oews-');
    const dir = path.join(files.dir, 'www.bls.gov', 'oes', 'special-requests');
    await mkdir(dir, { recursive: true });
    const xlsx = async (name: string, rows: (string | null)[][]) => {
      const file = path.join(files.dir, name);
      await writeXlsx(file, [{ name: name.replace('.xlsx', ''), rows }]);
      return readFile(file);
    };
    const state = await xlsx('state_M2024_dl.xlsx', [...asArea(2024, '6', 'California', 2, 'CA'), ...asArea(2023, '48', 'Texas', 2, 'TX').slice(1)]);
    const msa = await xlsx('MSA_M2024_dl.xlsx', asArea(2022, '31080', 'Los Angeles-Long Beach-Anaheim, CA', 4, 'CA'));
    const bos = await xlsx('BOS_M2024_dl.xlsx', asArea(2021, '0600001', 'North Coast Region of California nonmetropolitan area', 6, 'CA'));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'oesm24st.zip'), zipSync({ 'oesm24st/state_M2024_dl.xlsx': state }));
    await writeFile(path.join(dir, 'oesm24ma.zip'), zipSync({ 'oesm24ma/MSA_M2024_dl.xlsx': msa, 'oesm24ma/BOS_M2024_dl.xlsx': bos }));
    server = await startMirrorServer([MIRROR, files.dir]);
    out = await tempDir();
    result = published(await runPipeline(runOptions(out.dir, { mirror: server.url, fetch: { contact: 'lmi-tests@example.org' }, datasets: { oews: ['nat', 'st', 'ma'] } })));
  });
  afterAll(async () => {
    await server.close();
    await files.cleanup();
    await out.cleanup();
  });

  const detailedTotal = (year: number) => {
    const { header, rows } = national.get(year)!;
    return rows.filter((r) => r[header.indexOf('O_GROUP')] === 'detailed').reduce((a, r) => a + Number(r[header.indexOf('TOT_EMP')]), 0);
  };

  it('builds the area dimension from AREA, AREA_TYPE and PRIM_STATE', async () => {
    const areas = await json(result, 'areas');
    expect(areas.map(({ area_code, area_name, area_type, state_fips, state_abbr }) => ({ area_code, area_name, area_type, state_fips, state_abbr }))).toEqual([
      { area_code: '06', area_name: 'California', area_type: 'state', state_fips: '06', state_abbr: 'CA' },
      { area_code: '0600001', area_name: 'North Coast Region of California nonmetropolitan area', area_type: 'nonmetro', state_fips: '06', state_abbr: 'CA' },
      { area_code: '31080', area_name: 'Los Angeles-Long Beach-Anaheim, CA', area_type: 'metro', state_fips: '06', state_abbr: 'CA' },
      { area_code: '48', area_name: 'Texas', area_type: 'state', state_fips: '48', state_abbr: 'TX' },
      { area_code: '99', area_name: 'U.S.', area_type: 'national', state_fips: null, state_abbr: 'US' },
    ]);
    // Each area's own all-occupations figures (its 00-0000 row), for headlines.
    const nation = areas.find((a) => a.area_code === '99')!;
    expect([nation.all_occupations_employment, nation.all_occupations_median_wage]).toEqual([154_187_380, 49_500]);
  });

  it('counts each area only from its own rows: metro rows never add into their state', async () => {
    const clusters = (await json(result, 'cluster_demand')).filter((c) => c.framework === '2024');
    const allocated = (area: string) => clusters.filter((c) => c.area_code === area).reduce((a, c) => a + c.employment_allocated, 0);
    expect(allocated('06')).toBe(detailedTotal(2024));
    expect(allocated('48')).toBe(detailedTotal(2023));
    expect(allocated('31080')).toBe(detailedTotal(2022));
    expect(allocated('0600001')).toBe(detailedTotal(2021));
    expect(allocated('99')).toBe(detailedTotal(2024));
    const occupations = await json(result, 'occupations');
    expect(occupations.filter((o) => o.area_code === '06')).toHaveLength(831);
    expect(occupations.filter((o) => o.area_code === '31080')).toHaveLength(830);
    // Projections are national: state rows carry none without Projections Central.
    expect(occupations.find((o) => o.area_code === '06' && o.soc_code === '11-1011')).toMatchObject({
      employment: 211_850,
      projection_base_employment: null,
      location_quotient: null,
    });
  });

  it('reads the all-data scope: only cross-industry, all-ownership rows, and the nation once', async () => {
    const { header } = national.get(2024)!;
    const col = (name: string) => header.indexOf(name);
    const variant = (rows: (string | null)[][], changes: Record<string, string>) =>
      rows.map((r) => r.map((v, i) => (Object.keys(changes).some((k) => col(k) === i) ? changes[Object.keys(changes).find((k) => col(k) === i)!]! : v)));
    const nationRows = national.get(2024)!.rows;
    const allRows = [
      header,
      ...nationRows,
      // An industry sector and a private-ownership total: neither is the cross-industry estimate.
      ...variant(nationRows, { NAICS: '11', NAICS_TITLE: 'Agriculture, Forestry, Fishing and Hunting', I_GROUP: 'sector', OWN_CODE: '5' }),
      ...variant(nationRows, { OWN_CODE: '5' }),
      ...asArea(2023, '48', 'Texas', 2, 'TX').slice(1),
    ];
    const file = path.join(files.dir, 'all_data_M_2024.xlsx');
    await writeXlsx(file, [{ name: 'All May 2024 data', rows: allRows }], { sharedStrings: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(files.dir, 'www.bls.gov/oes/special-requests/oesm24all.zip'), zipSync({ 'oesm24all/all_data_M_2024.xlsx': await readFile(file) }));
    const own = await tempDir();
    try {
      const r = published(await runPipeline(runOptions(own.dir, { mirror: server.url, fetch: { contact: 'lmi-tests@example.org' }, datasets: { oews: ['all'] } })));
      const occupations = await json(r, 'occupations');
      expect(occupations.filter((o) => o.area_code === '99')).toHaveLength(831);
      const clusters = (await json(r, 'cluster_demand')).filter((c) => c.framework === '2024');
      const allocated = (area: string) => clusters.filter((c) => c.area_code === area).reduce((a, c) => a + c.employment_allocated, 0);
      expect(allocated('99')).toBe(detailedTotal(2024));
      expect(allocated('48')).toBe(detailedTotal(2023));
      expect(r.manifest.sources.map((s) => s.source)).toContain('oews_all');
    } finally {
      await own.cleanup();
    }
  });

  it('lmi search and lmi program take a state abbreviation for --area', async () => {
    const { searchSnapshot } = await import('../src/views/search.js');
    const { programView } = await import('../src/views/program.js');
    const welders = (await json(result, 'occupations')).find((o) => o.area_code === '06' && o.soc_code === '51-4121')!;
    const hit = (await searchSnapshot(out.dir, 'welder', 'CA')).find((h) => h.code === '51-4121')!;
    expect(hit.employment).toBe(welders.employment);
    expect((await programView(out.dir, '48.0508', 'ca')).area_code).toBe('06');
    await expect(searchSnapshot(out.dir, 'welder', 'ZZ')).rejects.toThrow(/--area ZZ: not in snapshot/);
  });

  it('stays at 100% coverage for OEWS codes', async () => {
    for (const c of await json(result, 'coverage')) expect(c.employment_mapped_pct, c.area_code).toBe(100);
  });
});

describe('hybrid code table', () => {
  it('maps to SOC 2018 detailed codes in the same major group, or as the SOC 2010 crosswalk says', async () => {
    const hybrid = Papa.parse<Record<string, string>>(await readFile(path.join(crosswalksDirDefault(), 'hybrid_codes_to_soc_2018.csv'), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const structure = Papa.parse<Record<string, string>>(await readFile(path.join(crosswalksDirDefault(), 'soc_2018_structure.csv'), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const detailed = new Set(structure.filter((s) => s.soc_level === 'detailed').map((s) => s.soc_code));
    const soc2010 = new Map<string, Set<string>>();
    await withWorkbook(path.join(DATA, 'lmi', 'soc', 'soc_2010_to_2018_crosswalk.xlsx'), async (wb) => {
      for await (const r of wb.rows()) if (/^\d\d-\d{4}$/.test(r.cells[0] ?? '') && r.cells[2]) soc2010.set(r.cells[0]!, (soc2010.get(r.cells[0]!) ?? new Set()).add(r.cells[2]!));
    });
    const byCode = new Map<string, Set<string>>();
    for (const h of hybrid) {
      expect(detailed.has(h.soc_2018_code!), `${h.code} → ${h.soc_2018_code}`).toBe(true);
      expect(detailed.has(h.code!), `${h.code} is itself a SOC 2018 code`).toBe(false);
      expect(h.reasoning!.length).toBeGreaterThan(20);
      byCode.set(h.code!, (byCode.get(h.code!) ?? new Set()).add(h.soc_2018_code!));
      if (!h.reasoning!.startsWith('SOC 2010 code')) expect(h.soc_2018_code!.slice(0, 2), h.code).toBe(h.code!.slice(0, 2));
    }
    for (const [code, members] of byCode) if (hybrid.find((h) => h.code === code)!.reasoning!.startsWith('SOC 2010 code')) expect(members).toEqual(soc2010.get(code));
    expect(byCode.size).toBe(25);
  });
});

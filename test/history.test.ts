// History on the real national workbooks May 2014-2019 and 2021-2024 (the mirror has no May 2020).
// Every release adds up to its own workbook; split and hybrid codes followed end to end; the
// SOC 2018 years equal the single-release snapshots exactly.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, QualityError } from '../src/errors.js';
import { createLogger } from '../src/log.js';
import { runPipeline, type RunResult } from '../src/run.js';
import { errorOf, rewriteZipEntry, rewriteZipText, withMirrorFiles } from './fixtures.js';
import { exceljsRows, MIRROR, oewsWorkbook, PROJECT, parquetAgainstJson, runOptions, tempDir } from './helpers.js';

type Published = Extract<RunResult, { status: 'published' }>;
type Row = Record<string, any>;
const RELEASES = [2014, 2015, 2016, 2017, 2018, 2019, 2021, 2022, 2023, 2024];
const base = runOptions;

/** Σ detailed TOT_EMP as the workbook states it (read with exceljs), each code once (May 2017-2019 list some both as broad and detailed). */
async function detailedTotal(year: number): Promise<number> {
  const seen = new Map<string, number>();
  for await (const get of exceljsRows(oewsWorkbook(year)))
    if ((get('O_GROUP') || get('OCC_GROUP')) === 'detailed' && /^\d+$/.test(get('TOT_EMP'))) seen.set(get('OCC_CODE'), Number(get('TOT_EMP')));
  return [...seen.values()].reduce((a, b) => a + b, 0);
}

describe('history, May 2014-2024', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let r: Published;
  const json = async (table: string, dir = r.snapshotDir): Promise<Row[]> => JSON.parse(await readFile(path.join(dir, `${table}.json`), 'utf8'));

  beforeAll(async () => {
    out = await tempDir();
    const result = await runPipeline(base(out.dir, { datasets: { oews_history: '2014..2019,2021..latest' } }));
    if (result.status !== 'published') throw new Error('expected a snapshot');
    r = result;
  });
  afterAll(async () => out.cleanup());

  it('a second Parquet reader (hyparquet) reads the history tables, nested columns included, as their JSON has them', async () => {
    const read = await parquetAgainstJson(r.snapshotDir, ['cluster_history', 'subcluster_history', 'occupation_history', 'cluster_growth', 'history_coverage']);
    expect(read.filter((t) => t.differs)).toEqual([]);
    expect(read.every((t) => t.rows > 0)).toBe(true);
  });

  it('the history list columns have flat tables holding exactly what the lists do', async () => {
    const coverage = await json('history_coverage');
    const split = coverage.flatMap((c) => c.split_codes.flatMap((s: Row) => s.targets.map((t: Row) => [c.release, s.code, t.target_code, t.employment, t.weight])));
    expect((await json('history_split_targets')).map((t) => [t.release, t.code, t.target_code, t.target_employment, t.weight])).toEqual(split);
    expect(split.length).toBeGreaterThan(0);
    expect((await json('history_unmapped_codes')).length).toBe(coverage.reduce((a, c) => a + c.unmapped_codes.length, 0));
    expect((await json('history_source_codes')).length).toBe((await json('occupation_history')).reduce((a, o) => a + o.source_codes.length, 0));
  });

  it('every release adds up to its own workbook, and at least 99.5% of it reaches a cluster', async () => {
    const coverage = await json('history_coverage');
    expect(coverage.map((c) => c.release)).toEqual(RELEASES);
    const clusters = (await json('cluster_history')).filter((c) => c.framework === '2024');
    for (const year of RELEASES) {
      const total = await detailedTotal(year);
      const c = coverage.find((x) => x.release === year)!;
      expect(c.detailed_employment, `May ${year}`).toBe(total);
      const allocated = clusters.filter((x) => x.release === year).reduce((a, x) => a + x.employment_allocated, 0);
      const unmapped = c.unmapped_codes.reduce((a: number, u: Row) => a + (u.employment ?? 0), 0);
      expect(allocated + unmapped, `May ${year}`).toBe(total);
      expect(allocated / total, `May ${year}`).toBeGreaterThanOrEqual(0.995);
    }
  });

  it('follows a SOC 2010 code that splits (15-1132 in May 2014) and a hybrid code (15-1256 in May 2019) end to end', async () => {
    const coverage = await json('history_coverage');
    const history = await json('occupation_history');
    const may2021 = (code: string) => history.find((h) => h.release === 2021 && h.soc_code === code)!.employment;
    const [w52, w53] = [may2021('15-1252'), may2021('15-1253')];
    for (const [year, code] of [
      [2014, '15-1132'],
      [2019, '15-1256'],
    ] as const) {
      const split = coverage.find((c) => c.release === year)!.split_codes.find((s: Row) => s.code === code)!;
      const employment = split.employment as number;
      const parts = Object.fromEntries(split.targets.map((t: Row) => [t.target_code, t.employment]));
      expect(Object.keys(parts)).toEqual(['15-1252', '15-1253']);
      // In proportion to May 2021, in whole persons, the remainder to the larger fraction.
      const exact = (employment * w52) / (w52 + w53);
      expect(parts['15-1252']).toBe(exact - Math.floor(exact) >= 0.5 ? Math.ceil(exact) : Math.floor(exact));
      expect(parts['15-1252'] + parts['15-1253']).toBe(employment);
      const software = history.find((h) => h.release === year && h.soc_code === '15-1252')!;
      expect(software.source_codes).toContain(code);
      expect(software.employment_via_split).toBe(software.employment);
    }
    // The May 2014 number as published, and where it went.
    const may2014 = coverage.find((c) => c.release === 2014)!.split_codes.find((s: Row) => s.code === '15-1132')!;
    expect(may2014.employment).toBe(686_470);
    // A code that reaches its targets by two paths names both rules, in order (one of the two,
    // picked at random, made the published bytes differ between identical runs).
    const may2017 = coverage.find((c) => c.release === 2017)!.split_codes.find((s: Row) => s.code === '15-2090')!;
    expect(may2017.rule).toBe('OEWS code for SOC 2010 15-2091, then the BLS crosswalk; OEWS code for SOC 2010 15-2099, then the BLS crosswalk');
  });

  it('national employment by cluster for May 2021-2024 equals the single-release snapshots exactly', async () => {
    const history = (await json('cluster_history')).filter((c) => c.release >= 2021);
    for (const year of [2021, 2022, 2023, 2024]) {
      const single = await runPipeline(base(path.join(out.dir, `single-${year}`), { releases: { oews: String(year), onet: '27.0' } }));
      if (single.status !== 'published') throw new Error('expected a snapshot');
      const expected = (await json('cluster_demand', single.snapshotDir)).map((c) => [c.framework, c.cluster, c.employment, c.employment_allocated, c.median_annual_wage]);
      const got = history.filter((c) => c.release === year).map((c) => [c.framework, c.cluster, c.employment, c.employment_allocated, c.median_annual_wage]);
      expect(got, `May ${year}`).toEqual(expected);
    }
  });

  it('growth over 1, 3, 5 and 10 years, flagged where the code system changed', async () => {
    const growth = (await json('cluster_growth')).filter((g) => g.framework === '2024' && g.cluster === 'Digital Technology');
    expect(growth.map((g) => [g.window_years, g.from_release, g.to_release, g.code_system_change])).toEqual([
      [1, 2023, 2024, false],
      [3, 2021, 2024, false],
      [5, 2019, 2024, true],
      [10, 2014, 2024, true],
    ]);
    const ten = growth.find((g) => g.window_years === 10)!;
    expect(ten.cagr_pct).toBeCloseTo((Math.pow(ten.employment_to / ten.employment_from, 1 / 10) - 1) * 100, 2);
    expect(ten.split_share).toBeGreaterThan(0);
  });

  it("the report's national page shows the trend by cluster, its table equal to cluster_history", async () => {
    const { buildReport } = await import('../src/publish/report/index.js');
    await buildReport(r.snapshotDir);
    const html = await readFile(path.join(r.snapshotDir, 'report', 'areas', '99.html'), 'utf8');
    expect(html).toContain('data-chart="history-2024"');
    // Years on a time axis: no May 2020 release, so each cluster's line breaks there (two pieces)
    // instead of drawing 2019 beside 2021.
    const chart = /<figure data-chart="history-2024"[\s\S]*?<\/figure>/.exec(html)![0];
    const lines = [...chart.matchAll(/<path [^>]*aria-roledescription="line mark"[^>]*d="([^"]+)"/g)].map((m) => m[1]!);
    expect(lines).toHaveLength(14);
    for (const d of lines) expect(d.match(/M/g)).toHaveLength(2);
    // Every line told apart by its colour and dash pattern together (one palette of 14 gave near-identical pairs).
    const looks = [...chart.matchAll(/<path [^>]*aria-roledescription="line mark"[^>]*stroke="([^"]+)"[^>]*stroke-dasharray="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(new Set(looks).size).toBe(14);
    expect(new Set(looks.map((l) => l.split(' ')[0])).size).toBeLessThanOrEqual(10);
    const table = /<table id="history-table">([\s\S]*?)<\/table>/.exec(html)![1]!;
    const hc = (await json('cluster_history')).filter((c) => c.framework === '2024');
    const row = /<tr><th scope="row">Digital Technology<\/th>([\s\S]*?)<\/tr>/.exec(table)![1]!;
    const values = [...row.matchAll(/data-value="(\d*)"/g)].map((m) => Number(m[1]));
    expect(values).toEqual(RELEASES.map((y) => hc.find((c) => c.cluster === 'Digital Technology' && c.release === y)!.employment_allocated)); // Each occupation's page has its own trend: jobs by release, as occupation_history has them.
    const page = await readFile(path.join(r.snapshotDir, 'report', 'occupations', '15-1252.html'), 'utf8');
    const trend = /<table id="occupation-history">([\s\S]*?)<\/table>/.exec(page)![1]!;
    const jobs = [...trend.matchAll(/<th scope="row">May (\d{4})<\/th><td class="num" data-value="(\d*)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const oh = (await json('occupation_history')).filter((o) => o.soc_code === '15-1252');
    expect(jobs).toEqual(oh.map((o) => [o.release, o.employment]));
    expect(jobs.map(([y]) => y)).toEqual(RELEASES);
  });

  it('lmi sources lists every release the history would fetch (the registry drives it)', async () => {
    const { describeSources } = await import('../src/sources.js');
    const sources = await describeSources({ ...base(out.dir), datasets: { oews_history: '2014..2016', oews_industry: true } });
    expect(sources.map((x) => x.source)).toEqual([
      'oews',
      'ep',
      'ep_separations',
      'onet',
      'oews_industry',
      'oews_history_2014',
      'oews_history_2015',
      'oews_history_2016',
      'oews_history_2021',
      'ipeds_completions',
      'ipeds_institutions',
      'cip_soc',
    ]);
  });

  it('lmi snapshots shows the history as one range, in rows that fit a terminal', async () => {
    const { execFile } = await import('node:child_process');
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [path.join(PROJECT, 'bin', 'lmi.js'), 'snapshots', '--output', out.dir], (err, so) => (err ? reject(err) : resolve(so))),
    );
    expect(stdout).toContain('history 10 releases, May 2014–May 2024');
    expect(stdout).not.toContain('oews_history_');
    for (const line of stdout.trimEnd().split('\n')) expect(line.length, line).toBeLessThanOrEqual(220);
  });

  it('a release the source does not have is a one-line error naming it', async () => {
    const err = await runPipeline(base(path.join(out.dir, 'gap'), { datasets: { oews_history: '2019..2021' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as Error).message).toMatch(/oesm20nat\.zip: OEWS May 2020 is not published there: leave it out of --history/);
    expect((err as Error).message.split('\n')).toHaveLength(1);
  });

  it('adding a release reads only the new file; a rerun with nothing new publishes nothing', async () => {
    const dir = path.join(out.dir, 'incremental');
    const lines: Row[] = [];
    const log = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c))), cb()) }));
    await runPipeline(base(dir, { datasets: { oews_history: '2021..2023' } }));
    await runPipeline(base(dir, { datasets: { oews_history: '2021..2024' }, log }));
    expect(lines.filter((l) => l.msg === 'history release read').map((l) => l.release)).toEqual([2024]);
    expect(lines.filter((l) => l.msg === 'history release already in the warehouse').map((l) => l.release)).toEqual([2021, 2022, 2023]);
    expect((await runPipeline(base(dir, { datasets: { oews_history: '2021..2024' } }))).status).toBe('unchanged');
  });
});

describe('a release whose file is not what its name says publishes nothing', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  const nat = (year: number) => `www.bls.gov/oes/special-requests/oesm${String(year % 100).padStart(2, '0')}nat.zip`;
  /** Another year's zip, its workbook renamed to this year's name (what a mislabelled upload looks like). */
  const renamed = async (from: number, to: number) => {
    const files = unzipSync(await readFile(path.join(MIRROR, nat(from))));
    const [name] = Object.keys(files).filter((n) => n.endsWith('.xlsx'));
    const renamedFiles = { [`oesm${String(to % 100).padStart(2, '0')}nat/national_M${to}_dl.xlsx`]: files[name!]! };
    return zipSync(renamedFiles);
  };
  async function runWith(rel: string, bytes: Uint8Array, history?: string): Promise<unknown> {
    const dir = path.join(out.dir, String(Math.random()).slice(2));
    const err = await errorOf(withMirrorFiles({ [rel]: bytes }, (mirror) => runPipeline(base(dir, { mirror, ...(history ? { datasets: { oews_history: history } } : {}) }))));
    expect(existsSync(path.join(dir, 'latest.json'))).toBe(false);
    return err;
  }

  beforeAll(async () => {
    out = await tempDir();
  });
  afterAll(async () => out.cleanup());

  it('the May 2023 workbook served as May 2024 is refused by its own sheet name', async () => {
    const err = await runWith(nat(2024), await renamed(2023, 2024));
    expect(err).toBeInstanceOf(FetchError);
    expect((err as Error).message).toMatch(/oesm24nat\.zip: holds oesm24nat\/national_M2024_dl\.xlsx, whose sheet "national_M2023_dl" is the May 2023 release, not May 2024/);
  });

  it('May 2015 served as May 2016 (a sheet with no year) is refused by the date Excel saved it', async () => {
    const err = await runWith(nat(2016), await renamed(2015, 2016), '2016..2017');
    expect(err).toBeInstanceOf(FetchError);
    expect((err as Error).message).toMatch(
      /oesm16nat\.zip: holds oesm16nat\/national_M2016_dl\.xlsx, last saved 2016-\d\d-\d\d: before May 2016's estimates were published \(2017\)/,
    );
  });

  it('May 2017 served as May 2016 is refused: a history release identical to another', async () => {
    const err = await runWith(nat(2016), await renamed(2017, 2016), '2016..2017');
    expect(err).toBeInstanceOf(QualityError);
    expect((err as Error).message).toMatch(/history_releases_distinct \(1 row\)/);
  });

  it('a history release with half its rows (a consistent sheet) stops the run', async () => {
    const zip = await readFile(path.join(MIRROR, nat(2016)));
    const half = rewriteZipEntry(zip, /national_M2016_dl\.xlsx$/, (xlsx) =>
      rewriteZipText(xlsx, /^xl\/worksheets\/sheet1\.xml$/, (xml) => xml.replace(/<dimension[^>]*>/, '').replace(/<row r="700"[\s\S]*<\/sheetData>/, '</sheetData>')),
    );
    const err = await runWith(nat(2016), half, '2016..2017');
    expect(err).toBeInstanceOf(QualityError);
    expect((err as Error).message).toMatch(/history_detailed_total \(1 row\)/);
  });
});

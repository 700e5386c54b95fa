// The report in a real browser (Debian's Chromium driven by playwright-core), on snapshots
// built from the real May 2024 national files and from Projections Central for every state:
// the national page's chart and table equal cluster_demand.json number by number, no request
// leaves the site, no console errors, the program search finds 51.3801 from "nursing",
// suppressed values read "not published", and demand.xlsx read back by another reader
// (openpyxl) equals the JSON tables.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type RunResult } from '../src/run.js';
import { DATA, DEBIAN_PYTHON, PROJECT, tempDir, runOptions } from './helpers.js';

type Published = Extract<RunResult, { status: 'published' }>;
type Row = Record<string, any>;
const ARTIFACTS = path.join(PROJECT, 'test-artifacts');
const PC_CSV = pathToFileURL(path.join(DATA, 'lmi', 'projections_central', '2020-2030', 'ltprojections.csv')).href;

async function publish(outputDir: string, extra: object = {}): Promise<Published> {
  const r = await runPipeline(runOptions(outputDir, { report: true, ...extra }));
  if (r.status !== 'published') throw new Error('expected a snapshot');
  return r;
}

/** Open a report page; record every request and every console error. */
async function open(browser: Browser, file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  return { page, requests, errors };
}

const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A page table read by its headings: each row maps a heading to the cell's exact value (data-value) or, without one, its text. */
interface PageTable {
  id: string;
  /** The summary of the <details> holding it, if any. */
  summary: string | null;
  headings: string[];
  rows: Record<string, string>[];
}

async function readTables(page: Page): Promise<PageTable[]> {
  return page.locator('table').evaluateAll((tables) =>
    tables.map((t) => {
      const headings = [...t.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
      const rows = [...t.querySelectorAll('tbody tr')].map((tr) =>
        Object.fromEntries([...tr.children].map((cell, i) => [headings[i]!, (cell as HTMLElement).dataset.value ?? cell.textContent!.trim()])),
      );
      const summary = t.closest('details')?.querySelector('summary')?.textContent?.trim() ?? null;
      return { id: t.id, summary, headings, rows };
    }),
  );
}

/** A published number as a page cell holds it: '' for null. */
const cell = (v: unknown) => (v === null || v === undefined ? '' : String(Number(v)));

/**
 * Every table of an area page equals the JSON table it comes from, column by column by heading:
 * the cluster tables (cluster_demand, 2024 and legacy_16), each cluster's sub-cluster table (subcluster_demand) and
 * each cluster's high-opportunity occupations (occupations + occupation_clusters). A table of
 * any other kind fails, so a new table must be added here.
 */
async function expectTablesEqualJson(page: Page, r: Published, area: string): Promise<void> {
  const read = async (table: string): Promise<Row[]> => JSON.parse(await readFile(path.join(r.snapshotDir, `${table}.json`), 'utf8'));
  const demandColumns: Record<string, string> = {
    occupations: 'occupations',
    'jobs (each person once)': 'employment_allocated',
    'jobs (all who work in it)': 'employment',
    'annual openings (each opening once)': 'annual_openings_allocated',
    'projected growth': 'projected_change_pct',
    'median wage': 'median_annual_wage',
    'high-opportunity occupations': 'high_opportunity_occupations',
  };
  const demand = (await read('cluster_demand')).filter((c) => c.area_code === area);
  const clusters = demand.filter((c) => c.framework === '2024');
  const subclusters = (await read('subcluster_demand')).filter((c) => c.area_code === area && c.framework === '2024');
  const occupations = (await read('occupations')).filter((o) => o.area_code === area);
  const clustersOf = new Map<string, Set<string>>();
  for (const m of (await read('occupation_clusters')).filter((x) => x.framework === '2024'))
    clustersOf.set(m.soc_code, (clustersOf.get(m.soc_code) ?? new Set<string>()).add(m.cluster));
  const compare = (rows: Record<string, string>[], expected: Row[], key: string, json: (r: Row) => string, what: string) => {
    expect(rows.map((x) => x[key]).sort(), what).toEqual(expected.map(json).sort());
    for (const e of expected) {
      const shown = rows.find((x) => x[key] === json(e))!;
      for (const [heading, column] of Object.entries(demandColumns)) if (heading in shown) expect(shown[heading], `${what}: ${json(e)}, ${heading}`).toBe(cell(e[column]));
    }
  };
  const tables = await readTables(page);
  let subTables = 0;
  let highOppTables = 0;
  let supplyTables = 0;
  for (const t of tables) {
    if (t.id === 'cluster-table') {
      expect(t.headings.slice(1).sort()).toEqual(Object.keys(demandColumns).sort());
      compare(t.rows, clusters, 'cluster', (c) => c.cluster, 'cluster table');
    } else if (t.id === 'legacy-table') {
      expect(t.headings.slice(1).sort()).toEqual(Object.keys(demandColumns).sort());
      compare(
        t.rows,
        demand.filter((c) => c.framework === 'legacy_16'),
        'cluster',
        (c) => c.cluster,
        'legacy cluster table',
      );
    } else if (t.id === 'supply-table') {
      const supply = (await read('cluster_supply_demand')).filter((c) => c.area_code === area && c.level === 'cluster');
      const at = (cluster: string, levels: string[]) => supply.filter((c) => c.cluster === cluster && levels.includes(c.education_level));
      const total = (rows: Row[], k: string) => (rows.every((x) => x[k] === null) ? null : rows.reduce((a, x) => a + (x[k] ?? 0), 0));
      expect(t.rows.map((x) => x.cluster).sort()).toEqual([...new Set(supply.map((c) => c.cluster))].sort());
      for (const x of t.rows) {
        const all = at(x.cluster!, ['all'])[0]!;
        const sub = at(x.cluster!, ['postsecondary_nondegree', 'associate']);
        expect(
          [x['completions a year'], x['annual openings (each opening once)'], x['completers per opening'], x['sub-baccalaureate completions'], x['sub-baccalaureate openings']],
          x.cluster,
        ).toEqual([
          cell(all.completions),
          cell(all.annual_openings_allocated),
          cell(all.supply_per_opening),
          cell(total(sub, 'completions')),
          cell(total(sub, 'annual_openings_allocated')),
        ]);
      }
      supplyTables++;
    } else if (t.headings[0] === 'sub-cluster') {
      const cluster = t.summary!.replace(/ \(\d+ sub-clusters\)$/, '');
      compare(
        t.rows,
        subclusters.filter((s) => s.cluster === cluster),
        'sub-cluster',
        (s) => s.sub_cluster,
        `sub-clusters of ${cluster}`,
      );
      subTables++;
    } else if (t.headings[0] === 'occupation') {
      const cluster = t.summary!.replace(/ \((\d+|at least \d+; \d+ unknown)\)$/, '');
      const expected = occupations.filter((o) => o.high_opportunity && clustersOf.get(o.soc_code)?.has(cluster));
      expect(t.rows.map((x) => x.occupation!.match(/\d\d-\d{4}$/)![0]).sort(), cluster).toEqual(expected.map((o) => o.soc_code).sort());
      for (const o of expected) {
        const shown = t.rows.find((x) => x.occupation!.endsWith(o.soc_code))!;
        expect([shown.jobs, shown['annual openings'], shown['median wage'], shown['why it is high opportunity']], o.soc_code).toEqual([
          cell(o.employment),
          cell(o.annual_openings),
          cell(o.annual_wage_median),
          o.opportunity_reasons ?? '',
        ]);
      }
      highOppTables++;
    } else throw new Error(`a table the test does not know: ${t.id || t.headings.join(' | ')}`);
  }
  expect(subTables).toBe(clusters.length);
  expect(supplyTables).toBe(1);
  expect(highOppTables).toBe(clusters.filter((c) => occupations.some((o) => o.high_opportunity && clustersOf.get(o.soc_code)?.has(c.cluster))).length);
}

describe('the report of a national snapshot', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let national: Published;
  let states: Published;
  let browser: Browser;
  const json = async (r: Published, table: string): Promise<Row[]> => JSON.parse(await readFile(path.join(r.snapshotDir, `${table}.json`), 'utf8'));
  const report = (r: Published, ...parts: string[]) => path.join(r.snapshotDir, 'report', ...parts);

  beforeAll(async () => {
    out = await tempDir();
    national = await publish(path.join(out.dir, 'national'));
    states = await publish(path.join(out.dir, 'states'), { datasets: { projections_central: { format: 'csv', url: PC_CSV } } });
    browser = await chromium.launch({
      executablePath: process.env.LMI_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'],
    });
    await mkdir(ARTIFACTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await out.cleanup();
  });

  it('shows 14 cluster bars and a table equal to cluster_demand.json, with no request leaving the site and no console error', async () => {
    const root = report(national);
    const { page, requests, errors } = await open(browser, report(national, 'areas', '99.html'));
    // Jobs and openings side by side: 14 bars each.
    const panels = page.locator('figure[data-chart="employment-2024"] g.mark-rect');
    expect(await panels.count()).toBe(2);
    expect(await panels.nth(0).locator('path').count()).toBe(14);
    expect(await panels.nth(1).locator('path').count()).toBe(14);
    const tables = await readTables(page);
    const clusterTable = tables.find((t) => t.id === 'cluster-table')!;
    expect(clusterTable.rows).toHaveLength(14);
    await expectTablesEqualJson(page, national, '99');
    expect(await page.locator('text=a pandemic year').count()).toBe(0);
    // Openings to the precision BLS publishes (hundreds), the exact figure kept for sorting and
    // copying; each label names which openings it is.
    const openings = await page.$$eval('#cluster-table tbody tr', (rows) =>
      rows.map((tr) => {
        const td = tr.children[4] as HTMLElement;
        return { exact: Number(td.dataset.value), shown: Number(td.textContent!.replaceAll(',', '')) };
      }),
    );
    for (const o of openings) expect(o.shown, String(o.exact)).toBe(Math.round(o.exact / 100) * 100);
    expect(openings.some((o) => o.shown !== o.exact)).toBe(true);
    expect(clusterTable.headings).toContain('annual openings (each opening once)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-area-99.png'), fullPage: true });
    expect(requests.length).toBeGreaterThan(0);
    for (const url of requests) expect(url.startsWith(pathToFileURL(root).href), url).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the index lists every area and links work from file://', async () => {
    const { page, errors } = await open(browser, report(states, 'index.html'));
    expect(await page.locator('#area-list li').count()).toBe((await json(states, 'areas')).length);
    // Sources: public URLs are links; a local file (this run's Projections Central CSV) is named, its folders never shown.
    const html = await readFile(report(states, 'index.html'), 'utf8');
    expect(html).not.toContain('file://');
    expect(html).toContain('a local file (ltprojections.csv)');
    expect(await page.locator('a[href="https://www.bls.gov/oes/special-requests/oesm24nat.zip"]').count()).toBe(1);
    // Every data check with its plain description beside its name.
    const quality = JSON.parse(await readFile(path.join(states.snapshotDir, 'quality.json'), 'utf8')) as { checks: { name: string; description: string }[] };
    for (const c of quality.checks) expect(html, c.name).toContain(escapeHtml(c.description));
    await page.fill('#area-search', 'califor');
    expect(await page.locator('#area-list li:visible').count()).toBe(1);
    await page.click('#area-list li:visible a');
    expect(page.url()).toMatch(/areas\/06\.html$/);
    expect(await page.locator('h1').textContent()).toBe('California');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('program search finds 51.3801 from "nursing", with Registered Nurses among its occupations', async () => {
    const { page, requests, errors } = await open(browser, report(national, 'programs', '99.html'));
    await page.fill('#program-search', 'nursing');
    const program = page.locator('section.program[data-cip="51.3801"]');
    await expect.poll(() => program.count()).toBe(1);
    expect(await program.locator('td', { hasText: 'Registered Nurses (29-1141)' }).count()).toBe(1);
    // Its interest code and where its occupations lead in other clusters (O*NET).
    expect(await program.locator('p', { hasText: /Interest code \(RIASEC\): S[RIAEC]{2}\./ }).count()).toBe(1);
    await page.fill('#program-search', '51.38');
    expect(await page.locator('section.program[data-cip="51.3801"]').count()).toBe(1);
    for (const url of requests) expect(url.startsWith('file://'), url).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a state with no OEWS estimate says its jobs and wages are not in this snapshot, never 0, and not "not published"', async () => {
    const { page, errors } = await open(browser, report(states, 'areas', '06.html'));
    const cells = await page
      .locator('#cluster-table td')
      .evaluateAll((tds) => tds.map((td) => ({ value: (td as HTMLElement).dataset.value, text: td.textContent, flag: (td as HTMLElement).dataset.flag })));
    const missing = cells.filter((c) => c.value === '');
    expect(missing.length).toBeGreaterThan(0);
    // Absent from the snapshot (no OEWS state file in the run), which is not BLS withholding them.
    // High opportunity cannot be tested without wages: unknown, never 0.
    for (const c of missing) expect([[c.text, c.flag]]).toContainEqual(c.flag === 'unknown' ? ['unknown', 'unknown'] : ['not in this snapshot', 'no_estimate']);
    await expectTablesEqualJson(page, states, '06');
    const california = (await json(states, 'cluster_demand')).filter((c) => c.area_code === '06' && c.framework === '2024');
    expect(california.every((c) => c.employment === null)).toBe(true);
    expect(california.filter((c) => c.high_opportunity_occupations === 0)).toEqual([]);
    expect(california.every((c) => c.high_opportunity_occupations === null && c.occupations_with_unknown_opportunity > 0)).toBe(true);
    expect(await page.locator('#cluster-table td[data-flag="unknown"]').count()).toBe(california.length);
    expect(await page.locator('summary', { hasText: /unknown\)$/ }).count()).toBe(california.length);
    expect(await page.locator('#cluster-table >> text=not published').count()).toBe(0);
    expect(await page.locator('text=OEWS state estimates would add them').count()).toBe(1);
    // Projections Central 2020–2030 starts from a pandemic year, and the page says so (the nation's 2024–2034 does not).
    expect(await page.locator('text=a pandemic year').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-area-06.png'), fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('demand.xlsx, read back by openpyxl, equals the JSON tables', async () => {
    const script = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
out = {}
for name in ['Cluster demand', 'Sub-cluster demand', 'Occupations', 'Programs', 'Supply and demand', 'README']:
    ws = wb[name]
    rows = list(ws.iter_rows(values_only=True))
    out[name] = {'header': list(rows[0]), 'rows': [list(r) for r in rows[1:]], 'frozen': ws.freeze_panes if hasattr(ws, 'freeze_panes') else None}
out['sheets'] = wb.sheetnames
print(json.dumps(out, default=str))`;
    const book = JSON.parse(execFileSync(DEBIAN_PYTHON, ['-c', script, report(states, 'demand.xlsx')], { maxBuffer: 256 << 20 }).toString());
    expect(book.sheets).toEqual(['README', 'Cluster demand', 'Sub-cluster demand', 'Occupations', 'Programs', 'Supply and demand']);
    // Headings are the page's words, not snake_case; README names each one's field.
    const fieldOf = new Map<string, string>(book.README.rows.filter((r: unknown[]) => r[0]).map((r: string[]) => [`${r[0]}|${r[1]}`, r[2]]));
    for (const sheet of ['Cluster demand', 'Occupations', 'Programs']) {
      const header: string[] = book[sheet].header;
      expect(
        header.filter((h) => /_/.test(h)),
        sheet,
      ).toEqual([]);
      book[sheet].header = header.map((h) => fieldOf.get(`${sheet}|${h}`) ?? h);
    }
    expect(book['Cluster demand'].header.length).toBe(new Set(book['Cluster demand'].header).size);
    for (const sheet of ['Sub-cluster demand', 'Supply and demand']) book[sheet].header = book[sheet].header.map((h: string) => fieldOf.get(`${sheet}|${h}`) ?? h);
    // The Occupations sheet says each occupation's clusters (occupation_clusters, 2024 framework).
    const occ = book.Occupations;
    const registeredNurses = occ.rows.find((r: unknown[]) => r[occ.header.indexOf('soc_code')] === '29-1141' && r[occ.header.indexOf('area_code')] === '99');
    expect(registeredNurses[occ.header.indexOf('clusters')]).toBe('Healthcare & Human Services');
    for (const [sheet, table] of [
      ['Cluster demand', 'cluster_demand'],
      ['Sub-cluster demand', 'subcluster_demand'],
      ['Supply and demand', 'cluster_supply_demand'],
    ] as const) {
      const rows: Row[] = await json(states, table);
      const { header, rows: cells } = book[sheet];
      expect(cells).toHaveLength(rows.length);
      const asJson = cells.map((r: unknown[]) => Object.fromEntries(header.map((h: string, i: number) => [h, r[i] ?? null])));
      for (const [i, r] of rows.entries()) for (const k of header) expect(asJson[i][k], `${sheet} row ${i + 2} ${k}`).toEqual(typeof r[k] === 'number' ? r[k] : (r[k] ?? null));
    }
    // Programs: one row per program with the nation's figures.
    const programs: Row[] = (await json(states, 'programs')).filter((p) => p.area_code === '99');
    expect(book.Programs.rows).toHaveLength(programs.length);
    const { header } = book.Programs;
    for (const [i, p] of programs.entries()) {
      const row = Object.fromEntries(header.map((h: string, j: number) => [h, book.Programs.rows[i][j] ?? null]));
      expect([row.cip_code, row.clusters, row.occupation_codes, row.employment, row.annual_openings, row.median_annual_wage], p.cip_code).toEqual([
        p.cip_code,
        p.clusters.join('; '),
        p.occupation_codes.join('; '),
        p.employment,
        p.annual_openings,
        p.median_annual_wage,
      ]);
    }
  });

  it('every table is also a CSV with a header row', async () => {
    const csv = await readFile(report(national, 'csv', 'cluster_demand.csv'), 'utf8');
    const lines = csv.trim().split('\n');
    // A byte-order mark, so Excel reads UTF-8 ("2024–2034" is not garbled).
    expect([...(await readFile(report(national, 'csv', 'cluster_demand.csv'))).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(lines[0]!.replace(/^\uFEFF/, '')).toMatch(/^area_code,area_name,area_type,framework,cluster,/);
    expect(lines).toHaveLength((await json(national, 'cluster_demand')).length + 1);
    expect(csv).toContain('2024–2034');
    // Codes with leading zeros or a dot stay text in a spreadsheet: ="06", ="01.0000" (a field with quotes is quoted).
    const areasCsv = await readFile(report(states, 'csv', 'areas.csv'), 'utf8');
    expect(areasCsv).toMatch(/\n"=""06""",California,/);
    const programs = await readFile(report(national, 'csv', 'programs.csv'), 'utf8');
    expect(programs).toMatch(/\n99,U\.S\.,national,"=""01\.0000""",/);
  });
});

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
    states = await publish(path.join(out.dir, 'states'), { projectionsCentral: { format: 'csv', url: PC_CSV } });
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
    const expected = (await json(national, 'cluster_demand')).filter((c) => c.area_code === '99' && c.framework === '2024');
    const columns = [
      'occupations',
      'employment_allocated',
      'employment',
      'annual_openings_allocated',
      'projected_change_pct',
      'median_annual_wage',
      'high_opportunity_occupations',
    ];
    const shown = await page
      .locator('#cluster-table tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => ({ cluster: (r as HTMLElement).dataset.cluster, values: [...r.querySelectorAll('td')].map((td) => (td as HTMLElement).dataset.value) })),
      );
    expect(shown).toHaveLength(14);
    for (const c of expected) {
      const row = shown.find((s) => s.cluster === c.cluster)!;
      expect(
        row.values.map((v) => (v === '' ? null : Number(v))),
        c.cluster,
      ).toEqual(columns.map((k) => c[k]));
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-area-99.png'), fullPage: true });
    expect(requests.length).toBeGreaterThan(0);
    for (const url of requests) expect(url.startsWith(pathToFileURL(root).href), url).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the index lists every area and links work from file://', async () => {
    const { page, errors } = await open(browser, report(states, 'index.html'));
    expect(await page.locator('#area-list li').count()).toBe((await json(states, 'areas')).length);
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

  it('a state with no OEWS estimate shows "not published", never 0', async () => {
    const { page, errors } = await open(browser, report(states, 'areas', '06.html'));
    const cells = await page.locator('#cluster-table td').evaluateAll((tds) => tds.map((td) => ({ value: (td as HTMLElement).dataset.value, text: td.textContent })));
    const missing = cells.filter((c) => c.value === '');
    expect(missing.length).toBeGreaterThan(0);
    for (const c of missing) expect(['not published', 'top of range']).toContain(c.text);
    const california = (await json(states, 'cluster_demand')).filter((c) => c.area_code === '06' && c.framework === '2024');
    expect(california.every((c) => c.employment === null)).toBe(true);
    expect(await page.locator('text=not published').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-area-06.png'), fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('demand.xlsx, read back by openpyxl, equals the JSON tables', async () => {
    const script = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
out = {}
for name in ['Cluster demand', 'Sub-cluster demand', 'Programs']:
    ws = wb[name]
    rows = list(ws.iter_rows(values_only=True))
    out[name] = {'header': list(rows[0]), 'rows': [list(r) for r in rows[1:]], 'frozen': ws.freeze_panes if hasattr(ws, 'freeze_panes') else None}
out['sheets'] = wb.sheetnames
print(json.dumps(out, default=str))`;
    const book = JSON.parse(execFileSync(DEBIAN_PYTHON, ['-c', script, report(states, 'demand.xlsx')], { maxBuffer: 256 << 20 }).toString());
    expect(book.sheets).toEqual(['README', 'Cluster demand', 'Sub-cluster demand', 'Occupations', 'Programs']);
    for (const [sheet, table] of [
      ['Cluster demand', 'cluster_demand'],
      ['Sub-cluster demand', 'subcluster_demand'],
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
    expect(lines[0]).toMatch(/^area_code,area_name,area_type,framework,cluster,/);
    expect(lines).toHaveLength((await json(national, 'cluster_demand')).length + 1);
  });
});

// The report in a real browser (Debian's Chromium driven by playwright-core), on snapshots
// built from the real May 2024 national files and from Projections Central for every state:
// the national page's chart and table equal cluster_demand.json number by number, no request
// leaves the site, no console errors, the program search finds 51.3801 from "nursing",
// suppressed values read "not published", and demand.xlsx read back by another reader
// (openpyxl) equals the JSON tables.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type RunResult } from '../src/run.js';
import { Warehouse } from '../src/load/warehouse.js';
import { CSV_TABLES, writeCsvTables } from '../src/publish/report/csv.js';
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
    const program = page.locator('details.program[data-cip="51.3801"]');
    await expect.poll(() => program.count()).toBe(1);
    expect(await program.locator('td', { hasText: 'Registered Nurses (29-1141)' }).count()).toBe(1);
    // Its interest code and where its occupations lead in other clusters (O*NET).
    expect(await program.locator('p', { hasText: /Interest code \(RIASEC\): S[RIAEC]{2}\./ }).count()).toBe(1);
    // Many programs match "nursing": each folds to one line, and the page stays short.
    const nursing = await page.locator('details.program').count();
    expect(nursing).toBeGreaterThan(10);
    expect(await page.locator('details.program[open]').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(40 * nursing + 1500);
    await page.fill('#program-search', '51.38');
    expect(await page.locator('details.program[data-cip="51.3801"]').count()).toBe(1);
    // One program found: open.
    await page.fill('#program-search', '51.3801');
    expect(await page.locator('details.program[open]').count()).toBe(1);
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

  it("an occupation's page: O*NET's description, the wage range, its figures in every area, and the ways to it", async () => {
    // O*NET's own words, from the database file.
    const onetLine = (await readFile(path.join(DATA, 'lmi', 'onet', 'db_27_0_text', 'Occupation Data.txt'), 'utf8')).split('\n').find((l) => l.startsWith('29-1141.00\t'))!;
    const { page, requests, errors } = await open(browser, report(states, 'occupations', '29-1141.html'));
    expect(await page.locator('h1').textContent()).toBe('Registered Nurses 29-1141');
    expect(await page.locator('main > p').first().textContent()).toBe(onetLine.split('\t')[2]!.trim());
    expect(await page.locator('a[href="https://www.onetonline.org/link/summary/29-1141.00"]').count()).toBe(1);
    const rows = (await json(states, 'occupations')).filter((o) => o.soc_code === '29-1141');
    const nation = rows.find((o) => o.area_code === '99')!;
    const tables = await readTables(page);
    // p10 to p90: published in the data, shown here for the nation.
    expect(Object.values(tables.find((t) => t.id === 'wage-range')!.rows[0]!)).toEqual(
      ['annual_wage_p10', 'annual_wage_p25', 'annual_wage_median', 'annual_wage_p75', 'annual_wage_p90'].map((k) => cell(nation[k])),
    );
    // A row per area of the snapshot, each figure the JSON's.
    const areas = tables.find((t) => t.id === 'occupation-areas')!;
    expect(areas.rows).toHaveLength(rows.length);
    const areaNames = new Map((await json(states, 'areas')).map((a) => [a.area_name, a.area_code]));
    for (const shown of areas.rows) {
      const o = rows.find((x) => x.area_code === areaNames.get(shown.area!))!;
      expect(
        [
          shown.jobs,
          shown['annual openings'],
          shown['projected growth'],
          shown['10th percentile wage'],
          shown['median wage'],
          shown['90th percentile wage'],
          shown['high opportunity'],
        ],
        shown.area,
      ).toEqual([
        cell(o.employment),
        cell(o.annual_openings),
        cell(o.projected_change_pct),
        cell(o.annual_wage_p10),
        cell(o.annual_wage_median),
        cell(o.annual_wage_p90),
        o.high_opportunity === null ? 'unknown' : o.high_opportunity ? 'yes' : 'no',
      ]);
    }
    // Education, Job Zone, Bright Outlook and the interest code as the tables have them.
    const facts = await page.locator('#occupation-facts').textContent();
    expect(facts).toContain(`Typical education to enter (BLS): ${nation.typical_education}`);
    expect(facts).toContain(`O*NET Job Zone: ${nation.job_zone}`);
    expect(facts).toContain(`Bright Outlook (O*NET, nationwide): ${nation.bright_outlook ? 'yes' : 'no'}`);
    const interest = (await json(states, 'occupation_interests')).find((i) => i.soc_code === '29-1141')!;
    expect(facts).toContain(`Interest code (RIASEC, O*NET): ${interest.interest_code}`);
    // Related occupations link to pages that exist; the programs that lead here link to their search.
    const related = await page.locator('#related a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!));
    expect(related.length).toBeGreaterThan(0);
    for (const href of related) expect(existsSync(report(states, 'occupations', href)), href).toBe(true);
    expect(await page.locator('#programs a[href="../programs/99.html?q=51.3801"]').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-occupation-29-1141.png'), fullPage: true });
    for (const url of requests) expect(url.startsWith('file://'), url).toBe(true);
    expect(errors).toEqual([]);
    // Reached from the area page's high-opportunity table, the programs page and the occupations index's search.
    await page.goto(pathToFileURL(report(states, 'areas', '99.html')).href);
    expect(await page.locator('details a[href="../occupations/29-1141.html"]').count()).toBeGreaterThan(0);
    await page.goto(pathToFileURL(report(states, 'programs', '99.html')).href);
    await page.fill('#program-search', '51.3801');
    await expect.poll(() => page.locator('details.program[data-cip="51.3801"] a[href="../occupations/29-1141.html"]').count()).toBe(1);
    await page.goto(pathToFileURL(report(states, 'index.html')).href);
    await page.click('a[href="occupations/index.html"]');
    expect(await page.locator('#occupation-list tbody tr').count()).toBe(new Set((await json(states, 'occupations')).map((o) => o.soc_code)).size);
    // Everyday titles (O*NET's alternates) find the occupation; a title's own words rank first.
    for (const [query, code] of [
      ['RN', '29-1141'],
      ['registered nurse', '29-1141'],
      ['welder', '51-4121'],
    ]) {
      await page.fill('#occupation-search', query!);
      expect(await page.locator('#occupation-list tbody tr:visible').first().getAttribute('data-code'), query).toBe(code);
    }
    await page.close();
  });

  it('tables fit the page at 1280 and 1440 px, scroll inside themselves on a phone, sort, and download as CSV', async () => {
    const pages = [report(states, 'areas', '06.html'), report(national, 'areas', '99.html'), report(states, 'occupations', '29-1141.html'), report(states, 'index.html')];
    for (const width of [1280, 1440, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      for (const file of pages) {
        await page.goto(pathToFileURL(file).href);
        const r = await page.evaluate(() => ({
          page: document.documentElement.scrollWidth,
          // A table wider than its box (cut off, or scrolled), or past the window's edge.
          wide: [...document.querySelectorAll('main table')]
            .filter((t) => {
              const box = t.closest('.scroll') ?? t.parentElement!;
              return box.scrollWidth > box.clientWidth + 1 || t.getBoundingClientRect().right > document.documentElement.clientWidth + 1;
            })
            .map((t) => t.id || t.querySelector('th')!.textContent),
        }));
        expect(r.page, `${file} at ${width} px`).toBeLessThanOrEqual(width);
        if (width > 1000) expect(r.wide, `${file} at ${width} px`).toEqual([]);
      }
      await page.close();
    }
    const { page, errors } = await open(browser, report(states, 'occupations', '29-1141.html'));
    // Sorted by jobs, largest first: the exact values in order.
    await page.click('#occupation-areas thead th:nth-child(2)');
    const jobs = await page.$$eval('#occupation-areas tbody td:nth-child(2)', (tds) => tds.map((td) => (td as HTMLElement).dataset.value!));
    const numbers = jobs.filter((v) => v !== '').map(Number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(jobs.slice(numbers.length).every((v) => v === '')).toBe(true);
    // The table as CSV: a byte-order mark, the headings, the exact values.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#occupation-areas ~ .table-tools a, .scroll:has(#occupation-areas) + .table-tools a')]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('area,jobs,annual openings,projected growth,10th percentile wage,median wage,90th percentile wage,high opportunity');
    const nation = (await json(states, 'occupations')).find((o) => o.soc_code === '29-1141' && o.area_code === '99')!;
    expect(lines).toContain(
      `U.S.,${nation.employment},${nation.annual_openings},${Number(nation.projected_change_pct)},${nation.annual_wage_p10},${nation.annual_wage_median},${nation.annual_wage_p90},yes`,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('prints to Letter paper with every column on the page and folded sections open', async () => {
    // Openings as the page shows them: hundreds, tens below 1,000.
    const rounded = (o: number) => (Math.abs(o) >= 1000 ? Math.round(o / 100) * 100 : Math.round(o / 10) * 10).toLocaleString('en-US');
    const page = await browser.newPage();
    for (const [r, area] of [
      [national, '99'],
      [states, '06'],
    ] as const) {
      await page.goto(pathToFileURL(report(r, 'areas', `${area}.html`)).href);
      // Laid out for print on a Letter page's printable width (8.5 in less 12 mm margins): every heading of every table inside it.
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: Math.floor(8.5 * 96 - (2 * 12 * 96) / 25.4), height: 1000 });
      const outside = await page.evaluate(() =>
        [...document.querySelectorAll('main table thead th')]
          .filter((th) => th.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .map((th) => th.textContent),
      );
      expect(outside, area).toEqual([]);
      await page.emulateMedia({ media: 'screen' });
      const pdf = path.join(ARTIFACTS, `report-area-${area}.pdf`);
      await page.pdf({ path: pdf, format: 'Letter', preferCSSPageSize: true });
      const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
      // Each cluster's figures, the last columns included, are on the paper whole.
      const clusters = (await json(r, 'cluster_demand')).filter((c) => c.area_code === area && c.framework === '2024');
      for (const c of clusters) {
        expect(text, c.cluster).toContain(rounded(c.annual_openings_allocated));
        if (c.median_annual_wage !== null) expect(text, c.cluster).toContain(`$${c.median_annual_wage.toLocaleString('en-US')}`);
      }
      // Folded sections print open: every sub-cluster's figures are on the paper (its jobs, or its openings where the snapshot has no jobs).
      const missing = (await json(r, 'subcluster_demand'))
        .filter((c) => c.area_code === area && c.framework === '2024')
        .filter((c) => !text.includes(c.employment_allocated !== null ? c.employment_allocated.toLocaleString('en-US') : rounded(c.annual_openings_allocated)));
      expect(missing.map((c) => c.sub_cluster)).toEqual([]);
    }
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

  it("a text a spreadsheet would run as a formula is written with a leading apostrophe, in the CSV files and the pages' downloads", async () => {
    // The snapshot's CSV tables, with areas named as an attacker would name them.
    const hostile = ['=HYPERLINK("http://example.org","click")', '+1+1', '-2+3', '@SUM(A1:A2)'];
    const dir = path.join(out.dir, 'hostile');
    await mkdir(path.join(dir, 'csv'), { recursive: true });
    const db = await Warehouse.open(':memory:');
    try {
      for (const t of CSV_TABLES)
        await db.run(
          t === 'areas'
            ? 'COPY (SELECT * REPLACE (CAST($names AS VARCHAR[])[row_number() OVER () % 4 + 1] AS area_name) FROM read_parquet($file)) TO $to (FORMAT parquet)'
            : 'COPY (SELECT * FROM read_parquet($file)) TO $to (FORMAT parquet)',
          { file: path.join(states.snapshotDir, `${t}.parquet`), to: path.join(dir, `${t}.parquet`), ...(t === 'areas' ? { names: JSON.stringify(hostile) } : {}) },
        );
    } finally {
      db.close();
    }
    await writeCsvTables(dir, path.join(dir, 'csv'));
    const names = (await readFile(path.join(dir, 'csv', 'areas.csv'), 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[1]!);
    expect(names.length).toBeGreaterThan(50);
    for (const n of names) expect(n, n).toMatch(/^"?'[=+\-@]/);
    // The pages' own download, by the script every page carries: texts so starting are quoted the same way, negative numbers stay numbers.
    const script = [...(await readFile(report(national, 'index.html'), 'utf8')).matchAll(/<script>([\s\S]*?)<\/script>/g)].at(-1)![1]!;
    const page = await browser.newPage();
    await page.setContent(
      `<main><table><thead><tr><th>name</th><th>n</th></tr></thead><tbody>${hostile.map((x, i) => `<tr><td>${escapeHtml(x)}</td><td data-value="${-i}">${-i}</td></tr>`).join('')}</tbody></table></main>`,
    );
    await page.addScriptTag({ content: script });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.table-tools a')]);
    const rows = (await readFile(await download.path(), 'utf8')).slice(1).trim().split('\r\n').slice(1);
    expect(rows.map((r) => r.slice(r.lastIndexOf(',') + 1))).toEqual(['0', '-1', '-2', '-3']);
    for (const r of rows) expect(r, r).toMatch(/^"?'[=+\-@]/);
    await page.close();
  });
});

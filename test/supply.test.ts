// Supply against demand on the real IPEDS 2023 files (completions July 2022–June 2023 and the
// institution directory), the NCES CIP–SOC crosswalk and Advance CTE's CIP crosswalk. Expected
// figures are computed here from the files with other readers (Papa Parse, exceljs), not typed in.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QualityError } from '../src/errors.js';
import { runPipeline, type RunResult } from '../src/run.js';
import { withMirrorFiles } from './fixtures.js';
import { DATA, MIRROR, runOptions, tempDir } from './helpers.js';

type Published = Extract<RunResult, { status: 'published' }>;
type Row = Record<string, any>;
const C2023 = 'nces.ed.gov/ipeds/datacenter/data/C2023_A.zip';
const HD2023 = 'nces.ed.gov/ipeds/datacenter/data/HD2023.zip';
const releases = { oews: '2024', onet: '27.0', ipeds: '2023' };

const csvOf = async (zipPath: string) => {
  const files = unzipSync(await readFile(path.join(MIRROR, zipPath)));
  const name = Object.keys(files).find((n) => n.endsWith('.csv'))!;
  return { name, text: strFromU8(files[name]!) };
};
const parse = (text: string) => Papa.parse<Row>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;

/** The education level an award level prepares for, as the issue defines the groups. */
const LEVEL: Record<string, string> = {
  '20': 'pn',
  '21': 'pn',
  '2': 'pn',
  '4': 'pn',
  '3': 'associate',
  '5': 'bachelor',
  '6': 'graduate',
  '7': 'graduate',
  '8': 'graduate',
  '17': 'graduate',
  '18': 'graduate',
  '19': 'graduate',
};

describe('supply and demand, IPEDS 2023', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let r: Published;
  let completions: Row[];
  let institutions: Row[];
  const json = async (table: string, dir = r.snapshotDir): Promise<Row[]> => JSON.parse(await readFile(path.join(dir, `${table}.json`), 'utf8'));

  beforeAll(async () => {
    out = await tempDir();
    const result = await runPipeline(runOptions(out.dir, { releases, report: false }));
    if (result.status !== 'published') throw new Error('expected a snapshot');
    r = result;
    completions = parse((await csvOf(C2023)).text).filter((c) => c.MAJORNUM === '1');
    institutions = parse((await csvOf(HD2023)).text);
  });
  afterAll(async () => out.cleanup());

  it("national completions per 2024 cluster equal an independent computation from c2023_a.csv, hd2023.csv and Advance CTE's workbook", async () => {
    // The nation: institutions in the 50 states and DC (FIPS 1-56).
    const nation = new Set(institutions.filter((i) => Number(i.FIPS) >= 1 && Number(i.FIPS) <= 56).map((i) => i.UNITID));
    // Each program's clusters, from the workbook read by exceljs.
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(DATA, 'clusters', 'advance_cte_2024', 'CIP_Career_Clusters_Crosswalk.xlsx'));
    const sheet = book.getWorksheet('CIP - CC - Sub-Clusters')!;
    const clustersOf = new Map<string, Set<string>>();
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const cip = String(row.getCell(1).text).trim();
      const cluster = String(row.getCell(3).text).trim();
      if (/^\d{2}\.\d{4}$/.test(cip) && cluster) clustersOf.set(cip, (clustersOf.get(cip) ?? new Set<string>()).add(cluster));
    });
    // Completions per program and education level, then split across the program's clusters
    // (sorted by name): ⌊c/n⌋ each, one more for the first c mod n.
    const byProgramLevel = new Map<string, number>();
    for (const c of completions)
      if (c.CIPCODE !== '99' && nation.has(c.UNITID)) {
        const key = `${c.CIPCODE}|${LEVEL[c.AWLEVEL]}`;
        byProgramLevel.set(key, (byProgramLevel.get(key) ?? 0) + Number(c.CTOTALT));
      }
    const expected = new Map<string, number>();
    for (const [key, total] of byProgramLevel) {
      const clusters = [...(clustersOf.get(key.split('|')[0]!) ?? [])].sort();
      clusters.forEach((cluster, k) => {
        expected.set(cluster, (expected.get(cluster) ?? 0) + Math.floor(total / clusters.length) + (k < total % clusters.length ? 1 : 0));
      });
    }
    const published = (await json('cluster_supply_demand')).filter((c) => c.area_code === '99' && c.level === 'cluster' && c.education_level === 'all');
    expect(published).toHaveLength(14);
    expect(Object.fromEntries(published.map((c) => [c.cluster, c.completions]))).toEqual(Object.fromEntries(expected));
    // Levels add up to the all row.
    const levels = (await json('cluster_supply_demand')).filter((c) => c.area_code === '99' && c.level === 'cluster' && c.education_level !== 'all');
    for (const c of published)
      expect(
        levels.filter((l) => l.cluster === c.cluster).reduce((a, l) => a + l.completions, 0),
        c.cluster,
      ).toBe(c.completions);
    expect(published.every((c) => c.completions_period === 'July 2022–June 2023' && c.oews_release === 'May 2024' && c.projection_period === '2024–2034')).toBe(true);
  });

  it("California's completions for 51.3801 (associate and bachelor's) equal the file's sum over California institutions", async () => {
    const california = new Set(institutions.filter((i) => i.FIPS === '6').map((i) => i.UNITID));
    const sum = (level: string) => completions.filter((c) => c.CIPCODE === '51.3801' && c.AWLEVEL === level && california.has(c.UNITID)).reduce((a, c) => a + Number(c.CTOTALT), 0);
    const published = (await json('program_completions')).filter((c) => c.area_code === '06' && c.cip_code === '51.3801');
    const group = (g: string) => published.find((c) => c.award_group === g)?.completions;
    expect([group('associate'), group('bachelor')]).toEqual([sum('3'), sum('5')]);
    expect(sum('3')).toBeGreaterThan(1000);
  });

  it('a state with institutions but no demand source says "no openings in this snapshot", never a ratio of 0 or infinity', async () => {
    const california = (await json('program_supply_demand')).filter((p) => p.area_code === '06');
    expect(california.length).toBeGreaterThan(100);
    for (const p of california) {
      expect([p.annual_openings, p.supply_per_opening, p.balance], p.cip_code).toEqual([null, null, null]);
      expect(p.balance_note).toMatch(/^no openings in this snapshot/);
    }
    const clusters = (await json('cluster_supply_demand')).filter((c) => c.area_code === '06');
    for (const c of clusters) expect([c.annual_openings_allocated, c.supply_per_opening]).toEqual([null, null]);
    // The nation has both sides: its programs have ratios and labels from the bands.
    const nurses = (await json('program_supply_demand')).find((p) => p.area_code === '99' && p.cip_code === '51.3801')!;
    expect(nurses.supply_per_opening).toBeCloseTo(nurses.competing_completions / nurses.annual_openings, 2);
    expect(['shortage', 'balanced', 'surplus']).toContain(nurses.balance);
    expect(nurses.competing_completions).toBeGreaterThanOrEqual(nurses.completions);
  });

  it('coverage counts what could not be placed', async () => {
    const nation = (await json('supply_coverage')).find((c) => c.area_code === '99')!;
    expect(nation.completions_without_occupation).toBeGreaterThan(0);
    expect(nation.programs_without_occupation).toBeGreaterThan(0);
    expect(nation.cip_codes_only_in_nces_crosswalk).toBeGreaterThan(0);
    const outside = institutions.filter((i) => !(Number(i.FIPS) <= 56 || [60, 66, 69, 72, 78].includes(Number(i.FIPS))));
    expect(nation.institutions_without_area).toBe(outside.length);
  });

  /** A run against the mirror with c2023_a.csv edited: its result, or what it threw. */
  async function runWithCompletions(edit: (csv: string) => string, dir: string): Promise<RunResult | Error> {
    const { name, text } = await csvOf(C2023);
    return withMirrorFiles({ [C2023]: zipSync({ [name]: strToU8(edit(text)) }) }, (mirror) => runPipeline(runOptions(dir, { releases, report: false, mirror }))).catch(
      (err: Error) => err,
    );
  }

  it('second majors (MAJORNUM = 2) added to a copy of the file change no figure', async () => {
    const lines = (await csvOf(C2023)).text.trimEnd().split('\n');
    const seconds = lines.slice(1, 5001).map((l) => {
      const f = l.split(',');
      f[2] = '2';
      return f.join(',');
    });
    const again = await runWithCompletions((csv) => `${csv.trimEnd()}\n${seconds.join('\n')}\n`, path.join(out.dir, 'second-majors'));
    if (again instanceof Error || again.status !== 'published') throw again;
    for (const table of ['program_completions', 'program_supply_demand', 'cluster_supply_demand'])
      expect(await readFile(path.join(again.snapshotDir, `${table}.json`), 'utf8'), table).toBe(await readFile(path.join(r.snapshotDir, `${table}.json`), 'utf8'));
  });

  it("a program row that no longer adds up to its institution's total stops the run (completions_add_up)", async () => {
    const err = await runWithCompletions((csv) => csv.replace('\n100654,01.0999,1,5,18,', '\n100654,01.0999,1,5,19,'), path.join(out.dir, 'broken-total'));
    expect(err).toBeInstanceOf(QualityError);
    expect((err as Error).message).toMatch(/completions_add_up \(1 row\)/);
  });
});

// High-opportunity policies (Perkins V and state presets) as data, Bright Outlook, and the
// program (CIP) outlook, on the real May 2024 national files.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIP_CSV, CIP_PROVENANCE, importProgramCrosswalk } from '../pipelines/programs.js';
import { ConfigError } from '../src/errors.js';
import { crosswalksDirDefault } from '../src/paths.js';
import { runPipeline, type RunResult } from '../src/run.js';
import { POLICIES_DIR, listPolicies, loadPolicy } from '../src/transform/policy.js';
import { DATA, PROJECT, tempDir, runOptions } from './helpers.js';

type Row = Record<string, any>;
type Published = Extract<RunResult, { status: 'published' }>;

describe('high-opportunity policies', () => {
  const outs: Awaited<ReturnType<typeof tempDir>>[] = [];
  const runs = new Map<string, Published>();
  const run = async (policy: string) => {
    const out = await tempDir();
    outs.push(out);
    const r = await runPipeline(runOptions(out.dir, { policy }));
    if (r.status !== 'published') throw new Error('expected a snapshot');
    return r;
  };
  const occupations = async (r: Published): Promise<Map<string, Row>> =>
    new Map((JSON.parse(await readFile(path.join(r.snapshotDir, 'occupations.json'), 'utf8')) as Row[]).map((o) => [o.soc_code, o]));

  beforeAll(async () => {
    for (const name of await listPolicies()) runs.set(name, await run(name));
  });
  afterAll(async () => {
    for (const o of outs) await o.cleanup();
  });

  it('ships the four presets, each citing its source', async () => {
    expect([...runs.keys()]).toEqual(['colorado-top-jobs-2021', 'oregon', 'perkins-default', 'south-dakota']);
    for (const name of runs.keys()) expect((await loadPolicy(name)).policy.sources.length).toBeGreaterThan(0);
  });

  it('Perkins default: Registered Nurses are high wage, high skill, in demand and high opportunity', async () => {
    const r = runs.get('perkins-default')!;
    const rn = (await occupations(r)).get('29-1141')!;
    expect(rn).toMatchObject({ policy: 'perkins-default', high_wage: true, high_skill: true, in_demand: true, high_opportunity: true, bright_outlook: true });
    expect(rn.opportunity_reasons).toContain('high wage: median $93,600 ≥ area median $49,500');
    expect(r.manifest.policy).toMatchObject({ name: 'perkins-default', version: '2024.1' });
    expect(r.manifest.bright_outlook).toMatchObject({ edition: '2024–2034', faster_than_average_pct: 5, openings_over_period: 100000 });
  });

  it('Perkins default: Fast Food and Counter Workers are neither high wage nor high skill', async () => {
    const ff = (await occupations(runs.get('perkins-default')!)).get('35-3023')!;
    expect(ff).toMatchObject({ high_wage: false, high_skill: false, high_opportunity: false });
  });

  it('state presets apply their own yardsticks', async () => {
    const co = (await occupations(runs.get('colorado-top-jobs-2021')!)).get('29-1141')!;
    expect(co.opportunity_reasons).toMatch(/high wage: tier 1 wage: median hourly \$45\.\d\d\/hr > \$31\.19\/hr/);
    const sd = (await occupations(runs.get('south-dakota')!)).get('29-1141')!;
    expect(sd.opportunity_reasons).toMatch(/mean wage \$[\d,]+ > area mean wage \$67,920/);
    const or = await occupations(runs.get('oregon')!);
    expect(or.get('35-3023')!.high_opportunity).toBe(false);
  });

  it('counts high-opportunity occupations and their employment share in the demand tables', async () => {
    const r = runs.get('perkins-default')!;
    const occ = [...(await occupations(r)).values()];
    const map = (JSON.parse(await readFile(path.join(r.snapshotDir, 'occupation_clusters.json'), 'utf8')) as Row[]).filter((m) => m.framework === '2024');
    const clusters = JSON.parse(await readFile(path.join(r.snapshotDir, 'cluster_demand.json'), 'utf8')) as Row[];
    const health = clusters.find((c) => c.cluster === 'Healthcare & Human Services')!;
    const codes = new Set(map.filter((m) => m.cluster === health.cluster).map((m) => m.soc_code));
    const members = occ.filter((o) => codes.has(o.soc_code));
    expect(health.high_opportunity_occupations).toBe(members.filter((o) => o.high_opportunity).length);
    // A cluster with occupations the policy cannot test (hourly-only wages: actors, dancers …)
    // has an unknown count, not a count that leaves them out.
    const arts = clusters.find((c) => c.framework === '2024' && String(c.cluster).startsWith('Arts'))!;
    const artsCodes = new Set(map.filter((m) => m.cluster === arts.cluster).map((m) => m.soc_code));
    const unknown = occ.filter((o) => artsCodes.has(o.soc_code) && o.high_opportunity === null).length;
    expect(unknown).toBeGreaterThan(0);
    expect([arts.high_opportunity_occupations, arts.occupations_with_unknown_opportunity, arts.high_opportunity_employment]).toEqual([null, unknown, null]);
    expect(health.occupations_with_unknown_opportunity).toBe(0);
    const hoEmployment = members.filter((o) => o.high_opportunity).reduce((a, o) => a + o.employment, 0);
    expect(health.high_opportunity_employment).toBe(hoEmployment);
    expect(health.high_opportunity_employment_share).toBeCloseTo(hoEmployment / health.employment, 4);
  });

  it('changing a threshold in a policy file changes the flags, with no code change', async () => {
    const policy = JSON.parse(await readFile(path.join(POLICIES_DIR, 'perkins-default.json'), 'utf8'));
    policy.name = 'strict-wage';
    policy.high_wage = { any: [{ column: 'annual_wage_median', op: '>=', value: 100000 }] };
    const file = path.join(outs[0]!.dir, 'strict-wage.json');
    await writeFile(file, JSON.stringify(policy));
    const rn = (await occupations(await run(file))).get('29-1141')!;
    expect(rn).toMatchObject({ policy: 'strict-wage', high_wage: false, high_opportunity: false, high_skill: true, in_demand: true });
  });

  it('a policy file with a mistake is refused with its file and path named', async () => {
    const bad = path.join(outs[0]!.dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({ ...JSON.parse(await readFile(path.join(POLICIES_DIR, 'oregon.json'), 'utf8')), in_demand: { any: [{ column: 'annual_openings', op: '=>', value: 5 }] } }),
    );
    await expect(loadPolicy(bad)).rejects.toThrow(ConfigError);
    await expect(loadPolicy(bad)).rejects.toThrow(/bad\.json: in_demand\.any\.0\.op: Invalid option/);
    await expect(loadPolicy('nope')).rejects.toThrow(/no such policy \(known: colorado-top-jobs-2021, oregon, perkins-default, south-dakota/);
  });

  it("a program's headline figures are those of the occupations its completers enter, postsecondary teachers apart", async () => {
    const r = runs.get('perkins-default')!;
    const programs = JSON.parse(await readFile(path.join(r.snapshotDir, 'programs.json'), 'utf8')) as Row[];
    const byCode = await occupations(r);
    // Nurse anesthetists: the framework links the program to nursing instructors (25-1072) too.
    const crna = programs.find((p) => p.cip_code === '51.3804' && p.area_code === '99')!;
    const teachers = crna.occupation_codes.filter((c: string) => c.startsWith('25-1'));
    const entered = crna.occupation_codes.filter((c: string) => !c.startsWith('25-1'));
    expect(teachers.length).toBeGreaterThan(0);
    expect(crna.postsecondary_teacher_occupations).toBe(teachers.length);
    expect(crna.postsecondary_teacher_employment).toBe(teachers.reduce((a: number, c: string) => a + (byCode.get(c)!.employment as number), 0));
    expect(crna.employment).toBe(entered.reduce((a: number, c: string) => a + (byCode.get(c)!.employment as number), 0));
    if (entered.length === 1) expect(crna.median_annual_wage).toBe(byCode.get(entered[0])!.annual_wage_median);
    // A program that leads only to teaching keeps them as its figures.
    for (const p of programs.filter((x) => x.area_code === '99' && x.occupation_codes.every((c: string) => c.startsWith('25-1'))))
      expect([p.cip_code, p.postsecondary_teacher_occupations]).toEqual([p.cip_code, 0]);
  });

  it('program outlook: CIP 51.3801 leads to Registered Nurses, and lmi program shows it', async () => {
    const r = runs.get('perkins-default')!;
    const programs = JSON.parse(await readFile(path.join(r.snapshotDir, 'programs.json'), 'utf8')) as Row[];
    const rn = programs.find((p) => p.cip_code === '51.3801' && p.area_code === '99')!;
    expect(rn.occupation_codes).toContain('29-1141');
    expect(rn).toMatchObject({
      cip_title: 'Registered Nursing/Registered Nurse',
      clusters: ['Education', 'Healthcare & Human Services'],
      high_opportunity_occupations: 1,
      postsecondary_teacher_occupations: 1,
    });
    const out = path.dirname(path.dirname(r.snapshotDir));
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(PROJECT, 'bin', 'lmi.js'), 'program', '51.3801', '--area', 'US', '--output', out]);
    expect(stdout).toMatch(/^51\.3801 Registered Nursing\/Registered Nurse — U\.S\./);
    // Nursing instructors (25-1072), which the framework links the program to, said apart.
    expect(stdout).toMatch(/^Apart: 1 postsecondary teacher occupation of the field \(SOC 25-1xxx\), [\d,]+ jobs/m);
    expect(stdout).toMatch(
      /29-1141 Registered Nurses\n\s+3,282,010 jobs · 189,100 openings\/yr · median \$93,600 · high wage yes, high skill yes, in demand yes → high opportunity yes/,
    );
  });
});

describe('CIP crosswalk import', () => {
  it('re-imports the Full Framework workbook byte for byte', async () => {
    const out = await tempDir();
    try {
      const p = await importProgramCrosswalk(path.join(DATA, 'clusters', 'advance_cte_2024', 'Full_Framework_Crosswalk.xlsx'), out.dir);
      expect(p).toMatchObject({ rows: 6672, cip_codes: 1946, soc_codes: 851, dropped: ['14 cluster heading rows', '2 repeated rows (same CIP, SOC, cluster and sub-cluster)'] });
      expect(await readFile(path.join(out.dir, CIP_CSV), 'utf8')).toBe(await readFile(path.join(crosswalksDirDefault(), CIP_CSV), 'utf8'));
      expect(JSON.parse(await readFile(path.join(crosswalksDirDefault(), CIP_PROVENANCE), 'utf8'))).toEqual(p);
    } finally {
      await out.cleanup();
    }
  });
});

// Career exploration on the real O*NET 27.0 and May 2024 files: interest profiles per cluster
// (recomputed here from Interests.txt, the snapshot's crosswalk and allocation), related
// occupations, and `lmi search` by everyday titles.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crosswalksDirDefault } from '../src/paths.js';
import { runPipeline, type RunResult } from '../src/run.js';
import { editedOews24, rewriteZipText, withMirrorFiles } from './fixtures.js';
import { DATA, MIRROR, PROJECT, runOptions, tempDir } from './helpers.js';

type Published = Extract<RunResult, { status: 'published' }>;
type Row = Record<string, any>;
const exec = promisify(execFile);
const LETTERS = ['Realistic', 'Investigative', 'Artistic', 'Social', 'Enterprising', 'Conventional'] as const;

describe('career exploration, O*NET 27.0 and May 2024', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let r: Published;
  const json = async (table: string): Promise<Row[]> => JSON.parse(await readFile(path.join(r.snapshotDir, `${table}.json`), 'utf8'));
  const search = async (...words: string[]) =>
    JSON.parse((await exec(process.execPath, [path.join(PROJECT, 'bin', 'lmi.js'), 'search', ...words, '--json', '--output', out.dir], { cwd: PROJECT })).stdout) as Row[];

  beforeAll(async () => {
    out = await tempDir();
    const result = await runPipeline(runOptions(out.dir, { report: false }));
    if (result.status !== 'published') throw new Error('expected a snapshot');
    r = result;
  });
  afterAll(async () => out.cleanup());

  it('national cluster interest scores equal an independent computation from Interests.txt (allocated weights), to 0.01', async () => {
    // O*NET-SOC scores (scale OI) averaged per SOC code (first seven characters) over the codes with data.
    const text = await readFile(path.join(DATA, 'lmi', 'onet', 'db_27_0_text', 'Interests.txt'), 'utf8');
    const byOnet = new Map<string, Record<string, number>>();
    for (const line of text.split('\n').slice(1)) {
      const [code, , element, scale, value] = line.split('\t');
      if (scale !== 'OI' || !code) continue;
      byOnet.set(code, { ...byOnet.get(code), [element!]: Number(value) });
    }
    const bySoc = new Map<string, Record<string, number>[]>();
    for (const [code, scores] of byOnet) if (Object.keys(scores).length === 6) bySoc.set(code.slice(0, 7), [...(bySoc.get(code.slice(0, 7)) ?? []), scores]);
    // Occupation codes → their SOC 2018 members (aggregates such as 13-1020 take their members).
    const members = new Map<string, string[]>();
    const map = Papa.parse<Row>(await readFile(path.join(crosswalksDirDefault(), 'oews_codes_to_soc_2018.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    for (const m of map) members.set(m.oews_code, [...(members.get(m.oews_code) ?? []), m.soc_2018_code]);
    const scoresOf = (code: string) => {
      const list = (members.get(code) ?? [code]).flatMap((s) => bySoc.get(s) ?? []);
      return list.length ? Object.fromEntries(LETTERS.map((l) => [l, list.reduce((a, x) => a + x[l]!, 0) / list.length])) : undefined;
    };
    const occupations = new Map((await json('occupations')).map((o) => [o.soc_code, o.employment as number]));
    const groups = new Map<string, string[]>();
    for (const m of (await json('occupation_clusters')).filter((x) => x.framework === '2024'))
      groups.set(m.soc_code, [...new Set([...(groups.get(m.soc_code) ?? []), m.cluster])].sort());
    const sums = new Map<string, { w: number; s: Record<string, number> }>();
    for (const [soc, list] of groups) {
      const e = occupations.get(soc);
      const scores = scoresOf(soc);
      if (e === undefined || e === null || !scores) continue;
      list.forEach((cluster, k) => {
        const w = Math.floor(e / list.length) + (k < e % list.length ? 1 : 0);
        const acc = sums.get(cluster) ?? { w: 0, s: {} };
        acc.w += w;
        for (const l of LETTERS) acc.s[l] = (acc.s[l] ?? 0) + w * scores[l]!;
        sums.set(cluster, acc);
      });
    }
    const published = (await json('cluster_interests')).filter((c) => c.area_code === '99' && c.framework === '2024' && c.level === 'cluster');
    expect(published).toHaveLength(14);
    for (const c of published) {
      const expected = sums.get(c.cluster)!;
      for (const l of LETTERS) expect(Math.abs(c[l.toLowerCase()] - expected.s[l]! / expected.w), `${c.cluster} ${l}`).toBeLessThanOrEqual(0.01);
    }
    const top = (cluster: string) => LETTERS.map((l) => [l, sums.get(cluster)!.s[l]! / sums.get(cluster)!.w] as const).sort((a, b) => b[1] - a[1])[0]![0][0];
    expect(top('Healthcare & Human Services')).toBe('S');
    expect(top('Advanced Manufacturing')).toBe('R');
    expect(published.find((c) => c.cluster === 'Healthcare & Human Services')!.interest_code[0]).toBe('S');
    expect(published.find((c) => c.cluster === 'Advanced Manufacturing')!.interest_code[0]).toBe('R');
    // Coverage is reported, never silently averaged over: some clusters lack data for part of their jobs.
    for (const c of published) expect(c.interest_data_share).toBeGreaterThan(0.5);
    expect(published.some((c) => c.interest_data_share < 1)).toBe(true);
  });

  it("every national program's interest code equals an independent computation: its occupations' scores weighted by their employment", async () => {
    // Occupation code → its SOC 2018 members (an OEWS aggregate stands for several).
    const members = new Map<string, string[]>();
    for (const m of Papa.parse<Row>(await readFile(path.join(crosswalksDirDefault(), 'oews_codes_to_soc_2018.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data)
      members.set(m.oews_code, [...(members.get(m.oews_code) ?? []), m.soc_2018_code]);
    const membersOf = (code: string) => members.get(code) ?? [code];
    // O*NET-SOC scores (scale OI), averaged per occupation code over its O*NET codes with all six.
    const text = await readFile(path.join(DATA, 'lmi', 'onet', 'db_27_0_text', 'Interests.txt'), 'utf8');
    const byOnet = new Map<string, Record<string, number>>();
    for (const line of text.split('\n').slice(1)) {
      const [code, , element, scale, value] = line.split('\t');
      if (scale === 'OI' && code) byOnet.set(code, { ...byOnet.get(code), [element!]: Number(value) });
    }
    const bySoc = new Map<string, Record<string, number>[]>();
    for (const [code, scores] of byOnet) if (Object.keys(scores).length === 6) bySoc.set(code.slice(0, 7), [...(bySoc.get(code.slice(0, 7)) ?? []), scores]);
    const scoresOf = (code: string) => {
      const list = membersOf(code).flatMap((s) => bySoc.get(s) ?? []);
      return list.length ? LETTERS.map((l) => list.reduce((a, x) => a + x[l]!, 0) / list.length) : undefined;
    };
    // A program's occupations: every published occupation sharing a SOC 2018 code with one the
    // Full Framework crosswalk links the program to (its NO MATCH rows are no program).
    const framework = Papa.parse<Row>(await readFile(path.join(crosswalksDirDefault(), 'advance_cte_2024_cip_soc.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    const programSocs = new Map<string, Set<string>>();
    for (const f of framework) {
      if (f.cip_code.startsWith('99.')) continue;
      const set = programSocs.get(f.cip_code) ?? new Set<string>();
      for (const s of membersOf(f.soc_code)) set.add(s);
      programSocs.set(f.cip_code, set);
    }
    const occupations = (await json('occupations')).filter((o) => o.area_code === '99');
    /** The three highest scores' letters, ties in R-I-A-S-E-C order (riasec_code's definition). */
    const code = (scores: number[]) =>
      scores
        .map((score, i) => ({ score, i }))
        .sort((a, b) => b.score - a.score || a.i - b.i)
        .slice(0, 3)
        .map((x) => 'RIASEC'[x.i])
        .join('');
    const programs = (await json('programs')).filter((p) => p.area_code === '99');
    expect(programs.length).toBeGreaterThan(1800);
    let compared = 0;
    for (const p of programs) {
      const socs = programSocs.get(p.cip_code)!;
      const sums = [0, 0, 0, 0, 0, 0];
      let weight = 0;
      for (const o of occupations) {
        const scores = scoresOf(o.soc_code);
        if (o.employment === null || !scores || !membersOf(o.soc_code).some((s) => socs.has(s))) continue;
        weight += o.employment;
        scores.forEach((v, k) => {
          sums[k]! += o.employment * v;
        });
      }
      const expected = weight > 0 ? code(sums.map((v) => v / weight)) : null;
      expect(p.interest_code, p.cip_code).toBe(expected);
      if (expected) compared++;
    }
    expect(compared).toBeGreaterThan(1800);
    expect(programs.find((p) => p.cip_code === '51.3801')!.interest_code).toBe('SIR');
  });

  it('occupations carry their RIASEC profile (null where O*NET has none) and where they lead', async () => {
    const interests = new Map((await json('occupation_interests')).map((o) => [o.soc_code, o]));
    expect(interests.get('29-1141')!.interest_code[0]).toBe('S');
    expect(interests.get('51-4121')!.interest_code[0]).toBe('R');
    const missing = [...interests.values()].filter((o) => o.onet_codes_with_data === 0);
    expect(missing.length).toBeGreaterThan(0);
    for (const o of missing) expect([o.realistic, o.interest_code]).toEqual([null, null]);
    const related = (await json('related_occupations')).filter((x) => x.soc_code === '29-1141');
    expect(related.length).toBeGreaterThan(3);
    expect(related.some((x) => x.same_cluster === false && x.other_clusters.length > 0) || related.every((x) => x.same_cluster)).toBe(true);
    const titles = await json('occupation_titles');
    expect(titles.filter((t) => t.soc_code === '51-4121').map((t) => t.source)).toEqual(expect.arrayContaining(['oews', 'onet_alternate', 'onet_reported']));
  });

  it('lmi search finds occupations by everyday titles, typos included', async () => {
    const welder = await search('welder');
    expect(welder.slice(0, 3).map((h) => h.code)).toContain('51-4121');
    expect((await search('nurse'))[0]!.code).toBe('29-1141');
    expect((await search('registerd', 'nurse')).slice(0, 3).map((h) => h.code)).toContain('29-1141');
    const cook = (await search('cook')).filter((h) => h.kind === 'occupation');
    const allOther = cook.findIndex((h) => /all other/i.test(h.title));
    const named = cook.map((h, i) => [h, i] as const).filter(([h]) => /^cooks?,/i.test(h.title) && !/all other/i.test(h.title));
    expect(named.length).toBeGreaterThan(1);
    if (allOther >= 0) for (const [, i] of named) expect(i).toBeLessThan(allOther);
    const nursing = await search('nursing');
    expect(nursing.map((h) => h.code)).toContain('51.3801');
  });

  it('everyday queries find first the occupation the files name with those words', async () => {
    // The expected first occupation, derived from the snapshot's files (not typed-in ranks): the
    // most-employed named occupation whose own title has every word of the query (or its plural
    // or -ing form); else the one the most O*NET alternate and reported titles name with them.
    const titles = await json('occupation_titles');
    const jobs = new Map((await json('occupations')).map((o) => [o.soc_code, o.employment ?? 0]));
    const words = (t: string) =>
      t
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean);
    const has = (title: string, query: string) =>
      words(query).every((q) => words(title).some((w) => w === q || w === `${q}s` || w === `${q}es` || `${w}s` === q || w === `${q.replace(/e$/, '')}ing`));
    const expected = (query: string): string => {
      const own = titles.filter((t) => t.source === 'oews' && has(t.title, query) && !/all other/i.test(t.title));
      if (own.length) return own.sort((a, b) => jobs.get(b.soc_code)! - jobs.get(a.soc_code)!)[0]!.soc_code;
      const named = new Map<string, number>();
      for (const t of titles.filter((x) => x.source !== 'oews' && has(x.title, query))) named.set(t.soc_code, (named.get(t.soc_code) ?? 0) + 1);
      return [...named].sort((a, b) => b[1] - a[1] || jobs.get(b[0])! - jobs.get(a[0])!)[0]![0];
    };
    const queries = ['nurse', 'LPN', 'HVAC', 'welder', 'electrician', 'truck driver', 'cybersecurity', 'dental assistant', 'software developer', 'teacher'];
    const firsts = await Promise.all(queries.map(async (q) => [q, (await search(...q.split(' '))).find((h) => h.kind === 'occupation')?.code, expected(q)]));
    expect(firsts.filter(([, got, want]) => got !== want)).toEqual([]);
    // The ones people name: nurse → Registered Nurses, HVAC → the HVAC mechanics, LPN → licensed practical nurses.
    expect(Object.fromEntries(firsts.map(([q, got]) => [q, got]))).toMatchObject({ nurse: '29-1141', HVAC: '49-9021', LPN: '29-2061', welder: '51-4121' });
    // Nursing assistants and LPNs among the first five for "nurse", a typo still finds electricians.
    expect((await search('nurse')).slice(0, 5).map((h) => h.code)).toEqual(expect.arrayContaining(['29-2061', '31-1131']));
    expect((await search('electrishun'))[0]!.code).toBe('47-2111');
  });

  it('programs are reached through the occupations found: cybersecurity lists 11.1003, HVAC the HVAC programs', async () => {
    const programs = (await json('programs')).filter((p) => p.area_code === '99');
    const leadsTo = (cip: string, soc: string) => programs.find((p) => p.cip_code === cip)!.occupation_codes.includes(soc);
    const cyber = await search('cybersecurity');
    // No CIP title says "cybersecurity" of 11.1003; the occupation O*NET calls "Cybersecurity Analyst" leads there.
    const security = cyber.find((h) => h.code === '11.1003')!;
    expect(security).toMatchObject({ kind: 'program', matched_source: 'via_occupation', matched: 'Information Security Analysts' });
    expect(leadsTo('11.1003', '15-1212')).toBe(true);
    // Many occupations name HVAC; programs still get their places in the first ten, each leading to the HVAC mechanics.
    const hvac = (await search('HVAC')).filter((h) => h.kind === 'program');
    expect(hvac.length).toBeGreaterThan(0);
    for (const h of hvac) expect(leadsTo(h.code, '49-9021'), h.code).toBe(true);
    // A typo-tolerant match is no reason to show a program: 'welder' is not 'elder law'.
    expect((await search('welder')).filter((h) => h.kind === 'program').map((h) => h.code)).toEqual(['48.0508']);
  });

  it("lmi program shows the program's interest code and where its occupations lead in other clusters", async () => {
    const { stdout } = await exec(process.execPath, [path.join(PROJECT, 'bin', 'lmi.js'), 'program', '51.3801', '--json', '--output', out.dir], { cwd: PROJECT });
    const view = JSON.parse(stdout);
    expect(view.interest_code).toMatch(/^S[RIAEC]{2}$/);
    const nurses = view.related.find((o: Row) => o.soc_code === '29-1141');
    // Each occupation's 2024 clusters from the framework's own crosswalk: those of every framework
    // code sharing a SOC 2018 code with it (an OEWS aggregate such as 13-1020 stands for several).
    const members = new Map<string, string[]>();
    for (const m of Papa.parse<Row>(await readFile(path.join(crosswalksDirDefault(), 'oews_codes_to_soc_2018.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data)
      members.set(m.oews_code, [...(members.get(m.oews_code) ?? []), m.soc_2018_code]);
    const membersOf = (code: string) => members.get(code) ?? [code];
    const clustersBySoc = new Map<string, Set<string>>();
    for (const f of Papa.parse<Row>(await readFile(path.join(crosswalksDirDefault(), 'advance_cte_2024_soc_clusters.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data)
      for (const s of membersOf(f.soc_code)) clustersBySoc.set(s, (clustersBySoc.get(s) ?? new Set<string>()).add(f.cluster));
    const clustersOf = (code: string) => new Set(membersOf(code).flatMap((s) => [...(clustersBySoc.get(s) ?? [])]));
    const all = await json('related_occupations');
    for (const x of all) {
      const mine = clustersOf(x.soc_code);
      const theirs = [...clustersOf(x.related_soc_code)];
      expect(x.same_cluster, `${x.soc_code} → ${x.related_soc_code}`).toBe(theirs.some((c) => mine.has(c)));
      expect(x.other_clusters, `${x.soc_code} → ${x.related_soc_code}`).toEqual(theirs.filter((c) => !mine.has(c)).sort());
    }
    expect(all.filter((x) => x.same_cluster).length).toBeGreaterThan(0);
    expect(all.filter((x) => !x.same_cluster).length).toBeGreaterThan(0);
    const related = all.filter((x) => x.soc_code === '29-1141' && theirClustersOutside(x));
    function theirClustersOutside(x: Row) {
      const mine = clustersOf(x.soc_code);
      return [...clustersOf(x.related_soc_code)].every((c) => !mine.has(c)) && clustersOf(x.related_soc_code).size > 0;
    }
    expect(related.length).toBeGreaterThan(0);
    expect(nurses.leads_to_other_clusters.map((b: Row) => b.related_soc_code)).toEqual(
      related
        .sort((a, b) => a.relatedness_index - b.relatedness_index)
        .slice(0, 3)
        .map((x) => x.related_soc_code),
    );
  });
});

describe('riasec_code (sql/staging/22_stg_occupation_interests.sql)', () => {
  /** The three highest scores' letters, ties in R-I-A-S-E-C order: the definition, in JS. */
  const topThree = (scores: number[]) =>
    scores
      .map((score, i) => ({ score, letter: 'RIASEC'[i]! }))
      .sort((a, b) => b.score - a.score || 'RIASEC'.indexOf(a.letter) - 'RIASEC'.indexOf(b.letter))
      .slice(0, 3)
      .map((x) => x.letter)
      .join('');

  it('gives the three highest letters, ties in RIASEC order, for every O*NET 27.0 profile and for ties', async () => {
    const text = await readFile(path.join(DATA, 'lmi', 'onet', 'db_27_0_text', 'Interests.txt'), 'utf8');
    const byOnet = new Map<string, Record<string, number>>();
    for (const line of text.split('\n').slice(1)) {
      const [code, , element, scale, value] = line.split('\t');
      if (scale === 'OI' && code) byOnet.set(code, { ...byOnet.get(code), [element!]: Number(value) });
    }
    const profiles = [...byOnet.values()].filter((s) => Object.keys(s).length === 6).map((s) => LETTERS.map((l) => s[l]!));
    expect(profiles.length).toBeGreaterThan(800);
    // Ties: all equal, pairs equal, the lowest three equal.
    profiles.push([4, 4, 4, 4, 4, 4], [1, 5, 5, 2, 5, 1], [7, 1, 1, 1, 1, 1], [2, 2, 3, 3, 1, 1], [1, 1, 1, 6, 6, 6]);
    const { Warehouse } = await import('../src/load/warehouse.js');
    const warehouse = await Warehouse.open(':memory:');
    try {
      const sql = await readFile(path.join(PROJECT, 'sql', 'staging', '22_stg_occupation_interests.sql'), 'utf8');
      for (const statement of sql.split(/;\s*\n/).filter((s) => /^\s*CREATE OR REPLACE MACRO/m.test(s.replace(/--.*$/gm, '')))) await warehouse.run(statement);
      const codes = await warehouse.all<{ code: string | null }>(
        'SELECT riasec_code(p[1], p[2], p[3], p[4], p[5], p[6]) AS code FROM (SELECT unnest(CAST($profiles AS DOUBLE[][])) AS p, generate_subscripts(CAST($profiles AS DOUBLE[][]), 1) AS n) ORDER BY n',
        { profiles: JSON.stringify(profiles) },
      );
      expect(codes.map((c) => c.code)).toEqual(profiles.map(topThree));
      expect(codes.slice(-5).map((c) => c.code)).toEqual(['RIA', 'IAE', 'RIA', 'ASR', 'SEC']);
      expect(await warehouse.scalar('SELECT riasec_code(NULL, 1, 2, 3, 4, 5)')).toBeNull();
    } finally {
      warehouse.close();
    }
  });
});

describe('terminal escapes in downloaded titles', () => {
  it('are dropped at load: lmi search prints no control character, the snapshot holds none', async () => {
    const out = await tempDir();
    const OEWS = 'www.bls.gov/oes/special-requests/oesm24nat.zip';
    const ONET = 'www.onetcenter.org/dl_files/database/db_27_0_text.zip';
    // _x001B_ as OOXML escapes it (the reader decodes it), a raw ESC and BEL in O*NET's text.
    const files = {
      [OEWS]: await editedOews24((xml) =>
        xml.replace('<t>Welders, Cutters, Solderers, and Brazers</t>', '<t>Welders_x001B_[2J, Cutters_x001B_]0;pwned_x0007_, Solderers, and Brazers</t>'),
      ),
      [ONET]: rewriteZipText(await readFile(path.join(MIRROR, ONET)), /Alternate Titles\.txt$/, (text) => text.replace(/^(51-4121\.00\t)([^\t]+)/m, '$1\x1b[2J\x1b]0;owned\x07$2')),
    };
    try {
      const r = await withMirrorFiles(files, (mirror) => runPipeline(runOptions(out.dir, { mirror, report: false })));
      if (r.status !== 'published') throw new Error('expected a snapshot');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
      const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
      // Every text value of the tables that carry titles (JSON writes a control character escaped, as \u001b).
      for (const table of ['occupations', 'occupation_titles', 'related_occupations', 'programs']) {
        const rows = JSON.parse(await readFile(path.join(r.snapshotDir, `${table}.json`), 'utf8')) as Row[];
        expect(
          rows.flatMap((row) => Object.values(row)).filter((v) => typeof v === 'string' && control.test(v)),
          table,
        ).toEqual([]);
      }
      const titles = JSON.parse(await readFile(path.join(r.snapshotDir, 'occupation_titles.json'), 'utf8')) as Row[];
      expect(titles.some((t) => t.soc_code === '51-4121' && t.title === 'Welders[2J, Cutters]0;pwned, Solderers, and Brazers')).toBe(true);
      for (const args of [['welder'], ['welder', '--json'], ['owned']]) {
        const { stdout } = await exec(process.execPath, [path.join(PROJECT, 'bin', 'lmi.js'), 'search', ...args, '--output', out.dir], { cwd: PROJECT });
        expect(control.test(stdout.replace(/\n/g, '')), args.join(' ')).toBe(false);
      }
    } finally {
      await out.cleanup();
    }
  });
});

describe('lmi search bounds its query', () => {
  it('refuses a 1 MB query, a 200 KB word and 13 words at once, with one line saying what it takes', async () => {
    const { searchSnapshot } = await import('../src/views/search.js');
    for (const query of ['nurse '.repeat(200_000), 'x'.repeat(200_000), Array.from({ length: 13 }, () => 'nurse').join(' ')]) {
      const started = Date.now();
      const err = await searchSnapshot('/nonexistent', query, '99').catch((e: Error) => e);
      expect(Date.now() - started).toBeLessThan(1000);
      expect((err as Error).message).toMatch(/^lmi search: the query is too long \([\d,]+ characters, [\d,]+ words\): give at most 200 characters in 12 words of up to 40 letters/);
    }
    const cli = await exec(process.execPath, [path.join(PROJECT, 'bin', 'lmi.js'), 'search', ...Array.from({ length: 5000 }, () => 'welder')], { cwd: PROJECT }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(cli).toMatchObject({ code: 1 });
    expect((cli as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
  });
});

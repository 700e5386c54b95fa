// The vendored crosswalk tables are exactly what the project's importers make from the
// official workbooks in ../shared.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROSSWALK_CSV, CROSSWALK_PROVENANCE, importClusterCrosswalk } from '../pipelines/career-clusters.js';
import { OEWS_MAP_CSV, STRUCTURE_CSV, importSocStructure } from '../pipelines/soc-structure.js';
import { crosswalksDirDefault } from '../src/paths.js';
import { DATA, oewsWorkbook, tempDir } from './helpers.js';

const vendored = (name: string) => readFile(path.join(crosswalksDirDefault(), name), 'utf8');

describe('crosswalk import', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (out = await tempDir()));
  afterAll(async () => out.cleanup());

  it('re-imports the Advance CTE SOC workbook byte for byte, with its provenance', async () => {
    const p = await importClusterCrosswalk(path.join(DATA, 'clusters', 'advance_cte_2024', 'SOC_Career_Clusters_Crosswalk.xlsx'), out.dir);
    expect(await readFile(path.join(out.dir, CROSSWALK_CSV), 'utf8')).toBe(await vendored(CROSSWALK_CSV));
    expect(p).toMatchObject({ rows: 1203, soc_codes: 851, clusters: 14, sub_clusters: 71 });
    expect(p.sha256).toMatch(/^9a290fe4/);
    expect(p.workbook_modified).toBe('2025-09-02T13:11:34Z');
    expect(p.normalizations).toEqual(['"water systems" (1 row) written as "Water Systems"']);
    expect(JSON.parse(await vendored(CROSSWALK_PROVENANCE))).toEqual(p);
  });

  it('keeps the interdisciplinary flag and codes in up to 8 clusters', async () => {
    const rows = Papa.parse<Record<string, string>>((await vendored(CROSSWALK_CSV)).trim(), { header: true }).data;
    const clusters = new Map<string, Set<string>>();
    for (const r of rows) clusters.set(r.soc_code!, (clusters.get(r.soc_code!) ?? new Set()).add(r.cluster!));
    expect(Math.max(...[...clusters.values()].map((s) => s.size))).toBe(8);
    const multi = [...clusters].filter(([, s]) => s.size > 1).map(([code]) => code);
    expect(multi).toHaveLength(125);
    // The flag is the workbook's own and agrees with the rows.
    for (const r of rows) expect(r.interdisciplinary, r.soc_code).toBe(String(multi.includes(r.soc_code!)));
  });

  it('derives the OEWS aggregate codes from the SOC structure and OEWS files', async () => {
    const p = await importSocStructure(path.join(DATA, 'clusters', 'soc_2018', 'soc_structure_2018.xlsx'), [2021, 2022, 2023, 2024].map(oewsWorkbook), out.dir);
    expect(p.counts).toEqual({ major: 23, minor: 98, broad: 459, detailed: 867, oews_codes_mapped: 12 });
    expect(await readFile(path.join(out.dir, STRUCTURE_CSV), 'utf8')).toBe(await vendored(STRUCTURE_CSV));
    const map = await readFile(path.join(out.dir, OEWS_MAP_CSV), 'utf8');
    expect(map).toBe(await vendored(OEWS_MAP_CSV));
    const members = (code: string) =>
      map
        .split('\n')
        .filter((l) => l.startsWith(`${code},`))
        .map((l) => /,(\d\d-\d{4}),/.exec(l.slice(8))![1]);
    expect(members('21-1018')).toEqual(['21-1011', '21-1014']);
    expect(members('53-1047')).toEqual(['53-1042', '53-1043', '53-1044', '53-1049']);
    expect(members('13-1020')).toEqual(['13-1021', '13-1022', '13-1023']);
  });
});

describe('legacy framework import', () => {
  it("re-imports O*NET's All_Career_Clusters.csv byte for byte, splitting joined clusters and pathways", async () => {
    const { importLegacyClusters, LEGACY_CSV } = await import('../pipelines/career-clusters.js');
    const out = await tempDir();
    try {
      const p = await importLegacyClusters(path.join(DATA, 'clusters', 'legacy_onet', 'All_Career_Clusters.csv'), out.dir);
      expect(p).toMatchObject({ clusters: 16, pathways: 73, soc_codes: 867 });
      expect(await readFile(path.join(out.dir, LEGACY_CSV), 'utf8')).toBe(await vendored(LEGACY_CSV));
      // 19-4044.00 Hydrologic Technicians sits in two clusters, one pathway each.
      expect((await vendored(LEGACY_CSV)).split('\n').filter((l) => l.startsWith('19-4044.00'))).toEqual([
        '19-4044.00,19-4044,"Agriculture, Food & Natural Resources",Natural Resources Systems',
        '19-4044.00,19-4044,"Science, Technology, Engineering & Mathematics",Science and Mathematics',
      ]);
    } finally {
      await out.cleanup();
    }
  });
});

describe('vendored tables', () => {
  it('refuses a crosswalk CSV edited by hand, naming the command that remakes it', async () => {
    const { cp, appendFile } = await import('node:fs/promises');
    const { runPipeline } = await import('../src/run.js');
    const { MIRROR, silentLog } = await import('./helpers.js');
    const dir = await tempDir();
    try {
      await cp(crosswalksDirDefault(), path.join(dir.dir, 'crosswalks'), { recursive: true });
      await appendFile(path.join(dir.dir, 'crosswalks', CROSSWALK_CSV), '15-1252,Software Developers,Education,Learner Support & Community Engagement,true\n');
      await expect(
        runPipeline({
          outputDir: path.join(dir.dir, 'out'),
          crosswalksDir: path.join(dir.dir, 'crosswalks'),
          releases: { oews: '2024', onet: '27.0' },
          mirror: MIRROR,
          log: silentLog,
        }),
      ).rejects.toThrow(/advance_cte_2024_soc_clusters\.csv: its sha256 does not match its provenance file; re-run `lmi crosswalks import`/);
    } finally {
      await dir.cleanup();
    }
  });
});

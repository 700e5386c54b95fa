// A workbook whose headers drift fails with the file, sheet and column named; nothing is
// published and the previous latest.json stays byte-identical.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeaderDriftError, DataError, QualityError, XlsxError } from '../src/errors.js';
import { runPipeline } from '../src/run.js';
import { editedOews24, editedOews24Sheet, errorOf, OEWS24_PATH, rewriteZipText, setCellMarker, withMirrorFiles } from './fixtures.js';
import { MIRROR, tempDir, runOptions } from './helpers.js';

describe('a bad OEWS workbook publishes nothing', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let latestBefore: Buffer;
  const run = (mirror: string) => runPipeline(runOptions(out.dir, { mirror }));

  beforeAll(async () => {
    out = await tempDir();
    await run(MIRROR);
    latestBefore = await readFile(path.join(out.dir, 'latest.json'));
  });
  afterAll(async () => out.cleanup());

  async function runWith(edit: (xml: string) => string, part?: RegExp): Promise<unknown> {
    return runWithFile(OEWS24_PATH, await editedOews24(edit, part));
  }

  /** A run against the mirror with one file replaced by `bytes`: its error, or undefined. */
  const runWithFile = (rel: string, bytes: Uint8Array): Promise<unknown> => errorOf(withMirrorFiles({ [rel]: bytes }, run));

  async function expectNothingPublished() {
    expect(await readFile(path.join(out.dir, 'latest.json'))).toEqual(latestBefore);
    expect(await readdir(path.join(out.dir, 'snapshots'))).toHaveLength(1);
  }

  it('a worksheet cut off part-way (a well-formed zip, fewer rows) fails instead of publishing half', async () => {
    const err = await runWith((xml) => xml.slice(0, Math.floor(xml.length / 2)), /^xl\/worksheets\/sheet1\.xml$/);
    expect(err).toBeInstanceOf(XlsxError);
    expect((err as Error).message).toMatch(
      /oesm24nat\.zip \(oesm24nat\/national_M2024_dl\.xlsx\): sheet "national_M2024_dl" ends after row \d+ without <\/sheetData>: the sheet is cut off/,
    );
    await expectNothingPublished();
  });

  const ONET_PATH = 'www.onetcenter.org/dl_files/database/db_27_0_text.zip';
  const editedOnet = async (member: RegExp, edit: (text: string) => string) => rewriteZipText(await readFile(path.join(MIRROR, ONET_PATH)), member, edit);

  it('an O*NET member cut mid-line inside a valid zip names the file, line and column', async () => {
    const err = await runWithFile(ONET_PATH, await editedOnet(/Occupation Data\.txt$/, (text) => text.slice(0, text.indexOf('\n', text.length / 2) + 40)));
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(
      /db_27_0_text\.zip \(db_27_0_text\/Occupation Data\.txt\) row \d+, column (Title|Description): the file ends mid-line \(no line break after its last row, [23] of 3 fields\): it was cut short/,
    );
    await expectNothingPublished();
  });

  it('an O*NET member cut at a line break (half its rows) stops the run at the O*NET coverage check', async () => {
    const err = await runWithFile(ONET_PATH, await editedOnet(/Job Zones\.txt$/, (text) => text.slice(0, text.indexOf('\n', text.length / 2) + 1)));
    expect(err).toBeInstanceOf(QualityError);
    expect((err as Error).message).toMatch(/onet_coverage \(1 row\)/);
    await expectNothingPublished();
  });

  it('a worksheet that closes properly but holds fewer rows than its <dimension> says fails', async () => {
    const err = await runWith((xml) => xml.replace(/<row r="700"[\s\S]*<\/sheetData>/, '</sheetData>'), /^xl\/worksheets\/sheet1\.xml$/);
    expect(err).toBeInstanceOf(XlsxError);
    expect((err as Error).message).toMatch(/declares rows up to 1404 \(<dimension>\) but ends at row 699/);
    await expectNothingPublished();
  });

  it('a national release whose detailed rows fall far short of its own 00-0000 total stops the run', async () => {
    // Half the rows gone and the sheet made consistent again (no <dimension>): only the data check can tell.
    const err = await runWith((xml) => xml.replace(/<dimension[^>]*>/, '').replace(/<row r="700"[\s\S]*<\/sheetData>/, '</sheetData>'), /^xl\/worksheets\/sheet1\.xml$/);
    expect(err).toBeInstanceOf(QualityError);
    expect((err as Error).message).toMatch(/national_detailed_total \(1 row\)/);
    await expectNothingPublished();
  });

  it('a renamed column names the file, sheet and column', async () => {
    const err = await runWith((xml) => xml.replace('<t>TOT_EMP</t>', '<t>TOTAL_EMPLOYMENT</t>'));
    expect(err).toBeInstanceOf(HeaderDriftError);
    // Named by its URL and zip entry, never by the run's scratch path.
    expect((err as Error).message).toContain(
      'https://www.bls.gov/oes/special-requests/oesm24nat.zip (oesm24nat/national_M2024_dl.xlsx) [sheet "national_M2024_dl"]: column TOT_EMP is missing',
    );
    expect((err as Error).message).not.toContain('.work');
    await expectNothingPublished();
  });

  it('a column matched twice is refused rather than guessed', async () => {
    const err = await runWith((xml) => xml.replace('<t>NAICS_TITLE</t>', '<t>A_MEDIAN</t>'));
    expect(err).toBeInstanceOf(HeaderDriftError);
    expect((err as Error).message).toMatch(/column A_MEDIAN matches 2 header cells/);
    await expectNothingPublished();
  });

  it('a value that is neither a number nor a marker names file, sheet, row and column', async () => {
    // Every '#' (top-coded) cell becomes "N/A"; the first is H_PCT90 of 11-0000 in row 3.
    const err = await runWith((xml) => xml.replace('<t>#</t>', '<t>N/A</t>'));
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toBe(
      'https://www.bls.gov/oes/special-requests/oesm24nat.zip (oesm24nat/national_M2024_dl.xlsx) [sheet "national_M2024_dl"] row 3, column H_PCT90 (Y): "N/A" is not a number or a marker matching /^(\\*|\\*\\*|#|~)$/',
    );
    await expectNothingPublished();
  });
});

describe('suppressed employment in the real May 2024 workbook (29-1141 TOT_EMP = **)', () => {
  it('publishes 29-1141 with null employment and its flag; allocated employment adds up to the rest', async () => {
    const out = await tempDir();
    let remaining = 0;
    const workbook = await editedOews24Sheet((sheet, shared) => {
      // The workbook's own detailed TOT_EMP, less the cell made '**' (column L, O_GROUP in K).
      const detailed = shared.indexOf('detailed');
      for (const m of sheet.matchAll(/<row r="(\d+)"[^>]*>([\s\S]*?)<\/row>/g))
        if (new RegExp(`<c r="K${m[1]}"[^>]*><v>${detailed}</v>`).test(m[2]!)) remaining += Number(/<c r="L\d+"[^>]*><v>(\d+)<\/v>/.exec(m[2]!)![1]);
      remaining -= 3_282_010; // 29-1141's published TOT_EMP, May 2024
      return setCellMarker(sheet, shared, '29-1141', 'L', '**');
    });
    try {
      const r = await withMirrorFiles({ [OEWS24_PATH]: workbook }, (mirror) => runPipeline(runOptions(out.dir, { mirror })));
      if (r.status !== 'published') throw new Error('expected a snapshot');
      const rows = async (t: string) => JSON.parse(await readFile(path.join(r.snapshotDir, `${t}.json`), 'utf8')) as Record<string, any>[];
      const nurses = (await rows('occupations')).find((o) => o.soc_code === '29-1141')!;
      expect([nurses.employment, nurses.employment_flag]).toEqual([null, 'not_available']);
      const clusters = (await rows('cluster_demand')).filter((c) => c.framework === '2024');
      const health = clusters.find((c) => c.cluster === 'Healthcare & Human Services')!;
      expect(health.occupations_with_suppressed_employment).toBe(1);
      expect(clusters.filter((c) => c.cluster !== 'Healthcare & Human Services').every((c) => c.occupations_with_suppressed_employment === 0)).toBe(true);
      expect(clusters.reduce((a, c) => a + c.employment_allocated, 0)).toBe(remaining);
      // The nurses' wages are still published; their weight in the median is now unknown, so they drop out of it.
      expect(nurses.annual_wage_median).toBe(93_600);
    } finally {
      await out.cleanup();
    }
  });
});

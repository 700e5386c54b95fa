// A workbook whose headers drift fails with the file, sheet and column named; nothing is
// published and the previous latest.json stays byte-identical.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeaderDriftError, DataError } from '../src/errors.js';
import { crosswalksDirDefault } from '../src/paths.js';
import { runPipeline } from '../src/run.js';
import { editedOews24, OEWS24_PATH, writeMirrorFile } from './fixtures.js';
import { MIRROR, silentLog, startMirrorServer, tempDir } from './helpers.js';

describe('a bad OEWS workbook publishes nothing', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let latestBefore: Buffer;
  const run = (mirror: string) =>
    runPipeline({ outputDir: out.dir, crosswalksDir: crosswalksDirDefault(), releases: { oews: '2024', onet: '27.0' }, mirror, log: silentLog });

  beforeAll(async () => {
    out = await tempDir();
    await run(MIRROR);
    latestBefore = await readFile(path.join(out.dir, 'latest.json'));
  });
  afterAll(async () => out.cleanup());

  async function runWith(edit: (xml: string) => string): Promise<unknown> {
    const bad = await tempDir();
    await writeMirrorFile(bad.dir, OEWS24_PATH, await editedOews24(edit));
    const server = await startMirrorServer([bad.dir, MIRROR]);
    try {
      await run(server.url);
      return undefined;
    } catch (err) {
      return err;
    } finally {
      await server.close();
      await bad.cleanup();
    }
  }

  async function expectNothingPublished() {
    expect(await readFile(path.join(out.dir, 'latest.json'))).toEqual(latestBefore);
    expect((await readdir(path.join(out.dir, 'snapshots'))).filter((n) => !n.startsWith('.'))).toHaveLength(1);
  }

  it('a renamed column names the file, sheet and column', async () => {
    const err = await runWith((xml) => xml.replace('<t>TOT_EMP</t>', '<t>TOTAL_EMPLOYMENT</t>'));
    expect(err).toBeInstanceOf(HeaderDriftError);
    // Named by its URL and zip entry, never by the run's scratch path.
    expect((err as Error).message).toContain('https://www.bls.gov/oes/special-requests/oesm24nat.zip (oesm24nat/national_M2024_dl.xlsx) [sheet "national_M2024_dl"]: column TOT_EMP is missing');
    expect((err as Error).message).not.toContain('.work');
    await expectNothingPublished();
  });

  it('a column matched twice is refused rather than guessed', async () => {
    const err = await runWith((xml) => xml.replace('<t>PCT_TOTAL</t>', '<t>A_MEDIAN</t>'));
    expect(err).toBeInstanceOf(HeaderDriftError);
    expect((err as Error).message).toMatch(/column A_MEDIAN matches 2 header cells/);
    await expectNothingPublished();
  });

  it('a value that is neither a number nor a marker names file, sheet, row and column', async () => {
    // Every '#' (top-coded) cell becomes "N/A"; the first is H_PCT90 of 11-0000 in row 3.
    const err = await runWith((xml) => xml.replace('<t>#</t>', '<t>N/A</t>'));
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toBe('https://www.bls.gov/oes/special-requests/oesm24nat.zip (oesm24nat/national_M2024_dl.xlsx) [sheet "national_M2024_dl"] row 3, column H_PCT90 (Y): "N/A" is not a number or a marker matching /^(\\*|\\*\\*|#|~)$/');
    await expectNothingPublished();
  });
});

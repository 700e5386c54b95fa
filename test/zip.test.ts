// Unsafe archives are refused: entries escaping the extraction folder, and zip bombs.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipError } from '../src/errors.js';
import { findEntry, withZip } from '../src/extract/zip.js';
import { MIRROR, tempDir } from './helpers.js';

describe('zip extraction', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (tmp = await tempDir()));
  afterAll(async () => tmp.cleanup());

  it('finds the workbook in the real OEWS zip by pattern and extracts it', async () => {
    await withZip(path.join(MIRROR, 'www.bls.gov/oes/special-requests/oesm24nat.zip'), async (zip) => {
      const entry = findEntry(zip, /national_M\d{4}_dl\.xlsx$/, 'workbook');
      expect(entry).toBe('oesm24nat/national_M2024_dl.xlsx');
      const file = await zip.extract(entry, path.join(tmp.dir, 'x'));
      expect(existsSync(file)).toBe(true);
      expect(() => findEntry(zip, /\.csv$/, 'CSV')).toThrow(/has no CSV .* it holds: oesm24nat\/, oesm24nat\/national_M2024_dl\.xlsx/);
    });
  });

  it('refuses an entry that would escape the extraction folder', async () => {
    const file = path.join(tmp.dir, 'evil.zip');
    await writeFile(file, zipSync({ '../../evil.txt': new TextEncoder().encode('pwned') }));
    // yauzl refuses such names when it reads the directory; extract() checks again before writing.
    await expect(withZip(file, async (zip) => zip.extract('../../evil.txt', path.join(tmp.dir, 'out')))).rejects.toThrow(
      /evil\.zip: corrupt zip archive: invalid relative path: \.\.\/\.\.\/evil\.txt/,
    );
    expect(existsSync(path.join(tmp.dir, '..', 'evil.txt'))).toBe(false);
  });

  it('refuses a zip bomb by ratio and by size cap', async () => {
    const file = path.join(tmp.dir, 'bomb.zip');
    await writeFile(file, zipSync({ 'zeros.bin': new Uint8Array(20_000_000) }, { level: 9 }));
    await withZip(file, async (zip) => {
      await expect(zip.extract('zeros.bin', path.join(tmp.dir, 'out'))).rejects.toThrow(ZipError);
      await expect(zip.extract('zeros.bin', path.join(tmp.dir, 'out'))).rejects.toThrow(/compression ratio over 200/);
      await expect(zip.openStream('zeros.bin', 1_000)).rejects.toThrow(/over the 1000-byte cap/);
    });
  });
});

// Variants of the real files for failure tests: the same bytes with one thing changed, made
// in a temp folder laid out like ../shared/mirror (never committed).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { MIRROR } from './helpers.js';

export const OEWS24_PATH = 'www.bls.gov/oes/special-requests/oesm24nat.zip';

/** Rewrite one text entry of a zip (given as bytes). */
export function rewriteZipText(zip: Uint8Array, entry: RegExp, edit: (text: string) => string): Uint8Array {
  const files = unzipSync(zip);
  const name = Object.keys(files).find((n) => entry.test(n));
  if (!name) throw new Error(`no entry ${entry}`);
  files[name] = strToU8(edit(strFromU8(files[name]!)));
  return zipSync(files);
}

/** Rewrite one entry (bytes) of a zip. */
export function rewriteZipEntry(zip: Uint8Array, entry: RegExp, edit: (bytes: Uint8Array) => Uint8Array): Uint8Array {
  const files = unzipSync(zip);
  const name = Object.keys(files).find((n) => entry.test(n));
  if (!name) throw new Error(`no entry ${entry}`);
  files[name] = edit(files[name]!) as Uint8Array<ArrayBuffer>;
  return zipSync(files);
}

/** The real May 2024 national zip with the workbook's shared strings edited. */
export async function editedOews24(editSharedStrings: (xml: string) => string): Promise<Uint8Array> {
  const zip = await readFile(path.join(MIRROR, OEWS24_PATH));
  return rewriteZipEntry(zip, /national_M2024_dl\.xlsx$/, (xlsx) => rewriteZipText(xlsx, /^xl\/sharedStrings\.xml$/, editSharedStrings));
}

export async function writeMirrorFile(root: string, rel: string, bytes: Uint8Array): Promise<void> {
  const file = path.join(root, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
}

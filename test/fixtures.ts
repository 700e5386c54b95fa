// Variants of the real files for failure tests: the same bytes with one thing changed, made
// in a temp folder laid out like ../shared/mirror (never committed).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { MIRROR, startMirrorServer, tempDir } from './helpers.js';

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

/** The real May 2024 national zip with one part of the workbook edited (default: its shared strings). */
export async function editedOews24(edit: (xml: string) => string, part: RegExp = /^xl\/sharedStrings\.xml$/): Promise<Uint8Array> {
  const zip = await readFile(path.join(MIRROR, OEWS24_PATH));
  return rewriteZipEntry(zip, /national_M2024_dl\.xlsx$/, (xlsx) => rewriteZipText(xlsx, part, edit));
}

/** The workbook's first sheet and shared strings, as text, edited together. */
export async function editedOews24Sheet(edit: (sheet: string, sharedStrings: string[]) => string): Promise<Uint8Array> {
  const zip = await readFile(path.join(MIRROR, OEWS24_PATH));
  return rewriteZipEntry(zip, /national_M2024_dl\.xlsx$/, (xlsx) => {
    const files = unzipSync(xlsx);
    const shared = [...strFromU8(files['xl/sharedStrings.xml']!).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    files['xl/worksheets/sheet1.xml'] = strToU8(edit(strFromU8(files['xl/worksheets/sheet1.xml']!), shared));
    return zipSync(files);
  });
}

/** Set one cell of the sheet (by occupation code and column letter) to an inline-string marker such as '**'. */
export function setCellMarker(sheet: string, shared: string[], socCode: string, column: string, marker: string): string {
  const index = shared.indexOf(socCode);
  if (index < 0) throw new Error(`no shared string ${socCode}`);
  const row = new RegExp(`<row r="(\\d+)"[^>]*>(?:(?!</row>).)*?<c r="I\\1"[^>]*t="s"[^>]*><v>${index}</v></c>`).exec(sheet)?.[1];
  if (!row) throw new Error(`no row for ${socCode}`);
  const cell = new RegExp(`<c r="${column}${row}"[^>]*>(?:(?!</c>).)*</c>`);
  if (!cell.test(sheet)) throw new Error(`no cell ${column}${row}`);
  return sheet.replace(cell, `<c r="${column}${row}" t="inlineStr"><is><t>${marker}</t></is></c>`);
}

export async function writeMirrorFile(root: string, rel: string, bytes: Uint8Array): Promise<void> {
  const file = path.join(root, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
}

/**
 * `use` run against a loopback mirror that serves `files` (official HOST/PATH → bytes) in place
 * of ../shared/mirror's copies, and every other file from it; what it returns or throws passes
 * through. The server and the files are gone afterwards.
 */
export async function withMirrorFiles<T>(files: Record<string, Uint8Array>, use: (mirrorUrl: string) => Promise<T>): Promise<T> {
  const bad = await tempDir();
  for (const [rel, bytes] of Object.entries(files)) await writeMirrorFile(bad.dir, rel, bytes);
  const server = await startMirrorServer([bad.dir, MIRROR]);
  try {
    return await use(server.url);
  } finally {
    await server.close();
    await bad.cleanup();
  }
}

/** What a promise threw, or undefined when it resolved. */
export const errorOf = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (err: unknown) => err,
  );

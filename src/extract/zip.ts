// Zip access on top of yauzl (random access by central directory, streaming inflate), so
// an 80 MB workbook is never held in memory, and extraction refuses what would be unsafe.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { ZipError } from '../errors.js';

/** Uncompressed bytes one entry may expand to before we call it a zip bomb (2 GiB). */
export const DEFAULT_MAX_ENTRY_BYTES = 2 * 1024 ** 3;
/** Compression ratio above which an entry is refused as a zip bomb (xlsx XML compresses ~10-20x). */
export const DEFAULT_MAX_RATIO = 200;

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

export class ZipArchive {
  private constructor(
    readonly file: string,
    private readonly zip: yauzl.ZipFile,
    readonly entries: Map<string, yauzl.Entry>,
  ) {}

  static async open(file: string): Promise<ZipArchive> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false }, (err, z) =>
        err ? reject(new ZipError(file, `not a readable zip archive: ${err.message}`)) : resolve(z!),
      ),
    );
    const entries = new Map<string, yauzl.Entry>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (err: Error) => reject(new ZipError(file, `corrupt zip archive: ${err.message}`)));
      zip.readEntry();
    });
    return new ZipArchive(file, zip, entries);
  }

  list(): ZipEntryInfo[] {
    return [...this.entries.values()].map((e) => ({
      name: e.fileName,
      compressedSize: e.compressedSize,
      uncompressedSize: e.uncompressedSize,
    }));
  }

  /** A stream of one entry's bytes; yauzl checks the CRC and declared size as it inflates. */
  async openStream(name: string, maxBytes = DEFAULT_MAX_ENTRY_BYTES): Promise<Readable> {
    const entry = this.entries.get(name);
    if (!entry) throw new ZipError(this.file, `has no entry "${name}"`);
    if (entry.uncompressedSize > maxBytes) throw new ZipError(this.file, `entry "${name}" would expand to ${entry.uncompressedSize} bytes, over the ${maxBytes}-byte cap`);
    if (entry.compressedSize > 0 && entry.uncompressedSize / entry.compressedSize > DEFAULT_MAX_RATIO)
      throw new ZipError(this.file, `entry "${name}" has a compression ratio over ${DEFAULT_MAX_RATIO}: refused as a possible zip bomb`);
    // Inflate ourselves with 1 MiB chunks: yauzl's default 16 KiB chunks cost a callback each,
    // a large share of the time on the largest sheets.
    const deflated = entry.compressionMethod === 8;
    const raw = await new Promise<Readable>((resolve, reject) =>
      this.zip.openReadStream(entry, { decompress: deflated ? false : null } as yauzl.ZipFileOptions, (err, s) =>
        err ? reject(new ZipError(this.file, `cannot read entry "${name}": ${err.message}`)) : resolve(s!),
      ),
    );
    if (!deflated) return raw;
    const inflate = zlib.createInflateRaw({ chunkSize: 1 << 20 });
    let bytes = 0;
    const file = this.file;
    const checked = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (bytes > entry.uncompressedSize) cb(new ZipError(file, `entry "${name}" inflates past its declared ${entry.uncompressedSize} bytes`));
        else cb(null, chunk);
      },
      flush(cb) {
        cb(bytes === entry.uncompressedSize ? null : new ZipError(file, `entry "${name}" inflated to ${bytes} of its declared ${entry.uncompressedSize} bytes`));
      },
      readableHighWaterMark: 1 << 20,
    });
    raw.on('error', (err) => inflate.destroy(err));
    inflate.on('error', (err) => checked.destroy(err));
    return raw.pipe(inflate).pipe(checked);
  }

  async readText(name: string): Promise<string> {
    const chunks: Buffer[] = [];
    const stream = await this.openStream(name);
    try {
      for await (const chunk of stream) chunks.push(chunk as Buffer);
    } catch (err) {
      throw new ZipError(this.file, `entry "${name}" is damaged: ${(err as Error).message}`);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * Extract one entry to `destDir`, refusing names that would escape it. Written to a temp
   * name and renamed, so a half-extracted file never looks complete.
   */
  async extract(name: string, destDir: string, maxBytes = DEFAULT_MAX_ENTRY_BYTES): Promise<string> {
    const target = path.resolve(destDir, name);
    const root = path.resolve(destDir) + path.sep;
    if (!target.startsWith(root) || path.isAbsolute(name)) throw new ZipError(this.file, `entry "${name}" would be written outside the extraction folder: refused`);
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.partial`;
    let written = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        written += chunk.length;
        if (written > maxBytes) cb(new ZipError(`${name}`, `expanded past the ${maxBytes}-byte cap: refused as a possible zip bomb`));
        else cb(null, chunk);
      },
    });
    try {
      await pipeline(await this.openStream(name, maxBytes), cap, createWriteStream(tmp));
    } catch (err) {
      await rm(tmp, { force: true });
      if (err instanceof ZipError) throw err;
      throw new ZipError(this.file, `entry "${name}" is damaged: ${(err as Error).message}`);
    }
    await rename(tmp, target);
    return target;
  }

  close(): void {
    this.zip.close();
  }
}

/** Open, use and always close a zip archive. */
export async function withZip<T>(file: string, use: (zip: ZipArchive) => Promise<T>): Promise<T> {
  const zip = await ZipArchive.open(file);
  try {
    return await use(zip);
  } finally {
    zip.close();
  }
}

/** Every file entry whose name matches `pattern` (sorted), or a clear error naming what the archive holds. */
export function findEntries(zip: ZipArchive, pattern: RegExp, what: string): string[] {
  const matches = [...zip.entries.keys()].filter((n) => !n.endsWith('/') && pattern.test(n)).sort();
  if (matches.length === 0) throw new ZipError(zip.file, `has no ${what} (looked for ${pattern}); it holds: ${[...zip.entries.keys()].join(', ')}`);
  return matches;
}

/** The one entry whose name matches `pattern`. */
export function findEntry(zip: ZipArchive, pattern: RegExp, what: string): string {
  const matches = findEntries(zip, pattern, what);
  if (matches.length > 1) throw new ZipError(zip.file, `has ${matches.length} candidates for the ${what} (${matches.join(', ')}); expected one`);
  return matches[0]!;
}

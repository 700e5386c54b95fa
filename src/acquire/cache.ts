// The raw cache: every fetched file stored once under its sha256, plus an index of what each
// URL last answered (validators for conditional requests, and when). Both written atomically.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../fsutil.js';

export const CacheEntrySchema = z.object({
  url: z.string(),
  sha256: z.string(),
  bytes: z.number(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  fetchedAt: z.string(),
  /** When the server last confirmed this copy (200 or 304). */
  checkedAt: z.string(),
});
export type CacheEntry = z.infer<typeof CacheEntrySchema>;

const IndexSchema = z.record(z.string(), CacheEntrySchema);

export class RawCache {
  private index: Record<string, CacheEntry> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly dir: string) {}

  get indexFile(): string {
    return path.join(this.dir, 'index.json');
  }

  blobPath(sha256: string): string {
    return path.join(this.dir, 'raw', sha256.slice(0, 2), sha256);
  }

  private async load(): Promise<Record<string, CacheEntry>> {
    if (this.index) return this.index;
    try {
      this.index = IndexSchema.parse(JSON.parse(await readFile(this.indexFile, 'utf8')));
    } catch {
      // A missing or unreadable index only costs a re-download; it never blocks a run.
      this.index = {};
    }
    return this.index;
  }

  /** The entry for a URL whose blob is still on disk. */
  async get(url: string): Promise<CacheEntry | undefined> {
    const entry = (await this.load())[url];
    return entry && existsSync(this.blobPath(entry.sha256)) ? entry : undefined;
  }

  /**
   * Whether the entry's blob still holds the bytes it was stored with (its sha256 and length).
   * A blob that does not is removed: a truncated or replaced copy must never be used, and its
   * URL is fetched again whole.
   */
  async verify(entry: CacheEntry): Promise<boolean> {
    const file = this.blobPath(entry.sha256);
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        hash.update(chunk);
      }
    } catch {
      return false;
    }
    const intact = bytes === entry.bytes && hash.digest('hex') === entry.sha256;
    if (!intact) await rm(file, { force: true });
    return intact;
  }

  async put(entry: CacheEntry): Promise<void> {
    const index = await this.load();
    index[entry.url] = entry;
    // Serialise index writes: fetches run concurrently.
    this.writing = this.writing.then(() => writeJsonAtomic(this.indexFile, index));
    await this.writing;
  }
}

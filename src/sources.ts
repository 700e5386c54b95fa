// What `lmi sources` shows: each source, the release a run would use, its URL, the validators
// the cache holds for it, and whether the cached copy is missing, stale or fresh.
import path from 'node:path';
import type { Logger } from 'pino';
import { DATASETS, resolvePlan } from '../pipelines/index.js';
import { RawCache } from './acquire/cache.js';
import { Fetcher } from './acquire/fetch.js';
import { applyMirror } from './acquire/mirror.js';
import type { RunContext } from './context.js';
import { redactUrl } from './redact.js';
import type { RunOptions } from './run.js';

/** A cached copy checked against its server within this long is fresh. Default 24 hours. */
export const CACHE_FRESH_FOR_MS = 24 * 60 * 60 * 1000;

export interface SourceStatus {
  source: string;
  release: string;
  url: string;
  requested_url: string;
  cache: 'missing' | 'stale' | 'fresh';
  etag?: string;
  last_modified?: string;
  checked_at?: string;
  fetched_at?: string;
  bytes?: number;
  sha256?: string;
}

export async function describeSources(opts: Omit<RunOptions, 'log'> & { log: Logger }, now = Date.now()): Promise<SourceStatus[]> {
  const cache = new RawCache(path.join(opts.outputDir, 'cache'));
  const fetcher = new Fetcher(cache, opts.log, opts.fetch);
  // Discovery needs only the fetcher and the mirror.
  const ctx = { fetcher, mirror: opts.mirror, log: opts.log } as RunContext;
  const plan = await resolvePlan(ctx, opts);
  const sources = DATASETS.flatMap((d) => d.urls(plan));
  return Promise.all(
    sources.map(async (s) => {
      const requested = applyMirror(s.url, opts.mirror);
      const entry = await cache.get(requested);
      const state = !entry ? 'missing' : now - Date.parse(entry.checkedAt) <= CACHE_FRESH_FOR_MS ? 'fresh' : 'stale';
      return {
        ...s,
        url: redactUrl(s.url),
        requested_url: redactUrl(requested),
        cache: state,
        etag: entry?.etag,
        last_modified: entry?.lastModified,
        checked_at: entry?.checkedAt,
        fetched_at: entry?.fetchedAt,
        bytes: entry?.bytes,
        sha256: entry?.sha256,
      } satisfies SourceStatus;
    }),
  );
}

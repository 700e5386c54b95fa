// What `lmi status` reports, without touching the network: the latest snapshot, each source's
// release (from its manifest) and cache freshness, the run history, and who holds the folder.
import path from 'node:path';
import { RawCache } from '../acquire/cache.js';
import { CACHE_FRESH_FOR_MS } from '../sources.js';
import { readLatest, readManifest, type Latest } from '../publish/manifest.js';
import { liveLock, type LockInfo } from './lock.js';
import { lastRuns, runLockFile, type RunRecord } from './runs.js';

export interface StatusReport {
  latest: Latest | null;
  scheduler: LockInfo | null;
  running: LockInfo | null;
  sources: { source: string; release: string; url: string; cache: 'missing' | 'stale' | 'fresh'; checked_at: string | null; sha256: string }[];
  runs: RunRecord[] | null;
  runs_note?: string;
}

export async function statusReport(outputDir: string, now = Date.now()): Promise<StatusReport> {
  const dir = path.resolve(outputDir);
  const latest = (await readLatest(dir)) ?? null;
  const cache = new RawCache(path.join(dir, 'cache'));
  const sources: StatusReport['sources'] = [];
  if (latest) {
    const manifest = await readManifest(dir, latest.snapshot_id);
    for (const s of manifest.sources) {
      if (!/^(https?|file|s3):/.test(s.requested_url)) continue; // vendored tables have no cache state
      const entry = await cache.get(s.requested_url);
      sources.push({
        source: s.source,
        release: s.release,
        url: s.url,
        cache: !entry ? 'missing' : now - Date.parse(entry.checkedAt) <= CACHE_FRESH_FOR_MS ? 'fresh' : 'stale',
        checked_at: entry?.checkedAt ?? null,
        sha256: s.sha256,
      });
    }
  }
  let runs: RunRecord[] | null = null;
  let runs_note: string | undefined;
  try {
    runs = await lastRuns(dir);
  } catch (err) {
    // DuckDB lets one process write the warehouse at a time; a run in progress holds it.
    runs_note = `run history unavailable while another process uses the warehouse: ${(err as Error).message.split('\n')[0]}`;
  }
  return {
    latest,
    scheduler: (await liveLock(path.join(dir, 'schedule.lock'))) ?? null,
    running: (await liveLock(runLockFile(dir))) ?? null,
    sources,
    runs,
    ...(runs_note ? { runs_note } : {}),
  };
}

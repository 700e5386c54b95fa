// Run history and the refresh every trigger goes through: take the output folder's run lock,
// sweep what dead runs left, record the run, run the pipeline, record how it ended.
// The history is an append-only JSON Lines file (OUTPUT/runs.jsonl), not a warehouse table:
// `lmi status` must read it while a run holds the warehouse (DuckDB lets one process open a
// database file for writing, and nobody else in at all).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CancelledError, describeFileSystemError, LmiError } from '../errors.js';
import { readLatest, readManifest, snapshotsDir, unpublishedSnapshots } from '../publish/manifest.js';
import { runPipeline, type RunOptions, type RunResult } from '../run.js';
import { repairReportLeftovers } from '../publish/report/folders.js';
import { DEFAULT_RETENTION, pruneSnapshots } from '../snapshots.js';
import { acquireLock, processAlive } from './lock.js';

export const TRIGGERS = ['manual', 'cron'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const RunRecordSchema = z.object({
  run_id: z.string(),
  trigger: z.enum(TRIGGERS),
  started_at: z.string(),
  ended_at: z.string().nullable(),
  status: z.enum(['running', 'published', 'unchanged', 'failed', 'cancelled', 'interrupted']),
  sources_changed: z.array(z.string()).nullable(),
  snapshot_id: z.string().nullable(),
  bytes_downloaded: z.number().nullable(),
  error: z.string().nullable(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** The record a run writes as it starts: running, nothing known yet of how it ends. */
export function startedRun(runId: string, trigger: Trigger, startedAt: string): RunRecord {
  return { run_id: runId, trigger, started_at: startedAt, ended_at: null, status: 'running', sources_changed: null, snapshot_id: null, bytes_downloaded: null, error: null };
}

export const runHistoryFile = (outputDir: string) => path.join(outputDir, 'runs.jsonl');
export const warehouseFile = (outputDir: string) => path.join(outputDir, 'warehouse.duckdb');
export const runLockFile = (outputDir: string) => path.join(outputDir, 'run.lock');

const now = () => new Date().toISOString();

/** Append one state of a run (the last line for a run id is its current state). One small write: appends don't interleave. */
async function record(outputDir: string, run: RunRecord): Promise<void> {
  await appendFile(runHistoryFile(outputDir), JSON.stringify(RunRecordSchema.parse(run)) + '\n');
}

/** Every run's current state, newest first. A torn last line (a process killed mid-write) is skipped. */
async function allRuns(outputDir: string): Promise<RunRecord[]> {
  const file = runHistoryFile(outputDir);
  if (!existsSync(file)) return [];
  const byId = new Map<string, RunRecord>();
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    try {
      const run = RunRecordSchema.parse(JSON.parse(line));
      byId.set(run.run_id, run);
    } catch {
      // not a whole record
    }
  }
  // Newest first; runs started in the same millisecond keep the order they were recorded in.
  const order = [...byId.keys()];
  return [...byId.values()].sort((a, b) => b.started_at.localeCompare(a.started_at) || order.indexOf(b.run_id) - order.indexOf(a.run_id));
}

export async function lastRuns(outputDir: string, limit = 10): Promise<RunRecord[]> {
  return (await allRuns(outputDir)).slice(0, limit);
}

export interface RefreshOptions extends RunOptions {
  trigger: Trigger;
  /** Wait for a run that holds the output folder instead of refusing. Default false. */
  wait?: boolean;
}

export type RefreshOutcome = { ok: true; result: RunResult } | { ok: false; runId: string; error: Error };

/** `.name.<pid>.<n>.tmp` (fsutil's temp files, downloads among them) of a process that is gone. */
function deadTempFile(name: string): boolean {
  const m = /^\..*\.(\d+)\.\d+\.tmp$/.exec(name);
  return Boolean(m && !processAlive(Number(m[1])));
}

/** What runs that died part-way left: half-written and unpublished snapshots, scratch folders, temp files. */
async function removeLeftovers(outputDir: string, log: RefreshOptions['log']): Promise<void> {
  const list = (dir: string) => readdir(dir).catch(() => [] as string[]);
  const snapshots = snapshotsDir(outputDir);
  const leftovers = [
    ...(await list(snapshots)).filter((n) => n.startsWith('.partial-')).map((n) => path.join(snapshots, n)),
    ...(await unpublishedSnapshots(outputDir)).map((id) => path.join(snapshots, id)),
    ...(await list(path.join(outputDir, '.work'))).map((n) => path.join(outputDir, '.work', n)),
    ...(await list(outputDir)).filter(deadTempFile).map((n) => path.join(outputDir, n)),
    ...(await list(path.join(outputDir, 'cache'))).filter(deadTempFile).map((n) => path.join(outputDir, 'cache', n)),
    ...(await list(path.join(outputDir, 'cache', 'raw'))).filter(deadTempFile).map((n) => path.join(outputDir, 'cache', 'raw', n)),
  ];
  for (const item of leftovers) await rm(item, { recursive: true, force: true });
  // A report build killed inside a published snapshot (lmi report, or a run's report).
  for (const id of (await list(snapshots)).filter((n) => !n.startsWith('.'))) leftovers.push(...(await repairReportLeftovers(path.join(snapshots, id))));
  if (leftovers.length) log.warn({ removed: leftovers }, 'removed what an interrupted run left behind');
}

/**
 * `lmi report`: build a published snapshot's report under the run lock (so no run or other
 * build touches the folder meanwhile), repairing first what a killed build left.
 */
export async function withRunLock<T>(outputDir: string, purpose: string, log: RefreshOptions['log'], work: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(runLockFile(outputDir), purpose, log);
  try {
    await removeLeftovers(outputDir, log);
    return await work();
  } finally {
    await lock.release().catch((err: Error) => log.error({ err: err.message, lock: runLockFile(outputDir) }, 'could not release the run lock'));
  }
}

/**
 * A run still "running" while we hold the lock was cut off (its process died). If it got as
 * far as publishing (the latest snapshot names it), it is recorded as published.
 */
async function closeDeadRuns(outputDir: string): Promise<void> {
  const latest = await readLatest(outputDir);
  const latestRun = latest && (await readManifest(outputDir, latest.snapshot_id).catch(() => undefined))?.run_id;
  for (const run of (await allRuns(outputDir)).filter((r) => r.status === 'running')) {
    if (latestRun === run.run_id) await record(outputDir, { ...run, status: 'published', ended_at: latest!.created_at, snapshot_id: latest!.snapshot_id });
    else await record(outputDir, { ...run, status: 'interrupted', ended_at: now() });
  }
}

/** One refresh under the run lock, recorded in the run history whatever its outcome. */
export async function refresh(opts: RefreshOptions): Promise<RefreshOutcome> {
  const lock = await acquireLock(runLockFile(opts.outputDir), `lmi run (${opts.trigger})`, opts.log, { wait: opts.wait });
  const runId = opts.runId ?? randomUUID();
  const started = startedRun(runId, opts.trigger, now());
  let outcome: RefreshOutcome;
  try {
    // Holding the lock, nothing else writes here: leftovers of a run that died are safe to remove.
    await removeLeftovers(opts.outputDir, opts.log);
    await closeDeadRuns(opts.outputDir);
    await record(opts.outputDir, started);
    try {
      outcome = { ok: true, result: await runPipeline({ ...opts, runId }) };
      if (outcome.result.status === 'published') {
        // Retention: the newest snapshots and latest's; still under the lock, after the publish.
        const removed = await pruneSnapshots(opts.outputDir, opts.retention ?? DEFAULT_RETENTION);
        if (removed.length) opts.log.info({ removed, keep: opts.retention ?? DEFAULT_RETENTION }, 'removed snapshots past the retention');
      }
    } catch (err) {
      outcome = { ok: false, runId, error: err as Error };
    }
    const r = outcome.ok ? outcome.result : undefined;
    const message = outcome.ok
      ? null
      : outcome.error instanceof LmiError
        ? outcome.error.message
        : (describeFileSystemError(outcome.error) ?? `unexpected error: ${outcome.error.message}`);
    await record(opts.outputDir, {
      ...started,
      ended_at: now(),
      status: r ? r.status : !outcome.ok && outcome.error instanceof CancelledError ? 'cancelled' : 'failed',
      sources_changed: r ? r.sourcesChanged : null,
      snapshot_id: r ? r.snapshotId : null,
      bytes_downloaded: r ? r.bytesDownloaded : null,
      error: message ? message.split('\n')[0]! : null,
    }).catch((err: Error) => opts.log.error({ err: err.message }, 'could not record how the run ended in the run history'));
    return outcome;
  } finally {
    // The run's own outcome (or first error) stands; a lock that cannot be released is only told of.
    await lock.release().catch((err: Error) => opts.log.error({ err: err.message, lock: runLockFile(opts.outputDir) }, 'could not release the run lock'));
  }
}

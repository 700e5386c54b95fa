// Run history in the warehouse (table `runs`), and the refresh every trigger goes through:
// take the output folder's run lock, record the run, run the pipeline, record how it ended.
import { randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { LmiError } from '../errors.js';
import { Warehouse, lit } from '../load/warehouse.js';
import { runPipeline, type RunOptions, type RunResult } from '../run.js';
import { acquireLock } from './lock.js';

export type Trigger = 'manual' | 'cron';

export interface RunRecord {
  run_id: string;
  trigger: Trigger;
  started_at: string;
  ended_at: string | null;
  status: 'running' | 'published' | 'unchanged' | 'failed' | 'interrupted';
  sources_changed: string[] | null;
  snapshot_id: string | null;
  bytes_downloaded: number | null;
  error: string | null;
}

export const warehouseFile = (outputDir: string) => path.join(outputDir, 'warehouse.duckdb');
export const runLockFile = (outputDir: string) => path.join(outputDir, 'run.lock');

async function withWarehouse<T>(outputDir: string, use: (w: Warehouse) => Promise<T>): Promise<T> {
  const w = await Warehouse.open(warehouseFile(outputDir));
  try {
    await w.run(`CREATE TABLE IF NOT EXISTS runs (
      run_id VARCHAR PRIMARY KEY, trigger VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL, ended_at TIMESTAMPTZ,
      status VARCHAR NOT NULL, sources_changed VARCHAR[], snapshot_id VARCHAR, bytes_downloaded BIGINT, error VARCHAR)`);
    return await use(w);
  } finally {
    w.close();
  }
}

export async function lastRuns(outputDir: string, limit = 10): Promise<RunRecord[]> {
  return withWarehouse(outputDir, (w) =>
    w.all<RunRecord>(`SELECT run_id, trigger, strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') AS started_at, strftime(ended_at, '%Y-%m-%dT%H:%M:%SZ') AS ended_at,
      status, sources_changed, snapshot_id, bytes_downloaded, error FROM runs ORDER BY started_at DESC, run_id LIMIT ${limit}`),
  );
}

export interface RefreshOptions extends RunOptions {
  trigger: Trigger;
  /** Wait for a run that holds the output folder instead of refusing. Default false. */
  wait?: boolean;
}

export type RefreshOutcome = { ok: true; result: RunResult } | { ok: false; runId: string; error: Error };

/** Half-written snapshot folders and scratch folders of runs that died part-way. */
async function removeLeftovers(outputDir: string, log: RefreshOptions['log']): Promise<void> {
  const leftovers = [
    ...(await readdir(path.join(outputDir, 'snapshots')).catch(() => [] as string[])).filter((n) => n.startsWith('.partial-')).map((n) => path.join(outputDir, 'snapshots', n)),
    ...(await readdir(path.join(outputDir, '.work')).catch(() => [] as string[])).map((n) => path.join(outputDir, '.work', n)),
  ];
  for (const dir of leftovers) await rm(dir, { recursive: true, force: true });
  if (leftovers.length) log.warn({ removed: leftovers }, 'removed what an interrupted run left behind');
}

/** One refresh under the run lock, recorded in the runs table whatever its outcome. */
export async function refresh(opts: RefreshOptions): Promise<RefreshOutcome> {
  const lock = await acquireLock(runLockFile(opts.outputDir), `lmi run (${opts.trigger})`, opts.log, { wait: opts.wait });
  const runId = opts.runId ?? randomUUID();
  try {
    // Holding the lock, nothing else writes here: leftovers of a run that died are safe to remove.
    await removeLeftovers(opts.outputDir, opts.log);
    await withWarehouse(opts.outputDir, async (w) => {
      // A run still "running" while we hold the lock was cut off (its process died).
      await w.run(`UPDATE runs SET status = 'interrupted', ended_at = now() WHERE status = 'running'`);
      await w.run(`INSERT INTO runs (run_id, trigger, started_at, status) VALUES (${lit(runId)}, ${lit(opts.trigger)}, now(), 'running')`);
    });
    let outcome: RefreshOutcome;
    try {
      outcome = { ok: true, result: await runPipeline({ ...opts, runId }) };
    } catch (err) {
      outcome = { ok: false, runId, error: err as Error };
    }
    await withWarehouse(opts.outputDir, async (w) => {
      if (outcome.ok) {
        const r = outcome.result;
        const changed = `[${r.sourcesChanged.map(lit).join(', ')}]::VARCHAR[]`;
        await w.run(`UPDATE runs SET ended_at = now(), status = ${lit(r.status)}, sources_changed = ${changed}, snapshot_id = ${lit(r.snapshotId)}, bytes_downloaded = ${r.bytesDownloaded} WHERE run_id = ${lit(runId)}`);
      } else {
        const message = outcome.error instanceof LmiError ? outcome.error.message : `unexpected error: ${outcome.error.message}`;
        await w.run(`UPDATE runs SET ended_at = now(), status = 'failed', error = ${lit(message.split('\n')[0]!)} WHERE run_id = ${lit(runId)}`);
      }
    });
    return outcome;
  } finally {
    await lock.release();
  }
}

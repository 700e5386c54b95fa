// `lmi schedule`: a long-lived process that refreshes when a source is due. Each pipeline
// declares its cadence (pipelines/*.ts `schedule`); config overrides it. A check that finds
// nothing new costs conditional requests and publishes nothing. One scheduler per output
// folder; runs never overlap; on SIGTERM/SIGINT it stops taking work and lets the current run
// finish (a snapshot is published whole or not at all).
import path from 'node:path';
import cron, { type ScheduledTask } from 'node-cron';
import { DATASETS } from '../../pipelines/index.js';
import { ConfigError } from '../errors.js';
import type { RunOptions } from '../settings.js';
import { HealthState, startHealthServer } from './health.js';
import { acquireLock } from './lock.js';
import { refresh, type RefreshOutcome } from './runs.js';

/** Each dataset's own cadence (pipelines/*.ts `schedule`), by name. */
export const DEFAULT_SCHEDULES: Record<string, { cron: string; why: string }> = Object.fromEntries(DATASETS.flatMap((d) => (d.schedule ? [[d.name, d.schedule]] : [])));

export interface SchedulerOptions extends Omit<RunOptions, 'runId'> {
  /** Cron expressions by source (5 fields, or 6 with seconds), over the defaults. */
  schedules?: Record<string, string>;
  /** Serve /healthz and /metrics here. Default: no health server. */
  healthPort?: number;
  /** Address for the health server. Default 127.0.0.1 (loopback). */
  healthHost?: string;
  /** Called after each run (tests, logs). */
  onRun?: (outcome: RefreshOutcome) => void;
}

export interface Scheduler {
  health: HealthState;
  healthUrl?: string;
  /** Cron expression in force for each source. */
  schedules: Record<string, string>;
  /** Stop taking work, wait for the running refresh, release the folder. */
  stop(): Promise<void>;
}

/**
 * The cron expression of each source the runs read, the config's over the dataset's own; a
 * dataset the runs leave out (its settings say it is off) is not checked.
 */
export function resolveSchedules(overrides: Record<string, string> = {}, datasets: Record<string, unknown> = {}): Record<string, string> {
  for (const name of Object.keys(overrides))
    if (!(name in DEFAULT_SCHEDULES)) throw new ConfigError(`schedule for unknown source "${name}" (known: ${Object.keys(DEFAULT_SCHEDULES).join(', ')})`);
  const out: Record<string, string> = {};
  for (const [name, d] of Object.entries(DEFAULT_SCHEDULES)) {
    const options = DATASETS.find((d) => d.name === name)!.options;
    if (options && !options.inUse(datasets[name])) continue;
    const expr = overrides[name] ?? d.cron;
    if (!cron.validate(expr)) throw new ConfigError(`schedule for ${name}: "${expr}" is not a cron expression`);
    out[name] = expr;
  }
  return out;
}

export async function startScheduler(opts: SchedulerOptions): Promise<Scheduler> {
  const log = opts.log;
  const schedules = resolveSchedules(opts.schedules, opts.datasets);
  const lock = await acquireLock(path.join(opts.outputDir, 'schedule.lock'), 'lmi schedule', log);
  const health = new HealthState();
  let server: Awaited<ReturnType<typeof startHealthServer>> | undefined;
  const tasks: ScheduledTask[] = [];
  let current: Promise<void> | undefined;
  let stopping = false;
  try {
    if (opts.healthPort !== undefined) server = await startHealthServer(health, opts.healthPort, opts.healthHost);
    const tick = (source: string) => {
      if (stopping) return;
      if (current) {
        log.info({ source }, 'due, but a refresh is already running; it covers this source too');
        return;
      }
      health.running = true;
      log.info({ source }, 'due: refreshing');
      current = refresh({ ...opts, trigger: 'cron', wait: true })
        .then((outcome) => {
          health.record(outcome);
          if (outcome.ok) log.info({ run: outcome.result.runId, status: outcome.result.status, snapshot: outcome.result.snapshotId }, 'refresh finished');
          else log.error({ run: outcome.runId, error: outcome.error.message }, 'refresh failed');
          opts.onRun?.(outcome);
        })
        .catch((err: Error) => log.error({ error: err.message }, 'refresh could not start'))
        .finally(() => {
          health.running = false;
          current = undefined;
        });
    };
    for (const [source, expr] of Object.entries(schedules)) tasks.push(cron.schedule(expr, () => tick(source), { name: `lmi-${source}`, noOverlap: true }));
    log.info({ schedules, health: server?.url }, 'scheduler started');
  } catch (err) {
    await server?.close();
    await lock.release();
    throw err;
  }
  return {
    health,
    healthUrl: server?.url,
    schedules,
    async stop() {
      if (stopping) return;
      stopping = true;
      for (const t of tasks) await t.stop();
      for (const t of tasks) await t.destroy();
      if (current) log.info('stopping: letting the running refresh finish');
      await current;
      await server?.close();
      await lock.release();
      log.info('scheduler stopped');
    },
  };
}

// Scheduled operation: a seconds-level schedule against a loopback mirror, locks, health,
// signals and the run history.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockError } from '../src/errors.js';
import { acquireLock, HEARTBEAT_MS } from '../src/operate/lock.js';
import { lastRuns, refresh, startedRun } from '../src/operate/runs.js';
import { startScheduler } from '../src/operate/scheduler.js';
import { statusReport } from '../src/operate/status.js';
import { MIRROR, PROJECT, silentLog, startMirrorServer, tempDir, type MirrorServer, runOptions } from './helpers.js';

const EVERY_SECOND = '*/1 * * * * *';
const base = (outputDir: string, mirror: string) => runOptions(outputDir, { mirror, fetch: { contact: 'lmi-tests@example.org', attempts: 1 } });

describe('lmi schedule', () => {
  let server: MirrorServer;
  let failing = false;
  let out: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    server = await startMirrorServer([MIRROR], (req, res) => {
      if (failing && req.url?.endsWith('oesm24nat.zip') && req.method === 'GET') {
        res.writeHead(500).end('down for maintenance');
        return true;
      }
      return false;
    });
    out = await tempDir();
  });
  afterAll(async () => {
    await server.close();
    await out.cleanup();
  });

  it('runs when due: the second check finds nothing new and publishes nothing; a second scheduler is refused', async () => {
    const outcomes: string[] = [];
    const done = new Promise<void>((resolve) => {
      void startScheduler({
        ...base(out.dir, server.url),
        schedules: { oews: EVERY_SECOND },
        onRun: (o) => (outcomes.push(o.ok ? o.result.status : 'failed'), outcomes.length === 2 && resolve()),
      }).then((s) => {
        scheduler = s;
      });
    });
    let scheduler: Awaited<ReturnType<typeof startScheduler>> | undefined;
    await done;
    await expect(startScheduler({ ...base(out.dir, server.url), schedules: { oews: EVERY_SECOND } })).rejects.toThrow(LockError);
    await scheduler!.stop();
    expect(outcomes).toEqual(['published', 'unchanged']);
    expect((await readdir(path.join(out.dir, 'snapshots'))).filter((n) => !n.startsWith('.'))).toHaveLength(1);
    const runs = await lastRuns(out.dir);
    expect(runs.map((r) => [r.trigger, r.status])).toEqual([
      ['cron', 'unchanged'],
      ['cron', 'published'],
    ]);
    expect(runs[0]!.bytes_downloaded).toBe(0);
    expect(runs[1]!.sources_changed).toEqual(['oews', 'ep', 'ep_separations', 'onet', 'ipeds_completions', 'ipeds_institutions', 'cip_soc']);
    expect(existsSync(path.join(out.dir, 'schedule.lock'))).toBe(false);
  });

  it('/healthz turns 503 after a failed run and 200 after the next good one; /metrics counts runs', async () => {
    const seen: string[] = [];
    let next: (() => void) | undefined;
    const waitRun = () => new Promise<void>((r) => (next = r));
    failing = true;
    let first = waitRun();
    const scheduler = await startScheduler({
      ...base(out.dir, server.url),
      force: true,
      schedules: { oews: EVERY_SECOND },
      healthPort: 0,
      onRun: (o) => {
        seen.push(o.ok ? o.result.status : 'failed');
        next?.();
      },
    });
    try {
      expect(scheduler.healthUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await first;
      const bad = await fetch(`${scheduler.healthUrl}/healthz`);
      expect(bad.status).toBe(503);
      expect((await bad.json()).reason).toMatch(/oesm24nat\.zip: bls\.gov answered 500/);
      failing = false;
      first = waitRun();
      await first;
      const good = await fetch(`${scheduler.healthUrl}/healthz`);
      expect(good.status).toBe(200);
      const metrics = await (await fetch(`${scheduler.healthUrl}/metrics`)).text();
      expect(metrics).toContain('lmi_runs_total{status="failed"} 1');
      expect(metrics).toMatch(/lmi_runs_total\{status="published"\} [1-9]/);
      expect(metrics).toMatch(/lmi_last_success_timestamp_seconds 1\d{9}/);
    } finally {
      await scheduler.stop();
    }
    expect(seen[0]).toBe('failed');
    const report = await statusReport(out.dir);
    expect(report.scheduler).toBeNull();
    expect(report.running).toBeNull();
    expect(report.latest?.snapshot_id).toMatch(/^\d{8}T\d{6}Z-/);
    expect(report.runs!.some((r) => r.status === 'failed' && /answered 500/.test(r.error ?? ''))).toBe(true);
    expect(report.sources.map((s) => [s.source, s.cache])).toEqual([
      ['oews', 'fresh'],
      ['ep', 'fresh'],
      ['ep_separations', 'fresh'],
      ['onet', 'fresh'],
      ['ipeds_completions', 'fresh'],
      ['ipeds_institutions', 'fresh'],
      ['cip_soc', 'fresh'],
    ]);
  });

  it('lmi status --json reports the same', async () => {
    const { execFile } = await import('node:child_process');
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [path.join(PROJECT, 'bin', 'lmi.js'), 'status', '--json', '--output', out.dir], (err, so) => (err ? reject(err) : resolve(so))),
    );
    const report = JSON.parse(stdout);
    expect(report.runs.map((r: { status: string }) => r.status)).toContain('failed');
    expect(report.latest.snapshot_id).toBeTruthy();
  });
});

describe('locks', () => {
  it('takes over a stale lock from a dead process, and says so', async () => {
    const out = await tempDir();
    const logs: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }));
    try {
      await writeFile(path.join(out.dir, 'run.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started_at: '2026-01-01T00:00:00Z', purpose: 'lmi run (manual)' }));
      const lock = await acquireLock(path.join(out.dir, 'run.lock'), 'test', log);
      await lock.release();
      expect(logs.join('')).toMatch(/taking over a stale lock from pid \d+ on [^ ]+ \(lmi run \(manual\), started 2026-01-01T00:00:00Z\): pid \d+ is no longer running/);
    } finally {
      await out.cleanup();
    }
  });

  it('a lock is stale when its heartbeat stops, whatever its pid and host; lmi status then says none', async () => {
    const out = await tempDir();
    const file = path.join(out.dir, 'run.lock');
    const logs: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }));
    const lockOf = (pid: number, host: string) => JSON.stringify({ pid, host, started_at: '2026-01-01T00:00:00Z', purpose: 'lmi run (manual)' });
    try {
      // Another host (a Kubernetes pod gone), touched just now: held, refused.
      await writeFile(file, lockOf(1, 'lmi-7d9f-pod'));
      await expect(acquireLock(file, 'test', log)).rejects.toBeInstanceOf(LockError);
      expect((await statusReport(out.dir)).running?.host).toBe('lmi-7d9f-pod');
      // The same lock two minutes later without a heartbeat: stale, and status says no run.
      const old = new Date(Date.now() - 120_000);
      await utimes(file, old, old);
      expect((await statusReport(out.dir)).running).toBeNull();
      (await acquireLock(file, 'test', log)).release();
      expect(logs.join('')).toMatch(/taking over a stale lock from pid 1 on lmi-7d9f-pod .*: its heartbeat stopped 1[12]\d s ago/);
      // This host, this process's own pid (a restarted container's CLI is pid 1 again): not held by anyone.
      await writeFile(file, lockOf(process.pid, hostname()));
      await (await acquireLock(file, 'test', log)).release();
      expect(logs.join('')).toMatch(/: pid \d+ is this process \(a restarted container, or a reused pid\)/);
    } finally {
      await out.cleanup();
    }
  });

  it('the holder touches its lock while it holds it', async () => {
    const out = await tempDir();
    const file = path.join(out.dir, 'run.lock');
    try {
      const lock = await acquireLock(file, 'test', silentLog);
      const old = new Date(Date.now() - 120_000);
      await utimes(file, old, old);
      await new Promise((r) => setTimeout(r, HEARTBEAT_MS + 500));
      expect(Date.now() - (await stat(file)).mtimeMs).toBeLessThan(HEARTBEAT_MS + 1000);
      await lock.release();
    } finally {
      await out.cleanup();
    }
  });

  it('refuses a second run while one holds the folder, or waits for it with --wait', async () => {
    const out = await tempDir();
    try {
      const held = await acquireLock(path.join(out.dir, 'run.lock'), 'another run', silentLog);
      await expect(refresh({ ...base(out.dir, MIRROR), trigger: 'manual' })).rejects.toThrow(/is in use by pid \d+ .*\(another run, since .*\); wait for it, or pass --wait/);
      setTimeout(() => void held.release(), 1500);
      const outcome = await refresh({ ...base(out.dir, MIRROR), trigger: 'manual', wait: true });
      expect(outcome.ok && outcome.result.status).toBe('published');
    } finally {
      await out.cleanup();
    }
  });
});

describe('signals', () => {
  it('SIGTERM during a run lets it finish, publishes whole, and exits 0', async () => {
    const out = await tempDir();
    let inFlight: (() => void) | undefined;
    const started = new Promise<void>((r) => (inFlight = r));
    // Slow answers, so the run is surely in progress when the signal arrives.
    const slow = await startMirrorServer([MIRROR], async (req) => {
      if (req.method === 'GET') {
        inFlight?.();
        await new Promise((r) => setTimeout(r, 400));
      }
      return false;
    });
    try {
      const child = spawn(
        process.execPath,
        [
          path.join(PROJECT, 'bin', 'lmi.js'),
          'schedule',
          '--output',
          out.dir,
          '--mirror',
          slow.url,
          '--contact',
          'a@b.org',
          '--release',
          'onet=27.0',
          '--cron',
          `oews=${EVERY_SECOND}`,
        ],
        {
          env: { ...process.env, LMI_LOG_LEVEL: 'warn' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      await started;
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      expect(code, stderr).toBe(0);
      const latest = JSON.parse(await readFile(path.join(out.dir, 'latest.json'), 'utf8'));
      expect(existsSync(path.join(out.dir, latest.path, 'manifest.json'))).toBe(true);
      expect((await readdir(path.join(out.dir, 'snapshots'))).filter((n) => n.startsWith('.'))).toEqual([]);
      expect(existsSync(path.join(out.dir, 'run.lock'))).toBe(false);
      expect(existsSync(path.join(out.dir, 'schedule.lock'))).toBe(false);
    } finally {
      await slow.close();
      await out.cleanup();
    }
  });
});

describe('interrupted runs', () => {
  it('the next run removes what a dead run left and marks it interrupted', async () => {
    const out = await tempDir();
    try {
      const { mkdir } = await import('node:fs/promises');
      const first = await refresh({ ...base(out.dir, MIRROR), trigger: 'manual' });
      expect(first.ok).toBe(true);
      // A run that died mid-publish: its lock, a half-written snapshot and scratch files, a "running" row.
      await mkdir(path.join(out.dir, 'snapshots', '.partial-20260101T000000Z-deadbeef-99999'), { recursive: true });
      await mkdir(path.join(out.dir, '.work', 'dead-run'), { recursive: true });
      await writeFile(path.join(out.dir, 'run.lock'), JSON.stringify({ pid: 2 ** 22 + 4242, host: hostname(), started_at: '2026-01-01T00:00:00Z', purpose: 'lmi run (cron)' }));
      const { appendFile } = await import('node:fs/promises');
      await appendFile(path.join(out.dir, 'runs.jsonl'), JSON.stringify(startedRun('dead-run', 'cron', '2026-01-01T00:00:00Z')) + '\n');
      const second = await refresh({ ...base(out.dir, MIRROR), trigger: 'manual' });
      expect(second.ok && second.result.status).toBe('unchanged');
      expect((await readdir(path.join(out.dir, 'snapshots'))).filter((n) => n.startsWith('.'))).toEqual([]);
      expect(await readdir(path.join(out.dir, '.work'))).toEqual([]);
      expect((await lastRuns(out.dir)).find((r) => r.run_id === 'dead-run')?.status).toBe('interrupted');
    } finally {
      await out.cleanup();
    }
  });
});

// Faults against real processes and loopback servers: a lock raced by four processes, kill -9
// in the middle of a download, a run that holds the warehouse while `lmi status` reads the
// history, a publish that fails while writing tables, and the messages a person reads after.
// Every failed run must leave latest.json byte-identical and nothing a later run would not remove.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RawCache } from '../src/acquire/cache.js';
import { Fetcher } from '../src/acquire/fetch.js';
import { ConfigError, FetchError, PublishError } from '../src/errors.js';
import { type Params, Warehouse } from '../src/load/warehouse.js';
import { createLogger, progressDestination } from '../src/log.js';
import { lastRuns, refresh, startedRun } from '../src/operate/runs.js';
import { readLatest } from '../src/publish/manifest.js';
import { runPipeline } from '../src/run.js';
import { listSnapshots } from '../src/snapshots.js';
import { OEWS24_PATH } from './fixtures.js';
import { MIRROR, PROJECT, silentLog, startMirrorServer, tempDir, runOptions } from './helpers.js';

const exec = promisify(execFile);
const base = runOptions;
const lmiArgs = (...args: string[]) => [path.join(PROJECT, 'bin', 'lmi.js'), ...args];

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the run lock under a real race', () => {
  it('four processes started together never hold it at once, also when taking over a stale lock', async () => {
    const tmp = await tempDir();
    try {
      for (let trial = 0; trial < 6; trial++) {
        const lock = path.join(tmp.dir, `run-${trial}.lock`);
        const record = path.join(tmp.dir, `held-${trial}.txt`);
        // Odd trials start from a lock left by a dead process: all four see it stale at once.
        if (trial % 2) await writeFile(lock, JSON.stringify({ pid: 2 ** 22 + 4243, host: hostname(), started_at: '2026-01-01T00:00:00Z', purpose: 'dead' }));
        const startAt = Date.now() + 900; // time for the four processes to start (tsx)
        await Promise.all(
          Array.from({ length: 4 }, () =>
            exec(process.execPath, ['--import', 'tsx', path.join(PROJECT, 'test', 'processes', 'lock-holder.ts'), lock, record, String(startAt)], { cwd: PROJECT }),
          ),
        );
        const held = existsSync(record)
          ? (await readFile(record, 'utf8'))
              .trim()
              .split('\n')
              .map((l) => l.split(' ').map(Number) as [number, number, number])
          : [];
        expect(held.length, `trial ${trial}`).toBeGreaterThanOrEqual(1);
        held.sort((a, b) => a[1] - b[1]);
        for (let i = 1; i < held.length; i++) expect(held[i]![1], `trial ${trial}: two holders at once`).toBeGreaterThanOrEqual(held[i - 1]![2]);
        expect(existsSync(lock)).toBe(false);
      }
    } finally {
      await tmp.cleanup();
    }
  }, 60_000);
});

describe('kill -9 in the middle of a download', () => {
  it('the next run removes the partial download, takes over the lock, and latest.json is untouched', async () => {
    const out = await tempDir();
    const zip = await readFile(path.join(MIRROR, OEWS24_PATH));
    // Sends half the body, then stalls: the client is mid-download when it is killed.
    const server = await startMirrorServer([MIRROR], (req, res) => {
      if (!req.url?.endsWith('oesm24nat.zip') || req.method !== 'GET') return false;
      res.writeHead(200, { 'content-length': zip.length, etag: '"changed"' });
      res.write(zip.subarray(0, zip.length / 2));
      return true;
    });
    try {
      expect((await refresh({ ...base(out.dir), trigger: 'manual' })).ok).toBe(true);
      const latestBefore = await readFile(path.join(out.dir, 'latest.json'));
      const child = spawn(process.execPath, lmiArgs('run', '--release', 'oews=2024', '--release', 'onet=27.0', '--mirror', server.url, '--output', out.dir), { stdio: 'ignore' });
      const raw = path.join(out.dir, 'cache', 'raw');
      const partial = await waitFor('the partial download', async () => (await readdir(raw)).find((n) => /^\.download\.\d+\.\d+\.tmp$/.test(n)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(existsSync(path.join(raw, partial))).toBe(true);
      expect(existsSync(path.join(out.dir, 'run.lock'))).toBe(true);
      const next = await refresh({ ...base(out.dir), trigger: 'manual' });
      expect(next.ok && next.result.status).toBe('unchanged');
      expect((await readdir(raw)).filter((n) => n.startsWith('.'))).toEqual([]);
      expect(await readdir(path.join(out.dir, '.work'))).toEqual([]);
      expect((await readdir(path.join(out.dir, 'snapshots'))).filter((n) => n.startsWith('.'))).toEqual([]);
      expect(existsSync(path.join(out.dir, 'run.lock'))).toBe(false);
      expect(await readFile(path.join(out.dir, 'latest.json'))).toEqual(latestBefore);
      expect((await lastRuns(out.dir)).map((r) => r.status)).toEqual(['unchanged', 'interrupted', 'published']);
    } finally {
      await server.close();
      await out.cleanup();
    }
  }, 60_000);
});

describe('lmi status while a run holds the warehouse', () => {
  it('reads the run history during the run', async () => {
    const out = await tempDir();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // The O*NET zip is held back until status has been read: the run is mid-flight, warehouse open.
    const server = await startMirrorServer([MIRROR], async (req) => {
      if (req.url?.includes('db_27_0_text.zip') && req.method === 'GET') await held;
      return false;
    });
    try {
      const child = spawn(process.execPath, lmiArgs('run', '--release', 'oews=2024', '--release', 'onet=27.0', '--mirror', server.url, '--output', out.dir), { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      await waitFor('the warehouse', async () => (existsSync(path.join(out.dir, 'warehouse.duckdb')) ? true : undefined));
      const { stdout } = await exec(process.execPath, lmiArgs('status', '--json', '--output', out.dir), { cwd: PROJECT });
      const status = JSON.parse(stdout);
      expect(status.runs_note).toBeUndefined();
      expect(status.runs).toHaveLength(1);
      expect(status.runs[0].status).toBe('running');
      expect(status.running.pid).toBe(child.pid);
      release();
      await exited;
      expect((await lastRuns(out.dir))[0]!.status).toBe('published');
    } finally {
      release();
      await server.close();
      await out.cleanup();
    }
  }, 60_000);
});

describe('a local publish that fails while writing tables', () => {
  it('leaves latest.json byte-identical and no folder that lmi snapshots lists', async () => {
    const out = await tempDir();
    try {
      const first = await runPipeline(base(out.dir));
      if (first.status !== 'published') throw new Error('expected a snapshot');
      const latestBefore = await readFile(path.join(out.dir, 'latest.json'));
      await new Promise((r) => setTimeout(r, 1_100)); // snapshot ids are per second
      // An injected writer error part-way through the tables (the disk filling up, say).
      const run = Warehouse.prototype.run;
      const spy = vi.spyOn(Warehouse.prototype, 'run').mockImplementation(function (this: Warehouse, sql: string, params?: Params) {
        if (/^COPY .* TO \$file/s.test(sql) && String(params?.file).endsWith('programs.json')) return Promise.reject(new Error('No space left on device'));
        return run.call(this, sql, params);
      });
      try {
        await expect(runPipeline(base(out.dir, { force: true }))).rejects.toThrow(/publishing snapshot .* failed: No space left on device/);
      } finally {
        spy.mockRestore();
      }
      expect(await readFile(path.join(out.dir, 'latest.json'))).toEqual(latestBefore);
      expect((await listSnapshots(out.dir)).map((s) => s.snapshot_id)).toEqual([first.snapshotId]);
      expect(await readdir(path.join(out.dir, 'snapshots'))).toEqual([first.snapshotId]);
    } finally {
      await out.cleanup();
    }
  });

  it('a snapshot folder a run finished but never published (killed before latest.json) is not listed, and the next run removes it', async () => {
    const out = await tempDir();
    try {
      const first = await runPipeline(base(out.dir));
      if (first.status !== 'published') throw new Error('expected a snapshot');
      const latestBefore = await readFile(path.join(out.dir, 'latest.json'));
      const orphan = path.join(out.dir, 'snapshots', '20991231T000000Z-0rphan00');
      await cp(first.snapshotDir, orphan, { recursive: true });
      const manifest = JSON.parse(await readFile(path.join(orphan, 'manifest.json'), 'utf8'));
      await writeFile(path.join(orphan, 'manifest.json'), JSON.stringify({ ...manifest, snapshot_id: '20991231T000000Z-0rphan00', created_at: '2099-12-31T00:00:00.000Z' }));
      expect((await listSnapshots(out.dir)).map((s) => s.snapshot_id)).toEqual([first.snapshotId]);
      const next = await refresh({ ...base(out.dir), trigger: 'manual' });
      expect(next.ok && next.result.status).toBe('unchanged');
      expect(existsSync(orphan)).toBe(false);
      expect(await readFile(path.join(out.dir, 'latest.json'))).toEqual(latestBefore);
    } finally {
      await out.cleanup();
    }
  });
});

describe('lmi report killed part-way', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let snapshotDir: string;
  beforeAll(async () => {
    out = await tempDir();
    const first = await runPipeline(base(out.dir, { report: true }));
    if (first.status !== 'published') throw new Error('expected a snapshot');
    snapshotDir = first.snapshotDir;
  });
  afterAll(async () => out.cleanup());

  it('kill -9 mid-build leaves report/ whole; the next lmi report removes the half-built folder', async () => {
    const before = await readFile(path.join(snapshotDir, 'report', 'index.html'));
    const child = spawn(process.execPath, lmiArgs('report', '--output', out.dir), { cwd: PROJECT, stdio: 'ignore' });
    const building = await waitFor('a report build folder', async () => (await readdir(snapshotDir)).find((n) => /^\.report-\d+$/.test(n)));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(path.join(snapshotDir, building))).toBe(true);
    expect(await readFile(path.join(snapshotDir, 'report', 'index.html'))).toEqual(before);
    const { stdout } = await exec(process.execPath, lmiArgs('report', '--output', out.dir), { cwd: PROJECT });
    expect(stdout).toMatch(/^report of snapshot /);
    expect((await readdir(snapshotDir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('killed between moving the old report aside and moving the new one in: the next run puts report/ back', async () => {
    // What such a kill leaves: the published report moved aside, the new one still in its build folder.
    await cp(path.join(snapshotDir, 'report'), path.join(snapshotDir, '.report-999999'), { recursive: true });
    await rm(path.join(snapshotDir, '.report-999999', 'demand.xlsx'));
    await cp(path.join(snapshotDir, 'report'), path.join(snapshotDir, '.report-old-999999'), { recursive: true });
    await rm(path.join(snapshotDir, 'report'), { recursive: true });
    const next = await refresh({ ...base(out.dir, { report: true }), trigger: 'manual' });
    expect(next.ok && next.result.status).toBe('unchanged');
    expect(existsSync(path.join(snapshotDir, 'report', 'index.html'))).toBe(true);
    expect(existsSync(path.join(snapshotDir, 'report', 'demand.xlsx'))).toBe(true);
    expect((await readdir(snapshotDir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('lmi report waits for no one: refused while a run holds the folder', async () => {
    const lock = await (await import('../src/operate/lock.js')).acquireLock(path.join(out.dir, 'run.lock'), 'a run', silentLog);
    try {
      const err = await exec(process.execPath, lmiArgs('report', '--output', out.dir), { cwd: PROJECT }).catch((e: { stderr: string }) => e);
      expect((err as { stderr: string }).stderr).toMatch(/lmi: .* is in use by pid \d+ .*\(a run, since/);
    } finally {
      await lock.release();
    }
  });
});

describe('credentials in URLs', () => {
  const SECRETS = ['AKIAEXAMPLE7Q', 'deadbeefcafe0123', 'TOPSECRET42', 'hunter2pass'];
  /** Every file under `dir` but the raw cache (local state, never published), as text. */
  async function textsUnder(dir: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath, entry.name);
      if (entry.isFile() && !path.relative(dir, file).startsWith('cache')) out.set(file, (await readFile(file)).toString('latin1'));
    }
    return out;
  }
  const leaks = (text: string) => SECRETS.filter((s) => text.includes(s));

  it('never reach the log, the manifest, the report or the run history, even at trace level', async () => {
    const out = await tempDir();
    const extra = await tempDir();
    const csvDir = path.join(extra.dir, 'public.projectionscentral.org', 'downloads');
    await cp(path.join(MIRROR, '..', 'data', 'lmi', 'projections_central', '2020-2030', 'ltprojections.csv'), path.join(csvDir, 'ltprojections.csv'));
    const server = await startMirrorServer([MIRROR, extra.dir]);
    const signed =
      'https://public.projectionscentral.org/downloads/ltprojections.csv?X-Amz-Credential=AKIAEXAMPLE7Q%2F20261207&X-Amz-Signature=deadbeefcafe0123&api_key=TOPSECRET42';
    const env = { ...process.env, LMI_LOG_LEVEL: 'trace' };
    try {
      const run = await exec(
        process.execPath,
        lmiArgs(
          'run',
          '--output',
          out.dir,
          '--mirror',
          server.url,
          '--contact',
          'a@example.org',
          '--projections-central',
          'csv',
          '--projections-central-url',
          signed,
          '--areas',
          '06',
          '--log-format',
          'json',
        ),
        { cwd: PROJECT, env },
      );
      expect(run.stdout).toMatch(/^published snapshot/);
      expect(server.requests.some((r) => r.url.includes('TOPSECRET42'))).toBe(true); // the request itself carries them
      const sources = await exec(
        process.execPath,
        lmiArgs('sources', '--output', out.dir, '--mirror', server.url, '--contact', 'a@example.org', '--projections-central', 'csv', '--projections-central-url', signed),
        {
          cwd: PROJECT,
          env,
        },
      );
      // A mirror with a password: the run fails (fetch refuses credentials in a URL) and says why.
      const withPassword = server.url.replace('http://', 'http://mirror-user:hunter2pass@');
      const failed = await exec(process.execPath, lmiArgs('run', '--output', out.dir, '--mirror', withPassword, '--contact', 'a@example.org', '--log-format', 'json'), {
        cwd: PROJECT,
        env,
      }).catch((e: { stdout: string; stderr: string }) => e);
      expect(failed.stderr).toMatch(/lmi: /);
      for (const [what, text] of <[string, string][]>[
        ['run stdout', run.stdout],
        ['run stderr', run.stderr],
        ['lmi sources', sources.stdout + sources.stderr],
        ['failed run', failed.stdout + failed.stderr],
        ...(await textsUnder(out.dir)),
      ])
        expect(leaks(text), what).toEqual([]);
      const manifest = JSON.parse(await readFile(path.join(out.dir, JSON.parse(await readFile(path.join(out.dir, 'latest.json'), 'utf8')).path, 'manifest.json'), 'utf8'));
      expect(manifest.sources.find((s: { source: string }) => s.source === 'projections_central').url).toBe(
        'https://public.projectionscentral.org/downloads/ltprojections.csv?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&api_key=[redacted]',
      );
    } finally {
      await server.close();
      await out.cleanup();
      await extra.cleanup();
    }
  });
});

describe('settings and messages', () => {
  it('an unknown check name fails before the first request', async () => {
    const server = await startMirrorServer();
    const out = await tempDir();
    try {
      await expect(runPipeline(base(out.dir, { mirror: server.url, checks: { nonexistent_check: { severity: 'warn' } } }))).rejects.toThrow(ConfigError);
      await expect(runPipeline(base(out.dir, { mirror: server.url, checks: { nonexistent_check: {} } }))).rejects.toThrow(/unknown checks: nonexistent_check/);
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
      await out.cleanup();
    }
  });

  it('after an ETag change with the same bytes, the fetch log says 200, not 304', async () => {
    let etag = 0;
    const zip = await readFile(path.join(MIRROR, OEWS24_PATH));
    const server = await startMirrorServer([MIRROR], (req, res) => {
      if (!req.url?.endsWith('oesm24nat.zip') || req.method !== 'GET') return false;
      res.writeHead(200, { 'content-length': zip.length, etag: `"v${++etag}"` }).end(zip);
      return true;
    });
    const out = await tempDir();
    const lines: Record<string, unknown>[] = [];
    const log = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c))), cb()) }));
    try {
      await runPipeline(base(out.dir, { mirror: server.url }));
      lines.length = 0;
      await runPipeline(base(out.dir, { mirror: server.url, log }));
      const fetched = lines.find((l) => l.msg === 'fetched' && String(l.url).endsWith('oesm24nat.zip'))!;
      expect([fetched.status, fetched.outcome]).toEqual([200, 'not_modified']);
      expect(lines.find((l) => l.msg === 'fetched' && String(l.url).endsWith('occupation.xlsx'))?.status).toBe(304);
    } finally {
      await server.close();
      await out.cleanup();
    }
  });

  it('a run killed after it published is recorded as published, with its snapshot', async () => {
    const out = await tempDir();
    try {
      const r = await runPipeline(base(out.dir, { runId: 'killed-after-publish' }));
      if (r.status !== 'published') throw new Error('expected a snapshot');
      // What its refresh wrote before the kill: the run's start, never its end.
      await appendFile(path.join(out.dir, 'runs.jsonl'), JSON.stringify(startedRun('killed-after-publish', 'cron', '2026-01-01T00:00:00Z')) + '\n');
      await refresh({ ...base(out.dir), trigger: 'manual' });
      const killed = (await lastRuns(out.dir)).find((x) => x.run_id === 'killed-after-publish')!;
      expect([killed.status, killed.snapshot_id]).toEqual(['published', r.snapshotId]);
    } finally {
      await out.cleanup();
    }
  });

  it('says the connection was refused instead of "fetch failed"', async () => {
    const out = await tempDir();
    try {
      // A port that was just free: nothing listens there.
      const probe = await startMirrorServer();
      await probe.close();
      const url = `${probe.url}/x.zip`;
      const fetcher = new Fetcher(new RawCache(out.dir), silentLog, { attempts: 1 });
      const err = await fetcher.fetch(url, url, 'zip').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FetchError);
      expect((err as Error).message).toBe(`${url}: request failed: the connection was refused (nothing listens at that address) [ECONNREFUSED]`);
    } finally {
      await out.cleanup();
    }
  });

  it('on a terminal, progress is one line per stage, rewritten in place; warnings stand alone', () => {
    let text = '';
    const dest = progressDestination(new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }) as unknown as NodeJS.WritableStream);
    // The view keys on the event; the message is only text (here made to say otherwise).
    const say = (level: number, event: string, extra: Record<string, unknown> = {}) =>
      dest.write(JSON.stringify({ level, event, msg: event === 'check_failed' ? 'check failed' : `said ${event}`, ...extra }) + '\n');
    say(30, 'releases');
    for (const f of ['a.zip', 'b.xlsx', 'c.zip']) say(30, 'fetched', { url: `https://x/${f}`, bytes: 1e6, outcome: 'new' });
    for (const s of ['oews', 'ep']) say(30, 'loaded', { source: s });
    say(40, 'check_failed', { check: 'drift_from_previous' });
    say(30, 'transformed', { stage: 'marts' });
    say(30, 'checked', { status: 'warn' });
    say(30, 'published', { snapshot: 'S1' });
    const clearLine = `${String.fromCharCode(27)}[K`; // the terminal's erase-line sequence
    const lines = text.split('\n').map((l) => l.split('\r').pop()!.replaceAll(clearLine, ''));
    expect(lines).toEqual(['acquire: c.zip (1.0 MB)', 'warn: check failed (check drift_from_previous)', 'load: ep', 'transform: marts', 'publish: S1', '']);
  });
});

describe('publish failures never leave a published-looking snapshot', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (out = await tempDir()));
  afterAll(async () => out.cleanup());

  it('S3 down: no snapshot folder, latest.json untouched', async () => {
    const first = await runPipeline(base(out.dir));
    if (first.status !== 'published') throw new Error('expected a snapshot');
    const latestBefore = await readFile(path.join(out.dir, 'latest.json'));
    const err = await runPipeline(base(out.dir, { force: true, publish: 's3://bucket/x', s3Endpoint: 'http://127.0.0.1:9' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishError);
    expect(await readdir(path.join(out.dir, 'snapshots'))).toEqual([first.snapshotId]);
    expect(await readFile(path.join(out.dir, 'latest.json'))).toEqual(latestBefore);
    expect((await readLatest(out.dir))?.snapshot_id).toBe(first.snapshotId);
    await rm(path.join(out.dir, 'runs.jsonl'), { force: true });
  });

  it('an S3 endpoint that accepts connections and never answers fails at the publish deadline', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket)); // reads nothing, answers nothing
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    try {
      if (!existsSync(path.join(out.dir, 'latest.json'))) await runPipeline(base(out.dir));
      const latestBefore = await readFile(path.join(out.dir, 'latest.json'));
      const started = Date.now();
      const err = await runPipeline(base(out.dir, { force: true, publish: 's3://bucket/x', s3Endpoint: `http://127.0.0.1:${port}`, uploadDeadlineMs: 2_000 })).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PublishError);
      expect((err as Error).message).toMatch(/publishing to s3:\/\/bucket\/x failed after 0 of \d+ objects: did not finish within 2 s \(the config file's timeouts\.upload_s\)/);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(await readFile(path.join(out.dir, 'latest.json'))).toEqual(latestBefore);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});

describe('retention', () => {
  it('a refresh keeps the newest snapshots it is told to, and lmi prune removes the rest but latest', async () => {
    const out = await tempDir();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const outcome = await refresh({ ...base(out.dir), force: true, retention: 2, trigger: 'manual' });
        if (!outcome.ok || outcome.result.status !== 'published') throw new Error('expected a snapshot');
        ids.push(outcome.result.snapshotId);
      }
      expect((await listSnapshots(out.dir)).map((s) => s.snapshot_id)).toEqual(ids.slice(1));
      const { stdout } = await exec(process.execPath, lmiArgs('prune', '--keep', '1', '--output', out.dir), { cwd: PROJECT });
      expect(stdout).toBe(`removed 1 snapshot: ${ids[1]}\n`);
      expect((await listSnapshots(out.dir)).map((s) => [s.snapshot_id, s.latest])).toEqual([[ids[2], true]]);
      expect(await readdir(path.join(out.dir, 'snapshots'))).toEqual([ids[2]]);
      const refused = await exec(process.execPath, lmiArgs('prune', '--keep', '0', '--output', out.dir), { cwd: PROJECT }).catch((e: { stderr: string }) => e);
      expect((refused as { stderr: string }).stderr).toBe('lmi: --keep 0: give a whole number of at least 1\n');
    } finally {
      await out.cleanup();
    }
  });
});

// Fetching a workforce board can leave running: retries, timeouts, validators, content checks,
// concurrency. Loopback servers serve the real files from ../shared/mirror and misbehave on cue.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, cp, readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawCache } from '../src/acquire/cache.js';
import { Fetcher, type FetchOptions } from '../src/acquire/fetch.js';
import { backoffMs, parseRetryAfter, RetryableError, withRetry } from '../src/acquire/retry.js';
import { FetchError } from '../src/errors.js';
import { runPipeline } from '../src/run.js';
import { OEWS24_PATH, rewriteZipText } from './fixtures.js';
import { MIRROR, PROJECT, silentLog, startMirrorServer, tempDir, runOptions } from './helpers.js';

const FAST: Partial<FetchOptions> = { attempts: 3, backoffMs: 10, maxBackoffMs: 3_000, connectTimeoutMs: 2_000, idleTimeoutMs: 300, contact: 'lmi-tests@example.org' };
const OEWS_URL = `https://${OEWS24_PATH}`;
type Intercept = (req: http.IncomingMessage, res: http.ServerResponse, file: string | undefined) => boolean | Promise<boolean>;

/** Answer the OEWS zip request with `bad` for the first `times` requests (Infinity: always). */
function failOews(times: number, bad: (req: http.IncomingMessage, res: http.ServerResponse, file: string) => void): Intercept {
  let n = 0;
  return (req, res, file) => {
    if (!req.url?.endsWith('oesm24nat.zip') || req.method !== 'GET' || n >= times) return false;
    n++;
    bad(req, res, file!);
    return true;
  };
}

const misbehaviours: Record<string, (req: http.IncomingMessage, res: http.ServerResponse, file: string) => void> = {
  'HTTP 500': (_q, res) => res.writeHead(500).end('oops'),
  'HTTP 503 with Retry-After': (_q, res) => res.writeHead(503, { 'retry-after': '1' }).end(),
  'HTTP 429': (_q, res) => res.writeHead(429, { 'retry-after': '0' }).end(),
  'connection reset mid-body': async (_q, res, file) => {
    const bytes = await readFile(file);
    res.writeHead(200, { 'content-length': bytes.length });
    res.write(bytes.subarray(0, 50_000), () => res.socket?.destroy());
  },
  'body that stalls': async (_q, res, file) => {
    const bytes = await readFile(file);
    res.writeHead(200, { 'content-length': bytes.length });
    res.write(bytes.subarray(0, 50_000)); // …and nothing more
  },
};

async function fetcherFor(dir: string, options: Partial<FetchOptions> = FAST) {
  return new Fetcher(new RawCache(path.join(dir, 'cache')), silentLog, options);
}

describe('the retry loop', () => {
  const options = { attempts: 3, backoffMs: 1, maxBackoffMs: 5 };
  it('waits at least a Retry-After, never more than the cap, and reads both header forms', () => {
    for (let attempt = 1; attempt <= 6; attempt++) expect(backoffMs(options, attempt)).toBeLessThanOrEqual(5);
    expect(backoffMs({ ...options, maxBackoffMs: 60_000 }, 1, 2_000)).toBeGreaterThanOrEqual(2_000);
    expect(backoffMs(options, 1, 2_000)).toBe(5);
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThan(8_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
  it('tries a retryable failure again until the attempts run out, and passes any other failure straight through', async () => {
    const waits: number[] = [];
    let calls = 0;
    const giveUp = (err: RetryableError, n: number) => new Error(`${err.message} after ${n}`);
    await expect(
      withRetry(
        options,
        async () => {
          calls++;
          throw new RetryableError('busy');
        },
        (i) => waits.push(i.attempt),
        giveUp,
      ),
    ).rejects.toThrow('busy after 3');
    expect([calls, waits]).toEqual([3, [1, 2]]);
    calls = 0;
    await expect(
      withRetry(
        options,
        async () => {
          calls++;
          throw new FetchError('u', 'refused', 404);
        },
        () => undefined,
        giveUp,
      ),
    ).rejects.toBeInstanceOf(FetchError);
    expect(calls).toBe(1);
    expect(
      await withRetry(
        options,
        async (n) => {
          if (n < 2) throw new RetryableError('once');
          return n;
        },
        () => undefined,
        giveUp,
      ),
    ).toBe(2);
  });
});

describe('Fetcher against a misbehaving server', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (tmp = await tempDir()));
  afterAll(async () => tmp.cleanup());

  it.each(Object.keys(misbehaviours))('recovers from one %s', async (name) => {
    const server = await startMirrorServer([MIRROR], failOews(1, misbehaviours[name]!));
    try {
      const fetcher = await fetcherFor(path.join(tmp.dir, name));
      const started = Date.now();
      const got = await fetcher.fetch(OEWS_URL, `${server.url}/${OEWS24_PATH}`, 'zip');
      expect(got.bytes).toBe(281_660);
      expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
      if (name.includes('Retry-After')) expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    } finally {
      await server.close();
    }
  });

  it('gives up after the configured attempts, saying why', async () => {
    const server = await startMirrorServer([MIRROR], failOews(Infinity, misbehaviours['HTTP 500']!));
    try {
      const fetcher = await fetcherFor(path.join(tmp.dir, 'give-up'));
      await expect(fetcher.fetch(OEWS_URL, `${server.url}/${OEWS24_PATH}`, 'zip')).rejects.toThrow(/bls\.gov answered 500 \(after 3 attempts\)/);
      expect(server.requests).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it('sends If-None-Match and reuses the cache on 304, downloading no body', async () => {
    const server = await startMirrorServer();
    try {
      const fetcher = await fetcherFor(path.join(tmp.dir, 'conditional'));
      const first = await fetcher.fetch(OEWS_URL, `${server.url}/${OEWS24_PATH}`, 'zip');
      const second = await fetcher.fetch(OEWS_URL, `${server.url}/${OEWS24_PATH}`, 'zip');
      expect([first.outcome, second.outcome]).toEqual(['new', 'not_modified']);
      expect(second.sha256).toBe(first.sha256);
      expect(server.requests[1]!.headers['if-none-match']).toBeTruthy();
      expect(server.requests[1]!.headers['if-modified-since']).toBeTruthy();
      expect(server.bodiesSent()).toBe(1);
      expect(fetcher.bytesDownloaded).toBe(281_660);
    } finally {
      await server.close();
    }
  });

  it('checks the cached copy against its sha256 on a 304, and fetches it again when cut short or replaced', async () => {
    const server = await startMirrorServer();
    try {
      const fetcher = await fetcherFor(path.join(tmp.dir, 'damaged-cache'));
      const url = `${server.url}/${OEWS24_PATH}`;
      const first = await fetcher.fetch(OEWS_URL, url, 'zip');
      const sha = async (file: string) =>
        createHash('sha256')
          .update(await readFile(file))
          .digest('hex');
      // Cut short on disk: the server says 304, the copy is not what it vouches for.
      await truncate(first.file, 1000);
      const second = await fetcher.fetch(OEWS_URL, url, 'zip');
      expect(await sha(second.file)).toBe(first.sha256);
      // Replaced by last year's zip under the same name.
      await copyFile(path.join(MIRROR, 'www.bls.gov/oes/special-requests/oesm23nat.zip'), first.file);
      const third = await fetcher.fetch(OEWS_URL, url, 'zip');
      expect(await sha(third.file)).toBe(first.sha256);
      expect([second.outcome, third.outcome]).toEqual(['not_modified', 'not_modified']);
      expect(server.bodiesSent()).toBe(3);
      // An intact copy is used as it is: a 304 and no body.
      await fetcher.fetch(OEWS_URL, url, 'zip');
      expect(server.bodiesSent()).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('a server dripping a byte at a time is given up at the deadline, with progress logged meanwhile', async () => {
    const drip: Intercept = (req, res) => {
      if (req.method !== 'GET') return false;
      res.writeHead(200, { 'content-length': 1_000_000 });
      const timer = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(timer));
      return true;
    };
    const server = await startMirrorServer([MIRROR], drip);
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    try {
      const fetcher = new Fetcher(new RawCache(path.join(tmp.dir, 'drip', 'cache')), log, { ...FAST, deadlineMs: 1_500, slowLogEveryMs: 500 });
      const started = Date.now();
      const err = await fetcher.fetch(OEWS_URL, `${server.url}/${OEWS24_PATH}`, 'zip').catch((e: Error) => e);
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(err).toBeInstanceOf(FetchError);
      expect((err as Error).message).toMatch(/oesm24nat\.zip: did not finish within 1\.5 s \(\d+ bytes received\); the deadline is the config file's timeouts\.download_s/);
      expect(lines.filter((l) => l.includes('"msg":"still downloading"')).length).toBeGreaterThanOrEqual(2);
      expect(await readdir(path.join(tmp.dir, 'drip', 'cache', 'raw')).catch(() => [])).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('refuses to call bls.gov without a contact e-mail, before any request', async () => {
    const fetcher = await fetcherFor(path.join(tmp.dir, 'no-contact'), { ...FAST, contact: undefined });
    await expect(fetcher.fetch(OEWS_URL, OEWS_URL, 'zip')).rejects.toThrow(/bls\.gov blocks clients without contact details/);
  });

  it('sends the contact e-mail in the User-Agent', async () => {
    const server = await startMirrorServer();
    try {
      await (await fetcherFor(path.join(tmp.dir, 'ua'))).fetch(OEWS_URL, `${server.url}/${OEWS24_PATH}`, 'zip');
      expect(server.requests[0]!.headers['user-agent']).toMatch(/lmi-tests@example\.org/);
    } finally {
      await server.close();
    }
  });
});

describe('a failed fetch publishes nothing', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let latestBefore: Buffer;
  const runVia = (mirror: string, fetch: Partial<FetchOptions> = FAST) => runPipeline(runOptions(out.dir, { mirror, fetch }));

  beforeAll(async () => {
    out = await tempDir();
    await runVia(MIRROR);
    latestBefore = await readFile(path.join(out.dir, 'latest.json'));
  });
  afterAll(async () => out.cleanup());

  const cases: [string, Intercept, RegExp][] = [
    ['500 every time', failOews(Infinity, misbehaviours['HTTP 500']!), /answered 500/],
    ['503 every time', failOews(Infinity, (_q, res) => res.writeHead(503, { 'retry-after': '0' }).end()), /answered 503/],
    ['429 every time', failOews(Infinity, misbehaviours['HTTP 429']!), /answered 429/],
    ['reset every time', failOews(Infinity, misbehaviours['connection reset mid-body']!), /body (failed|ended)/],
    ['stall every time', failOews(Infinity, misbehaviours['body that stalls']!), /stalled for 300 ms/],
    [
      'a truncated zip',
      failOews(Infinity, async (_q, res, file) => {
        const bytes = (await readFile(file)).subarray(0, 100_000);
        res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
      }),
      /answered with a damaged zip file/,
    ],
    [
      'an HTML 403 page instead of a zip',
      failOews(Infinity, (_q, res) => res.writeHead(403, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><head><title>Access Denied</title></head></html>')),
      /bls\.gov answered with an HTML page \(403\): it refused this client although a contact e-mail \(lmi-tests@example\.org\) was sent/,
    ],
    [
      'an HTML page with status 200',
      failOews(Infinity, (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Please enable JavaScript</body></html>')),
      /answered with an HTML page where a zip file was expected/,
    ],
  ];

  it.each(cases)('%s', async (_name, intercept, reason) => {
    const server = await startMirrorServer([MIRROR], intercept);
    try {
      const err = await runVia(server.url).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FetchError);
      expect((err as Error).message).toMatch(reason);
      expect((err as Error).message).toContain('oesm24nat.zip');
      expect(await readFile(path.join(out.dir, 'latest.json'))).toEqual(latestBefore);
      expect((await readdir(path.join(out.dir, 'snapshots'))).filter((n) => !n.startsWith('.'))).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('exits non-zero from the CLI with a one-line reason', async () => {
    const server = await startMirrorServer([MIRROR], cases[6]![1]);
    try {
      const err = await promisify(execFile)(
        process.execPath,
        [path.join(PROJECT, 'bin', 'lmi.js'), 'run', '--output', out.dir, '--mirror', server.url, '--contact', 'a@b.org', '--release', 'onet=27.0'],
        {
          env: { ...process.env, LMI_LOG_LEVEL: 'silent' },
        },
      ).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err?.code).toBe(1);
      expect(err?.stderr).toMatch(/^lmi: .*bls\.gov answered with an HTML page \(403\): it refused this client although a contact e-mail .* was sent.*\n$/);
      expect(await readFile(path.join(out.dir, 'latest.json'))).toEqual(latestBefore);
    } finally {
      await server.close();
    }
  });
});

describe('refresh against a server with validators', () => {
  it('a second run gets 304s and publishes nothing; a changed file publishes a new snapshot', async () => {
    const out = await tempDir();
    const mirror = await tempDir('lmi-mirror-');
    await cp(MIRROR, mirror.dir, { recursive: true });
    const server = await startMirrorServer([mirror.dir]);
    const run = () => runPipeline(runOptions(out.dir, { releases: {}, mirror: server.url, fetch: FAST }));
    try {
      const first = await run();
      expect(first.status).toBe('published');
      const bodies = server.bodiesSent();
      const latest = await readFile(path.join(out.dir, 'latest.json'));

      const second = await run();
      expect(second).toMatchObject({ status: 'unchanged', snapshotId: first.snapshotId, bytesDownloaded: 0 });
      expect(server.bodiesSent()).toBe(bodies);
      const conditional = server.requests.slice(-3);
      expect(conditional.every((r) => r.method === 'GET' && r.headers['if-none-match'])).toBe(true);
      expect(await readFile(path.join(out.dir, 'latest.json'))).toEqual(latest);

      // BLS republishes the zip (new bytes, new ETag): refetched, and a new snapshot.
      const zip = path.join(mirror.dir, OEWS24_PATH);
      await writeFile(
        zip,
        rewriteZipText(await readFile(zip), /\/$/, (s) => s),
      );
      const third = await run();
      expect(third.status).toBe('published');
      expect(third.snapshotId).not.toBe(first.snapshotId);
      expect(server.bodiesSent()).toBe(bodies + 1);
    } finally {
      await server.close();
      await out.cleanup();
      await mirror.cleanup();
    }
  });

  it.each([
    [2, 2],
    [1, 1],
  ])('keeps at most %i requests in flight per host', async (limit, expected) => {
    const out = await tempDir();
    const slow: Intercept = async () => {
      await new Promise((r) => setTimeout(r, 150));
      return false;
    };
    const server = await startMirrorServer([MIRROR], slow);
    try {
      await runPipeline(runOptions(out.dir, { releases: {}, mirror: server.url, fetch: { ...FAST, perHostConcurrency: limit } }));
      expect(server.maxInFlight()).toBe(expected);
    } finally {
      await server.close();
      await out.cleanup();
    }
  });
});

describe('lmi sources', () => {
  it('shows releases, validators and missing → fresh → stale cache states', async () => {
    const { describeSources, CACHE_FRESH_FOR_MS } = await import('../src/sources.js');
    const out = await tempDir();
    const server = await startMirrorServer();
    const opts = runOptions(out.dir, { releases: {}, mirror: server.url, fetch: FAST });
    try {
      const before = await describeSources(opts);
      expect(before.map((s) => [s.source, s.release, s.cache])).toEqual([
        ['oews', 'May 2024', 'missing'],
        ['ep', 'current', 'missing'],
        ['ep_separations', 'current', 'missing'],
        ['onet', '27.0', 'missing'],
        ['ipeds_completions', '2024', 'missing'],
        ['ipeds_institutions', '2024', 'missing'],
        ['cip_soc', 'CIP 2020 – SOC 2018', 'missing'],
      ]);
      expect(before[0]!.url).toBe('https://www.bls.gov/oes/special-requests/oesm24nat.zip');
      await runPipeline(opts);
      const after = await describeSources(opts);
      expect(after.map((s) => s.cache)).toEqual(['fresh', 'fresh', 'fresh', 'fresh', 'fresh', 'fresh', 'fresh']);
      expect(after[0]!.etag).toMatch(/^"/);
      expect(after[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
      const later = await describeSources(opts, Date.now() + CACHE_FRESH_FOR_MS + 1000);
      expect(later.map((s) => s.cache)).toEqual(['stale', 'stale', 'stale', 'stale', 'stale', 'stale', 'stale']);
    } finally {
      await server.close();
      await out.cleanup();
    }
  });
});

describe('release discovery', () => {
  it('asks for the next OEWS year, and checks the file it finds holds that year', async () => {
    const extra = await tempDir('lmi-mirror-');
    const out = await tempDir();
    // A server that has "oesm25nat.zip", but it is really the May 2024 file.
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(extra.dir, 'www.bls.gov/oes/special-requests'), { recursive: true });
    await writeFile(path.join(extra.dir, 'www.bls.gov/oes/special-requests/oesm25nat.zip'), await readFile(path.join(MIRROR, OEWS24_PATH)));
    const server = await startMirrorServer([MIRROR, extra.dir]);
    try {
      const err = await runPipeline(runOptions(out.dir, { releases: { onet: '27.0' }, mirror: server.url, fetch: FAST })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(server.requests.filter((r) => r.method === 'HEAD' && r.url.includes('/oes/')).map((r) => r.url)).toEqual([
        '/www.bls.gov/oes/special-requests/oesm25nat.zip',
        '/www.bls.gov/oes/special-requests/oesm26nat.zip',
      ]);
      expect((err as Error).message).toMatch(/oesm25nat\.zip: holds the May 2024 workbook oesm24nat\/national_M2024_dl\.xlsx, not May 2025/);
    } finally {
      await server.close();
      await out.cleanup();
      await extra.cleanup();
    }
  });
});

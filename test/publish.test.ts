// Quality gates, reproducible output, S3 publishing and snapshot history.
import { Writable } from 'node:stream';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QualityError, PublishError } from '../src/errors.js';
import { runPipeline, type RunOptions } from '../src/run.js';
import { makeS3Client } from '../src/s3.js';
import { readS3Latest } from '../src/publish/s3.js';
import { readLatest } from '../src/publish/manifest.js';
import { diffSnapshots, listSnapshots } from '../src/snapshots.js';
import { OEWS24_PATH, rewriteZipEntry, rewriteZipText, writeMirrorFile } from './fixtures.js';
import { MIRROR, sameBytes, startMirrorServer, tempDir, runOptions } from './helpers.js';
import { startS3, type S3Server } from './s3-helpers.js';

const base = runOptions;

async function filesUnder(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(dir, r)));
    else out.push(r);
  }
  return out.sort();
}

describe('reproducible snapshots', () => {
  it('the same inputs give byte-identical Parquet, JSON, schema and report', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    try {
      const [ra, rb] = [await runPipeline(base(a.dir, { report: true })), await runPipeline(base(b.dir, { report: true }))];
      if (ra.status !== 'published' || rb.status !== 'published') throw new Error('expected two snapshots');
      expect(ra.manifest.input_hash).toBe(rb.manifest.input_hash);
      const tables = (await filesUnder(ra.snapshotDir)).filter((f) => /\.(parquet|json)$/.test(f) && !/^(manifest|quality)\.json$/.test(f));
      // The report names its snapshot (id and date), and nothing else varies: rebuilt, it is the same bytes.
      const report = (await filesUnder(ra.snapshotDir)).filter((f) => f.startsWith('report/'));
      expect(report).toContain('report/areas/99.html');
      expect(report).toContain('report/demand.xlsx');
      const before = await Promise.all(report.map((f) => readFile(path.join(ra.snapshotDir, f))));
      const { buildReport } = await import('../src/publish/report/index.js');
      await new Promise((r) => setTimeout(r, 1_100)); // a clock that moved would show in the bytes
      await buildReport(ra.snapshotDir);
      for (const [i, f] of report.entries()) expect(sameBytes(await readFile(path.join(ra.snapshotDir, f)), before[i]!), f).toBe(true);
      expect(tables).toContain('partitioned/occupations/area_type=national/data_0.parquet');
      expect(tables).toContain('schema.json');
      expect(tables.length).toBeGreaterThanOrEqual(10);
      for (const f of tables) expect(sameBytes(await readFile(path.join(rb.snapshotDir, f)), await readFile(path.join(ra.snapshotDir, f))), f).toBe(true);
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });
});

describe('quality gates', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let latestBefore: Buffer;
  beforeAll(async () => {
    out = await tempDir();
    await runPipeline(base(out.dir));
    latestBefore = await readFile(path.join(out.dir, 'latest.json'));
  });
  afterAll(async () => out.cleanup());

  it('an injected duplicate row fails the unique test, publishes nothing, and keeps quality.json for inspection', async () => {
    // The workbook's last row (a detailed occupation) appears twice.
    const zip = await readFile(path.join(MIRROR, OEWS24_PATH));
    const bad = rewriteZipEntry(zip, /national_M2024_dl\.xlsx$/, (xlsx) =>
      rewriteZipText(xlsx, /^xl\/worksheets\/sheet1\.xml$/, (xml) => {
        const last = /<row r="1404"[\s\S]*?<\/row>/.exec(xml)![0];
        return xml.replace('</sheetData>', last.replace(/r="([A-Z]*)1404"/g, 'r="$11405"') + '</sheetData>');
      }),
    );
    const mirror = await tempDir();
    await writeMirrorFile(mirror.dir, OEWS24_PATH, bad);
    const server = await startMirrorServer([mirror.dir, MIRROR]);
    try {
      const err = await runPipeline(base(out.dir, { mirror: server.url })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(QualityError);
      expect((err as Error).message).toMatch(/data checks failed: unique_keys \(1 row\); nothing published/);
      expect(await readFile(path.join(out.dir, 'latest.json'))).toEqual(latestBefore);
      // The tables written while the checks ran went with the hidden folder they were written to.
      expect((await readdir(path.join(out.dir, 'snapshots'))).filter((n) => n.startsWith('.'))).toEqual([]);
      const runs = await readdir(path.join(out.dir, 'runs'));
      const quality = JSON.parse(await readFile(path.join(out.dir, 'runs', runs[0]!, 'quality.json'), 'utf8'));
      const unique = quality.checks.find((c: { name: string }) => c.name === 'unique_keys');
      expect(unique).toMatchObject({ status: 'fail', severity: 'error', failing_rows: 1 });
      expect(unique.sample[0]).toMatchObject({ tbl: 'occupations', rows: 2 });
      expect(unique.sample[0].key).toMatch(/^99 \d\d-\d{4}$/);
    } finally {
      await server.close();
      await mirror.cleanup();
    }
  });

  it('thresholds and severities come from config', async () => {
    // No area can map more than 100% of its employment: an impossible floor must block publishing.
    const err = await runPipeline(base(out.dir, { checks: { coverage: { params: { floor_pct: 100.5 } } } })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/coverage \(1 row\)/);
    // …and as a warning it publishes, with the failing rows in quality.json.
    const r = await runPipeline(base(out.dir, { checks: { coverage: { severity: 'warn', params: { floor_pct: 100.5 } } } }));
    if (r.status !== 'published') throw new Error('expected a snapshot');
    expect(r.quality.status).toBe('warn');
    expect(r.quality.checks.find((c) => c.name === 'coverage')).toMatchObject({ severity: 'warn', params: { floor_pct: 100.5 }, failing_rows: 1 });
    await expect(runPipeline(base(out.dir, { checks: { nope: {} } }))).rejects.toThrow(/unknown checks: nope/);
  });

  it('warns with the numbers when a cluster moves more than the drift threshold', async () => {
    const r = await runPipeline(base(out.dir, { releases: { oews: '2021', onet: '27.0' } }));
    if (r.status !== 'published') throw new Error('expected a snapshot');
    const drift = r.quality.checks.find((c) => c.name === 'drift_from_previous')!;
    expect(drift).toMatchObject({ status: 'fail', severity: 'warn' });
    expect(drift.sample[0]).toMatchObject({ cluster: 'Hospitality, Events, & Tourism', previous_release: 'May 2024', release: 'May 2021' });
  });

  it('lists snapshots and diffs two of them by area and cluster', async () => {
    // Its own output folder: May 2024, then May 2021 (no other test's snapshots needed).
    const own = await tempDir();
    try {
      await runPipeline(base(own.dir));
      await runPipeline(base(own.dir, { releases: { oews: '2021', onet: '27.0' } }));
      const list = await listSnapshots(own.dir);
      expect(list).toHaveLength(2);
      expect(list.at(-1)).toMatchObject({ latest: true, releases: { oews: 'May 2021', ep: '2024–2034', onet: '27.0' }, rows: { occupations: 831 } });
      const diff = await diffSnapshots(own.dir, list[0]!.snapshot_id, 'latest');
      expect(diff.filter((d) => d.framework === '2024')).toHaveLength(14);
      expect(diff.filter((d) => d.framework === 'legacy_16')).toHaveLength(16);
      const hosp = diff.find((d) => d.cluster === 'Hospitality, Events, & Tourism')!;
      expect(hosp.employment_change).toBe(Number(hosp.employment_b) - Number(hosp.employment_a));
      expect(Number(hosp.employment_change)).toBeLessThan(0);
      await expect(diffSnapshots(own.dir, 'nope', 'latest')).rejects.toThrow(/no snapshot "nope"/);
    } finally {
      await own.cleanup();
    }
  });
});

describe('publishing to S3', () => {
  let s3: S3Server;
  let out: Awaited<ReturnType<typeof tempDir>>;
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, new Writable({ write: (chunk, _e, cb) => (logs.push(String(chunk)), cb()) }));
  const SECRET = 'S3RVER'; // the only credentials s3rver accepts
  const env = { ...process.env };

  beforeAll(async () => {
    s3 = await startS3('lmi');
    out = await tempDir();
    process.env.AWS_ACCESS_KEY_ID = SECRET;
    process.env.AWS_SECRET_ACCESS_KEY = SECRET;
    process.env.AWS_REGION = 'us-east-1';
  });
  afterAll(async () => {
    process.env = env;
    await s3.close();
    await out.cleanup();
  });

  const publish = (extra: Partial<RunOptions> = {}) => runPipeline(base(out.dir, { log, publish: 's3://lmi/career-clusters', s3Endpoint: s3.endpoint, report: true, ...extra }));

  it('uploads every object, then latest.json last', async () => {
    const r = await publish();
    if (r.status !== 'published') throw new Error('expected a snapshot');
    const client = makeS3Client({ endpoint: s3.endpoint });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'lmi', Prefix: 'career-clusters/' }));
    client.destroy();
    const keys = (listed.Contents ?? []).map((o) => o.Key!).sort();
    const local = (await filesUnder(r.snapshotDir)).map((f) => `career-clusters/snapshots/${r.snapshotId}/${f.split(path.sep).join('/')}`);
    expect(keys).toEqual([...local, 'career-clusters/latest.json'].sort());
    // The report is served by an S3 website as pages, not downloads.
    const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
    const head = makeS3Client({ endpoint: s3.endpoint });
    const types = await Promise.all(
      ['report/index.html', 'report/demand.xlsx', 'report/csv/areas.csv'].map(
        async (f) => (await head.send(new HeadObjectCommand({ Bucket: 'lmi', Key: `career-clusters/snapshots/${r.snapshotId}/${f}` }))).ContentType,
      ),
    );
    head.destroy();
    expect(types).toEqual(['text/html; charset=utf-8', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv; charset=utf-8']);
    // One PUT per object, parts of a multipart upload (the files over S3_PART_SIZE) aside.
    const puts = s3.requests.filter((q) => q.startsWith('PUT ') && !/[?&]partNumber=/.test(q));
    expect(puts.at(-1)).toMatch(/^PUT \/lmi\/career-clusters\/latest\.json(\?|$)/);
    // The files over S3_PART_SIZE go up as multipart uploads (POST ?uploads, PUT parts, POST complete).
    const multipart = s3.requests.filter((q) => q.startsWith('POST ') && /[?&]uploads(=|&|$)/.test(q));
    expect(puts.length + multipart.length).toBe(local.length + 1);
    expect(await readS3Latest('s3://lmi/career-clusters', { endpoint: s3.endpoint })).toEqual(JSON.parse(await readFile(path.join(out.dir, 'latest.json'), 'utf8')));
  });

  it('a publish interrupted part-way leaves the previous latest.json readable and unchanged', async () => {
    // A published snapshot to keep (made here when no earlier test made one).
    if (!(await readS3Latest('s3://lmi/career-clusters', { endpoint: s3.endpoint }))) await publish();
    const before = await readS3Latest('s3://lmi/career-clusters', { endpoint: s3.endpoint });
    expect(before).toBeDefined();
    const localBefore = await readFile(path.join(out.dir, 'latest.json'));
    s3.failAfterPuts(3);
    const err = await publish({ releases: { oews: '2023', onet: '27.0' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    s3.heal();
    expect(err).toBeInstanceOf(PublishError);
    expect((err as Error).message).toMatch(/publishing to s3:\/\/lmi\/career-clusters failed after \d+ of \d+ objects.*latest\.json was not changed/);
    expect(await readS3Latest('s3://lmi/career-clusters', { endpoint: s3.endpoint })).toEqual(before);
    expect(await readFile(path.join(out.dir, 'latest.json'))).toEqual(localBefore);
  });

  it('the next successful publish removes what a died upload left in the bucket', async () => {
    // An upload that died part-way (as in the test above) left objects of a snapshot never published.
    s3.failAfterPuts(3);
    await publish({ releases: { oews: '2023', onet: '27.0' } }).catch(() => undefined);
    s3.heal();
    const ids = async () => {
      const client = makeS3Client({ endpoint: s3.endpoint });
      const listed = await client.send(new ListObjectsV2Command({ Bucket: 'lmi', Prefix: 'career-clusters/snapshots/' }));
      client.destroy();
      return [...new Set((listed.Contents ?? []).map((o) => o.Key!.split('/')[2]!))].sort();
    };
    const published = async () => (await listSnapshots(out.dir)).map((x) => x.snapshot_id).sort();
    expect((await ids()).length).toBeGreaterThan((await published()).length);
    const r = await publish({ force: true });
    if (r.status !== 'published') throw new Error('expected a snapshot');
    expect(await ids()).toEqual(await published());
    expect(logs.join('')).toContain('removed what an interrupted upload left in the bucket');
  });

  it('--publish where nothing changed upstream still publishes when the target lacks the latest snapshot', async () => {
    const local = await tempDir();
    try {
      const first = await runPipeline(base(local.dir, { log }));
      if (first.status !== 'published') throw new Error('expected a snapshot');
      const target = 's3://lmi/first-publish';
      const r = await runPipeline(base(local.dir, { log, publish: target, s3Endpoint: s3.endpoint }));
      expect(r.status).toBe('published');
      expect((await readS3Latest(target, { endpoint: s3.endpoint }))?.snapshot_id).toBe((await readLatest(local.dir))?.snapshot_id);
      // Now the target has it: nothing to do.
      expect((await runPipeline(base(local.dir, { log, publish: target, s3Endpoint: s3.endpoint }))).status).toBe('unchanged');
    } finally {
      await local.cleanup();
    }
  });

  it('reads sources from s3:// URLs, conditionally on their ETag', async () => {
    const client = makeS3Client({ endpoint: s3.endpoint });
    for (const rel of await filesUnder(MIRROR))
      await client.send(new PutObjectCommand({ Bucket: 'lmi', Key: `mirror/${rel.split(path.sep).join('/')}`, Body: await readFile(path.join(MIRROR, rel)) }));
    client.destroy();
    const own = await tempDir();
    try {
      const opts = base(own.dir, { log, mirror: 's3://lmi/mirror', releases: {}, s3Endpoint: s3.endpoint });
      const first = await runPipeline(opts);
      if (first.status !== 'published') throw new Error('expected a snapshot');
      expect(first.manifest.sources.find((s) => s.source === 'oews')).toMatchObject({
        release: 'May 2024',
        requested_url: 's3://lmi/mirror/www.bls.gov/oes/special-requests/oesm24nat.zip',
        bytes: 281_660,
      });
      expect(first.manifest.sources.find((s) => s.source === 'onet')!.release).toBe('27.0');
      const second = await runPipeline(opts);
      expect(second).toMatchObject({ status: 'unchanged', bytesDownloaded: 0 });
    } finally {
      await own.cleanup();
    }
  });

  it('never writes a credential into logs or manifests', async () => {
    const manifests = await Promise.all((await listSnapshots(out.dir)).map((s) => readFile(path.join(out.dir, 'snapshots', s.snapshot_id, 'manifest.json'), 'utf8')));
    expect(logs.length).toBeGreaterThan(10);
    for (const text of [...logs, ...manifests]) expect(text).not.toContain(SECRET);
  });
});

describe('log redaction', () => {
  it('blanks credentials and URL signatures', async () => {
    const { createLogger } = await import('../src/log.js');
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    log.info(
      {
        credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
        url: 'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIAEXAMPLE%2F20261125&X-Amz-Signature=abc123&x=1',
      },
      'fetched',
    );
    expect(lines.join('')).not.toMatch(/AKIAEXAMPLE|wJalrXUtnFEMI|abc123/);
    expect(lines.join('')).toContain('X-Amz-Signature=[redacted]');
  });
});

// Publish a finished snapshot folder to S3 (or an S3-compatible store): every object of the
// snapshot first, `latest.json` last, so a reader of latest never meets a half-written snapshot.
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { DeadlineError, PublishError } from '../errors.js';
import { makeS3Client, parseS3Url, S3_DEADLINE_MS, type S3Options } from '../s3.js';
import type { Latest } from './manifest.js';

/** Objects uploaded at once. Default 4. */
export const S3_UPLOAD_CONCURRENCY = 4;
/** Multipart part size for large files (S3's minimum is 5 MiB). Default 8 MiB. */
export const S3_PART_SIZE = 8 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.parquet': 'application/vnd.apache.parquet',
  '.md': 'text/markdown; charset=utf-8',
  '.duckdb': 'application/octet-stream',
  // The report, so an S3 static-website bucket serves it as a site.
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

const keyFor = (prefix: string, rel: string) => (prefix ? `${prefix.replace(/\/+$/, '')}/${rel}` : rel);

/**
 * Upload a snapshot folder, then latest.json, then remove the target's snapshot folders that are
 * not among `keep` (the output folder's published snapshots) and not this one: what uploads
 * that died part-way left. Returns the keys written.
 */
export async function publishToS3(snapshotDir: string, latest: Latest, target: string, s3: S3Options, log: Logger, opts: { keep?: string[] } = {}): Promise<string[]> {
  const { bucket, key: prefix } = parseS3Url(target);
  const client = makeS3Client(s3);
  const limit = pLimit(S3_UPLOAD_CONCURRENCY);
  const files = await listFiles(snapshotDir);
  const keys: string[] = [];
  const deadlineMs = s3.deadlineMs ?? S3_DEADLINE_MS;
  const abort = new AbortController();
  const deadline = setTimeout(() => abort.abort(new DeadlineError(`did not finish within ${Math.round(deadlineMs / 1000)} s (the config file's timeouts.upload_s)`)), deadlineMs);
  try {
    await Promise.all(
      files.map((rel) =>
        limit(async () => {
          const key = keyFor(prefix, `${latest.path}/${rel}`);
          await new Upload({
            client,
            params: { Bucket: bucket, Key: key, Body: createReadStream(path.join(snapshotDir, rel)), ContentType: CONTENT_TYPES[path.extname(rel)] ?? 'application/octet-stream' },
            partSize: S3_PART_SIZE,
            queueSize: 2,
            abortController: abort,
          }).done();
          keys.push(key);
        }),
      ),
    );
    const latestKey = keyFor(prefix, 'latest.json');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: latestKey, Body: JSON.stringify(latest, null, 2) + '\n', ContentType: 'application/json' }), {
      abortSignal: abort.signal,
    });
    keys.push(latestKey);
    log.info({ event: 'published_s3', target, objects: keys.length }, 'published to S3');
    if (opts.keep) await removeOrphans(client, bucket, prefix, new Set([...opts.keep, latest.snapshot_id]), log, abort.signal);
    return keys;
  } catch (err) {
    limit.clearQueue();
    const status = err instanceof S3ServiceException ? ` (${err.$metadata.httpStatusCode ?? ''} ${err.name})` : '';
    const reason = abort.signal.aborted ? (abort.signal.reason as Error).message : (err as Error).message;
    throw new PublishError(`publishing to ${target} failed after ${keys.length} of ${files.length + 1} objects${status}: ${reason}; its latest.json was not changed`);
  } finally {
    clearTimeout(deadline);
    client.destroy();
  }
}

/** Delete the objects under PREFIX/snapshots/ID/ for every ID not in `keep`. */
async function removeOrphans(client: S3Client, bucket: string, prefix: string, keep: Set<string>, log: Logger, abortSignal: AbortSignal): Promise<void> {
  const root = keyFor(prefix, 'snapshots/');
  const orphans: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: root, ContinuationToken: token }), { abortSignal });
    for (const o of page.Contents ?? []) {
      const id = o.Key!.slice(root.length).split('/')[0]!;
      if (!keep.has(id)) orphans.push(o.Key!);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  // DeleteObjects takes at most 1,000 keys at a time.
  for (let i = 0; i < orphans.length; i += 1000)
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: orphans.slice(i, i + 1000).map((Key) => ({ Key })) } }), { abortSignal });
  if (orphans.length)
    log.warn({ objects: orphans.length, snapshots: [...new Set(orphans.map((k) => k.slice(root.length).split('/')[0]))] }, 'removed what an interrupted upload left in the bucket');
}

/** The latest.json at an S3 target, if any. */
export async function readS3Latest(target: string, s3: S3Options): Promise<Latest | undefined> {
  const { bucket, key: prefix } = parseS3Url(target);
  const client = makeS3Client(s3);
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyFor(prefix, 'latest.json') }));
    return JSON.parse(await res.Body!.transformToString()) as Latest;
  } catch (err) {
    if (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404) return undefined;
    throw err;
  } finally {
    client.destroy();
  }
}

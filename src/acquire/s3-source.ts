// Sources kept in S3 (s3://bucket/key): a board may stage files in its own bucket. Conditional
// on the cached ETag, like HTTP, so an unchanged object downloads no body.
import { GetObjectCommand, HeadObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { FetchError } from '../errors.js';
import { makeS3Client, parseS3Url } from '../s3.js';
import type { Fetched, Fetcher } from './fetch.js';
import type { ContentKind } from './verify.js';

export async function fetchS3(fetcher: Fetcher, url: string, requestedUrl: string, kind: ContentKind): Promise<Fetched> {
  const { bucket, key } = parseS3Url(requestedUrl);
  const client = makeS3Client({ endpoint: fetcher.options.s3Endpoint });
  const previous = await fetcher.cache.get(requestedUrl);
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: previous?.etag }));
    const download = await fetcher.download(res.Body as Readable, requestedUrl);
    fetcher.bytesDownloaded += download.bytes;
    const stored = await fetcher.commit(requestedUrl, download, kind, res.ContentLength);
    return await fetcher.record(url, requestedUrl, previous, { ...stored, status: 200, etag: res.ETag, lastModified: res.LastModified?.toUTCString() });
  } catch (err) {
    const status = err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;
    if (status === 304 && previous)
      return fetcher.record(url, requestedUrl, previous, { sha256: previous.sha256, bytes: previous.bytes, file: fetcher.cache.blobPath(previous.sha256), status: 304, etag: previous.etag, lastModified: previous.lastModified });
    if (err instanceof FetchError) throw err;
    throw new FetchError(requestedUrl, `S3 answered ${status ?? ''} ${(err as Error).name}: ${(err as Error).message}`.replace(/\s+/g, ' '), status);
  } finally {
    client.destroy();
  }
}

/** Whether an object exists (for release discovery). */
export async function s3Exists(requestedUrl: string, endpoint: string | undefined): Promise<boolean> {
  const { bucket, key } = parseS3Url(requestedUrl);
  const client = makeS3Client({ endpoint });
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (err) {
    const status = err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;
    if (status === 404 || status === 403) return false;
    throw new FetchError(requestedUrl, `S3 HEAD failed: ${(err as Error).message}`, status);
  } finally {
    client.destroy();
  }
}

// s3:// sources (a board may stage files in its own bucket): conditional on the cached ETag,
// like HTTP, so an unchanged object downloads no body. The AWS SDK retries on its own, so its
// failures reach the Fetcher as final. This module (and the SDK) is imported only when a
// source is in S3.
import { GetObjectCommand, HeadObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { FetchError } from '../../errors.js';
import { makeS3Client, parseS3Url } from '../../s3.js';
import type { Transport } from './types.js';

const statusOf = (err: unknown) => (err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined);

export function s3Transport(options: { endpoint?: string; region?: string }): Transport {
  return {
    async get(url, previous) {
      const { bucket, key } = parseS3Url(url);
      const client = makeS3Client(options);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: previous?.etag }));
        const body = res.Body as Readable;
        // The client is released once the body has been read (or has failed).
        body.once('close', () => client.destroy());
        return { status: 'body', body, validators: { etag: res.ETag, lastModified: res.LastModified?.toUTCString() }, declaredBytes: res.ContentLength, downloaded: true };
      } catch (err) {
        client.destroy();
        const status = statusOf(err);
        if (status === 304 && previous) return { status: 'not_modified', validators: previous };
        throw new FetchError(url, `S3 answered ${status ?? ''} ${(err as Error).name}: ${(err as Error).message}`.replace(/\s+/g, ' '), status);
      }
    },

    async exists(url) {
      const { bucket, key } = parseS3Url(url);
      const client = makeS3Client(options);
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (err) {
        const status = statusOf(err);
        if (status === 404 || status === 403) return false;
        throw new FetchError(url, `S3 HEAD failed: ${(err as Error).message}`, status);
      } finally {
        client.destroy();
      }
    },
  };
}

// What a transport (http, file, s3) does: one attempt at a URL, answering with a body stream
// and its validators, or "not modified". Retries, the per-host limit, hashing, verification
// and the raw cache are the Fetcher's, the same for every transport.
import type { Readable } from 'node:stream';

/** What the cache last stored for a URL, sent back so the source can answer "not modified". */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type TransportAnswer =
  | { status: 'not_modified'; validators: Validators }
  | {
      status: 'body';
      body: Readable;
      validators: Validators;
      /** The length the source declared (Content-Length), to catch a body that ends early. */
      declaredBytes?: number;
      /** Whether the body came over the network (counted in bytesDownloaded); a local file does not. */
      downloaded: boolean;
    };

export interface Transport {
  /**
   * One attempt: throw RetryableError for a failure worth another, FetchError for one that is not.
   * `previous` is absent when nothing is cached (no conditional request is possible).
   * `configuredUrl`: the URL before any mirror rewrite, whose host messages name.
   */
  get(url: string, previous: Validators | undefined, configuredUrl: string): Promise<TransportAnswer>;
  /** Whether the URL exists (release discovery). */
  exists(url: string): Promise<boolean>;
}

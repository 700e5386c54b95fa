// Fetch a source into the raw cache. The transport (http, file, s3; ./transports/) makes one
// attempt; this module retries it (./retry.ts), limits requests per host, streams the body to
// a temp file while hashing it, checks what arrived, and records it in the cache.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import { FetchError } from '../errors.js';
import { tempPathFor } from '../fsutil.js';
import { ZipArchive } from '../extract/zip.js';
import type { CacheEntry, RawCache } from './cache.js';
import { type RetryOptions, RetryableError, withRetry } from './retry.js';
import { fileTransport } from './transports/file.js';
import { httpTransport } from './transports/http.js';
import type { Transport } from './transports/types.js';
import { contentProblem, sniff, type ContentKind } from './verify.js';

export interface FetchOptions extends RetryOptions {
  /** Contact e-mail for the User-Agent. BLS blocks clients without one. No default. */
  contact?: string;
  /** Time allowed until response headers arrive. Default 30 000 ms. */
  connectTimeoutMs: number;
  /** Time allowed with no body bytes arriving. Default 60 000 ms. */
  idleTimeoutMs: number;
  /** Largest body accepted (guards against endless or hostile responses). Default 2 GiB. */
  maxBytes: number;
  /** Simultaneous requests per host. Default 2; bls.gov asks for gentle clients. */
  perHostConcurrency: number;
  /** Endpoint for s3:// sources on an S3-compatible store. Default: AWS. */
  s3Endpoint?: string;
  /** Region for s3:// sources. Default DEFAULT_S3_REGION (src/s3.ts). */
  s3Region?: string;
  /**
   * Time allowed for one URL from its first request to its last byte, retries included. Default
   * 20 minutes: the largest source (the all-areas OEWS zip, about 80 MB) takes a few minutes on a
   * slow line, and a server dripping a byte every 50 s (never idle long enough for idleTimeoutMs)
   * must not hold the run lock for ever.
   */
  deadlineMs: number;
  /** A download still running after this long is logged (at info) this often. Default 30 000 ms. */
  slowLogEveryMs: number;
}

export const DEFAULT_FETCH_OPTIONS: FetchOptions = {
  attempts: 4,
  backoffMs: 1_000,
  maxBackoffMs: 60_000,
  connectTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  maxBytes: 2 * 1024 ** 3,
  perHostConcurrency: 2,
  deadlineMs: 20 * 60_000,
  slowLogEveryMs: 30_000,
};

/**
 * What a fetch found, against the cached copy of the URL: `new` (nothing was cached),
 * `updated` (different bytes), `not_modified` (a 304, or a body with the same bytes).
 */
export type FetchOutcome = 'new' | 'updated' | 'not_modified';

export interface Fetched {
  /** The URL as configured (before any mirror rewrite). */
  url: string;
  /** The URL actually requested. */
  requestedUrl: string;
  file: string;
  sha256: string;
  bytes: number;
  fetchedAt: string;
  outcome: FetchOutcome;
  /** What the server answered: 200 (a body came, perhaps the same bytes as before) or 304; none for local files. */
  status?: 200 | 304;
  etag?: string;
  lastModified?: string;
}

interface Download {
  tmp: string;
  sha256: string;
  bytes: number;
}

/** A duration for a message: 1.5 s, 90 s, 20 min. */
const seconds = (ms: number) => (ms >= 120_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);

export class Fetcher {
  private readonly limits = new Map<string, LimitFunction>();
  private readonly transports = new Map<string, Promise<Transport>>();
  /** Fetches in flight: two datasets reading one file at once (ep, ep_separations) share one request. */
  private readonly inFlight = new Map<string, Promise<Fetched>>();
  readonly options: FetchOptions;
  /** Body bytes downloaded by this fetcher (0 for 304s and local files). */
  bytesDownloaded = 0;

  constructor(
    readonly cache: RawCache,
    readonly log: Logger,
    options: Partial<FetchOptions> = {},
  ) {
    this.options = { ...DEFAULT_FETCH_OPTIONS, ...options };
  }

  /** The transport for a URL's scheme, made once (the AWS SDK is imported only when a source is in S3). */
  private transport(url: URL): Promise<Transport> {
    const scheme = url.protocol === 'https:' ? 'http:' : url.protocol;
    let made = this.transports.get(scheme);
    if (!made) {
      if (scheme === 'http:') made = Promise.resolve(httpTransport(this.options));
      else if (scheme === 'file:') made = Promise.resolve(fileTransport());
      else if (scheme === 's3:') made = import('./transports/s3.js').then((m) => m.s3Transport({ endpoint: this.options.s3Endpoint, region: this.options.s3Region }));
      else throw new FetchError(url.href, `unsupported URL scheme ${url.protocol} (use https, http, file or s3)`);
      this.transports.set(scheme, made);
    }
    return made;
  }

  /** One request at a time per host beyond the limit; local files are not limited. */
  private limited<T>(url: URL, run: () => Promise<T>): Promise<T> {
    if (url.protocol === 'file:') return run();
    let limit = this.limits.get(url.host);
    if (!limit) this.limits.set(url.host, (limit = pLimit(this.options.perHostConcurrency)));
    return limit(run);
  }

  private retrying<T>(requestedUrl: string, attempt: () => Promise<T>): Promise<T> {
    return withRetry(
      this.options,
      attempt,
      (info) => this.log.warn({ event: 'retrying', url: requestedUrl, ...info }, 'retrying'),
      (err, attempts) => new FetchError(requestedUrl, `${err.message}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`),
    );
  }

  /** Whether a URL exists (release discovery). */
  async exists(requestedUrl: string): Promise<boolean> {
    const u = new URL(requestedUrl);
    const transport = await this.transport(u);
    return this.limited(u, () => this.retrying(requestedUrl, () => transport.exists(requestedUrl)));
  }

  /** Fetch `url` (already mirror-rewritten as `requestedUrl`) into the cache and verify it is `kind`. */
  fetch(url: string, requestedUrl: string, kind: ContentKind): Promise<Fetched> {
    const key = `${kind} ${requestedUrl}`;
    let fetching = this.inFlight.get(key);
    if (!fetching) {
      fetching = this.fetchOnce(url, requestedUrl, kind);
      this.inFlight.set(key, fetching);
      // Settled, it leaves the map: a later fetch of the URL asks the source again.
      const settled = () => void this.inFlight.delete(key);
      fetching.then(settled, settled);
    }
    return fetching.then((f) => ({ ...f, url }));
  }

  private async fetchOnce(url: string, requestedUrl: string, kind: ContentKind): Promise<Fetched> {
    const u = new URL(requestedUrl);
    const started = Date.now();
    const transport = await this.transport(u);
    const previous = await this.cache.get(requestedUrl);
    // The cached copy is hashed while the server is asked: a 304 vouches for the bytes the cache
    // recorded, not for what is on disk now (cut short, or replaced by another file).
    const intact = previous ? this.cache.verify(previous) : Promise.resolve(false);
    intact.catch(() => undefined);
    const result = await this.limited(u, () =>
      this.retrying(requestedUrl, async () => {
        let answer = await transport.get(requestedUrl, previous && { etag: previous.etag, lastModified: previous.lastModified }, url);
        if (answer.status === 'not_modified' && previous) {
          if (await intact) return this.record(url, requestedUrl, previous, { sha256: previous.sha256, bytes: previous.bytes, status: 304, ...answer.validators });
          this.log.warn({ url: requestedUrl, sha256: previous.sha256 }, 'the cached copy no longer matches its sha256: fetching it again');
          answer = await transport.get(requestedUrl, undefined, url);
        }
        if (answer.status !== 'body') throw new FetchError(requestedUrl, 'answered "not modified" to a request that was not conditional');
        const download = await this.download(answer.body, requestedUrl, started);
        if (answer.downloaded) this.bytesDownloaded += download.bytes;
        const stored = await this.commit(requestedUrl, download, kind, answer.declaredBytes);
        return this.record(url, requestedUrl, previous, { ...stored, status: u.protocol === 'file:' ? undefined : 200, ...answer.validators });
      }),
    );
    this.log.info(
      { event: 'fetched', url: requestedUrl, status: result.status ?? 'file', bytes: result.bytes, ms: Date.now() - started, outcome: result.outcome, sha256: result.sha256 },
      'fetched',
    );
    return result;
  }

  /** Record a verified blob in the cache index and say how it compares with the cached copy. */
  private async record(
    url: string,
    requestedUrl: string,
    previous: CacheEntry | undefined,
    got: { sha256: string; bytes: number; status?: 200 | 304; etag?: string; lastModified?: string },
  ): Promise<Fetched> {
    const now = new Date().toISOString();
    const changed = previous?.sha256 !== got.sha256;
    const entry: CacheEntry = {
      url: requestedUrl,
      sha256: got.sha256,
      bytes: got.bytes,
      etag: got.etag,
      lastModified: got.lastModified,
      fetchedAt: changed ? now : previous!.fetchedAt,
      checkedAt: now,
    };
    await this.cache.put(entry);
    return {
      url,
      requestedUrl,
      file: this.cache.blobPath(got.sha256),
      sha256: got.sha256,
      bytes: got.bytes,
      fetchedAt: entry.fetchedAt,
      outcome: !previous ? 'new' : changed ? 'updated' : 'not_modified',
      status: got.status,
      etag: got.etag,
      lastModified: got.lastModified,
    };
  }

  /** Stream a body to a temp file in the cache, hashing it; nothing is usable until commit(). */
  private async download(body: Readable, requestedUrl: string, started: number): Promise<Download> {
    const hash = createHash('sha256');
    let bytes = 0;
    const { maxBytes, deadlineMs, slowLogEveryMs } = this.options;
    const tmp = tempPathFor(path.join(this.cache.dir, 'raw', 'download'));
    await mkdir(path.dirname(tmp), { recursive: true });
    const progress = this.progress(requestedUrl);
    const log = this.log;
    let nextSlowLog = started + slowLogEveryMs;
    // Checked as bytes arrive: between them the idle timeout holds.
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        progress?.(bytes);
        const now = Date.now();
        if (now - started > deadlineMs)
          return cb(
            new FetchError(
              requestedUrl,
              `did not finish within ${seconds(deadlineMs)} (${bytes.toLocaleString('en-US')} bytes received); the deadline is the config file's timeouts.download_s`,
            ),
          );
        if (now >= nextSlowLog) {
          log.info({ url: requestedUrl, bytes, seconds: Math.round((now - started) / 1000) }, 'still downloading');
          nextSlowLog = now + slowLogEveryMs;
        }
        if (bytes > maxBytes) return cb(new FetchError(requestedUrl, `body passed the ${maxBytes}-byte cap`));
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tmp));
    } catch (err) {
      await rm(tmp, { force: true });
      // A body that breaks off is worth another attempt; a cap or a refusal is not.
      if (err instanceof FetchError || err instanceof RetryableError) throw err;
      throw new RetryableError(`body failed: ${(err as Error).message}`);
    }
    return { tmp, sha256: hash.digest('hex'), bytes };
  }

  /** Check what arrived and move it into the cache under its sha256, or remove it and say why. */
  private async commit(requestedUrl: string, download: Download, kind: ContentKind, declaredBytes?: number): Promise<{ sha256: string; bytes: number }> {
    try {
      if (declaredBytes !== undefined && declaredBytes !== download.bytes) throw new RetryableError(`body ended after ${download.bytes} of ${declaredBytes} bytes`);
      const problem = contentProblem(await sniff(download.tmp), kind);
      if (problem) throw new FetchError(requestedUrl, `answered with ${problem}`);
      if (kind === 'zip' || kind === 'xlsx') {
        // A zip whose central directory cannot be read is truncated or damaged.
        try {
          (await ZipArchive.open(download.tmp)).close();
        } catch (err) {
          throw new FetchError(requestedUrl, `answered with a damaged ${kind} file (${(err as Error).message.replace(/^.*?: /, '')})`);
        }
      }
    } catch (err) {
      await rm(download.tmp, { force: true });
      throw err;
    }
    const file = this.cache.blobPath(download.sha256);
    await mkdir(path.dirname(file), { recursive: true });
    await rename(download.tmp, file);
    return { sha256: download.sha256, bytes: download.bytes };
  }

  /** Download progress at debug level, at most every 500 ms: the terminal's progress line shows it, JSON logs at info leave it out. */
  private progress(requestedUrl: string): ((bytes: number) => void) | undefined {
    if (!this.log.isLevelEnabled('debug')) return undefined;
    let last = 0;
    return (bytes) => {
      const now = Date.now();
      if (now - last < 500) return;
      last = now;
      this.log.debug({ event: 'downloading', url: requestedUrl, bytes }, 'downloading');
    };
  }
}

// Fetch a source into the raw cache: conditional requests, retries with backoff, timeouts,
// a contact e-mail in the User-Agent, per-host concurrency, and a check of what arrived.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import { FetchError } from '../errors.js';
import { tempPathFor } from '../fsutil.js';
import type { RawCache, CacheEntry } from './cache.js';
import { contentProblem, looksLikeHtml, sniff, type ContentKind } from './verify.js';
import { ZipArchive } from '../extract/zip.js';

export interface FetchOptions {
  /** Contact e-mail for the User-Agent. BLS blocks clients without one. No default. */
  contact?: string;
  /** Attempts per request, the first included. Default 4. */
  attempts: number;
  /** First backoff delay; doubles each retry, with full jitter. Default 1 000 ms. */
  backoffMs: number;
  /** Longest wait between attempts, including a server's Retry-After. Default 60 000 ms. */
  maxBackoffMs: number;
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
}

export const DEFAULT_FETCH_OPTIONS: FetchOptions = {
  attempts: 4,
  backoffMs: 1_000,
  maxBackoffMs: 60_000,
  connectTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  maxBytes: 2 * 1024 ** 3,
  perHostConcurrency: 2,
};

/** HTTP statuses worth another attempt: timeouts, rate limits and passing server trouble. */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export type CacheResult = 'fresh' | 'stale' | 'missing';

export interface Fetched {
  /** The URL as configured (before any mirror rewrite). */
  url: string;
  /** The URL actually requested. */
  requestedUrl: string;
  file: string;
  sha256: string;
  bytes: number;
  fetchedAt: string;
  /** fresh: the server said 304 (or a local file was unchanged); stale: a cached copy was replaced; missing: nothing was cached. */
  cache: CacheResult;
  /** Whether the content differs from the previous cached copy of this URL. */
  changed: boolean;
  /** What the server answered: 200 (a body came, perhaps the same bytes as before) or 304; none for local files. */
  status?: 200 | 304;
  etag?: string;
  lastModified?: string;
}

export interface Download {
  tmp: string;
  sha256: string;
  bytes: number;
}

/** A failure worth another attempt (network trouble, 5xx, 429, a short body). */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function userAgent(contact: string | undefined): string {
  return `career-clusters-lmi/0.1 (+https://careertech.org/career-clusters${contact ? `; ${contact}` : ''})`;
}

const isBls = (url: URL) => url.hostname === 'bls.gov' || url.hostname.endsWith('.bls.gov');

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * A web ReadableStream as an async iterable whose errors surface at the read that failed
 * (Readable.fromWeb can leave a rejection unhandled when the socket dies mid-body).
 */
async function* readWebStream(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Node's fetch says only "fetch failed"; its cause's code says why, in words a person can act on. */
export function networkReason(err: Error): string {
  const cause = (err as { cause?: NodeJS.ErrnoException }).cause;
  const code = cause?.code ?? (err as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOTFOUND: 'the host name could not be resolved (no network, or DNS is down?)',
    EAI_AGAIN: 'the host name could not be resolved (no network, or DNS is down?)',
    ENETUNREACH: 'the network is unreachable (is this machine offline?)',
    EHOSTUNREACH: 'the host is unreachable (is this machine offline?)',
    ECONNREFUSED: 'the connection was refused (nothing listens at that address)',
    ECONNRESET: 'the connection was reset',
    ETIMEDOUT: 'the connection timed out',
    UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  };
  const said = code ? words[code] : undefined;
  return said ? `${said} [${code}]` : (cause?.message ?? err.message);
}

export class Fetcher {
  private readonly limits = new Map<string, LimitFunction>();
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

  private limitFor(host: string): LimitFunction {
    let limit = this.limits.get(host);
    if (!limit) this.limits.set(host, (limit = pLimit(this.options.perHostConcurrency)));
    return limit;
  }

  /** Fail before any request when a BLS URL would go out without a contact e-mail. */
  assertContact(requestedUrl: string): void {
    const u = new URL(requestedUrl);
    if ((u.protocol === 'https:' || u.protocol === 'http:') && isBls(u) && !this.options.contact)
      throw new FetchError(requestedUrl, 'bls.gov blocks clients without contact details: set a contact e-mail with --contact, the config file or LMI_CONTACT');
  }

  /** Whether a URL exists (HEAD, falling back to a ranged GET), used for release discovery. */
  async exists(requestedUrl: string): Promise<boolean> {
    const u = new URL(requestedUrl);
    if (u.protocol === 'file:') {
      return stat(fileURLToPath(u)).then(
        (s) => s.isFile(),
        () => false,
      );
    }
    if (u.protocol === 's3:') return (await import('./s3-source.js')).s3Exists(requestedUrl, this.options.s3Endpoint);
    this.assertContact(requestedUrl);
    return this.limitFor(u.host)(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await fetch(requestedUrl, {
            method: 'HEAD',
            headers: { 'user-agent': userAgent(this.options.contact) },
            signal: AbortSignal.timeout(this.options.connectTimeoutMs),
          });
          if (res.ok) return true;
          if (res.status === 404 || res.status === 410) return false;
          if (!RETRYABLE_STATUS.has(res.status) || attempt >= this.options.attempts)
            throw new FetchError(requestedUrl, `HEAD answered ${res.status}`, res.status);
          await sleep(this.backoff(attempt, parseRetryAfter(res.headers.get('retry-after'))));
        } catch (err) {
          if (err instanceof FetchError) throw err;
          if (attempt >= this.options.attempts) throw new FetchError(requestedUrl, `HEAD failed: ${networkReason(err as Error)}`);
          await sleep(this.backoff(attempt));
        }
      }
    });
  }

  private backoff(attempt: number, retryAfterMs?: number): number {
    const exp = Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** (attempt - 1));
    const jittered = Math.random() * exp;
    return Math.min(this.options.maxBackoffMs, Math.max(jittered, retryAfterMs ?? 0));
  }

  /** Fetch `url` (already mirror-rewritten as `requestedUrl`) into the cache and verify it is `kind`. */
  async fetch(url: string, requestedUrl: string, kind: ContentKind): Promise<Fetched> {
    const u = new URL(requestedUrl);
    const started = Date.now();
    let result: Fetched;
    if (u.protocol === 'file:') result = await this.fetchFile(url, requestedUrl, kind);
    else if (u.protocol === 'http:' || u.protocol === 'https:') {
      this.assertContact(requestedUrl);
      result = await this.limitFor(u.host)(() => this.fetchHttp(url, requestedUrl, kind));
    } else if (u.protocol === 's3:') {
      // The AWS SDK is imported only when a source is in S3.
      const { fetchS3 } = await import('./s3-source.js');
      result = await this.limitFor(u.host)(() => fetchS3(this, url, requestedUrl, kind));
    }
    else throw new FetchError(requestedUrl, `unsupported URL scheme ${u.protocol} (use https, http, file or s3)`);
    this.log.info(
      { url: requestedUrl, status: result.status ?? 'file', bytes: result.bytes, ms: Date.now() - started, cache: result.cache, sha256: result.sha256 },
      'fetched',
    );
    return result;
  }

  private async fetchFile(url: string, requestedUrl: string, kind: ContentKind): Promise<Fetched> {
    const source = fileURLToPath(requestedUrl);
    const info = await stat(source).catch(() => undefined);
    if (!info?.isFile()) throw new FetchError(requestedUrl, 'no such file', 404);
    const previous = await this.cache.get(requestedUrl);
    const stored = await this.commit(requestedUrl, await this.download(createReadStream(source), requestedUrl), kind);
    return this.record(url, requestedUrl, previous, stored);
  }

  /** Record a verified blob in the cache index and say what changed. */
  async record(
    url: string,
    requestedUrl: string,
    previous: CacheEntry | undefined,
    got: { sha256: string; bytes: number; file: string; status?: 200 | 304; etag?: string; lastModified?: string },
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
      file: got.file,
      sha256: got.sha256,
      bytes: got.bytes,
      fetchedAt: entry.fetchedAt,
      cache: !previous ? 'missing' : changed ? 'stale' : 'fresh',
      changed,
      status: got.status,
      etag: got.etag,
      lastModified: got.lastModified,
    };
  }

  /** Stream a body to a temp file in the cache, hashing it; nothing is usable until commit(). */
  async download(body: Readable, requestedUrl: string, onChunk?: () => void): Promise<Download> {
    const hash = createHash('sha256');
    let bytes = 0;
    const maxBytes = this.options.maxBytes;
    const tmp = tempPathFor(path.join(this.cache.dir, 'raw', 'download'));
    await mkdir(path.dirname(tmp), { recursive: true });
    const progress = this.progress(requestedUrl);
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        onChunk?.();
        progress?.(bytes);
        if (bytes > maxBytes) return cb(new FetchError(requestedUrl, `body passed the ${maxBytes}-byte cap`));
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tmp));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    } finally {
      progress?.(bytes, true);
    }
    return { tmp, sha256: hash.digest('hex'), bytes };
  }

  /** Check what arrived and move it into the cache under its sha256, or remove it and say why. */
  async commit(requestedUrl: string, download: Download, kind: ContentKind, declaredBytes?: number): Promise<{ sha256: string; bytes: number; file: string }> {
    try {
      if (declaredBytes !== undefined && Number.isFinite(declaredBytes) && declaredBytes !== download.bytes)
        throw new RetryableError(`body ended after ${download.bytes} of ${declaredBytes} bytes`);
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
    return { sha256: download.sha256, bytes: download.bytes, file };
  }

  /** Download progress at debug level, at most every 500 ms: the terminal's progress line shows it, JSON logs at info leave it out. */
  private progress(requestedUrl: string): ((bytes: number, done?: boolean) => void) | undefined {
    if (!this.log.isLevelEnabled('debug')) return undefined;
    let last = 0;
    return (bytes, done) => {
      const now = Date.now();
      if (done || now - last < 500) return;
      last = now;
      this.log.debug({ url: requestedUrl, bytes }, 'downloading');
    };
  }

  private async fetchHttp(url: string, requestedUrl: string, kind: ContentKind): Promise<Fetched> {
    const previous = await this.cache.get(requestedUrl);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attemptHttp(url, requestedUrl, previous, kind);
      } catch (err) {
        const retryable = err instanceof RetryableError;
        if (!retryable || attempt >= this.options.attempts) {
          if (err instanceof FetchError) throw err;
          throw new FetchError(requestedUrl, `${(err as Error).message}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`);
        }
        const wait = this.backoff(attempt, err.retryAfterMs);
        this.log.warn({ url: requestedUrl, attempt, waitMs: Math.round(wait), reason: err.message }, 'retrying');
        await sleep(wait);
      }
    }
  }

  private async attemptHttp(url: string, requestedUrl: string, previous: CacheEntry | undefined, kind: ContentKind): Promise<Fetched> {
    const controller = new AbortController();
    let timer = setTimeout(() => controller.abort(new Error(`no response within ${this.options.connectTimeoutMs} ms`)), this.options.connectTimeoutMs);
    const headers: Record<string, string> = { 'user-agent': userAgent(this.options.contact), 'accept-encoding': 'identity' };
    if (previous?.etag) headers['if-none-match'] = previous.etag;
    if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
    try {
      let res: Response;
      try {
        res = await fetch(requestedUrl, { headers, signal: controller.signal, redirect: 'follow' });
      } catch (err) {
        throw new RetryableError(`request failed: ${networkReason(err as Error)}`);
      }
      if (res.status === 304 && previous) {
        await res.body?.cancel();
        return this.record(url, requestedUrl, previous, {
          sha256: previous.sha256,
          bytes: previous.bytes,
          file: this.cache.blobPath(previous.sha256),
          status: 304,
          etag: res.headers.get('etag') ?? previous.etag,
          lastModified: res.headers.get('last-modified') ?? previous.lastModified,
        });
      }
      if (!res.ok) {
        const head = Buffer.from(await res.arrayBuffer().catch(() => new ArrayBuffer(0))).subarray(0, 512);
        const host = new URL(url).hostname.replace(/^www\./, '');
        const reason = looksLikeHtml(head)
          ? `${host} answered with an HTML page (${res.status})${res.status === 403 ? (this.options.contact ? `: it refused this client although a contact e-mail (${this.options.contact}) was sent; check the URL, or whether the host blocks this network` : ': set a contact e-mail (--contact or LMI_CONTACT)') : ''}`
          : `${host} answered ${res.status}`;
        if (RETRYABLE_STATUS.has(res.status)) throw new RetryableError(reason, parseRetryAfter(res.headers.get('retry-after')));
        throw new FetchError(requestedUrl, reason, res.status);
      }
      if (!res.body) throw new RetryableError('response had no body');
      const idle = this.options.idleTimeoutMs;
      const resetIdle = () => {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(new Error(`body stalled for ${idle} ms`)), idle);
      };
      resetIdle();
      let download: Download;
      try {
        download = await this.download(Readable.from(readWebStream(res.body)), requestedUrl, resetIdle);
      } catch (err) {
        if (err instanceof FetchError) throw err;
        const reason = controller.signal.aborted ? String((controller.signal.reason as Error)?.message ?? 'aborted') : (err as Error).message;
        throw new RetryableError(`body failed: ${reason}`);
      }
      this.bytesDownloaded += download.bytes;
      const stored = await this.commit(requestedUrl, download, kind, Number(res.headers.get('content-length') ?? NaN));
      return this.record(url, requestedUrl, previous, {
        ...stored,
        status: 200,
        etag: res.headers.get('etag') ?? undefined,
        lastModified: res.headers.get('last-modified') ?? undefined,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

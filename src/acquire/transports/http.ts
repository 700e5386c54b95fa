// http(s):// sources: conditional GETs on the cached validators, a contact e-mail in the
// User-Agent (BLS blocks clients without one), a time limit until the headers and another on
// each silence in the body. One attempt per call; the Fetcher retries.
import { Readable } from 'node:stream';
import { DeadlineError, FetchError } from '../../errors.js';
import { parseRetryAfter, RetryableError } from '../retry.js';
import { looksLikeHtml } from '../verify.js';
import type { Transport, TransportAnswer, Validators } from './types.js';

export interface HttpOptions {
  /** Contact e-mail for the User-Agent. No default; required for bls.gov. */
  contact?: string;
  /** Time allowed until response headers arrive. */
  connectTimeoutMs: number;
  /** Time allowed with no body bytes arriving. */
  idleTimeoutMs: number;
}

/** HTTP statuses worth another attempt: timeouts, rate limits and passing server trouble. */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export function userAgent(contact: string | undefined): string {
  return `career-clusters-lmi/0.1 (+https://careertech.org/career-clusters${contact ? `; ${contact}` : ''})`;
}

const isBls = (url: URL) => url.hostname === 'bls.gov' || url.hostname.endsWith('.bls.gov');

/** Fail before any request when a BLS URL would go out without a contact e-mail. */
export function assertContact(url: string, contact: string | undefined): void {
  const u = new URL(url);
  if ((u.protocol === 'https:' || u.protocol === 'http:') && isBls(u) && !contact)
    throw new FetchError(url, 'bls.gov blocks clients without contact details: set a contact e-mail with --contact, the config file or LMI_CONTACT');
}

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

/**
 * The body as a Node stream whose errors surface at the read that failed (Readable.fromWeb can
 * leave a rejection unhandled when the socket dies mid-body), aborting after `idleMs` of silence.
 */
function idleLimitedBody(body: ReadableStream<Uint8Array>, controller: AbortController, idleMs: number): Readable {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const reader = body.getReader();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new DeadlineError(`body stalled for ${idleMs} ms`)), idleMs);
    };
    try {
      for (;;) {
        arm();
        let read: ReadableStreamReadResult<Uint8Array>;
        try {
          read = await reader.read();
        } catch (err) {
          const reason = controller.signal.aborted ? String((controller.signal.reason as Error)?.message ?? 'aborted') : (err as Error).message;
          throw new RetryableError(`body failed: ${reason}`);
        }
        if (read.done) return;
        yield read.value;
      }
    } finally {
      clearTimeout(timer);
      reader.cancel().catch(() => undefined);
    }
  }
  return Readable.from(chunks());
}

export function httpTransport(options: HttpOptions): Transport {
  const headersFor = (previous?: Validators): Record<string, string> => {
    const headers: Record<string, string> = { 'user-agent': userAgent(options.contact), 'accept-encoding': 'identity' };
    if (previous?.etag) headers['if-none-match'] = previous.etag;
    if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
    return headers;
  };

  return {
    async get(url, previous, configuredUrl): Promise<TransportAnswer> {
      assertContact(url, options.contact);
      const controller = new AbortController();
      const connect = setTimeout(() => controller.abort(new DeadlineError(`no response within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
      let res: Response;
      try {
        res = await fetch(url, { headers: headersFor(previous), signal: controller.signal, redirect: 'follow' });
      } catch (err) {
        throw new RetryableError(`request failed: ${controller.signal.aborted ? (controller.signal.reason as Error).message : networkReason(err as Error)}`);
      } finally {
        clearTimeout(connect);
      }
      const validators = { etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined };
      if (res.status === 304 && previous) {
        await res.body?.cancel();
        return { status: 'not_modified', validators: { etag: validators.etag ?? previous.etag, lastModified: validators.lastModified ?? previous.lastModified } };
      }
      if (!res.ok) {
        const head = Buffer.from(await res.arrayBuffer().catch(() => new ArrayBuffer(0))).subarray(0, 512);
        const host = new URL(configuredUrl).hostname.replace(/^www\./, '');
        const refused =
          res.status === 403
            ? options.contact
              ? `: it refused this client although a contact e-mail (${options.contact}) was sent; check the URL, or whether the host blocks this network`
              : ': set a contact e-mail (--contact or LMI_CONTACT)'
            : '';
        const reason = looksLikeHtml(head) ? `${host} answered with an HTML page (${res.status})${refused}` : `${host} answered ${res.status}`;
        if (RETRYABLE_STATUS.has(res.status)) throw new RetryableError(reason, parseRetryAfter(res.headers.get('retry-after')));
        throw new FetchError(url, reason, res.status);
      }
      if (!res.body) throw new RetryableError('response had no body');
      const declared = Number(res.headers.get('content-length') ?? Number.NaN);
      return {
        status: 'body',
        body: idleLimitedBody(res.body, controller, options.idleTimeoutMs),
        validators,
        declaredBytes: Number.isFinite(declared) ? declared : undefined,
        downloaded: true,
      };
    },

    /** HEAD: 2xx exists, 404/410 does not, retryable statuses and network trouble are tried again. */
    async exists(url) {
      assertContact(url, options.contact);
      let res: Response;
      try {
        res = await fetch(url, { method: 'HEAD', headers: headersFor(), signal: AbortSignal.timeout(options.connectTimeoutMs) });
      } catch (err) {
        throw new RetryableError(`HEAD failed: ${networkReason(err as Error)}`);
      }
      if (res.ok) return true;
      if (res.status === 404 || res.status === 410) return false;
      if (RETRYABLE_STATUS.has(res.status)) throw new RetryableError(`HEAD answered ${res.status}`, parseRetryAfter(res.headers.get('retry-after')));
      throw new FetchError(url, `HEAD answered ${res.status}`, res.status);
    },
  };
}

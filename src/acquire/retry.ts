// The one retry loop every transport goes through: exponential backoff with full jitter, a
// server's Retry-After honoured, and only failures marked retryable tried again.

export interface RetryOptions {
  /** Attempts, the first included. Default 4 (DEFAULT_FETCH_OPTIONS). */
  attempts: number;
  /** First backoff delay; doubles each retry, with full jitter. Default 1 000 ms. */
  backoffMs: number;
  /** Longest wait between attempts, including a server's Retry-After. Default 60 000 ms. */
  maxBackoffMs: number;
}

/** A failure worth another attempt (network trouble, 5xx, 429, a short or stalled body). */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The wait before attempt `attempt + 1`: full jitter under the doubled delay, at least Retry-After, at most the cap. */
export function backoffMs(options: RetryOptions, attempt: number, retryAfterMs?: number): number {
  const exp = Math.min(options.maxBackoffMs, options.backoffMs * 2 ** (attempt - 1));
  return Math.min(options.maxBackoffMs, Math.max(Math.random() * exp, retryAfterMs ?? 0));
}

/** A Retry-After header (seconds or an HTTP date) in ms. */
export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Run `attempt` until it succeeds, throws something not retryable, or the attempts run out;
 * `onRetry` is told of each wait. The last RetryableError is passed to `giveUp` to become the
 * error the caller sees.
 */
export async function withRetry<T>(
  options: RetryOptions,
  attempt: (n: number) => Promise<T>,
  onRetry: (info: { attempt: number; waitMs: number; reason: string }) => void,
  giveUp: (err: RetryableError, attempts: number) => Error,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof RetryableError)) throw err;
      if (n >= options.attempts) throw giveUp(err, n);
      const waitMs = backoffMs(options, n, err.retryAfterMs);
      onRetry({ attempt: n, waitMs: Math.round(waitMs), reason: err.message });
      await sleep(waitMs);
    }
  }
}

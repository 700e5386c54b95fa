// One way to make an S3 client, for sources (s3:// URLs) and for publishing. Credentials come
// from the standard AWS chain (environment, profile, instance role) and are never logged.
import { S3Client } from '@aws-sdk/client-s3';

export interface S3Options {
  /** Endpoint of an S3-compatible store (MinIO, Ceph, a test server). Default: AWS. */
  endpoint?: string;
  /** Region. Default DEFAULT_S3_REGION (the config module passes AWS_REGION when it is set). */
  region?: string;
  /**
   * Time allowed for a whole publish (every object and latest.json). Default 30 minutes: a
   * state snapshot with its report is about 200 MB; an endpoint that accepts connections and
   * never answers must not hold the run lock for ever.
   */
  deadlineMs?: number;
}

/** Default of S3Options.region: the SDK needs one even for S3-compatible stores. */
export const DEFAULT_S3_REGION = 'us-east-1';
/** Default of S3Options.deadlineMs. */
export const S3_DEADLINE_MS = 30 * 60_000;
/** Time allowed to open a connection to the store. Default 10 s. */
const S3_CONNECT_TIMEOUT_MS = 10_000;
/** Time a request may go without the socket moving (the SDK's requestTimeout). Default 60 s. */
const S3_SOCKET_TIMEOUT_MS = 60_000;

export function makeS3Client(opts: S3Options = {}): S3Client {
  // The SDK prints a multi-line notice on Node < 22 (its future minimum) through
  // process.emitWarning, which would break the CLI's one-line error on stderr. The README says
  // which Node versions the project runs on; the SDK need not say it again at every run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    region: opts.region ?? DEFAULT_S3_REGION,
    ...(opts.endpoint ? { endpoint: opts.endpoint, forcePathStyle: true } : {}),
    // Streamed bodies are sent as they are; S3-compatible stores need no chunk-signing frames.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 4,
    // Without these the SDK waits on a silent endpoint for ever.
    requestHandler: { connectionTimeout: S3_CONNECT_TIMEOUT_MS, requestTimeout: S3_SOCKET_TIMEOUT_MS },
  });
}

export function parseS3Url(url: string): { bucket: string; key: string } {
  const u = new URL(url);
  return { bucket: u.host, key: decodeURIComponent(u.pathname.replace(/^\/+/, '')) };
}

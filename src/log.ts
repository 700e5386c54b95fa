// pino logs on stderr (stdout stays free for command output): JSON for machines, pretty on a
// terminal. Secrets are redacted wherever they appear; every run's lines carry its run id.
import pino, { type Logger } from 'pino';

/** Paths pino blanks wherever they appear in a log line. */
export const REDACT_PATHS = [
  '*.secretAccessKey',
  '*.accessKeyId',
  '*.sessionToken',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-amz-security-token"]',
  'credentials',
  '*.credentials',
];

/** Signed URLs carry credentials in their query string: keep the URL, drop the signature. */
export function redactSignedUrl(url: string): string {
  return url.replace(/([?&](X-Amz-(Signature|Credential|Security-Token))=)[^&]+/gi, '$1[redacted]');
}

export function createLogger(level = process.env.LMI_LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: {
      log: (obj) => (typeof obj.url === 'string' ? { ...obj, url: redactSignedUrl(obj.url) } : obj),
    },
  };
  if (destination) return pino(options, destination);
  if (process.stderr.isTTY) return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } } });
  return pino(options, pino.destination(2));
}

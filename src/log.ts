// pino JSON logs on stderr (stdout stays free for command output); secrets are redacted.
import pino, { type Logger } from 'pino';

/** Paths pino blanks wherever they appear in a log line. */
export const REDACT_PATHS = ['*.secretAccessKey', '*.accessKeyId', '*.sessionToken', '*.authorization', '*.headers.authorization', 'credentials'];

export function createLogger(level = process.env.LMI_LOG_LEVEL ?? 'info', destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

// pino logs on stderr (stdout stays free for command output). Secrets are redacted wherever
// they appear; every run's lines carry its run id.
// Formats: `json` (every line, for machines: the default off a terminal) and `progress` (the
// default on a terminal: one line per pipeline stage, updated in place, warnings and errors
// in full, so the command's one-line result printed last is not buried).
import { isatty } from 'node:tty';
import pino, { type Logger } from 'pino';
import { redactUrls } from './redact.js';

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

export const LOG_FORMATS = ['json', 'progress'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** A log line's fields with every URL in their text redacted (src/redact.ts), one level down too (err objects). */
function redactFields(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj))
    out[k] =
      typeof v === 'string'
        ? redactUrls(v)
        : Array.isArray(v)
          ? v.map((x) => (typeof x === 'string' ? redactUrls(x) : x))
          : v && typeof v === 'object' && !(v instanceof Date)
            ? Object.fromEntries(Object.entries(v).map(([kk, vv]) => [kk, typeof vv === 'string' ? redactUrls(vv) : vv]))
            : v;
  return out;
}

/**
 * The events of a run a log line may carry (its `event` field), with the stage of acquire → load
 * → transform → check → publish each belongs to: the progress view keys on them, never on the
 * message text, which is for people.
 */
export const STAGE_EVENTS = {
  releases: 'acquire',
  fetched: 'acquire',
  retrying: 'acquire',
  downloading: 'acquire',
  loaded: 'load',
  transformed: 'transform',
  checked: 'check',
  check_failed: 'check',
  published: 'publish',
  published_s3: 'publish',
  unchanged: 'done',
} as const;
export type StageEvent = keyof typeof STAGE_EVENTS;

interface LogLine {
  level: number;
  msg?: string;
  event?: StageEvent;
  [key: string]: unknown;
}

/** What a progress line says of one log line, briefly. */
function describe(line: LogLine): string {
  const file = typeof line.url === 'string' ? line.url.split('/').pop() : undefined;
  if (line.event === 'downloading' && file) return `${file} ${((line.bytes as number) / 1e6).toFixed(1)} MB`;
  if (line.event === 'fetched' && file) return `${file} (${line.outcome === 'not_modified' ? 'unchanged' : `${((line.bytes as number) / 1e6).toFixed(1)} MB`})`;
  if (line.event === 'loaded') return String(line.source ?? '');
  if (line.event === 'transformed') return String(line.stage ?? '');
  if (line.event === 'published') return String(line.snapshot ?? '');
  if (line.event === 'unchanged') return 'nothing changed upstream';
  return line.msg ?? '';
}

/**
 * A pino destination for terminals: info lines become one status line per stage, rewritten in
 * place; warnings and errors are printed whole on their own line.
 */
export function progressDestination(out: NodeJS.WritableStream = process.stderr): pino.DestinationStream {
  let stage: string | undefined;
  /** The status line on screen (not yet ended by a newline), if any. */
  let current = '';
  const clear = () => current && out.write('\r\x1b[K');
  return {
    write(chunk: string) {
      let line: LogLine;
      try {
        line = JSON.parse(chunk) as LogLine;
      } catch {
        return;
      }
      if (line.level >= 40) {
        clear();
        // Its fields in words (a person reads this; the JSON log has them whole): "check
        // drift_from_previous, failing rows 3"; a check's sample rows are left to quality.json.
        const extra = Object.entries(line).filter(([k]) => !['level', 'time', 'msg', 'event', 'run', 'sample'].includes(k));
        const words = extra.map(([k, v]) => `${k.replaceAll('_', ' ')} ${v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
        out.write(`${line.level >= 50 ? 'error' : 'warn'}: ${line.msg ?? ''}${words.length ? ` (${words.join(', ')})` : ''}\n`);
        out.write(current); // the status line goes on below the warning
        return;
      }
      // Debug lines are for the JSON log; only download progress shows here.
      if (line.level < 30 && line.event !== 'downloading') return;
      // The checks' summary leaves the view as it is: only a failed check is worth a line (a warning).
      if (line.event === 'checked') return;
      const finished = line.event === 'published' || line.event === 'unchanged';
      const next = line.event ? STAGE_EVENTS[line.event] : stage;
      if (!next) return;
      if (next !== stage) {
        if (current) out.write('\n');
        current = '';
        stage = next;
      }
      clear();
      current = `${stage}: ${describe(line)}`.slice(0, 99);
      out.write(current);
      if (finished) {
        out.write('\n');
        current = '';
      }
    },
  };
}

/**
 * Whether stderr is a terminal. Asked of the file descriptor, not of `process.stderr`: in the
 * worker thread that `lmi run` uses (bin/lmi.js), `process.stderr` is a pipe to the main thread.
 */
export const stderrIsTerminal = (): boolean => isatty(2);

/**
 * A logger writing to `destination` (default stderr: JSON lines, or the progress view on a
 * terminal). `level` undefined: info, or debug in progress mode (which shows download progress,
 * logged at debug). The CLI passes LMI_LOG_LEVEL (src/env.ts).
 */
export function createLogger(level: string | undefined, destination?: pino.DestinationStream, format?: LogFormat): Logger {
  const options: pino.LoggerOptions = {
    level: level ?? 'info',
    base: undefined,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: {
      log: redactFields,
    },
    // The message too: a message may quote an error that names a URL.
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactUrls(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  if (destination) return pino(options, destination);
  if ((format ?? (stderrIsTerminal() ? 'progress' : 'json')) === 'progress') return pino({ ...options, level: level ?? 'debug' }, progressDestination());
  return pino(options, pino.destination(2));
}

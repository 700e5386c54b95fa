// One error class per failure kind, so the CLI can print a one-line reason and tests can
// assert the kind. Every message names the file (and sheet, row, column where there is one).
import { redactUrls } from './redact.js';

export class LmiError extends Error {
  override name = 'LmiError';
  /** The message with every URL's credentials redacted: messages reach stderr, logs and the run history. */
  constructor(message: string) {
    super(redactUrls(message));
  }
}

/** Bad command-line arguments or configuration. */
export class ConfigError extends LmiError {
  override name = 'ConfigError';
}

/** A source could not be fetched (network, HTTP status, wrong content). */
export class FetchError extends LmiError {
  override name = 'FetchError';
  constructor(
    readonly url: string,
    message: string,
    readonly status?: number,
  ) {
    super(`${url}: ${message}`);
  }
}

/** A zip archive is missing, damaged or unsafe. */
export class ZipError extends LmiError {
  override name = 'ZipError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** A workbook cannot be read as xlsx, or lacks the sheet we need. */
export class XlsxError extends LmiError {
  override name = 'XlsxError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** A file's header no longer has a column the pipeline needs (the publisher changed the layout). */
export class HeaderDriftError extends LmiError {
  override name = 'HeaderDriftError';
  constructor(
    readonly file: string,
    readonly sheet: string | undefined,
    readonly column: string,
    detail: string,
  ) {
    super(`${file}${sheet ? ` [sheet "${sheet}"]` : ''}: column ${column} ${detail}`);
  }
}

/** A value in a data row cannot be understood. */
export class DataError extends LmiError {
  override name = 'DataError';
  constructor(
    readonly file: string,
    readonly row: number,
    readonly column: string,
    detail: string,
    readonly sheet?: string,
  ) {
    super(`${file}${sheet ? ` [sheet "${sheet}"]` : ''} row ${row}, column ${column}: ${detail}`);
  }
}

/** A data test at error severity found failing rows; nothing is published. */
export class QualityError extends LmiError {
  override name = 'QualityError';
}

/** Writing the snapshot failed; the previous `latest.json` stays as it was. */
export class PublishError extends LmiError {
  override name = 'PublishError';
}

/** The person running `lmi run` cancelled it (Ctrl-C, or SIGTERM): nothing was published. */
export class CancelledError extends LmiError {
  override name = 'CancelledError';
  /** The exit code a shell expects of a command a signal ended: 128 + the signal's number (SIGINT 130). */
  constructor(readonly exitCode: number) {
    super('cancelled: nothing was published, and the previous latest.json is as it was');
  }
}

/** Another process holds the output folder (a run or a scheduler). */
export class LockError extends LmiError {
  override name = 'LockError';
}

/** A SQL model in sql/ failed as DuckDB ran it (its file and DuckDB's reason, e.g. a value that does not convert). */
export class ModelError extends LmiError {
  override name = 'ModelError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** A file in sql/checks/ is malformed (no severity line, an undeclared parameter). */
export class CheckDefinitionError extends LmiError {
  override name = 'CheckDefinitionError';
}

/**
 * An official crosswalk file being imported (`lmi crosswalks …`), or a vendored table in
 * crosswalks/, does not hold what the project expects of it.
 */
export class CrosswalkError extends LmiError {
  override name = 'CrosswalkError';
}

/** A deadline passed (no response, a stalled body, an upload that never finished): the reason a request was aborted with. */
export class DeadlineError extends LmiError {
  override name = 'DeadlineError';
}

/**
 * The project's own definitions disagree (a dataset registry, a model's variable, a pattern, a
 * writer used after closing): a fault in the code, not in the data or the settings.
 */
export class DefinitionError extends LmiError {
  override name = 'DefinitionError';
}

/** What a file system error code means, and what to do about it. */
const FILE_SYSTEM_ERRORS: Record<string, string> = {
  EACCES: 'permission denied: run as a user who may write there, or choose another --output folder',
  EPERM: 'operation not permitted: run as a user who may write there, or choose another --output folder',
  EROFS: 'the file system is read-only: choose an --output folder on a writable disk',
  ENOSPC: 'the disk is full: free space, or choose an --output folder on another disk',
  EDQUOT: 'the disk quota is used up: free space, or choose an --output folder on another disk',
  ENOENT: 'no such file or folder: check the path, and that its parent folders exist and can be written',
  EEXIST: 'a file is in the way of a folder the pipeline needs: move it, or choose another --output folder',
  ENOTDIR: 'a file is where a folder should be: move it, or choose another --output folder',
  EISDIR: 'a folder is where a file should be: move it, or choose another --output folder',
};

/**
 * A file system error (EACCES, EROFS, ENOSPC …) as one line naming the path and what to do,
 * or undefined for any other error.
 */
export function describeFileSystemError(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!e || typeof e.code !== 'string' || !(e.code in FILE_SYSTEM_ERRORS)) return undefined;
  const where = e.path ? `${e.syscall ?? 'access'} ${e.path}` : (e.syscall ?? 'a file');
  return `cannot ${where}: ${FILE_SYSTEM_ERRORS[e.code]} (${e.code})`;
}

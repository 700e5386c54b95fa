// The engine's settings: what one run needs, resolved before any download (src/config.ts
// resolves them from the command line, the config file and the environment). It lies below the
// datasets and the engine alike, so neither imports the other for it; each dataset's own
// settings are in `datasets`, as its schema (pipelines/*.ts `options`) parsed them.
import type { Logger } from 'pino';
import type { FetchOptions } from './acquire/fetch.js';
import type { CheckConfig } from './check/checks.js';
import type { DuckDbSettings } from './load/duckdb-settings.js';
import type { ParquetCompression } from './publish/parquet.js';

/** The output folder when neither --output nor the config file's "output" names one. */
export const DEFAULT_OUTPUT_DIR = 'output';

export interface RunOptions {
  outputDir: string;
  /**
   * Aborted, the run stops at its next step (after each stage, and before the snapshot is
   * published) with a CancelledError, publishing nothing. Default: none (the run goes to its end).
   */
  signal?: AbortSignal;
  crosswalksDir: string;
  /** Pinned releases by dataset, e.g. { oews: '2023', onet: '27.0' }; others are discovered. */
  releases: Record<string, string>;
  /**
   * Each dataset's own settings by dataset name, e.g. { oews: ['nat', 'st'], oews_history:
   * '2014..latest' }: the engine hands them to the dataset and never reads them. A dataset
   * without an entry takes its defaults (pipelines/*.ts `options`).
   */
  datasets?: Record<string, unknown>;
  mirror?: string;
  log: Logger;
  /** The warehouse's DuckDB settings. Default DEFAULT_DUCKDB. */
  duckdb?: DuckDbSettings;
  /** The region of the S3 client (publishing, s3:// sources). Default us-east-1 (DEFAULT_S3_REGION, src/s3.ts). */
  s3Region?: string;
  fetch?: Partial<FetchOptions>;
  /** Check severities and thresholds (config file "checks"). */
  checks?: CheckConfig;
  /** `--publish s3://bucket/prefix`: also publish there (objects first, latest.json last). */
  publish?: string;
  /** S3 endpoint for `publish` and s3:// sources (S3-compatible stores). Default: AWS. */
  s3Endpoint?: string;
  /** Time allowed for the whole S3 publish. Default S3_DEADLINE_MS (src/s3.ts). */
  uploadDeadlineMs?: number;
  /** Published snapshots a refresh keeps (the newest, and always latest's). Default DEFAULT_RETENTION (src/snapshots.ts). */
  retention?: number;
  /** The Parquet files' codec. Default snappy (DEFAULT_PARQUET_COMPRESSION, src/publish/parquet.ts). */
  parquetCompression?: ParquetCompression;
  /** Limit the run to these state FIPS codes (the nation is always kept). Default: every area. */
  areas?: string[];
  /** Rebuild and publish even when no input changed. Default false. */
  force?: boolean;
  /**
   * Build the snapshot's report (site, demand.xlsx, CSV). Default false here; the CLI and the
   * scheduler turn it on unless `--no-report` (or config "report": false) says otherwise.
   */
  report?: boolean;
  /** High-opportunity policy: a name in policies/ or a .json file. Default perkins-default. */
  policy?: string;
  /** Id for this run (logs, runs table). Default: a new UUID. */
  runId?: string;
}

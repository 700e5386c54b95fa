// The shape every dataset has (dlt's source, Observable's loader): the registry in index.ts
// lists them, and the orchestrator, `lmi sources` and the scheduler loop over that list. A
// dataset is one file in pipelines/ exporting one of these, plus its SQL models.
import type { LoadedSource, RunContext, SourceProvenance } from '../src/context.js';
import type { RunOptions } from '../src/run.js';

/** The releases a run takes, resolved once before any download, with its settings. */
export interface RunPlan {
  opts: Omit<RunOptions, 'log'>;
  oewsYear: number;
  onetRelease: string;
  /** OEWS releases for the history tables (with May 2021 when older ones are asked for). */
  historyYears: number[];
  /** Each release a dataset resolves for itself (Dataset.discoverRelease), by dataset name: pinned, or the newest published. */
  releases: Record<string, string>;
}

/** A table a dataset's SQL builds and the snapshot publishes, with what its columns mean. */
export interface PublishedTable {
  /** One row per key (checked before publishing: the generated unique_keys check). */
  key: readonly string[];
  /** Row order of the published files, which the table's model sorts it into (`ORDER BY {{TABLE_order}}`); default the key. */
  order?: string;
  title: string;
  description: string;
  columns: Record<string, string>;
}

export interface Dataset<A = unknown> {
  /** Source name in the manifest, `lmi sources` and `--cron NAME=…`. */
  name: string;
  /** fetched: downloaded into the raw cache (concurrently); vendored: a table in crosswalks/. */
  kind: 'fetched' | 'vendored';
  /** When `lmi schedule` checks it; vendored tables have none. */
  schedule?: { cron: string; why: string };
  /** A release a user may pin with --release NAME=RELEASE: checks it (throws ConfigError). */
  parseRelease?: (release: string) => unknown;
  /**
   * The newest release the source has, asked before any download when none is pinned; the plan
   * keeps it as `releases[name]`. Datasets whose releases the plan resolves by name (oews, onet)
   * have none.
   */
  discoverRelease?: (ctx: RunContext) => Promise<string>;
  /** The files a run with this plan would fetch (none for vendored tables, or when off). */
  urls(plan: RunPlan): { source: string; release: string; url: string }[];
  /** Fetch into the raw cache (vendored tables: read and loaded); undefined when the run does not use it. */
  acquire(ctx: RunContext, plan: RunPlan): Promise<A | undefined>;
  /** What was acquired, for the manifest and the unchanged check. */
  provenance(acquired: A): SourceProvenance[];
  /** Load raw tables from what was acquired. */
  load(ctx: RunContext, acquired: A, plan: RunPlan): Promise<LoadedSource[]>;
  /** When the run does not use it: its empty raw tables, so the SQL reads them all the same. */
  absent?(ctx: RunContext): Promise<void>;
  /** A line the snapshot's manifest and report must carry (licenses). */
  attribution?: string;
  /** Tables of its own that the snapshot publishes (its SQL in sql/marts builds them). */
  publishes?: Record<string, PublishedTable>;
  /**
   * A vendored table's `lmi crosswalks COMMAND FILE…`: makes its CSV and provenance in `dir`
   * from the official files, and returns the line to print.
   */
  importer?: { command: string; description: string; arguments: string[]; run(files: string[], dir: string): Promise<string> };
}

/** A vendored table in crosswalks/: loaded when acquired (its bytes are part of the run's inputs). */
export function vendored(name: string, load: (ctx: RunContext) => Promise<LoadedSource>): Dataset<LoadedSource> {
  return { name, kind: 'vendored', urls: () => [], acquire: (ctx) => load(ctx), provenance: (l) => [l.provenance], load: async (_ctx, l) => [l] };
}

// The shape every dataset has (dlt's source, Observable's loader): the registry in index.ts
// lists them, and the orchestrator, `lmi sources` and the scheduler loop over that list. A
// dataset is one file in pipelines/ exporting one of these, plus its SQL models.
import type { z } from 'zod';
import type { LoadedSource, RunContext, SourceProvenance } from '../src/context.js';
import type { RunOptions } from '../src/settings.js';

/** The releases a run takes, resolved once before any download, with its settings. */
export interface RunPlan {
  opts: Omit<RunOptions, 'log'>;
  /**
   * Each dataset's release by dataset name (Dataset.discoverRelease): pinned with --release, or
   * the newest published; a dataset the run does not use has none.
   */
  releases: Record<string, string>;
}

/** A dataset's settings as the run was given them (undefined: its defaults). */
export function optionsOf<O>(plan: Pick<RunPlan, 'opts'>, dataset: Pick<Dataset<unknown, O>, 'name'>): O | undefined {
  return plan.opts.datasets?.[dataset.name] as O | undefined;
}

/** A command-line flag of a dataset's, in commander's syntax: `--name <value>`, `--name [value]` or `--name`. */
export interface DatasetFlag {
  flags: string;
  description: string;
  /** Given more than once, its values are collected; otherwise giving it twice is an error. Default false. */
  repeatable?: boolean;
}

/**
 * A dataset's own settings: a key of the config file, the `lmi run` flags that set it, and how
 * the two make its value (flags over the config file; ConfigError when they are wrong). The
 * engine hands the value to the dataset (`optionsOf`) and never reads it.
 */
export interface DatasetOptions<O> {
  /** The config file's key, e.g. "oews_scopes". */
  configKey: string;
  /** The config file's value is checked with it (its doc comment is the key's documentation). */
  schema: z.ZodType<O>;
  flags: DatasetFlag[];
  /** The value from the flags commander parsed (by camelCase name) over the config file's value. */
  resolve(flags: Record<string, unknown>, config: O | undefined): O | undefined;
  /** Whether a run with this value reads the dataset at all (its schedule counts only then). */
  inUse(value: O | undefined): boolean;
  /** How this value gives the run state data (for --areas), or undefined; `hint` names the flags that would. */
  stateData?: { has(value: O | undefined): boolean; hint: string };
}

export interface Dataset<A = unknown, O = unknown> {
  /** Source name in the manifest, `lmi sources` and `--cron NAME=…`. */
  name: string;
  /** fetched: downloaded into the raw cache (concurrently); vendored: a table in crosswalks/. */
  kind: 'fetched' | 'vendored';
  /** When `lmi schedule` checks it; vendored tables have none. */
  schedule?: { cron: string; why: string };
  /** What people call it in notes, e.g. "OEWS". Default its name. */
  title?: string;
  /**
   * Its releases as `lmi snapshots` lists them, from a snapshot manifest's sources (label →
   * release; {} when it has none there). Default: not listed.
   */
  headline?: (sources: readonly { source: string; release: string }[]) => Record<string, string>;
  /** Its releases in time order (a larger number is newer), so a run that goes back to an older one says so. */
  releaseOrder?: (release: string) => number;
  /** Its settings (config file key and flags), when it has any. */
  options?: DatasetOptions<O>;
  /** A release a user may pin with --release NAME=RELEASE: checks it (throws ConfigError). */
  parseRelease?: (release: string) => unknown;
  /** Datasets whose releases its plan needs (theirs are resolved first), e.g. ['oews']. */
  after?: readonly string[];
  /**
   * The release the run takes when none is pinned: the newest the source has (asked before any
   * download), or one derived from the releases of `after`; undefined when the run does not use
   * it. The plan keeps it as `releases[name]`.
   */
  discoverRelease?: (ctx: RunContext, plan: RunPlan) => Promise<string | undefined>;
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
  /**
   * A vendored table's `lmi crosswalks COMMAND FILE…`: makes its CSV and provenance in `dir`
   * from the official files, and returns the line to print.
   */
  importer?: {
    command: string;
    description: string;
    /** Its file arguments; a name ending in "..." takes one or more files (the last only). */
    arguments: { name: string; description: string }[];
    /** `files` in the order of `arguments`, a variadic one's files last. */
    run(files: string[], dir: string): Promise<string>;
  };
}

/** A vendored table's importer from one official file: `make` writes its CSV and provenance, `say` the line printed. */
export function fileImporter<P>(
  command: string,
  description: string,
  file: { name: string; description: string },
  make: (file: string, dir: string) => Promise<P>,
  say: (made: P) => string,
): NonNullable<Dataset['importer']> {
  return { command, description, arguments: [file], run: async ([f], dir) => say(await make(f!, dir)) };
}

/** The `headline` of a dataset listed by one source's release. */
export const headlineOf =
  (source: string) =>
  (sources: readonly { source: string; release: string }[]): Record<string, string> => {
    const found = sources.find((s) => s.source === source);
    return found ? { [source]: found.release } : {};
  };

/** A vendored table in crosswalks/: loaded when acquired (its bytes are part of the run's inputs). */
export function vendored(name: string, load: (ctx: RunContext) => Promise<LoadedSource>): Dataset<LoadedSource> {
  return { name, kind: 'vendored', urls: () => [], acquire: (ctx) => load(ctx), provenance: (l) => [l.provenance], load: async (_ctx, l) => [l] };
}

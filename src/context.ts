// What every pipeline receives: side effects (logging, fetching, the warehouse, a scratch
// folder) are passed in, never reached for, so tests and the CLI wire them the same way.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Fetcher, Fetched, FetchOutcome } from './acquire/fetch.js';
import { redactUrl } from './redact.js';
import { applyMirror } from './acquire/mirror.js';
import type { ContentKind } from './acquire/verify.js';
import type { VariableType, Warehouse } from './load/warehouse.js';

export interface RunContext {
  log: Logger;
  fetcher: Fetcher;
  warehouse: Warehouse;
  /** Scratch folder for extracted files and spools; removed after the run. */
  workDir: string;
  /** `--mirror`: a folder or base URL laid out as HOST/PATH. */
  mirror?: string;
  /** Folder of the vendored crosswalk tables (crosswalks/). */
  crosswalksDir: string;
}

/** Manifests written before fetch outcomes had their names said `cache`: fresh, stale or missing. */
const OUTCOME_OF_OLD_CACHE: Record<string, FetchOutcome> = { fresh: 'not_modified', stale: 'updated', missing: 'new' };

export const SourceProvenanceSchema = z.preprocess(
  (v) => (v && typeof v === 'object' && 'cache' in v && !('outcome' in v) ? { ...v, outcome: OUTCOME_OF_OLD_CACHE[String(v.cache)] } : v),
  z.object({
    source: z.string(),
    url: z.string(),
    requested_url: z.string(),
    bytes: z.number(),
    sha256: z.string(),
    fetched_at: z.string(),
    /** What this run's fetch found against the raw cache (src/acquire/fetch.ts). */
    outcome: z.enum(['new', 'updated', 'not_modified']),
    release: z.string(),
  }),
);
export type SourceProvenance = z.infer<typeof SourceProvenanceSchema>;

/** A source file in the raw cache, with what the manifest will say of it. */
export interface Acquired {
  fetched: Fetched;
  provenance: SourceProvenance;
}

/** Fetch a configured URL through the mirror (if any) and describe it for the manifest. */
export async function acquire(ctx: RunContext, source: string, url: string, kind: ContentKind, release: string): Promise<Acquired> {
  const fetched = await ctx.fetcher.fetch(url, applyMirror(url, ctx.mirror), kind);
  return {
    fetched,
    provenance: {
      source,
      // As written into manifests and reports: without a URL's credentials (src/redact.ts).
      url: redactUrl(url),
      requested_url: redactUrl(fetched.requestedUrl),
      bytes: fetched.bytes,
      sha256: fetched.sha256,
      fetched_at: fetched.fetchedAt,
      outcome: fetched.outcome,
      release,
    },
  };
}

/** A dataset's contribution to a run: its provenance and the raw tables it loaded, with row counts. */
export interface LoadedSource {
  provenance: SourceProvenance;
  tables: Record<string, number>;
  /** Facts other stages need (e.g. the projection period), also recorded in the manifest. */
  facts: Record<string, string | number>;
  /** Values its SQL models read with getvariable('name'), bound with their SQL types (src/load/warehouse.ts). */
  variables?: Record<string, { type: VariableType; value: string | number }>;
}

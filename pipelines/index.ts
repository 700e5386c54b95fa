// The dataset registry: every dataset the pipeline reads, each one object of the same shape
// (name, cadence, the URLs a run would fetch, acquire, load, what it leaves when a run does not
// use it, its attribution). The orchestrator (src/run.ts), `lmi sources` and the scheduler loop
// over DATASETS and never name a dataset. Adding a dataset is one file in pipelines/, its entry
// here, and its SQL.
import type { Acquired, LoadedSource, RunContext, SourceProvenance } from '../src/context.js';
import type { RunOptions } from '../src/run.js';
import { loadCareerClusters, loadLegacyClusters } from './career-clusters.js';
import { acquireEmploymentProjections, epOccupationUrl, loadEmploymentProjections, schedule as epSchedule } from './employment-projections.js';
import { loadGeography } from './geography.js';
import { acquireOewsIndustry, createEmptyOewsIndustry, loadIndustryCrosswalk, loadOewsIndustry } from './industries.js';
import { acquireHistory, createEmptyHistory, loadHistory, loadHistoryCrosswalks, parseHistorySpec, WEIGHT_YEAR } from './oews-history.js';
import { acquireOews, discoverOewsYear, loadOews, oewsUrl, parseOewsRelease, schedule as oewsSchedule } from './oews.js';
import { acquireOnet, discoverOnetRelease, loadOnet, ONET_ATTRIBUTION, onetDatabaseUrl, parseOnetRelease, schedule as onetSchedule } from './onet.js';
import { loadPrograms } from './programs.js';
import { acquireProjectionsCentral, createEmptyProjectionsCentral, loadProjectionsCentral, projectionsCentralApiUrl, schedule as pcSchedule, type PcAcquired } from './projections-central.js';

export { OEWS_SCOPES, type OewsScope } from './oews.js';
export { ProjectionsCentralConfigSchema, type ProjectionsCentralConfig } from './projections-central.js';
/** The `lmi crosswalks import-…` commands that make the vendored tables. */
export { importClusterCrosswalk, importLegacyClusters } from './career-clusters.js';
export { importSocStructure } from './soc-structure.js';
export { importProgramCrosswalk } from './programs.js';
export { importNaicsCrosswalk } from './industries.js';
export { importSoc2010Crosswalk } from './oews-history.js';
import { loadSocStructure } from './soc-structure.js';

/** The releases a run takes, resolved once before any download, with its settings. */
export interface RunPlan {
  opts: Omit<RunOptions, 'log'>;
  oewsYear: number;
  onetRelease: string;
  /** OEWS releases for the history tables (with May 2021 when older ones are asked for). */
  historyYears: number[];
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
}

/** A vendored table in crosswalks/: loaded when acquired (its bytes are part of the run's inputs). */
function vendored(name: string, load: (ctx: RunContext) => Promise<LoadedSource>): Dataset<LoadedSource> {
  return { name, kind: 'vendored', urls: () => [], acquire: (ctx) => load(ctx), provenance: (l) => [l.provenance], load: async (_ctx, l) => [l] };
}

const oews: Dataset<Acquired[]> = {
  name: 'oews',
  kind: 'fetched',
  schedule: oewsSchedule,
  parseRelease: parseOewsRelease,
  urls: (plan) => (plan.opts.oewsScopes ?? ['nat']).map((scope) => ({ source: scope === 'nat' ? 'oews' : `oews_${scope}`, release: `May ${plan.oewsYear}`, url: oewsUrl(plan.oewsYear, scope) })),
  acquire: (ctx, plan) => Promise.all((plan.opts.oewsScopes ?? ['nat']).map((scope) => acquireOews(ctx, plan.oewsYear, scope))),
  provenance: (a) => a.map((x) => x.provenance),
  load: (ctx, a, plan) => loadOews(ctx, (plan.opts.oewsScopes ?? ['nat']).map((scope, i) => ({ scope, acquired: a[i]! })), plan.oewsYear),
};

const ep: Dataset<Acquired> = {
  name: 'ep',
  kind: 'fetched',
  schedule: epSchedule,
  urls: () => [{ source: 'ep', release: 'current', url: epOccupationUrl() }],
  acquire: (ctx) => acquireEmploymentProjections(ctx),
  provenance: (a) => [a.provenance],
  load: async (ctx, a) => [await loadEmploymentProjections(ctx, a)],
  attribution: 'Employment and wage estimates and projections: U.S. Bureau of Labor Statistics (public domain).',
};

const onet: Dataset<Acquired> = {
  name: 'onet',
  kind: 'fetched',
  schedule: onetSchedule,
  parseRelease: parseOnetRelease,
  urls: (plan) => [{ source: 'onet', release: plan.onetRelease, url: onetDatabaseUrl(plan.onetRelease) }],
  acquire: (ctx, plan) => acquireOnet(ctx, plan.onetRelease),
  provenance: (a) => [a.provenance],
  load: async (ctx, a, plan) => [await loadOnet(ctx, a, plan.onetRelease)],
  attribution: ONET_ATTRIBUTION,
};

const projectionsCentral: Dataset<PcAcquired> = {
  name: 'projections_central',
  kind: 'fetched',
  schedule: pcSchedule,
  urls: ({ opts }) => (opts.projectionsCentral ? [{ source: 'projections_central', release: 'current', url: opts.projectionsCentral.format === 'csv' ? opts.projectionsCentral.url! : projectionsCentralApiUrl(0) }] : []),
  acquire: async (ctx, { opts }) => (opts.projectionsCentral ? acquireProjectionsCentral(ctx, opts.projectionsCentral) : undefined),
  provenance: (a) => [a.provenance],
  load: async (ctx, a) => [await loadProjectionsCentral(ctx, a)],
  absent: (ctx) => createEmptyProjectionsCentral(ctx.warehouse),
};

const oewsIndustry: Dataset<Acquired> = {
  name: 'oews_industry',
  kind: 'fetched',
  urls: ({ opts, oewsYear }) => (opts.industries ? [{ source: 'oews_industry', release: `May ${oewsYear}`, url: oewsUrl(oewsYear, 'in4') }] : []),
  acquire: async (ctx, { opts, oewsYear }) => (opts.industries ? acquireOewsIndustry(ctx, oewsYear) : undefined),
  provenance: (a) => [a.provenance],
  load: async (ctx, a, plan) => [await loadOewsIndustry(ctx, a, plan.oewsYear)],
  absent: (ctx) => createEmptyOewsIndustry(ctx),
};

const oewsHistory: Dataset<{ year: number; acquired: Acquired }[]> = {
  name: 'oews_history',
  kind: 'fetched',
  urls: ({ historyYears }) => historyYears.map((year) => ({ source: `oews_history_${year}`, release: `May ${year}`, url: oewsUrl(year, 'nat') })),
  acquire: async (ctx, { historyYears }) => (historyYears.length ? acquireHistory(ctx, historyYears) : undefined),
  provenance: (a) => a.map((h) => h.acquired.provenance),
  load: (ctx, a) => loadHistory(ctx, a),
  absent: (ctx) => createEmptyHistory(ctx),
};

/**
 * Every dataset, in the order runs load them (which is also the manifest's order). The vendored
 * tables come after the fetched sources.
 */
export const DATASETS: readonly Dataset<any>[] = [
  oews,
  ep,
  onet,
  projectionsCentral,
  oewsIndustry,
  oewsHistory,
  vendored('soc_structure', loadSocStructure),
  vendored('career_clusters', loadCareerClusters),
  vendored('legacy_clusters', loadLegacyClusters),
  vendored('geography', loadGeography),
  { ...vendored('programs', loadPrograms), attribution: 'Career Clusters: Advance CTE, National Career Clusters® Framework (2024).' },
  vendored('industry_crosswalk', loadIndustryCrosswalk),
  vendored('soc_2010_crosswalk', loadHistoryCrosswalks),
];

/** Datasets whose release a user may pin with --release NAME=RELEASE. */
export const PINNABLE = DATASETS.filter((d) => d.parseRelease);

/** Resolve the releases a run takes: pinned ones checked, the others discovered. */
export async function resolvePlan(ctx: Pick<RunContext, 'fetcher' | 'mirror' | 'log'>, opts: Omit<RunOptions, 'log'>): Promise<RunPlan> {
  const oewsYear = opts.releases.oews ? parseOewsRelease(opts.releases.oews) : await discoverOewsYear(ctx as RunContext);
  const onetRelease = opts.releases.onet ?? (await discoverOnetRelease(ctx as RunContext));
  // History: the releases asked for, and May 2021 (its employment weights the split codes).
  const historyYears = opts.history ? parseHistorySpec(opts.history, oewsYear) : [];
  if (historyYears.length && historyYears[0]! < WEIGHT_YEAR && !historyYears.includes(WEIGHT_YEAR)) historyYears.push(WEIGHT_YEAR);
  return { opts, oewsYear, onetRelease, historyYears: historyYears.sort() };
}

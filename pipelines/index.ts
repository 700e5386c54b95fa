// The dataset registry: every dataset the pipeline reads, each one object of the same shape
// (./dataset.ts) exported by its own file. The orchestrator (src/run.ts), `lmi sources`, the
// scheduler and the snapshot's table list loop over DATASETS and never name a dataset. Adding
// a dataset is one file in pipelines/, its SQL models, and its line below.
import type { RunContext } from '../src/context.js';
import type { RunOptions } from '../src/run.js';
import { careerClustersDataset, legacyClustersDataset } from './career-clusters.js';
import { cipClustersDataset } from './cip-clusters.js';
import { cipSocDataset } from './cip-soc.js';
import type { Dataset, PublishedTable, RunPlan } from './dataset.js';
import { epDataset } from './employment-projections.js';
import { epSeparationsDataset } from './ep-separations.js';
import { geographyDataset } from './geography.js';
import { industryCrosswalkDataset, oewsIndustryDataset } from './industries.js';
import { ipedsDataset } from './ipeds.js';
import { oewsHistoryDataset, parseHistorySpec, soc2010CrosswalkDataset, WEIGHT_YEAR } from './oews-history.js';
import { discoverOewsYear, oewsDataset, parseOewsRelease } from './oews.js';
import { discoverOnetRelease, onetDataset } from './onet.js';
import { programsDataset } from './programs.js';
import { projectionsCentralDataset } from './projections-central.js';
import { socStructureDataset } from './soc-structure.js';
import { supplyTablesDataset } from './supply-tables.js';

export type { Dataset, PublishedTable, RunPlan } from './dataset.js';
export { OEWS_SCOPES, type OewsScope } from './oews.js';
export { ProjectionsCentralConfigSchema, type ProjectionsCentralConfig } from './projections-central.js';
/** The `lmi crosswalks import-…` commands that make the vendored tables. */
export { importClusterCrosswalk, importLegacyClusters } from './career-clusters.js';
export { importSocStructure } from './soc-structure.js';
export { importProgramCrosswalk } from './programs.js';
export { importNaicsCrosswalk } from './industries.js';
export { importSoc2010Crosswalk } from './oews-history.js';

/**
 * Every dataset, in the order runs load them (which is also the manifest's order). The vendored
 * tables come after the fetched sources.
 */
export const DATASETS: readonly Dataset<any>[] = [
  oewsDataset,
  epDataset,
  epSeparationsDataset,
  onetDataset,
  projectionsCentralDataset,
  oewsIndustryDataset,
  oewsHistoryDataset,
  ipedsDataset,
  cipSocDataset,
  socStructureDataset,
  careerClustersDataset,
  legacyClustersDataset,
  geographyDataset,
  programsDataset,
  industryCrosswalkDataset,
  soc2010CrosswalkDataset,
  cipClustersDataset,
  supplyTablesDataset,
];

/** Datasets whose release a user may pin with --release NAME=RELEASE. */
export const PINNABLE = DATASETS.filter((d) => d.parseRelease);

/** The tables the datasets publish of their own, by name (the snapshot adds them to its core tables). */
export const DATASET_TABLES: Record<string, PublishedTable> = Object.assign({}, ...DATASETS.map((d) => d.publishes ?? {}));

/** Resolve the releases a run takes: pinned ones checked, the others discovered. */
export async function resolvePlan(ctx: Pick<RunContext, 'fetcher' | 'mirror' | 'log'>, opts: Omit<RunOptions, 'log'>): Promise<RunPlan> {
  const oewsYear = opts.releases.oews ? parseOewsRelease(opts.releases.oews) : await discoverOewsYear(ctx as RunContext);
  const onetRelease = opts.releases.onet ?? (await discoverOnetRelease(ctx as RunContext));
  // History: the releases asked for, and May 2021 (its employment weights the split codes).
  const historyYears = opts.history ? parseHistorySpec(opts.history, oewsYear) : [];
  if (historyYears.length && historyYears[0]! < WEIGHT_YEAR && !historyYears.includes(WEIGHT_YEAR)) historyYears.push(WEIGHT_YEAR);
  const releases: Record<string, string> = {};
  for (const d of DATASETS) if (d.discoverRelease) releases[d.name] = opts.releases[d.name] ?? (await d.discoverRelease(ctx as RunContext));
  return { opts, oewsYear, onetRelease, historyYears: historyYears.sort(), releases };
}

// The dataset registry: every dataset the pipeline reads, each one object of the same shape
// (./dataset.ts) exported by its own file. The orchestrator (src/run.ts), `lmi sources`, the
// scheduler and the snapshot's table list loop over DATASETS and never name a dataset. Adding
// a dataset is one file in pipelines/, its SQL models, and its line below.
import type { RunContext } from '../src/context.js';
import type { RunOptions } from '../src/settings.js';
import { careerClustersDataset, legacyClustersDataset } from './career-clusters.js';
import { cipClustersDataset } from './cip-clusters.js';
import { cipSocDataset } from './cip-soc.js';
import type { Dataset, RunPlan } from './dataset.js';
import { epDataset } from './employment-projections.js';
import { epSeparationsDataset } from './ep-separations.js';
import { geographyDataset } from './geography.js';
import { industryCrosswalkDataset, oewsIndustryDataset } from './industries.js';
import { ipedsDataset } from './ipeds.js';
import { oewsHistoryDataset, soc2010CrosswalkDataset } from './oews-history.js';
import { oewsDataset } from './oews.js';
import { onetDataset } from './onet.js';
import { programsDataset } from './programs.js';
import { projectionsCentralDataset } from './projections-central.js';
import { socStructureDataset } from './soc-structure.js';
import { supplyTablesDataset } from './supply-tables.js';
import { DefinitionError } from '../src/errors.js';

export type { Dataset, DatasetOptions, RunPlan } from './dataset.js';

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

/** The datasets that have settings of their own (a config file key and flags). */
export const CONFIGURABLE = DATASETS.filter((d) => d.options);

/**
 * Resolve the releases a run takes: pinned ones as given (checked by config.ts), the others
 * discovered, each after the datasets it names in `after`.
 */
export async function resolvePlan(ctx: Pick<RunContext, 'fetcher' | 'mirror' | 'log'>, opts: Omit<RunOptions, 'log'>): Promise<RunPlan> {
  const plan: RunPlan = { opts, releases: {} };
  const done = new Set<string>();
  const pending = [...DATASETS];
  while (pending.length) {
    const next = pending.findIndex((d) => (d.after ?? []).every((name) => done.has(name)));
    if (next < 0) throw new DefinitionError(`pipelines: the datasets ${pending.map((d) => d.name).join(', ')} name each other in \`after\` (or a dataset that does not exist)`);
    const d = pending.splice(next, 1)[0]!;
    const release = opts.releases[d.name] ?? (await d.discoverRelease?.(ctx as RunContext, plan));
    if (release !== undefined) plan.releases[d.name] = release;
    done.add(d.name);
  }
  return plan;
}

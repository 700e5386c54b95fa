// One refresh, end to end: acquire → extract → load → transform → check → publish.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DATASETS, resolvePlan, type Dataset, type RunPlan } from '../pipelines/index.js';
import { compilePolicy, DEFAULT_POLICY, loadBrightOutlook, loadPolicy } from './transform/policy.js';
import { type RunModelsOptions, runModels, SQL_STAGES } from './transform/models.js';
import { RawCache } from './acquire/cache.js';
import { Fetcher } from './acquire/fetch.js';
import { describeFailures, loadChecks, runChecks, type QualityReport } from './check/checks.js';
import type { LoadedSource, RunContext, SourceProvenance } from './context.js';
import { DEFAULT_PARQUET_COMPRESSION } from './publish/parquet.js';
import { CancelledError, ConfigError, QualityError } from './errors.js';
import { listSnapshots } from './snapshots.js';
import { sha256Text, writeJsonAtomic } from './fsutil.js';
import { LoadProgress } from './load/progress.js';
import { ConnectionPool } from './load/pool.js';
import { Warehouse } from './load/warehouse.js';
import { settleAll } from './promises.js';
import { redactUrls } from './redact.js';
import { PROJECT_ROOT, SQL_DIR } from './paths.js';
import { validateSettings } from './config.js';
import type { RunOptions } from './settings.js';
import { readLatest, readManifest, type Manifest } from './publish/manifest.js';
import { SnapshotDraft, publishedOrderSql, uniqueKeysSql } from './publish/snapshot.js';
import { publishedTables } from './publish/tables.js';
import { modelLineage, type TableLineage } from './transform/lineage.js';

export type { RunOptions } from './settings.js';

export type RunResult =
  /** `notes`: what a person should know about what was published (e.g. latest now holds an older release). */
  | {
      status: 'published';
      runId: string;
      snapshotId: string;
      snapshotDir: string;
      manifest: Manifest;
      quality: QualityReport;
      bytesDownloaded: number;
      sourcesChanged: string[];
      notes: string[];
    }
  /** No source changed since the latest snapshot: `snapshotId` is that snapshot. */
  | { status: 'unchanged'; runId: string; snapshotId: string; bytesDownloaded: number; sourcesChanged: string[] };

/** sha256 of every SQL model, check and table declaration: a changed model means changed output, even uncommitted. */
function sqlHash(): string {
  const files = readdirSync(SQL_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.sql') || f.endsWith('.yml'))
    .sort();
  return sha256Text(files.map((f) => `${f}\n${readFileSync(path.join(SQL_DIR, f), 'utf8')}`).join('\n'));
}

export function codeVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    return `${pkg.version}+${commit}`;
  } catch {
    return pkg.version;
  }
}

/** The latest snapshot's cluster demand as previous_cluster_demand (empty when there is none). */
async function attachPrevious(warehouse: Warehouse, outputDir: string): Promise<void> {
  const latest = await readLatest(outputDir);
  const file = latest && path.join(outputDir, latest.path, 'cluster_demand.parquet');
  if (file && existsSync(file)) {
    await warehouse.run('CREATE OR REPLACE TABLE previous_cluster_demand AS SELECT * FROM read_parquet($file)', { file });
    // Snapshots from before the framework column held the 2024 framework only.
    const columns = await warehouse.all<{ column_name: string }>('DESCRIBE previous_cluster_demand');
    if (!columns.some((c) => c.column_name === 'framework')) await warehouse.run("ALTER TABLE previous_cluster_demand ADD COLUMN framework VARCHAR DEFAULT '2024'");
  } else await warehouse.run('CREATE OR REPLACE TABLE previous_cluster_demand AS SELECT * FROM cluster_demand WHERE false');
}

/**
 * `latest` means the snapshot published last (see README), so a pinned older release becomes
 * latest: say so, naming the releases that went back.
 */
function olderReleaseNotes(previous: Manifest | undefined, published: Manifest): string[] {
  if (!previous) return [];
  return DATASETS.flatMap((d) => {
    if (!d.releaseOrder || !d.headline) return [];
    const [now, before] = [d.headline(published.sources), d.headline(previous.sources)];
    return Object.entries(now)
      .filter(([label, release]) => before[label] !== undefined && d.releaseOrder!(release) < d.releaseOrder!(before[label]!))
      .map(
        ([label, release]) =>
          `latest.json now points at ${d.title ?? d.name} ${release} data, older than the previous latest snapshot ${previous.snapshot_id} (${before[label]}): latest means the snapshot published last, not the newest release`,
      );
  });
}

/**
 * Tables that had rows in the previous latest and have none now, and sources it had that this run
 * left out: a scheduled run that forgot --history or --industries would otherwise strip them
 * from what a board reads, silently.
 */
function droppedTableNotes(previous: Manifest | undefined, published: Manifest): string[] {
  if (!previous) return [];
  const emptied = Object.entries(previous.tables)
    .filter(([table, t]) => t.rows > 0 && !(published.tables[table]?.rows ?? 0))
    .map(([table]) => table);
  if (!emptied.length) return [];
  const now = new Set(published.sources.map((s) => s.source));
  const missing = [...new Set(previous.sources.map((s) => s.source).filter((s) => !now.has(s)))];
  return [
    `this snapshot has no rows in ${emptied.join(', ')}, which the previous latest snapshot ${previous.snapshot_id} had${missing.length ? ` (from ${missing.join(', ')}, which this run did not read)` : ''}: run with the options that made it (lmi run --help; or keep them in the config file the scheduler reads) to publish them again`,
  ];
}

/** What a run reads besides its sources, loaded (and checked) before any download. */
interface RunSettings {
  policy: Awaited<ReturnType<typeof loadPolicy>>;
  bright: Awaited<ReturnType<typeof loadBrightOutlook>>;
  checks: Awaited<ReturnType<typeof loadChecks>>;
}

async function loadSettings(opts: RunOptions): Promise<RunSettings> {
  validateSettings(opts);
  return {
    policy: await loadPolicy(opts.policy ?? DEFAULT_POLICY),
    bright: await loadBrightOutlook(),
    checks: await loadChecks(path.join(SQL_DIR, 'checks'), opts.checks, {
      unique_keys: `-- severity: error\n-- Each published table has one row per key (the keys declared beside its model, sql/marts/*.yml).\n${uniqueKeysSql()}`,
    }),
  };
}

/**
 * acquire: every dataset the run uses into the raw cache, concurrently (p-limit caps each
 * host); meanwhile the vendored tables are read from crosswalks/ into DuckDB, one after another
 * on the run's connection (the downloads and their checks are Node's work, the loads DuckDB's,
 * so the two overlap). A dataset the run does not use acquires nothing (undefined).
 */
async function acquireAll(ctx: RunContext, plan: RunPlan): Promise<Map<Dataset, unknown>> {
  const fetched = DATASETS.filter((d) => d.kind === 'fetched');
  const vendored = DATASETS.filter((d) => d.kind === 'vendored');
  const [acquiredFetched, acquiredVendored] = await settleAll([
    settleAll(fetched.map((d) => d.acquire(ctx, plan))),
    (async () => {
      const loaded: unknown[] = [];
      for (const d of vendored) loaded.push(await d.acquire(ctx, plan));
      return loaded;
    })(),
  ] as const);
  return new Map<Dataset, unknown>([...fetched.map((d, i) => [d, acquiredFetched[i]] as const), ...vendored.map((d, i) => [d, acquiredVendored[i]] as const)]);
}

/** The hash of everything a snapshot is made from: same hash, same snapshot (nothing to publish). */
function inputHashOf(provenance: SourceProvenance[], version: string, opts: RunOptions, settings: RunSettings): string {
  return sha256Text(
    JSON.stringify({
      sources: provenance.map((p) => [p.source, p.sha256]),
      version,
      sql: sqlHash(),
      checks: opts.checks ?? {},
      areas: opts.areas ?? [],
      policy: sha256Text(settings.policy.text),
      report: opts.report ?? false,
      bright: sha256Text(settings.bright.text),
      parquet: opts.parquetCompression ?? DEFAULT_PARQUET_COMPRESSION,
    }),
  );
}

/** extract → load: each dataset its raw tables; one the run does not use, its empty ones. */
async function loadAll(
  ctx: RunContext,
  plan: RunPlan,
  acquired: Map<Dataset, unknown>,
  progress: LoadProgress,
): Promise<{ loaded: LoadedSource[]; rawTableDatasets: Map<string, string> }> {
  const loaded: LoadedSource[] = [];
  const rawTableDatasets = new Map<string, string>();
  try {
    await ctx.warehouse.run('CREATE OR REPLACE TABLE run_areas AS SELECT unnest($areas::VARCHAR[]) AS state_fips', { areas: JSON.stringify(plan.opts.areas ?? []) });
    // The vendored tables were loaded when acquired: the models reading only them start now.
    await progress.loaded([]);
    // One after another: side by side on connections of their own was slower, as the workbooks
    // and CSV files are parsed in Node, on its one thread.
    for (const d of DATASETS) {
      const started = performance.now();
      if (acquired.get(d) === undefined) {
        await d.absent?.(ctx);
        await progress.loaded([]);
        continue;
      }
      const sources = await d.load(ctx, acquired.get(d), plan);
      const ms = Math.round(performance.now() - started);
      for (const source of sources) {
        ctx.log.info({ event: 'loaded', source: source.provenance.source, release: source.provenance.release, tables: source.tables, ms }, 'loaded');
        // A key may name the file too: "raw_oews (national_M2024_dl.xlsx)".
        for (const table of Object.keys(source.tables)) rawTableDatasets.set(table.split(' ')[0]!, d.name);
      }
      loaded.push(...sources);
      await progress.loaded(sources);
    }
    await ctx.warehouse.loadsOf();
  } catch (err) {
    progress.end(err);
    throw err;
  }
  progress.end();
  return { loaded, rawTableDatasets };
}

/** Each published table's lineage (src/transform/lineage.ts) with the datasets this run loaded its raw tables from. */
function lineageOf(rawTableDatasets: Map<string, string>): Record<string, TableLineage & { datasets: string[] }> {
  const lineage = modelLineage();
  return Object.fromEntries(
    Object.keys(publishedTables()).map((table) => {
      const l = lineage[table]!;
      const datasets = DATASETS.map((d) => d.name).filter((name) => l.raw_tables.some((t) => rawTableDatasets.get(t) === name));
      return [table, { ...l, datasets }];
    }),
  );
}

/**
 * transform, one stage of models (SQL_STAGES): the values the datasets hand their
 * models (release labels, top codes …) and the run's policy reach the SQL as bound variables
 * (getvariable('…')), the policy's rules as the SQL expressions they compile to.
 */
async function transform(ctx: RunContext, stage: keyof typeof SQL_STAGES, policySql: Record<string, string>, options: RunModelsOptions): Promise<void> {
  const ms = await runModels(
    ctx.warehouse,
    SQL_STAGES[stage].map((layer) => path.join(SQL_DIR, layer)),
    policySql,
    options,
  );
  ctx.log.info({ event: 'transformed', stage, ms }, 'transformed');
}

/** The variables of the marts' run settings: the Bright Outlook edition the projections period selects, and the policy's name. */
async function setMartVariables(warehouse: Warehouse, facts: Record<string, string | number>, { policy, bright }: RunSettings) {
  const brightEdition = bright.config.editions[String(facts.ep_period)];
  if (!brightEdition) throw new ConfigError(`policies/bright-outlook.json has no threshold for the ${facts.ep_period} projections: add that edition with its source`);
  await warehouse.setVariables({
    bright_growth_pct: { type: 'DOUBLE', value: brightEdition.faster_than_average_pct },
    bright_openings: { type: 'DOUBLE', value: brightEdition.openings_over_period },
    policy_name: { type: 'VARCHAR', value: policy.policy.name },
  });
  return brightEdition;
}

/** --areas asks for states; say which of them no source had any rows for. */
async function missingAreaNotes(warehouse: Warehouse): Promise<string[]> {
  const missing = await warehouse.all<{ state_fips: string }>(
    'SELECT state_fips FROM run_areas WHERE state_fips NOT IN (SELECT state_fips FROM dim_area WHERE state_fips IS NOT NULL) ORDER BY 1',
  );
  if (!missing.length) return [];
  const one = missing.length === 1;
  return [`--areas ${missing.map((a) => a.state_fips).join(',')}: no source has data for ${one ? 'this area' : 'these areas'}; the snapshot has none of ${one ? 'it' : 'them'}`];
}

/**
 * check: the data tests (against the previous snapshot too, for drift). A failure at error
 * severity stops the run, keeping quality.json under runs/RUN_ID for inspection.
 */
async function check(ctx: RunContext, checks: RunSettings['checks'], outputDir: string, runId: string, pool: ConnectionPool): Promise<QualityReport> {
  await attachPrevious(ctx.warehouse, outputDir);
  const started = performance.now();
  const quality = await runChecks(ctx.warehouse, checks, pool);
  ctx.log.info({ event: 'checked', status: quality.status, checks: quality.checks.length, ms: Math.round(performance.now() - started) }, 'checked');
  for (const c of quality.checks.filter((c) => c.status === 'fail'))
    ctx.log[c.severity === 'error' ? 'error' : 'warn']({ event: 'check_failed', check: c.name, failing_rows: c.failing_rows, sample: c.sample.slice(0, 3) }, 'check failed');
  if (quality.status === 'fail') {
    const failedDir = path.join(outputDir, 'runs', runId);
    await writeJsonAtomic(path.join(failedDir, 'quality.json'), quality);
    throw new QualityError(`data checks failed: ${describeFailures(quality)}; nothing published (see ${path.join(failedDir, 'quality.json')})`);
  }
  return quality;
}

/** A cancelled run stops here: the CancelledError its signal was aborted with (SIGINT's, by default). */
function stopIfCancelled(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason instanceof CancelledError ? signal.reason : new CancelledError(130);
}

/** One run: plan → acquire → (unchanged? stop) → load → transform → check → publish. */
export async function runPipeline(opts: RunOptions): Promise<RunResult> {
  // Settings first: a mistake should fail before any download.
  const settings = await loadSettings(opts);
  const runId = opts.runId ?? randomUUID();
  const log = opts.log.child({ run: runId });
  const workDir = path.join(opts.outputDir, '.work', runId);
  await mkdir(workDir, { recursive: true });
  const warehouse = await Warehouse.open(path.join(opts.outputDir, 'warehouse.duckdb'), { duckdb: opts.duckdb });
  const fetcher = new Fetcher(new RawCache(path.join(opts.outputDir, 'cache')), log, { s3Endpoint: opts.s3Endpoint, s3Region: opts.s3Region, ...opts.fetch });
  const ctx: RunContext = { log, fetcher, warehouse, workDir, mirror: opts.mirror, crosswalksDir: opts.crosswalksDir };
  try {
    // plan: the releases the run takes (pinned, or discovered from the source)
    const plan = await resolvePlan(ctx, opts);
    stopIfCancelled(opts.signal);
    // The datasets' settings as given (a URL among them may carry credentials).
    log.info({ event: 'releases', ...plan.releases, options: JSON.parse(redactUrls(JSON.stringify(opts.datasets ?? {}))) }, 'releases');

    const acquired = await acquireAll(ctx, plan);
    stopIfCancelled(opts.signal);
    const provenance = DATASETS.filter((d) => acquired.get(d) !== undefined).flatMap((d) => d.provenance(acquired.get(d)));
    const sourcesChanged = provenance.filter((p) => p.outcome !== 'not_modified').map((p) => p.source);

    // Nothing new upstream (same bytes, same code and settings) means nothing new to publish.
    const version = codeVersion();
    const inputHash = inputHashOf(provenance, version, opts, settings);
    const latest = await readLatest(opts.outputDir);
    const previous = latest && (await readManifest(opts.outputDir, latest.snapshot_id).catch(() => undefined));
    // Unchanged only where the run publishes: an S3 target that lacks the latest snapshot (a
    // first --publish, or an upload that died) gets a new one.
    const targetCurrent = async () =>
      !opts.publish ||
      (await (await import('./publish/s3.js')).readS3Latest(opts.publish, { endpoint: opts.s3Endpoint, region: opts.s3Region }))?.snapshot_id === latest?.snapshot_id;
    if (!opts.force && latest && previous?.input_hash === inputHash && (await targetCurrent())) {
      log.info(
        { event: 'unchanged', snapshot: latest.snapshot_id, bytes_downloaded: fetcher.bytesDownloaded },
        'unchanged: no source changed since the latest snapshot; nothing published',
      );
      return { status: 'unchanged', runId, snapshotId: latest.snapshot_id, bytesDownloaded: fetcher.bytesDownloaded, sourcesChanged };
    }

    const createdAt = new Date().toISOString();
    const snapshotId = `${createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${inputHash.slice(0, 8)}`;
    // load, transform, check and publish share one pool of connections: the staging models run
    // while later datasets load, and each published table is written as soon as the marts have
    // built it, while later models and the checks still run (into a hidden folder: a failed
    // check discards it, and nothing published changes).
    const pool = await ConnectionPool.open(warehouse, undefined, { ownConnections: true });
    try {
      const progress = new LoadProgress(warehouse);
      const policySql = compilePolicy(settings.policy.policy);
      const [{ loaded, rawTableDatasets }] = await settleAll([
        loadAll(ctx, plan, acquired, progress),
        transform(ctx, 'staging', policySql, { pool, inputsReady: (model) => progress.ready(model) }),
      ] as const);
      // Only the staging models read the raw tables (README: sql/staging): their memory goes to the marts.
      await warehouse.dropRunTables((table) => !table.startsWith('raw_'));
      stopIfCancelled(opts.signal);
      const facts = Object.assign({}, ...loaded.map((l) => l.facts)) as Record<string, string | number>;
      const brightEdition = await setMartVariables(warehouse, facts, settings);
      const draft = await SnapshotDraft.start({
        warehouse,
        pool,
        outputDir: opts.outputDir,
        snapshotId,
        onCleanupError: (err, what) => log.error({ err: err.message }, `cleanup failed after the run failed: ${what}`),
        compression: opts.parquetCompression,
      });
      try {
        // Each published table is built in its published order, and written once built.
        await transform(ctx, 'marts', { ...policySql, ...publishedOrderSql() }, { pool, onBuilt: (name) => draft.write(name) });
        const areaNotes = await missingAreaNotes(warehouse);
        stopIfCancelled(opts.signal);
        for (const note of areaNotes) log.warn(note);
        const quality = await check(ctx, settings.checks, opts.outputDir, runId, pool);
        stopIfCancelled(opts.signal);
        // The staging and intermediate tables are not needed any more: their memory goes to the publish.
        await warehouse.dropRunTables((table) => table in publishedTables());

        // publish
        const { policy } = settings;
        const target = opts.publish;
        const { dir, manifest } = await draft.publish({
          quality,
          lineage: lineageOf(rawTableDatasets),
          report: opts.report ?? false,
          // The AWS SDK is imported only by runs that publish to S3 (it is slow to load).
          remote: target
            ? async (snapshotDir, latest) =>
                void (await (
                  await import('./publish/s3.js')
                ).publishToS3(snapshotDir, latest, target, { endpoint: opts.s3Endpoint, region: opts.s3Region, deadlineMs: opts.uploadDeadlineMs }, log, {
                  keep: (await listSnapshots(opts.outputDir)).map((s) => s.snapshot_id),
                }))
            : undefined,
          manifest: {
            run_id: runId,
            created_at: createdAt,
            code_version: version,
            input_hash: inputHash,
            sources: loaded.map((l) => l.provenance),
            facts,
            crosswalk_version: String(facts.crosswalk_version),
            policy: { name: policy.policy.name, version: policy.policy.version, title: policy.policy.title, sha256: sha256Text(policy.text), sources: policy.policy.sources },
            bright_outlook: { edition: String(facts.ep_period), ...brightEdition },
            quality: quality.status,
            attribution: DATASETS.flatMap((d) => (d.attribution ? [d.attribution] : [])),
          },
        });
        log.info({ event: 'published', snapshot: snapshotId, dir, tables: manifest.tables }, 'published');
        const notes = [...areaNotes, ...olderReleaseNotes(previous, manifest), ...droppedTableNotes(previous, manifest)];
        for (const note of notes) log.warn(note);
        return { status: 'published', runId, snapshotId, snapshotDir: dir, manifest, quality, bytesDownloaded: fetcher.bytesDownloaded, sourcesChanged, notes };
      } catch (err) {
        await draft.discard();
        throw err;
      }
    } finally {
      pool.close();
    }
  } finally {
    warehouse.close();
    // Scratch files only: a failure here must not hide the run's own outcome (the next run's sweep retries).
    await rm(workDir, { recursive: true, force: true }).catch((err: Error) => log.warn({ err: err.message, dir: workDir }, 'could not remove the scratch folder'));
  }
}

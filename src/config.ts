// One module for the settings of a run: the config file's schema, the one precedence rule
// (command-line flags over the config file over environment variables over defaults), and every
// value check, done before the first request. The CLI commands (run, sources, schedule) resolve
// their options here; runPipeline validates them here before it fetches anything. A dataset's
// own settings (a key of the config file, its flags) are declared by the dataset
// (pipelines/*.ts `options`) and resolved here by looping over the registry.
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { z } from 'zod';
import { CONFIGURABLE, PINNABLE } from '../pipelines/index.js';
import { CheckConfigSchema } from './check/checks.js';
import { type Environment, environment } from './env.js';
import { ConfigError } from './errors.js';
import { LOG_FORMATS, type LogFormat } from './log.js';
import { crosswalksDirDefault } from './paths.js';
import { PARQUET_COMPRESSIONS } from './publish/parquet.js';
import { DEFAULT_OUTPUT_DIR, type RunOptions } from './settings.js';

/** The config file's keys for the engine; each dataset with settings adds its own (below). */
const EngineConfigSchema = z.object({
  output: z.string().optional(),
  mirror: z.string().optional(),
  contact: z.string().email().optional(),
  releases: z.record(z.string(), z.string()).optional(),
  crosswalks: z.string().optional(),
  /** Per-check severity and thresholds, e.g. { "coverage": { "floor_pct": 99.9 } }. */
  checks: CheckConfigSchema.optional(),
  publish: z.string().optional(),
  s3_endpoint: z.string().optional(),
  /** Published snapshots to keep, the newest (latest's always): default 10. */
  retention: z.number().int().min(1).max(100_000).optional(),
  /** The Parquet files' codec: snappy (default: every reader has it), zstd, gzip or uncompressed. */
  parquet_compression: z.enum(PARQUET_COMPRESSIONS).optional(),
  /**
   * Deadlines in seconds: one download (a URL, retries included; default 1200) and the whole
   * S3 publish (default 1800). A source or store that never finishes must not hold the run lock.
   */
  timeouts: z
    .object({ download_s: z.number().positive().max(86_400).optional(), upload_s: z.number().positive().max(86_400).optional() })
    .strict()
    .optional(),
  areas: z.array(z.string()).optional(),
  /** Cron expressions by source for lmi schedule, e.g. { "onet": "0 6 * * *" }. */
  schedule: z.record(z.string(), z.string()).optional(),
  policy: z.string().optional(),
  /** Build the report (site, demand.xlsx, CSV) in each snapshot. Default true. */
  report: z.boolean().optional(),
});

/** The config file (--config FILE, JSON): the engine's keys and each dataset's. Command-line options win over it; it wins over defaults. */
export const ConfigFileSchema = EngineConfigSchema.extend(
  Object.fromEntries(CONFIGURABLE.map((d) => [d.options!.configKey, d.options!.schema.optional()])) as Record<string, z.ZodOptional<z.ZodType>>,
).strict();
export type ConfigFile = z.infer<typeof EngineConfigSchema> & Record<string, unknown>;

export async function readConfigFile(file: string | undefined): Promise<ConfigFile> {
  if (!file) return {};
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`--config ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

export function parseReleaseOptions(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const m = /^([a-z_]+)=(.+)$/i.exec(pair);
    if (!m) throw new ConfigError(`--release ${pair}: expected SOURCE=RELEASE, e.g. oews=2023`);
    const name = m[1]!.toLowerCase();
    if (out[name] !== undefined && out[name] !== m[2]) throw new ConfigError(`--release ${name}=${out[name]} and --release ${pair} pin different releases: give one`);
    out[name] = m[2]!;
  }
  return out;
}

/** The engine's flags as commander parsed them; a dataset's own flags come beside them (by camelCase name). */
export interface SourceFlags {
  policy?: string;
  areas?: string;
  publish?: string;
  s3Endpoint?: string;
  output?: string;
  release?: string[];
  logFormat?: string;
  oewsYear?: string;
  mirror?: string;
  config?: string;
  contact?: string;
  report?: boolean;
  [datasetFlag: string]: unknown;
}

export function logFormatOption(flags: SourceFlags): LogFormat | undefined {
  if (flags.logFormat === undefined) return undefined;
  if (!(LOG_FORMATS as readonly string[]).includes(flags.logFormat)) throw new ConfigError(`--log-format ${flags.logFormat}: expected ${LOG_FORMATS.join(' or ')}`);
  return flags.logFormat as LogFormat;
}

/**
 * The output folder of a command: --output, else the config file's "output", else
 * DEFAULT_OUTPUT_DIR; every command that reads or writes the folder resolves it here.
 */
export async function resolveOutputDir(flags: { output?: string; config?: string }): Promise<string> {
  return path.resolve(flags.output ?? (await readConfigFile(flags.config)).output ?? DEFAULT_OUTPUT_DIR);
}

/**
 * A run's settings: command-line flags over the config file over the environment (`env`, read
 * once by src/env.ts) over the defaults declared with each setting.
 */
export async function resolveSourceOptions(flags: SourceFlags, givenOnCommandLine: (name: string) => boolean, env: Environment = environment()): Promise<Omit<RunOptions, 'log'>> {
  const config = await readConfigFile(flags.config);
  const fromCli = givenOnCommandLine;
  const policy = flags.policy ?? config.policy;
  validateReleases(config.releases ?? {}, (name) => `${flags.config}: releases.${name}`);
  const pinned = parseReleaseOptions(flags.release ?? []);
  if (flags.oewsYear) {
    if (pinned.oews && pinned.oews !== flags.oewsYear)
      throw new ConfigError(`--oews-year ${flags.oewsYear} and --release oews=${pinned.oews} pin different OEWS releases: give one`);
    pinned.oews = flags.oewsYear;
  }
  const releases = { ...config.releases, ...pinned };
  validateReleases(releases);
  const crosswalksDir = config.crosswalks ? path.resolve(config.crosswalks) : crosswalksDirDefault();
  return {
    outputDir: path.resolve(flags.output ?? config.output ?? DEFAULT_OUTPUT_DIR),
    crosswalksDir,
    releases,
    mirror: flags.mirror ?? config.mirror,
    fetch: {
      contact: flags.contact ?? config.contact ?? env.LMI_CONTACT,
      ...(config.timeouts?.download_s ? { deadlineMs: config.timeouts.download_s * 1000 } : {}),
    },
    uploadDeadlineMs: config.timeouts?.upload_s && config.timeouts.upload_s * 1000,
    parquetCompression: config.parquet_compression,
    retention: config.retention,
    checks: config.checks,
    policy,
    publish: flags.publish ?? config.publish,
    s3Endpoint: flags.s3Endpoint ?? config.s3_endpoint,
    s3Region: env.AWS_REGION,
    duckdb: { memoryLimit: env.LMI_DUCKDB_MEMORY, threads: env.LMI_DUCKDB_THREADS },
    datasets: Object.fromEntries(CONFIGURABLE.map((d) => [d.name, d.options!.resolve(flags, config[d.options!.configKey])])),
    areas: flags.areas ? parseAreas(flags.areas, crosswalksDir) : config.areas && parseAreas(config.areas.join(','), crosswalksDir, `${flags.config}: areas`),
    report: fromCli('report') ? flags.report : (config.report ?? true),
  };
}

/**
 * `--areas 06,48` or `--areas CA,TX`: state FIPS codes or postal abbreviations, as
 * crosswalks/states.csv lists them (the states, DC and the territories), to FIPS codes. An area
 * the list does not have is refused before any request: it would otherwise publish a nation-only
 * snapshot. `where` names the setting as the user wrote it.
 */
export function parseAreas(value: string, crosswalksDir: string, where = '--areas'): string[] {
  const areas = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const rows = Papa.parse<{ state_fips: string; state_abbr: string }>(readFileSync(path.join(crosswalksDir, 'states.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
  const fips = new Map(rows.flatMap((r) => [[r.state_fips, r.state_fips] as const, [r.state_abbr.toUpperCase(), r.state_fips] as const]));
  const codes = areas.map((a) => fips.get(/^\d$/.test(a) ? `0${a}` : a.toUpperCase()));
  const unknown = areas.filter((_, i) => codes[i] === undefined);
  if (unknown.length)
    throw new ConfigError(
      `${where} ${value}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a state or territory' : 'are not states or territories'}; give FIPS codes or postal abbreviations, e.g. 06,48 or CA,TX`,
    );
  if (!areas.length) throw new ConfigError(`${where} ${JSON.stringify(value)}: name at least one state, e.g. 06,48 or CA,TX`);
  return [...new Set(codes as string[])];
}

/** `where` names the setting as the user wrote it: `--release` (default) or the config file's key. */
export function validateReleases(releases: Record<string, string>, where = (name: string, release: string) => `--release ${name}=${release}`): void {
  for (const [name, release] of Object.entries(releases)) {
    const dataset = PINNABLE.find((d) => d.name === name);
    if (!dataset) throw new ConfigError(`${where(name, release)}: unknown source "${name}" (pinnable: ${PINNABLE.map((d) => d.name).join(', ')}; ep has a single current release)`);
    try {
      dataset.parseRelease!(release);
    } catch (err) {
      throw err instanceof ConfigError ? new ConfigError(`${where(name, release)}: ${err.message}`) : err;
    }
  }
}

/** A local --mirror folder must exist: otherwise every source looks unpublished, which misleads. */
function checkMirror(mirror: string | undefined): void {
  if (!mirror || /^(https?|file|s3):\/\//.test(mirror)) return;
  const info = statSync(mirror, { throwIfNoEntry: false });
  if (!info) throw new ConfigError(`--mirror ${mirror}: the mirror folder does not exist`);
  if (!info.isDirectory()) throw new ConfigError(`--mirror ${mirror}: not a folder (a mirror is a folder or URL laid out as HOST/PATH)`);
}

/** --areas limits states; with only national sources there is nothing to keep for them. */
function checkAreasHaveSources(opts: Omit<RunOptions, 'log'>): void {
  if (!opts.areas?.length) return;
  const stateSources = CONFIGURABLE.filter((d) => d.options!.stateData);
  if (!stateSources.some((d) => d.options!.stateData!.has(opts.datasets?.[d.name])))
    throw new ConfigError(
      `--areas ${opts.areas.join(',')}: no configured source has state data (add ${stateSources.map((d) => d.options!.stateData!.hint).join(', or ')}); the national sources cover the nation only`,
    );
}

/** Every value check of a run's settings: called before any download. */
export function validateSettings(opts: Omit<RunOptions, 'log'>): void {
  validateReleases(opts.releases);
  if (opts.publish !== undefined) {
    if (!opts.publish.startsWith('s3://')) throw new ConfigError(`--publish ${opts.publish}: only s3://bucket/prefix targets are supported (the local folder is always written)`);
    // S3's bucket naming rules: 3-63 lower-case letters, digits, dots and hyphens.
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(opts.publish))
      throw new ConfigError(`--publish ${opts.publish}: not an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens), e.g. s3://my-bucket/career-clusters`);
  }
  if (opts.s3Endpoint !== undefined) {
    const endpoint = URL.canParse(opts.s3Endpoint) ? new URL(opts.s3Endpoint) : undefined;
    if (!endpoint || (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') || !endpoint.hostname)
      throw new ConfigError(`--s3-endpoint ${opts.s3Endpoint}: expected an http:// or https:// URL, e.g. http://127.0.0.1:9000`);
  }
  checkMirror(opts.mirror);
  if (opts.areas) parseAreas(opts.areas.join(','), opts.crosswalksDir);
  checkAreasHaveSources(opts);
}

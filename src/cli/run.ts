// `lmi run`: one refresh to a published snapshot.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { z } from 'zod';
import { OEWS_SCOPES, ProjectionsCentralConfigSchema, type OewsScope, type ProjectionsCentralConfig } from '../../pipelines/index.js';
import { CheckConfigSchema } from '../check/checks.js';
import { ConfigError } from '../errors.js';
import { createLogger, LOG_FORMATS, type LogFormat } from '../log.js';
import { crosswalksDirDefault } from '../paths.js';
import { refresh } from '../operate/runs.js';
import { validateReleases, type RunOptions } from '../run.js';
import { DEFAULT_POLICY } from '../transform/policy.js';

/** The config file (--config FILE, JSON). Command-line options win over it; it wins over defaults. */
export const ConfigFileSchema = z
  .object({
    output: z.string().optional(),
    mirror: z.string().optional(),
    contact: z.string().email().optional(),
    releases: z.record(z.string(), z.string()).optional(),
    crosswalks: z.string().optional(),
    /** Per-check severity and thresholds, e.g. { "coverage": { "floor_pct": 99.9 } }. */
    checks: CheckConfigSchema.optional(),
    publish: z.string().optional(),
    s3_endpoint: z.string().optional(),
    oews_scopes: z.array(z.enum(OEWS_SCOPES)).optional(),
    projections_central: ProjectionsCentralConfigSchema.optional(),
    areas: z.array(z.string().regex(/^\d{1,2}$/)).optional(),
    /** Cron expressions by source for lmi schedule, e.g. { "onet": "0 6 * * *" }. */
    schedule: z.record(z.string(), z.string()).optional(),
    policy: z.string().optional(),
    /** Read OEWS national industry (sector) estimates for the industry view. Default false. */
    industries: z.boolean().optional(),
    /** OEWS releases for the history tables, e.g. "2014..2019,2021..latest". Default: none. */
    history: z.string().optional(),
    /** Build the report (site, demand.xlsx, CSV) in each snapshot. Default true. */
    report: z.boolean().optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

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

/** A repeatable option's values (no default: commander would print "(default: [])"). */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A single-valued option given twice is a mistake, not "the last one wins". */
export function once(flag: string) {
  let seen: string | undefined;
  return (value: string) => {
    if (seen !== undefined && seen !== value) throw new InvalidArgumentError(`${flag} was given twice (${seen}, then ${value}); give it once`);
    seen = value;
    return value;
  };
}

/** The config file's keys, for --config's help. */
export const CONFIG_KEYS = () => Object.keys(ConfigFileSchema.shape).join(', ');

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

export interface SourceFlags {
  policy?: string;
  oewsScope?: string[];
  projectionsCentral?: string | boolean;
  projectionsCentralUrl?: string;
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
  industries?: boolean;
  history?: string;
}

/** Options shared by commands that reach the sources (run, sources, schedule). */
export function addSourceOptions(command: Command): Command {
  return command
    .option('--output <dir>', 'output folder (snapshots, warehouse, cache)', once('--output'), 'output')
    .option('--release <source=release>', 'pin a source release, e.g. oews=2023 or onet=27.0 (repeatable); default: the newest published', collect)
    .option('--oews-year <yyyy>', 'short for --release oews=YYYY', once('--oews-year'))
    .option('--mirror <url|dir>', 'fetch https://HOST/PATH from MIRROR/HOST/PATH instead (a base URL or a local folder)', once('--mirror'))
    .option('--config <file>', `JSON config file with any of: ${CONFIG_KEYS()} (command-line options win)`, once('--config'))
    .option('--contact <email>', 'contact e-mail sent in the User-Agent (BLS requires one); also LMI_CONTACT', once('--contact'))
    .option('--s3-endpoint <url>', 'endpoint of an S3-compatible store, for s3:// sources and --publish (path-style)', once('--s3-endpoint'))
    .option('--oews-scope <scope>', 'OEWS files to read: nat, st (states), ma (metro and nonmetro areas) or all (repeatable; default: nat)', collect)
    .option('--projections-central [format]', 'add state projections from Projections Central: json (the paged API, default) or csv')
    .option('--projections-central-url <url>', 'the Projections Central bulk CSV (with --projections-central csv)', once('--projections-central-url'))
    .option('--areas <fips,...>', 'limit the run to these states (FIPS codes, e.g. 06,48); the nation is always kept', once('--areas'))
    .option('--history <releases>', 'add the history of OEWS national releases, e.g. 2014..2019,2021..latest (May 2014 on; a release the source lacks is an error naming it)', once('--history'))
    .option('--industries', 'add the industry view: OEWS national estimates by NAICS sector (oesmYYin4.zip) joined to the framework\'s NAICS crosswalk')
    .option('--log-format <format>', `log format on stderr: ${LOG_FORMATS.join(' or ')} (default: progress on a terminal, json otherwise)`, once('--log-format'));
}

/** Command line over config file over defaults. */
export function logFormatOption(flags: SourceFlags): LogFormat | undefined {
  if (flags.logFormat === undefined) return undefined;
  if (!(LOG_FORMATS as readonly string[]).includes(flags.logFormat)) throw new ConfigError(`--log-format ${flags.logFormat}: expected ${LOG_FORMATS.join(' or ')}`);
  return flags.logFormat as LogFormat;
}

export async function resolveSourceOptions(flags: SourceFlags, command: Command): Promise<Omit<RunOptions, 'log'>> {
  const config = await readConfigFile(flags.config);
  const fromCli = (name: keyof SourceFlags) => command.getOptionValueSource(name) === 'cli';
  const policy = flags.policy ?? config.policy;
  validateReleases(config.releases ?? {}, (name) => `${flags.config}: releases.${name}`);
  const pinned = parseReleaseOptions(flags.release ?? []);
  if (flags.oewsYear) {
    if (pinned.oews && pinned.oews !== flags.oewsYear) throw new ConfigError(`--oews-year ${flags.oewsYear} and --release oews=${pinned.oews} pin different OEWS releases: give one`);
    pinned.oews = flags.oewsYear;
  }
  const releases = { ...config.releases, ...pinned };
  validateReleases(releases);
  return {
    outputDir: path.resolve(fromCli('output') || !config.output ? flags.output! : config.output),
    crosswalksDir: config.crosswalks ? path.resolve(config.crosswalks) : crosswalksDirDefault(),
    releases,
    mirror: flags.mirror ?? config.mirror,
    fetch: { contact: flags.contact ?? process.env.LMI_CONTACT ?? config.contact },
    checks: config.checks,
    policy,
    publish: flags.publish ?? config.publish,
    s3Endpoint: flags.s3Endpoint ?? config.s3_endpoint,
    oewsScopes: flags.oewsScope?.length ? parseScopes(flags.oewsScope) : config.oews_scopes,
    projectionsCentral: projectionsCentralOption(flags, config),
    areas: flags.areas ? parseAreas(flags.areas) : config.areas?.map((a) => a.padStart(2, '0')),
    report: fromCli('report') ? flags.report : (config.report ?? true),
    industries: flags.industries ?? config.industries ?? false,
    history: flags.history ?? config.history,
  };
}

function parseScopes(values: string[]): OewsScope[] {
  const scopes = values.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase());
  for (const s of scopes) if (!(OEWS_SCOPES as readonly string[]).includes(s)) throw new ConfigError(`--oews-scope ${s}: expected one of ${OEWS_SCOPES.join(', ')}`);
  return [...new Set(scopes)] as OewsScope[];
}

export function parseAreas(value: string): string[] {
  const areas = value.split(',').map((v) => v.trim()).filter(Boolean);
  for (const a of areas) if (!/^\d{1,2}$/.test(a)) throw new ConfigError(`--areas ${value}: expected state FIPS codes such as 06,48`);
  return areas.map((a) => a.padStart(2, '0'));
}

function projectionsCentralOption(flags: SourceFlags, config: ConfigFile): ProjectionsCentralConfig | undefined {
  if (flags.projectionsCentral === undefined) return config.projections_central;
  const format = flags.projectionsCentral === true ? 'json' : flags.projectionsCentral;
  if (format !== 'json' && format !== 'csv') throw new ConfigError(`--projections-central ${format}: expected json or csv`);
  const url = flags.projectionsCentralUrl ?? config.projections_central?.url;
  if (format === 'csv' && !url) throw new ConfigError('--projections-central csv needs --projections-central-url (the bulk CSV)');
  return { format, url };
}

export function registerRunCommand(program: Command): void {
  addSourceOptions(program.command('run'))
    .option('--force', 'rebuild and publish even when no source changed')
    .option('--no-report', 'leave out the report (site, demand.xlsx, CSV): Parquet, JSON and DuckDB only')
    .option('--policy <name|file.json>', `high-opportunity policy: a name in policies/ (perkins-default, oregon, colorado-top-jobs-2021, south-dakota) or a JSON file (default: ${DEFAULT_POLICY})`, once('--policy'))
    .option('--publish <s3://bucket/prefix>', 'also publish the snapshot to S3 (objects first, latest.json last); credentials from the standard AWS chain', once('--publish'))
    .description('fetch the sources, build the warehouse, join occupations to the Career Clusters and publish a snapshot')
    .option('--wait', 'if another run holds the output folder, wait for it instead of refusing')
    .action(async (flags: SourceFlags & { force?: boolean; wait?: boolean }, command: Command) => {
      const options = await resolveSourceOptions(flags, command);
      const log = createLogger(undefined, undefined, logFormatOption(flags));
      // SIGTERM/SIGINT: the run finishes (or fails) whole; a snapshot is never half-published.
      const onSignal = (signal: string) => log.warn({ signal }, 'signal received: finishing the current run before exiting');
      process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
      const outcome = await refresh({ ...options, force: Boolean(flags.force), wait: flags.wait, trigger: 'manual', log });
      if (!outcome.ok) throw outcome.error;
      const result = outcome.result;
      if (result.status === 'unchanged') {
        process.stdout.write(`nothing changed upstream since snapshot ${result.snapshotId}; nothing published\n`);
        return;
      }
      const t = result.manifest.tables;
      process.stdout.write(
        `published snapshot ${result.snapshotId} (${Object.entries(t).map(([k, v]) => `${k} ${v.rows}`).join(', ')}; quality ${result.quality.status}) in ${path.relative(process.cwd(), result.snapshotDir) || result.snapshotDir}\n` +
          result.notes.map((n) => `note: ${n}\n`).join(''),
      );
    });
}

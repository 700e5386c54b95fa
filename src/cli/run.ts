// `lmi run`: one refresh to a published snapshot.
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CancelledError } from '../errors.js';
import { CONFIGURABLE } from '../../pipelines/index.js';
import { ConfigFileSchema, logFormatOption, resolveSourceOptions, type SourceFlags } from '../config.js';
import { environment } from '../env.js';
import { createLogger, LOG_FORMATS } from '../log.js';
import { refresh } from '../operate/runs.js';
import { releasesOf } from '../publish/manifest.js';
import { DEFAULT_OUTPUT_DIR } from '../settings.js';
import { DEFAULT_POLICY } from '../transform/policy.js';

/** Settings as commander parsed them: given on the command line (not a default)? */
export const givenOnCommandLine = (command: Command) => (name: string) => command.getOptionValueSource(name) === 'cli';

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

/** Options shared by commands that reach the sources (run, sources, schedule): the engine's, then each dataset's own. */
export function addSourceOptions(command: Command): Command {
  command
    .option('--output <dir>', `output folder: snapshots, warehouse, cache (default: the config file's "output", else ${DEFAULT_OUTPUT_DIR})`, once('--output'))
    .option('--release <source=release>', 'pin a source release, e.g. oews=2023 or onet=27.0 (repeatable); default: the newest published', collect)
    .option('--oews-year <yyyy>', 'short for --release oews=YYYY', once('--oews-year'))
    .option('--mirror <url|dir>', 'fetch https://HOST/PATH from MIRROR/HOST/PATH instead (a base URL or a local folder)', once('--mirror'))
    .option('--config <file>', `JSON config file with any of: ${CONFIG_KEYS()} (command-line options win)`, once('--config'))
    .option('--contact <email>', 'contact e-mail sent in the User-Agent (BLS requires one); also LMI_CONTACT', once('--contact'))
    .option('--s3-endpoint <url>', 'endpoint of an S3-compatible store, for s3:// sources and --publish (path-style)', once('--s3-endpoint'))
    .option('--areas <fips,...>', 'limit the run to these states (FIPS codes, e.g. 06,48); the nation is always kept', once('--areas'))
    .option('--log-format <format>', `log format on stderr: ${LOG_FORMATS.join(' or ')} (default: progress on a terminal, json otherwise)`, once('--log-format'));
  for (const d of CONFIGURABLE)
    for (const flag of d.options!.flags) {
      const name = flag.flags.split(/[ ,]/)[0]!;
      if (flag.repeatable) command.option(flag.flags, flag.description, collect);
      else if (flag.flags.includes('<')) command.option(flag.flags, flag.description, once(name));
      else command.option(flag.flags, flag.description);
    }
  return command;
}

/** Command line over config file over defaults. */
export function registerRunCommand(program: Command): void {
  addSourceOptions(program.command('run'))
    .option('--force', 'rebuild and publish even when no source changed')
    .option('--no-report', 'leave out the report (site, demand.xlsx, CSV): Parquet, JSON and DuckDB only')
    .option(
      '--policy <name|file.json>',
      `high-opportunity policy: a name in policies/ (perkins-default, oregon, colorado-top-jobs-2021, south-dakota) or a JSON file (default: ${DEFAULT_POLICY})`,
      once('--policy'),
    )
    .option('--publish <s3://bucket/prefix>', 'also publish the snapshot to S3 (objects first, latest.json last); credentials from the standard AWS chain', once('--publish'))
    .description('fetch the sources, build the warehouse, join occupations to the Career Clusters and publish a snapshot')
    .option('--wait', 'if another run holds the output folder, wait for it instead of refusing')
    .action(async (flags: SourceFlags & { force?: boolean; wait?: boolean }, command: Command) => {
      const options = await resolveSourceOptions(flags, givenOnCommandLine(command));
      const log = createLogger(environment().LMI_LOG_LEVEL, undefined, logFormatOption(flags));
      // Ctrl-C (or SIGTERM) cancels: the run stops at its next step, publishes nothing and
      // removes its temp files; a second one ends the process at once (the next run sweeps what
      // it left). Only the scheduler lets a run finish on SIGTERM.
      const cancel = new AbortController();
      const onSignal = (signal: NodeJS.Signals) => {
        const code = 128 + (constants.signals[signal] ?? 2);
        if (cancel.signal.aborted) process.exit(code);
        log.warn({ signal }, 'cancelling: the run stops at its next step and publishes nothing (press Ctrl-C again to stop at once)');
        cancel.abort(new CancelledError(code));
      };
      process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
      const outcome = await refresh({ ...options, force: Boolean(flags.force), wait: flags.wait, trigger: 'manual', log, signal: cancel.signal });
      if (!outcome.ok) throw outcome.error;
      const result = outcome.result;
      if (result.status === 'unchanged') {
        process.stdout.write(`nothing changed upstream since snapshot ${result.snapshotId}; nothing published\n`);
        return;
      }
      // What a person needs from the result: the releases, the quality, where to look. Tables
      // without rows (a dataset the run left out) are not listed.
      const t = result.manifest.tables;
      const where = (p: string) => path.relative(process.cwd(), p) || p;
      const fetchedSources = new Set(result.manifest.sources.filter((s) => !s.requested_url.startsWith('crosswalks/')).map((s) => s.source));
      const releases = Object.entries(releasesOf(result.manifest)).filter(([source]) => fetchedSources.has(source));
      const report = path.join(result.snapshotDir, 'report', 'index.html');
      process.stdout.write(
        `published snapshot ${result.snapshotId} (${Object.entries(t)
          .filter(([, v]) => v.rows > 0)
          .map(([k, v]) => `${k} ${v.rows}`)
          .join(', ')}; quality ${result.quality.status}) in ${where(result.snapshotDir)}\n` +
          `releases: ${releases.map(([source, release]) => `${source} ${release}`).join(', ')}\n` +
          (existsSync(report) ? `report: ${where(report)}\n` : '') +
          result.notes.map((n) => `note: ${n}\n`).join(''),
      );
    });
}

// `lmi schedule`: refresh by itself when sources are due; `lmi status`: how it has been going.
import type { Command } from 'commander';
import { resolveOutputDir } from '../config.js';
import { CONFIG_OUTPUT_HELP, OUTPUT_HELP } from './options.js';
import { ConfigError } from '../errors.js';
import { environment } from '../env.js';
import { createLogger } from '../log.js';
import { startScheduler } from '../operate/scheduler.js';
import { statusReport } from '../operate/status.js';
import { logFormatOption, readConfigFile, resolveSourceOptions, type SourceFlags } from '../config.js';
import { addSourceOptions, collect, givenOnCommandLine, once } from './run.js';
import { DEFAULT_POLICY } from '../transform/policy.js';

export function registerScheduleCommands(program: Command): void {
  addSourceOptions(program.command('schedule'))
    .description('run as a long-lived process that refreshes when each source is due (cron per source; see lmi status)')
    .option('--cron <source=expression>', 'override a source\'s schedule, e.g. onet="0 6 * * *" (repeatable; 6 fields for seconds)', collect)
    .option('--health-port <port>', 'serve /healthz and /metrics on this port')
    .option('--health-host <address>', 'address for the health server', '127.0.0.1')
    .option('--policy <name|file.json>', `high-opportunity policy (default: ${DEFAULT_POLICY})`, once('--policy'))
    .action(async (flags: SourceFlags & { cron?: string[]; healthPort?: string; healthHost: string }, command: Command) => {
      const config = await readConfigFile(flags.config);
      const schedules: Record<string, string> = { ...config.schedule };
      for (const pair of flags.cron ?? []) {
        const m = /^([a-z_]+)=(.+)$/.exec(pair);
        if (!m) throw new ConfigError(`--cron ${pair}: expected SOURCE=EXPRESSION`);
        schedules[m[1]!] = m[2]!;
      }
      const log = createLogger(environment().LMI_LOG_LEVEL, undefined, logFormatOption(flags));
      const scheduler = await startScheduler({
        ...(await resolveSourceOptions(flags, givenOnCommandLine(command))),
        schedules,
        healthPort: flags.healthPort === undefined ? undefined : Number(flags.healthPort),
        healthHost: flags.healthHost,
        log,
      });
      process.stdout.write(
        `scheduling ${Object.entries(scheduler.schedules)
          .map(([s, c]) => `${s} "${c}"`)
          .join(', ')}${scheduler.healthUrl ? `; health at ${scheduler.healthUrl}/healthz` : ''}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log.info({ signal }, 'signal received: stopping');
          scheduler.stop().then(resolve, resolve);
        };
        process.once('SIGTERM', stop).once('SIGINT', stop);
      });
      process.exit(0);
    });

  program
    .command('status')
    .description("the last runs, each source's release and freshness, and the latest snapshot")
    .option('--output <dir>', OUTPUT_HELP)
    .option('--config <file>', CONFIG_OUTPUT_HELP)
    .option('--json', 'print JSON')
    .action(async (flags: { output?: string; config?: string; json?: boolean }) => {
      const report = await statusReport(await resolveOutputDir(flags));
      if (flags.json) return void process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      const lines = [
        `latest snapshot: ${report.latest ? `${report.latest.snapshot_id} (${report.latest.created_at})` : 'none'}`,
        `scheduler: ${report.scheduler ? `pid ${report.scheduler.pid} since ${report.scheduler.started_at}` : 'not running'}; run in progress: ${report.running ? `pid ${report.running.pid} since ${report.running.started_at}` : 'none'}`,
        '',
        'sources:',
        ...report.sources.map((s) => `  ${s.source.padEnd(20)} ${s.release.padEnd(12)} ${s.cache.padEnd(7)} checked ${s.checked_at ?? '-'}`),
        '',
        'last runs:',
        ...(report.runs ?? []).map((r) => `  ${r.started_at} ${r.trigger.padEnd(6)} ${r.status.padEnd(11)} ${r.snapshot_id ?? ''}${r.error ? `  ${r.error}` : ''}`),
        ...(report.runs === null ? [`  (${report.runs_note})`] : []),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}

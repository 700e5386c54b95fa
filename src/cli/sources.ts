// `lmi sources`: what each source is, which release a run would take, and the cache state.
import type { Command } from 'commander';
import { createLogger } from '../log.js';
import { describeSources } from '../sources.js';
import { resolveSourceOptions, type SourceFlags } from '../config.js';
import { addSourceOptions, givenOnCommandLine } from './run.js';

export function registerSourcesCommand(program: Command): void {
  addSourceOptions(program.command('sources'))
    .description('list each source, its URL, the release a run would use, its validators and cache state (missing/stale/fresh)')
    .option('--json', 'print JSON')
    .action(async (flags: SourceFlags & { json?: boolean }, command: Command) => {
      const rows = await describeSources({ ...(await resolveSourceOptions(flags, givenOnCommandLine(command))), log: createLogger('warn') });
      if (flags.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      for (const r of rows) {
        process.stdout.write(`${r.source.padEnd(20)} ${r.release.padEnd(9)} ${r.cache.padEnd(7)} ${r.url}\n`);
        if (r.requested_url !== r.url) process.stdout.write(`  via ${r.requested_url}\n`);
        if (r.checked_at) process.stdout.write(`  etag ${r.etag ?? '-'}  last-modified ${r.last_modified ?? '-'}  checked ${r.checked_at}  ${r.bytes} bytes\n`);
      }
    });
}

// The `lmi` command line. Exit code 0 on success; otherwise one line on stderr saying why.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { PROJECT_ROOT } from '../paths.js';
import { environment } from '../env.js';
import { CancelledError, describeFileSystemError, LmiError } from '../errors.js';
import { stderrIsTerminal } from '../log.js';
import { registerCrosswalkCommands } from './crosswalks.js';
import { registerRunCommand } from './run.js';
import { registerSourcesCommand } from './sources.js';
import { registerSnapshotCommands } from './snapshots.js';
import { registerProgramCommand } from './program.js';
import { registerSearchCommand } from './search.js';
import { registerScheduleCommands } from './schedule.js';
import { docsMarkdown } from '../publish/tables.js';

const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
const program = new Command('lmi')
  .description('Labor-market data for the National Career Clusters Framework: fetch, join, publish snapshots')
  .version(version, '-V, --version', 'print the version')
  .exitOverride()
  .showHelpAfterError(false);
registerRunCommand(program);
registerSourcesCommand(program);
registerSnapshotCommands(program);
registerProgramCommand(program);
registerSearchCommand(program);
registerScheduleCommands(program);
registerCrosswalkCommands(program);
program
  .command('docs')
  .description('print the snapshot column documentation (Markdown), as docs/columns.md holds it')
  .action(() => {
    process.stdout.write(docsMarkdown());
  });

/** LMI_DEBUG, or false when the environment itself is what failed. */
const debugWanted = () => {
  try {
    return environment().LMI_DEBUG;
  } catch {
    return false;
  }
};

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  const fileSystem = err instanceof LmiError ? undefined : describeFileSystemError(err);
  const message = err instanceof LmiError ? err.message : (fileSystem ?? `unexpected error: ${(err as Error).stack ?? String(err)}`);
  // On a terminal the progress line may still be open: clear it so the reason stands alone.
  process.stderr.write(`${stderrIsTerminal() ? '\r\x1b[K' : ''}lmi: ${message.split('\n')[0]}\n`);
  if (!(err instanceof LmiError) && !fileSystem && debugWanted()) process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(err instanceof CancelledError ? err.exitCode : 1);
}

// The `lmi` command line. Exit code 0 on success; otherwise one line on stderr saying why.
import { Command, CommanderError } from 'commander';
import { LmiError } from '../errors.js';
import { registerCrosswalkCommands } from './crosswalks.js';
import { registerRunCommand } from './run.js';
import { registerSourcesCommand } from './sources.js';
import { registerSnapshotCommands } from './snapshots.js';
import { registerProgramCommand } from './program.js';
import { registerScheduleCommands } from './schedule.js';
import { docsMarkdown } from '../publish/columns.js';

const program = new Command('lmi')
  .description('Labor-market data for the National Career Clusters Framework: fetch, join, publish snapshots')
  .exitOverride()
  .showHelpAfterError(false);
registerRunCommand(program);
registerSourcesCommand(program);
registerSnapshotCommands(program);
registerProgramCommand(program);
registerScheduleCommands(program);
registerCrosswalkCommands(program);
program
  .command('docs')
  .description('print the snapshot column documentation (Markdown), as docs/columns.md holds it')
  .action(() => {
    process.stdout.write(docsMarkdown());
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  const message = err instanceof LmiError ? err.message : `unexpected error: ${(err as Error).stack ?? String(err)}`;
  process.stderr.write(`lmi: ${message.split('\n')[0]}\n`);
  if (!(err instanceof LmiError) && process.env.LMI_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
}

// `lmi crosswalks …`: make the vendored crosswalk tables from the official workbooks, one
// command per dataset that declares an importer (pipelines/*.ts `importer`).
import type { Command } from 'commander';
import { DATASETS } from '../../pipelines/index.js';
import { crosswalksDirDefault } from '../paths.js';

export function registerCrosswalkCommands(program: Command): void {
  const crosswalks = program.command('crosswalks').description('make the vendored crosswalk tables in crosswalks/ from the official workbooks');
  for (const { importer } of DATASETS) {
    if (!importer) continue;
    const command = crosswalks.command(importer.command).description(importer.description);
    for (const a of importer.arguments) command.argument(`<${a.name}>`, a.description);
    command.option('--dir <folder>', 'where to write the tables', crosswalksDirDefault()).action(async (...args: unknown[]) => {
      const files = (args.slice(0, importer.arguments.length) as (string | string[])[]).flat();
      const opts = args[importer.arguments.length] as { dir: string };
      process.stdout.write(`${await importer.run(files, opts.dir)}\n`);
    });
  }
}

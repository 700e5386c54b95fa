// `lmi crosswalks …`: make the vendored crosswalk tables from the official workbooks.
import type { Command } from 'commander';
import {
  DATASETS,
  importClusterCrosswalk,
  importLegacyClusters,
  importNaicsCrosswalk,
  importProgramCrosswalk,
  importSoc2010Crosswalk,
  importSocStructure,
} from '../../pipelines/index.js';
import { crosswalksDirDefault } from '../paths.js';

export function registerCrosswalkCommands(program: Command): void {
  const crosswalks = program.command('crosswalks').description('make the vendored crosswalk tables in crosswalks/ from the official workbooks');
  crosswalks
    .command('import')
    .description("import Advance CTE's SOC ↔ Career Clusters workbook (SOC_Career_Clusters_Crosswalk.xlsx) as CSV with its provenance")
    .argument('<workbook>', 'the official workbook (.xlsx)')
    .option('--dir <folder>', 'where to write the tables', crosswalksDirDefault())
    .action(async (workbook: string, opts: { dir: string }) => {
      const p = await importClusterCrosswalk(workbook, opts.dir);
      process.stdout.write(`${p.rows} rows, ${p.soc_codes} SOC codes, ${p.clusters} clusters, ${p.sub_clusters} sub-clusters from ${p.workbook} (sha256 ${p.sha256})\n`);
      for (const n of p.normalizations) process.stdout.write(`  normalized: ${n}\n`);
    });
  crosswalks
    .command('import-legacy')
    .description("import O*NET's legacy 16-cluster file (All_Career_Clusters.csv) as the legacy_16 framework")
    .argument('<csv>', 'All_Career_Clusters.csv')
    .option('--dir <folder>', 'where to write the tables', crosswalksDirDefault())
    .action(async (csv: string, opts: { dir: string }) => {
      const p = await importLegacyClusters(csv, opts.dir);
      process.stdout.write(`${p.rows} rows, ${p.soc_codes} SOC codes, ${p.clusters} clusters, ${p.pathways} pathways from ${p.file} (sha256 ${p.sha256})\n`);
    });
  crosswalks
    .command('import-soc2010')
    .description("import BLS's SOC 2010 → 2018 crosswalk (soc_2010_to_2018_crosswalk.xlsx) for the history of OEWS releases before May 2021")
    .argument('<workbook>', 'soc_2010_to_2018_crosswalk.xlsx')
    .option('--dir <folder>', 'where to write the tables', crosswalksDirDefault())
    .action(async (workbook: string, opts: { dir: string }) => {
      const p = await importSoc2010Crosswalk(workbook, opts.dir);
      process.stdout.write(`${p.rows} rows: ${p.soc_2010_codes} SOC 2010 codes → ${p.soc_2018_codes} SOC 2018 codes from ${p.workbook} (sha256 ${p.sha256})\n`);
    });
  crosswalks
    .command('import-naics')
    .description("import Advance CTE's sub-cluster ↔ NAICS sector workbook (NAICS_Subclusters_Crosswalk.xlsx) as CSV with its provenance")
    .argument('<workbook>', 'NAICS_Subclusters_Crosswalk.xlsx')
    .option('--dir <folder>', 'where to write the tables', crosswalksDirDefault())
    .action(async (workbook: string, opts: { dir: string }) => {
      const p = await importNaicsCrosswalk(workbook, opts.dir);
      process.stdout.write(`${p.rows} rows, ${p.sub_clusters} sub-clusters, ${p.sectors} sectors from ${p.workbook} (sha256 ${p.sha256})\n`);
      for (const n of p.normalizations) process.stdout.write(`  normalized: ${n}\n`);
    });
  crosswalks
    .command('import-cip')
    .description("import Advance CTE's Full Framework workbook (Full_Framework_Crosswalk.xlsx): CIP 2020 programs ↔ SOC occupations within clusters")
    .argument('<workbook>', 'the official workbook (.xlsx)')
    .option('--dir <folder>', 'where to write the tables', crosswalksDirDefault())
    .action(async (workbook: string, opts: { dir: string }) => {
      const p = await importProgramCrosswalk(workbook, opts.dir);
      process.stdout.write(`${p.rows} rows, ${p.cip_codes} CIP codes, ${p.soc_codes} SOC codes from ${p.workbook} (sha256 ${p.sha256}); dropped ${p.dropped.join(', ')}\n`);
    });
  // The commands datasets declare of their own (Dataset.importer).
  for (const { importer } of DATASETS.filter((d) => d.importer)) {
    const command = crosswalks.command(importer!.command).description(importer!.description);
    for (const a of importer!.arguments) command.argument(`<${a}>`, a);
    command.option('--dir <folder>', 'where to write the tables', crosswalksDirDefault()).action(async (...args: unknown[]) => {
      const files = args.slice(0, importer!.arguments.length) as string[];
      const opts = args[importer!.arguments.length] as { dir: string };
      process.stdout.write(`${await importer!.run(files, opts.dir)}\n`);
    });
  }
  crosswalks
    .command('import-soc')
    .description('import the BLS SOC 2018 structure workbook, and map OEWS codes that are not SOC detailed codes (from OEWS national workbooks)')
    .argument('<structure>', 'soc_structure_2018.xlsx')
    .argument('<oews...>', 'OEWS national workbooks (national_M<year>_dl.xlsx)')
    .option('--dir <folder>', 'where to write the tables', crosswalksDirDefault())
    .action(async (structure: string, oews: string[], opts: { dir: string }) => {
      const p = await importSocStructure(structure, oews, opts.dir);
      process.stdout.write(`${JSON.stringify(p.counts)}\n`);
    });
}

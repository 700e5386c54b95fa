// `lmi search TEXT`: prints the search view (src/views/search.ts).
import type { Command } from 'commander';
import { resolveOutputDir } from '../config.js';
import { CONFIG_OUTPUT_HELP, OUTPUT_HELP } from './options.js';
import { searchSnapshot } from '../views/search.js';

export function registerSearchCommand(program: Command): void {
  program
    .command('search')
    .description('find occupations and programs of study by everyday job or program titles ("welder", "dental assistant"), with their clusters, jobs and wages')
    .argument('<text...>', 'words to look for')
    .option('--area <code>', 'area code or state abbreviation (99 or US for the nation)', '99')
    .option('--limit <n>', 'how many results', '10')
    .option('--output <dir>', OUTPUT_HELP)
    .option('--config <file>', CONFIG_OUTPUT_HELP)
    .option('--json', 'print JSON')
    .action(async (words: string[], flags: { area: string; limit: string; output?: string; config?: string; json?: boolean }) => {
      const hits = await searchSnapshot(await resolveOutputDir(flags), words.join(' '), flags.area, Number(flags.limit));
      if (flags.json) return void process.stdout.write(JSON.stringify(hits, null, 2) + '\n');
      if (!hits.length) return void process.stdout.write(`nothing matches "${words.join(' ')}"\n`);
      const money = (v: number | null, flag: string | null) =>
        v === null ? (flag === 'top_coded' ? '≥ top code' : flag === 'no_estimate' ? 'wage not in this snapshot' : 'wage not published') : `$${v.toLocaleString('en-US')}`;
      const lines = hits.map(
        (h) =>
          `${h.kind === 'program' ? 'CIP' : 'SOC'} ${h.code}  ${h.title}${h.matched_source === 'via_occupation' ? `  (leads to ${h.matched})` : h.matched !== h.title ? `  (as "${h.matched}")` : ''}\n    ${h.clusters.join('; ') || 'no cluster'} · ${h.employment === null ? (h.employment_flag === 'no_estimate' ? 'jobs not in this snapshot' : 'jobs not published') : `${h.employment.toLocaleString('en-US')} jobs`} · median ${money(h.annual_wage_median, h.annual_wage_median_flag)}${h.high_opportunity ? ' · high opportunity' : ''}${h.completions === null ? '' : ` · ${h.completions.toLocaleString('en-US')} completions a year`}`,
      );
      process.stdout.write(lines.join('\n') + '\n');
    });
}

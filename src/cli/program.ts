// `lmi program CIP [--area CODE]`: prints the program view (src/views/program.ts).
import type { Command } from 'commander';
import { resolveOutputDir } from '../config.js';
import { CONFIG_OUTPUT_HELP, OUTPUT_HELP } from './options.js';
import { areaOption, programView } from '../views/program.js';

const n = (v: unknown) => (v === null || v === undefined ? '—' : Number(v).toLocaleString('en-US'));
const money = (v: unknown, flag?: unknown) => (v === null || v === undefined ? (flag === 'top_coded' ? '≥ top code' : '—') : `$${n(v)}`);
const mark = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : '?');

export function registerProgramCommand(program: Command): void {
  program
    .command('program')
    .description('show a program of study (CIP 2020): its clusters, related occupations, their employment, openings, wages and high-opportunity flags')
    .argument('<cip>', 'CIP 2020 code, e.g. 51.3801')
    .option('--area <code>', 'area code or state abbreviation (99 or US for the nation)', '99')
    .option('--output <dir>', OUTPUT_HELP)
    .option('--config <file>', CONFIG_OUTPUT_HELP)
    .option('--json', 'print JSON')
    .action(async (cip: string, flags: { area: string; output?: string; config?: string; json?: boolean }) => {
      const v = await programView(await resolveOutputDir(flags), cip, areaOption(flags.area));
      if (flags.json) return void process.stdout.write(JSON.stringify(v, null, 2) + '\n');
      const lines = [
        `${v.cip_code} ${v.cip_title} — ${v.area_name} (policy ${v.policy})`,
        `Career Clusters: ${v.clusters.join('; ')}`,
        `Sub-Clusters:    ${v.sub_clusters.join('; ')}`,
        ...(v.interest_code ? [`Interest code (RIASEC, O*NET): ${v.interest_code}`] : []),
        `${v.occupations} related occupations${v.postsecondary_teacher_occupations ? `; the ${v.occupations - v.postsecondary_teacher_occupations} its completers enter` : ''}: ${n(v.employment)} jobs, ${n(v.annual_openings)} openings a year, median wage ${money(v.median_annual_wage)}, ${v.high_opportunity_occupations === null ? `high opportunity unknown (${v.occupations_with_unknown_opportunity ?? 'some'} of them could not be tested)` : `${v.high_opportunity_occupations} high opportunity`}`,
        ...(v.postsecondary_teacher_occupations
          ? [
              `Apart: ${v.postsecondary_teacher_occupations} postsecondary teacher occupation${v.postsecondary_teacher_occupations === 1 ? '' : 's'} of the field (SOC 25-1xxx), ${n(v.postsecondary_teacher_employment)} jobs: a teaching career the framework links the program to, not in the figures above`,
            ]
          : []),
        ...(v.supply
          ? [
              `Completions (IPEDS, ${v.supply.completions_period}, first majors): ${n(v.supply.completions)}${v.completions.length ? ` (${v.completions.map((c) => `${c.award_group.replace('_', ' ')} ${n(c.completions)}`).join(', ')})` : ''}`,
              v.supply.supply_per_opening === null
                ? `Supply and demand: ${v.supply.balance_note ?? 'not in this snapshot'}`
                : `Supply and demand: ${n(v.supply.competing_completions)} completers of the programs leading to its occupations for ${n(v.supply.annual_openings)} openings a year (NCES CIP–SOC crosswalk): ${v.supply.supply_per_opening.toFixed(2)} per opening, ${v.supply.balance}`,
            ]
          : []),
        '',
        ...v.related.flatMap((o) => [
          `  ${o.soc_code} ${o.soc_title}`,
          `    ${n(o.employment)} jobs · ${n(o.annual_openings)} openings/yr · median ${money(o.annual_wage_median, o.annual_wage_median_flag)} · high wage ${mark(o.high_wage)}, high skill ${mark(o.high_skill)}, in demand ${mark(o.in_demand)} → high opportunity ${mark(o.high_opportunity)}; Bright Outlook ${mark(o.bright_outlook)}`,
          ...(o.opportunity_reasons ? [`    ${o.opportunity_reasons}`] : []),
          ...(Array.isArray(o.leads_to_other_clusters) && o.leads_to_other_clusters.length
            ? [
                `    leads to: ${(o.leads_to_other_clusters as { related_soc_title: string; other_clusters: string[] }[]).map((b) => `${b.related_soc_title} (${b.other_clusters.join(', ')})`).join('; ')}`,
              ]
            : []),
        ]),
        ...(v.industries.length
          ? [
              '',
              'Where its clusters work (national, by industry sector; * = aligned with the cluster in the framework):',
              ...[...new Set(v.industries.map((i) => i.cluster))].map(
                (c) =>
                  `  ${c}: ${v.industries
                    .filter((i) => i.cluster === c)
                    .map((i) => `${i.naics_title} (${i.naics_sector})${i.aligned ? '*' : ''} ${(i.share_of_cluster * 100).toFixed(1)}%`)
                    .join('; ')}`,
              ),
            ]
          : []),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}

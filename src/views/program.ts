// `lmi program CIP`'s view: one program's outlook for a person, from the latest snapshot: its
// clusters, related occupations with their jobs, openings, wages and flags, completions and the
// supply against openings. The CLI prints it; the report or an API can call it too.
import { existsSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { SnapshotReader } from '../publish/snapshot-reader.js';

export interface ProgramView {
  area_code: string;
  area_name: string;
  cip_code: string;
  cip_title: string;
  clusters: string[];
  sub_clusters: string[];
  occupations: number;
  employment: number | null;
  annual_openings: number | null;
  median_annual_wage: number | null;
  /** Unknown (null) when any related occupation's is (occupations_with_unknown_opportunity counts them). */
  high_opportunity_occupations: number | null;
  occupations_with_unknown_opportunity: number | null;
  /** Related postsecondary teacher occupations (25-1xxx), apart from the headline figures (null in older snapshots). */
  postsecondary_teacher_occupations: number | null;
  postsecondary_teacher_employment: number | null;
  policy: string;
  related: Record<string, unknown>[];
  /** RIASEC code of the program's occupations, weighted by their employment here (O*NET scores). */
  interest_code: string | null;
  /** Per cluster of the program, the sectors employing most of its workers nationally (with --industries runs). */
  industries: { cluster: string; naics_sector: string; naics_title: string; share_of_cluster: number; aligned: boolean | null }[];
  /** Completions here by award group (IPEDS, first majors), in the award groups' order; empty when the snapshot has none. */
  completions: { award_group: string; completions: number; institutions: number }[];
  /** Supply against the openings of the occupations the NCES crosswalk links it to (program_supply_demand), when the snapshot has it. */
  supply: {
    completions: number;
    annual_openings: number | null;
    competing_completions: number | null;
    supply_per_opening: number | null;
    balance: string | null;
    balance_note: string | null;
    completions_period: string;
  } | null;
}

/** IPEDS award groups, shortest first (crosswalks/ipeds_award_levels.csv). */
const AWARD_GROUPS = ['short_certificate', 'long_certificate', 'associate', 'bachelor', 'graduate'];

/** `--area` as people write it: US for the nation, "6" for 06; a state abbreviation stays (resolveArea looks it up). */
export function areaOption(area: string): string {
  return area.toUpperCase() === 'US' ? '99' : /^\d$/.test(area) ? `0${area}` : area;
}

export async function programView(outputDir: string, cip: string, area: string): Promise<ProgramView> {
  // The crosswalk marks occupations with no program as CIP 99.9999 "NO MATCH": not a program.
  if (/^99\./.test(cip.trim()))
    throw new ConfigError(`CIP ${cip} is the crosswalk's placeholder for occupations no program leads to, not a program (see the coverage table's occupations_without_program)`);
  return SnapshotReader.withLatest(
    outputDir,
    async (db) => {
      const file = (t: string) => db.file(t);
      const areaRow = { area_code: await db.areaCode(area) };
      const [program] = await db.all<Omit<ProgramView, 'related'>>('SELECT * EXCLUDE (occupation_codes) FROM read_parquet($programs) WHERE cip_code = $cip AND area_code = $area', {
        cip,
        area: areaRow.area_code,
        programs: file('programs'),
      });
      if (!program) throw new ConfigError(`CIP ${cip}: no such program with occupations in area ${areaRow.area_code} (CIP codes look like 51.3801)`);
      const related = await db.all(
        `SELECT o.soc_code, o.soc_title, o.employment, o.annual_openings, o.annual_wage_median, o.annual_wage_median_flag,
              o.high_wage, o.high_skill, o.in_demand, o.high_opportunity, o.bright_outlook, o.opportunity_reasons
       FROM read_parquet($occupations) o
       JOIN (SELECT unnest(occupation_codes) AS soc_code FROM read_parquet($programs) WHERE cip_code = $cip AND area_code = $area) USING (soc_code)
       WHERE o.area_code = $area
       ORDER BY o.employment DESC NULLS LAST, o.soc_code`,
        { cip, area: areaRow.area_code, occupations: file('occupations'), programs: file('programs') },
      );
      // Where each of the program's clusters works (national OEWS sector estimates), top three.
      const industryFile = file('cluster_industry_demand');
      const industries = existsSync(industryFile)
        ? await db.all<ProgramView['industries'][number]>(
            `SELECT cluster, naics_sector, naics_title, share_of_cluster::DOUBLE AS share_of_cluster, aligned
           FROM read_parquet($file)
           WHERE framework = '2024' AND level = 'cluster' AND list_contains(CAST($clusters AS VARCHAR[]), cluster)
           QUALIFY row_number() OVER (PARTITION BY cluster ORDER BY employment_allocated DESC NULLS LAST, naics_sector) <= 3
           ORDER BY cluster, employment_allocated DESC NULLS LAST, naics_sector`,
            { clusters: JSON.stringify(program.clusters), file: industryFile },
          )
        : [];
      // Interest profile and where each occupation leads outside its clusters (O*NET).
      const interestsFile = file('occupation_interests');
      const relatedFile = file('related_occupations');
      if (existsSync(interestsFile) && existsSync(relatedFile)) {
        const codes = JSON.stringify(related.map((o) => o.soc_code));
        const bridges = await db.all<{ soc_code: string; related_soc_code: string; related_soc_title: string; other_clusters: string[] }>(
          `SELECT soc_code, related_soc_code, related_soc_title, other_clusters FROM read_parquet($file)
         WHERE list_contains(CAST($codes AS VARCHAR[]), soc_code) AND NOT same_cluster AND len(other_clusters) > 0
           -- Only occupations this area has: a state's hybrid codes are no path in the nation.
           AND related_soc_code IN (SELECT soc_code FROM read_parquet($occupations) WHERE area_code = $area)
         QUALIFY row_number() OVER (PARTITION BY soc_code ORDER BY relatedness_index) <= 3
         ORDER BY soc_code, relatedness_index`,
          { codes, file: relatedFile, occupations: file('occupations'), area: areaRow.area_code },
        );
        for (const o of related)
          o.leads_to_other_clusters = bridges
            .filter((b) => b.soc_code === o.soc_code)
            .map(({ related_soc_code, related_soc_title, other_clusters }) => ({ related_soc_code, related_soc_title, other_clusters }));
      }
      // Supply: completions by award group and the supply/demand line (snapshots with the supply tables).
      const completionsFile = file('program_completions');
      const completions = existsSync(completionsFile)
        ? (
            await db.all<ProgramView['completions'][number]>('SELECT award_group, completions, institutions FROM read_parquet($file) WHERE cip_code = $cip AND area_code = $area', {
              file: completionsFile,
              cip,
              area: areaRow.area_code,
            })
          ).sort((a, b) => AWARD_GROUPS.indexOf(a.award_group) - AWARD_GROUPS.indexOf(b.award_group))
        : [];
      const supplyFile = file('program_supply_demand');
      const [supply] = existsSync(supplyFile)
        ? await db.all<NonNullable<ProgramView['supply']>>(
            `SELECT completions, annual_openings, competing_completions, supply_per_opening::DOUBLE AS supply_per_opening, balance, balance_note, completions_period
           FROM read_parquet($file) WHERE cip_code = $cip AND area_code = $area`,
            { file: supplyFile, cip, area: areaRow.area_code },
          )
        : [];
      return { ...program, related, industries, interest_code: program.interest_code ?? null, completions, supply: supply ?? null };
    },
    { small: false },
  );
}

// IPEDS Completions (NCES): awards conferred from July to June, by institution, program (CIP
// 2020) and award level, with the institution directory (HD) of the same collection year for
// each institution's state. The supply side of supply against openings: how many people finish
// each program each year. C{YYYY}_A.zip holds c{yyyy}_a.csv, HD{YYYY}.zip holds hd{yyyy}.csv.
// Columns are found by their header names (the official file has about 60 more than the ones
// read here) and only first majors count (MAJORNUM = 1): second majors would count a student twice.
import path from 'node:path';
import { applyMirror } from '../src/acquire/mirror.js';
import { acquire, type Acquired, type LoadedSource, type RunContext } from '../src/context.js';
import { ConfigError, DataError, FetchError, HeaderDriftError } from '../src/errors.js';
import { checkTextFileEnd, firstLine, hasControlCharacters } from '../src/extract/text-file.js';
import { findEntry, withZip } from '../src/extract/zip.js';
import { CSV_BUFFER_BYTES, ident } from '../src/load/warehouse.js';
import { type Dataset, headlineOf, type RunPlan } from './dataset.js';

export const source = 'ipeds';

/** Newest collection year the project knows; discovery asks for each next year's file. */
export const NEWEST_KNOWN_IPEDS_YEAR = 2024;
/** First collection year of the award levels read here (AWLEVEL 20 and 21 began in 2019-20). */
export const OLDEST_IPEDS_YEAR = 2020;

/** When to check: NCES releases a year's completions once, in the winter after it closes. */
export const schedule = { cron: '0 6 * * 1', why: 'weekly, Monday 06:00: NCES releases each year of completions once' };

export const ipedsCompletionsUrl = (year: number) => `https://nces.ed.gov/ipeds/datacenter/data/C${year}_A.zip`;
export const ipedsInstitutionsUrl = (year: number) => `https://nces.ed.gov/ipeds/datacenter/data/HD${year}.zip`;

/** The academic year a collection year's completions cover: 2023 → July 2022–June 2023. */
export const completionsPeriod = (year: number) => `July ${year - 1}–June ${year}`;

export function parseIpedsRelease(release: string): number {
  const range = `${OLDEST_IPEDS_YEAR} to ${NEWEST_KNOWN_IPEDS_YEAR}, or a later year once NCES publishes it`;
  if (!/^\d{4}$/.test(release.trim())) throw new ConfigError(`IPEDS release "${release}" is not a collection year: give one from ${range}`);
  const year = Number(release);
  if (year < OLDEST_IPEDS_YEAR) throw new ConfigError(`IPEDS ${year} is not supported (its award levels differ): give a year from ${range}`);
  return year;
}

/** The newest collection year whose completions file exists: the newest known, then each next year's. */
export async function discoverIpedsYear(ctx: RunContext): Promise<string> {
  const exists = (year: number) => ctx.fetcher.exists(applyMirror(ipedsCompletionsUrl(year), ctx.mirror));
  let year = NEWEST_KNOWN_IPEDS_YEAR;
  if (await exists(year)) {
    while (await exists(year + 1)) year++;
    return String(year);
  }
  for (year = NEWEST_KNOWN_IPEDS_YEAR - 1; year >= OLDEST_IPEDS_YEAR; year--) if (await exists(year)) return String(year);
  throw new FetchError(ipedsCompletionsUrl(NEWEST_KNOWN_IPEDS_YEAR), `no IPEDS completions file (${OLDEST_IPEDS_YEAR} to ${NEWEST_KNOWN_IPEDS_YEAR}) was found there`);
}

/** A column read from a file: its header (any case) and what its values must look like. */
interface CsvColumn {
  key: string;
  header: string;
  /** RE2 pattern every non-empty value must match; a required value must not be empty. */
  pattern?: string;
  required?: boolean;
}

const COMPLETIONS_COLUMNS: CsvColumn[] = [
  { key: 'unitid', header: 'UNITID', pattern: '\\d{6,8}', required: true },
  { key: 'cipcode', header: 'CIPCODE', pattern: '\\d{2}\\.\\d{4}|99', required: true },
  { key: 'majornum', header: 'MAJORNUM', pattern: '[12]', required: true },
  { key: 'awlevel', header: 'AWLEVEL', pattern: '\\d{1,2}', required: true },
  { key: 'ctotalt', header: 'CTOTALT', pattern: '\\d+', required: true },
];

const INSTITUTION_COLUMNS: CsvColumn[] = [
  { key: 'unitid', header: 'UNITID', pattern: '\\d{6,8}', required: true },
  { key: 'instnm', header: 'INSTNM', required: true },
  { key: 'stabbr', header: 'STABBR' },
  // FIPS is the state's code; -2 and the like mean "not applicable" and stay as they are for staging.
  { key: 'fips', header: 'FIPS', pattern: '-?\\d{1,2}' },
  { key: 'countycd', header: 'COUNTYCD', pattern: '-?\\d{1,5}' },
  { key: 'cbsa', header: 'CBSA', pattern: '-?\\d{1,5}' },
];

/**
 * One CSV of an IPEDS zip into a raw table of text: the entry named for the year (a file of
 * another year under this year's name is refused), its columns found by header name, every value
 * checked; the first bad one is a DataError naming the file, line and column.
 */
async function loadIpedsCsv(ctx: RunContext, acquired: Acquired, entryName: string, table: string, columns: CsvColumn[]): Promise<number> {
  const url = acquired.provenance.url;
  const file = await withZip(acquired.fetched.file, async (zip) => {
    const entry = findEntry(zip, new RegExp(`(^|/)${entryName}\\.csv$`, 'i'), `${entryName}.csv`);
    return zip.extract(entry, path.join(ctx.workDir, 'ipeds'));
  });
  const name = `${url} (${entryName}.csv)`;
  const header = (await firstLine(file, ',')).map((h) =>
    h
      .replace(/^\uFEFF/, '')
      .replace(/^"|"$/g, '')
      .trim(),
  );
  await checkTextFileEnd(file, name, header, ',');
  const index = columns.map((c) => {
    const found = header.findIndex((h) => h.toUpperCase() === c.header);
    if (found < 0) throw new HeaderDriftError(name, undefined, c.header, `is missing from the header (found ${header.length} columns: ${header.slice(0, 12).join(', ')}…)`);
    return found;
  });
  // Columns by position (c0, c1 …): the file's own names are untrusted text, never SQL.
  const cells = `read_csv($file, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}, null_padding = true, buffer_size = ${CSV_BUFFER_BYTES}) WITH ORDINALITY`;
  await ctx.warehouse.run(
    `CREATE OR REPLACE TABLE ${ident(table)} AS SELECT ${columns.map((c, k) => `nullif(trim(c${index[k]!}), '') AS ${ident(c.key)}`).join(', ')}, CAST(ordinality + 1 AS VARCHAR) AS source_row FROM ${cells}`,
    { file },
  );
  if (await hasControlCharacters(file)) await ctx.warehouse.stripControlCharacters(table);
  const params: Record<string, string> = {};
  const firstBad = columns.map((c, k) => {
    const tests = [c.required ? `${ident(c.key)} IS NULL` : 'false'];
    if (c.pattern) {
      params[`p${k}`] = c.pattern;
      tests.push(`(${ident(c.key)} IS NOT NULL AND NOT regexp_full_match(${ident(c.key)}, $p${k}))`);
    }
    return `min(CAST(source_row AS BIGINT)) FILTER (WHERE ${tests.join(' OR ')}) AS k${k}`;
  });
  const found = (await ctx.warehouse.all<Record<string, number | null>>(`SELECT count(*) AS n, ${firstBad.join(', ')} FROM ${ident(table)}`, params))[0]!;
  const bad = columns
    .map((_, k) => found[`k${k}`])
    .reduce<[number, number] | undefined>((first, row, k) => (row != null && (!first || row < first[0]) ? [row, k] : first), undefined);
  if (bad) {
    const [row, k] = bad;
    const value = await ctx.warehouse.scalar<string | null>(`SELECT ${ident(columns[k]!.key)} FROM ${ident(table)} WHERE source_row = $row`, { row: String(row) });
    throw new DataError(name, Number(row), columns[k]!.header, value === null ? 'is empty' : `"${value}" is not a valid ${columns[k]!.header}`);
  }
  return Number(found.n);
}

interface IpedsAcquired {
  year: number;
  completions: Acquired;
  institutions: Acquired;
}

const yearOf = (plan: RunPlan) => Number(plan.releases[source]);

export async function acquireIpeds(ctx: RunContext, plan: RunPlan): Promise<IpedsAcquired> {
  const year = yearOf(plan);
  const notPublished = (err: unknown, what: string): never => {
    if (err instanceof FetchError && err.status === 404) throw new FetchError(err.url, `IPEDS ${what} ${year} is not published there (404)`, 404);
    throw err;
  };
  const [completions, institutions] = await Promise.all([
    acquire(ctx, 'ipeds_completions', ipedsCompletionsUrl(year), 'zip', String(year)).catch((e: unknown) => notPublished(e, 'completions')),
    acquire(ctx, 'ipeds_institutions', ipedsInstitutionsUrl(year), 'zip', String(year)).catch((e: unknown) => notPublished(e, 'institutions')),
  ]);
  return { year, completions, institutions };
}

export async function loadIpeds(ctx: RunContext, a: IpedsAcquired): Promise<LoadedSource[]> {
  const completions = await loadIpedsCsv(ctx, a.completions, `c${a.year}_a`, 'raw_ipeds_completions', COMPLETIONS_COLUMNS);
  const institutions = await loadIpedsCsv(ctx, a.institutions, `hd${a.year}`, 'raw_ipeds_institutions', INSTITUTION_COLUMNS);
  const period = completionsPeriod(a.year);
  return [
    {
      provenance: { ...a.completions.provenance, release: `${a.year} (${period})` },
      tables: { raw_ipeds_completions: completions },
      facts: { ipeds_year: a.year, completions_period: period },
      variables: { ipeds_year: { type: 'INTEGER', value: a.year }, completions_period: { type: 'VARCHAR', value: period } },
    },
    { provenance: { ...a.institutions.provenance, release: String(a.year) }, tables: { raw_ipeds_institutions: institutions }, facts: {} },
  ];
}

/** IPEDS completions and the institution directory of the same collection year. */
export const ipedsDataset: Dataset<IpedsAcquired> = {
  name: source,
  kind: 'fetched',
  headline: headlineOf('ipeds_completions'),
  // "2023 (July 2022–June 2023)"
  releaseOrder: (release) => Number.parseInt(release, 10),
  schedule,
  parseRelease: parseIpedsRelease,
  discoverRelease: discoverIpedsYear,
  urls: (plan) => [
    { source: 'ipeds_completions', release: String(yearOf(plan)), url: ipedsCompletionsUrl(yearOf(plan)) },
    { source: 'ipeds_institutions', release: String(yearOf(plan)), url: ipedsInstitutionsUrl(yearOf(plan)) },
  ],
  acquire: (ctx, plan) => acquireIpeds(ctx, plan),
  provenance: (a) => [a.completions.provenance, a.institutions.provenance],
  load: (ctx, a) => loadIpeds(ctx, a),
  attribution: 'Completions and institutions: U.S. Department of Education, National Center for Education Statistics, IPEDS (public domain).',
  publishes: {
    program_completions: {
      key: ['area_code', 'cip_code', 'award_group'],
      title: 'Program completions',
      description:
        'Awards conferred per area, program of study (CIP 2020) and award group, from IPEDS Completions: first majors only (a second major would count a student twice). An institution counts in its state or territory (its FIPS in the IPEDS directory) and, in the 50 states and DC, in the nation (area 99). Rows with completions at an award level crosswalks/ipeds_award_levels.csv does not know are left out (the accepted_values check names them).',
      columns: {
        area_code: "Area code: 99 for the nation, else the state's or territory's FIPS code.",
        area_name: 'Area name.',
        area_type: 'national, state or territory.',
        cip_code: 'Program of study, CIP 2020 code (e.g. 51.3801).',
        cip_title: "Program title: the NCES CIP–SOC crosswalk's, else Advance CTE's; empty for a code in neither.",
        award_group:
          'short_certificate (IPEDS award levels 20, 21: under one year), long_certificate (2, 4), associate (3), bachelor (5) or graduate (6, 7, 8, 17, 18, 19); crosswalks/ipeds_award_levels.csv.',
        completions: 'Awards conferred to first majors in the completions period, persons.',
        institutions: 'Institutions with at least one such award.',
        completions_period: 'The academic year the completions cover, e.g. "July 2022–June 2023" (IPEDS collection year 2023).',
      },
    },
    program_supply_demand: {
      key: ['area_code', 'cip_code'],
      title: 'Program supply and demand',
      description:
        "Per area and program: its completions (all award levels), the annual openings of the occupations the NCES/BLS CIP 2020 – SOC 2018 crosswalk links it to (those the area's data has), the completions of every program the crosswalk links to one of the same occupations (competing supply), supply per opening and a balance label from crosswalks/supply_balance_bands.csv (the project's default bands; crosswalks/supply_demand.md). Where there is no ratio, balance_note says why: never 0 or infinity.",
      columns: {
        area_code: "Area code: 99 for the nation, else the state's or territory's FIPS code.",
        area_name: 'Area name.',
        area_type: 'national, state or territory.',
        cip_code: 'Program of study, CIP 2020 code.',
        cip_title: 'Program title.',
        completions: "The program's completions in the area, all award levels, first majors.",
        occupations: 'Occupations of the area the crosswalk links the program to (0: none).',
        annual_openings: 'Projected annual openings of those occupations in the area, persons; empty when the snapshot has no openings for them (balance_note).',
        competing_completions:
          'Completions in the area of every program the crosswalk links to at least one of the same SOC occupations, this one included: the supply those openings meet. Empty where the area has none of its occupations (no ratio to make).',
        supply_per_opening: 'competing_completions ÷ annual_openings, two decimals; empty when there are no openings to divide by.',
        balance: 'shortage, balanced or surplus, from supply_per_opening and crosswalks/supply_balance_bands.csv; empty with balance_note when there is no ratio.',
        balance_note: 'Why there is no ratio: no openings in this snapshot (no projections for the area), no occupation linked, or no openings for its occupations.',
        completions_period: 'The academic year the completions cover.',
        oews_release: "OEWS release of the area's employment figures; empty when the snapshot has none for it.",
        projection_period: "Projection period of the area's openings; empty when the snapshot has none for it.",
      },
    },
    cluster_supply_demand: {
      key: ['area_code', 'framework', 'cluster', 'sub_cluster', 'education_level'],
      order: 'area_code, framework, cluster, sub_cluster NULLS FIRST, education_level',
      title: 'Career Cluster supply and demand',
      description:
        "Per area, 2024 Career Cluster and Sub-Cluster, in all and by education level: the completions of the cluster's programs (Advance CTE's CIP crosswalk), a program in several clusters split in whole persons as an occupation's employment is, per award level's education level; the clusters' allocated annual openings, in all and of the occupations whose typical entry education (BLS Employment Projections) is that level; and supply per opening. Levels add up to the all row. NULL, not 0, where the snapshot lacks a side (completions for areas IPEDS does not cover, openings for areas with no projections).",
      columns: {
        area_code: 'Area code.',
        area_name: 'Area name.',
        area_type: 'national, state, territory or metro/nonmetro area.',
        framework: '2024 (Advance CTE; the legacy 16 clusters have no CIP crosswalk).',
        level: 'cluster or sub_cluster.',
        cluster: 'Career Cluster.',
        sub_cluster: 'Sub-Cluster; empty on a cluster row.',
        education_level:
          "all, postsecondary_nondegree (certificates; EP: postsecondary nondegree award), associate, bachelor or graduate (master's and doctoral); crosswalks/ipeds_award_levels.csv and ep_education_levels.csv.",
        completions: "Completions of the cluster's programs at that level, allocated (each person once), persons.",
        annual_openings_allocated: "The cluster's annual openings at that level, allocated as in cluster_demand (each opening once), persons.",
        supply_per_opening: 'completions ÷ annual_openings_allocated, two decimals; empty when either side is missing or there are no openings.',
        completions_period: 'The academic year the completions cover.',
        oews_release: "OEWS release of the area's figures; empty when the snapshot has none.",
        projection_period: "Projection period of the area's openings; empty when the snapshot has none.",
      },
    },
    supply_coverage: {
      key: ['area_code'],
      title: 'Supply coverage',
      description:
        'What the supply side could not place, per area: completions at programs the NCES crosswalk links to no occupation and at programs Advance CTE places in no cluster; and, the same in every row, CIP codes in one crosswalk and not the other, and institutions in no area with their completions.',
      columns: {
        area_code: 'Area code.',
        area_name: 'Area name.',
        completions: "The area's completions (first majors, known award levels).",
        completions_without_occupation: 'Completions at programs the NCES CIP–SOC crosswalk links to no occupation (e.g. liberal arts).',
        programs_without_occupation: 'Such programs with completions in the area.',
        completions_without_cluster: "Completions at programs Advance CTE's CIP crosswalk places in no cluster.",
        programs_without_cluster: 'Such programs with completions in the area.',
        cip_codes_only_in_nces_crosswalk: "CIP codes the NCES crosswalk lists and Advance CTE's does not (placeholders 99.xxxx left out).",
        cip_codes_only_in_advance_cte_crosswalk: "CIP codes Advance CTE's crosswalk lists and the NCES crosswalk does not.",
        institutions_without_area: 'Institutions whose state is no state or territory of crosswalks/states.csv (e.g. the freely associated states), or unknown.',
        completions_without_area: "Those institutions' completions (first majors).",
        completions_period: 'The academic year the completions cover.',
      },
    },
  },
};

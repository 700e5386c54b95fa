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
};

// BLS Occupational Employment and Wage Statistics (OEWS), national cross-industry estimates.
// Released each spring for the previous May; one zip per scope holding one workbook.
import path from 'node:path';
import { applyMirror } from '../src/acquire/mirror.js';
import { acquire, type Acquired, type LoadedSource, type RunContext } from '../src/context.js';
import { ConfigError, FetchError } from '../src/errors.js';
import { readSheetTable, type ColumnSpec } from '../src/extract/columns.js';
import { findEntry, withZip } from '../src/extract/zip.js';

export const source = 'oews';

/** Newest May estimates the project knows of; discovery asks for later years. */
export const NEWEST_KNOWN_YEAR = 2024;
/** First year fully on SOC 2018 codes; earlier vintages use hybrid codes. */
export const OLDEST_SUPPORTED_YEAR = 2021;

export function oewsNationalUrl(year: number): string {
  return `https://www.bls.gov/oes/special-requests/oesm${String(year % 100).padStart(2, '0')}nat.zip`;
}

/** Wage top codes: BLS publishes '#' for wages at or above these (from its technical notes). */
export function oewsTopCode(year: number): { annual: number; hourly: number } {
  return year >= 2022 ? { annual: 239_200, hourly: 115 } : { annual: 208_000, hourly: 100 };
}

/** Suppression markers: '*' wage n/a, '**' employment n/a, '#' top-coded wage, '~' under 0.5% reporting. */
const MARKERS = /^(\*|\*\*|#|~)$/;

const col = (key: string, header: string, kind: ColumnSpec['kind'], extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  key,
  // Older files spell some headers in lower case or with a space (LOC QUOTIENT).
  header: new RegExp(`^${header.replace(/_/g, '[_ ]')}$`, 'i'),
  label: header,
  kind,
  ...extra,
});

export const OEWS_COLUMNS: readonly ColumnSpec[] = [
  col('area', 'AREA', 'text'),
  col('area_title', 'AREA_TITLE', 'text'),
  col('area_type', 'AREA_TYPE', 'number'),
  col('prim_state', 'PRIM_STATE', 'text', { required: false }),
  col('naics', 'NAICS', 'text', { required: false }),
  col('i_group', 'I_GROUP', 'text', { required: false }),
  col('own_code', 'OWN_CODE', 'text', { required: false }),
  col('occ_code', 'OCC_CODE', 'soc'),
  col('occ_title', 'OCC_TITLE', 'text'),
  { ...col('o_group', 'O_GROUP', 'text'), header: /^(O_GROUP|OCC_GROUP)$/i },
  col('tot_emp', 'TOT_EMP', 'number', { markers: MARKERS }),
  col('emp_prse', 'EMP_PRSE', 'number', { markers: MARKERS }),
  col('jobs_1000', 'JOBS_1000', 'number', { markers: MARKERS }),
  col('loc_quotient', 'LOC_QUOTIENT', 'number', { markers: MARKERS }),
  col('pct_total', 'PCT_TOTAL', 'number', { markers: MARKERS, required: false }),
  col('pct_rpt', 'PCT_RPT', 'number', { markers: MARKERS, required: false }),
  col('h_mean', 'H_MEAN', 'number', { markers: MARKERS }),
  col('a_mean', 'A_MEAN', 'number', { markers: MARKERS }),
  col('mean_prse', 'MEAN_PRSE', 'number', { markers: MARKERS }),
  col('h_pct10', 'H_PCT10', 'number', { markers: MARKERS }),
  col('h_pct25', 'H_PCT25', 'number', { markers: MARKERS }),
  col('h_median', 'H_MEDIAN', 'number', { markers: MARKERS }),
  col('h_pct75', 'H_PCT75', 'number', { markers: MARKERS }),
  col('h_pct90', 'H_PCT90', 'number', { markers: MARKERS }),
  col('a_pct10', 'A_PCT10', 'number', { markers: MARKERS }),
  col('a_pct25', 'A_PCT25', 'number', { markers: MARKERS }),
  col('a_median', 'A_MEDIAN', 'number', { markers: MARKERS }),
  col('a_pct75', 'A_PCT75', 'number', { markers: MARKERS }),
  col('a_pct90', 'A_PCT90', 'number', { markers: MARKERS }),
  col('annual', 'ANNUAL', 'text', { required: false }),
  col('hourly', 'HOURLY', 'text', { required: false }),
];

export function parseOewsRelease(release: string): number {
  const year = Number(release);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new ConfigError(`OEWS release must be a year like 2024, not "${release}"`);
  if (year < OLDEST_SUPPORTED_YEAR)
    throw new ConfigError(`OEWS May ${year} uses hybrid SOC 2010/2018 codes; this pipeline supports May ${OLDEST_SUPPORTED_YEAR} and later`);
  return year;
}

/** The newest published year: start from the newest known and ask for each next year's file. */
export async function discoverOewsYear(ctx: RunContext): Promise<number> {
  let year = NEWEST_KNOWN_YEAR;
  while (await ctx.fetcher.exists(applyMirror(oewsNationalUrl(year + 1), ctx.mirror))) year++;
  return year;
}

/** Fetch the national zip into the raw cache. */
export async function acquireOews(ctx: RunContext, year: number): Promise<Acquired> {
  return acquire(ctx, source, oewsNationalUrl(year), 'zip', `May ${year}`).catch((err: unknown) => {
    if (err instanceof FetchError && err.status === 404) throw new FetchError(err.url, `OEWS May ${year} is not published there (404)`, 404);
    throw err;
  });
}

/** Find the workbook in the zip and load its first sheet into raw_oews. */
export async function loadOews(ctx: RunContext, { fetched, provenance }: Acquired, year: number): Promise<LoadedSource> {
  const url = oewsNationalUrl(year);
  const workbook = await withZip(fetched.file, async (zip) => {
    const entry = findEntry(zip, /(^|\/)national_M\d{4}_dl\.xlsx$/i, 'national workbook (national_M<year>_dl.xlsx)');
    const found = Number(/M(\d{4})/i.exec(entry)![1]);
    if (found !== year) throw new FetchError(url, `holds the May ${found} workbook, not May ${year}`);
    return { file: await zip.extract(entry, path.join(ctx.workDir, 'oews')), name: path.basename(entry) };
  });
  const { result: rows } = await readSheetTable(
    { file: workbook.file, displayName: workbook.name, specs: OEWS_COLUMNS },
    (rows, columns) => ctx.warehouse.loadTextRows('raw_oews', columns, rows, ctx.workDir),
  );
  const top = oewsTopCode(year);
  return {
    provenance,
    tables: { raw_oews: rows },
    facts: { oews_year: year, oews_release: `May ${year}`, oews_workbook: workbook.name, oews_top_code_annual: top.annual, oews_top_code_hourly: top.hourly },
  };
}

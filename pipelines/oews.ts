// BLS Occupational Employment and Wage Statistics (OEWS), national cross-industry estimates.
// Released each spring for the previous May; one zip per scope holding one workbook.
import path from 'node:path';
import { z } from 'zod';
import { applyMirror } from '../src/acquire/mirror.js';
import { acquire, type Acquired, type LoadedSource, type RunContext } from '../src/context.js';
import { ConfigError, FetchError } from '../src/errors.js';
import { readSheetTable, type ColumnSpec } from '../src/extract/columns.js';
import { workbookSelf } from '../src/extract/workbook-meta.js';
import { findEntries, withZip } from '../src/extract/zip.js';
import { type Dataset, headlineOf, optionsOf, type RunPlan } from './dataset.js';

export const source = 'oews';

/** When to check for a new release: BLS publishes the May estimates each spring (March–May). */
export const schedule = { cron: '0 6 * 3-6 *', why: 'daily at 06:00, March–June: BLS publishes the previous May estimates each spring' };

/**
 * Refuse an OEWS workbook whose own contents name another release than the one asked for (last
 * year's file under this year's name): its data sheet's name (national_M2023_dl, from May 2019
 * on) and the date Excel last saved it (May Y's estimates come out the next spring, so a file
 * saved before year Y+1 is an older release).
 */
export async function checkOewsVintage(file: string, url: string, entry: string, year: number): Promise<void> {
  const self = await workbookSelf(file);
  const named = self.sheets.map((s) => /M_?(\d{4})/i.exec(s)?.[1]).find((y) => y !== undefined);
  if (named && Number(named) !== year) throw new FetchError(url, `holds ${entry}, whose sheet "${self.sheets[0]}" is the May ${named} release, not May ${year}`);
  const saved = self.modified ? Number(self.modified.slice(0, 4)) : undefined;
  if (saved !== undefined && saved < year + 1)
    throw new FetchError(url, `holds ${entry}, last saved ${self.modified!.slice(0, 10)}: before May ${year}'s estimates were published (${year + 1}), so an older release`);
}

/** Newest May estimates the project knows of; discovery asks for later years. */
export const NEWEST_KNOWN_YEAR = 2024;
/** First year fully on SOC 2018 codes; earlier vintages use hybrid codes. */
export const OLDEST_SUPPORTED_YEAR = 2021;

/** OEWS files: national, state, metro and nonmetro areas, or all data in one workbook. */
export const OEWS_SCOPES = ['nat', 'st', 'ma', 'all'] as const;
export type OewsScope = (typeof OEWS_SCOPES)[number];
/** The scopes a run reads when none are given: the national estimates. */
export const DEFAULT_OEWS_SCOPES: readonly OewsScope[] = ['nat'];

/** `--oews-scope st,ma` (repeatable) → the scopes, each once. */
export function parseOewsScopes(values: string[]): OewsScope[] {
  const scopes = values.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase());
  for (const s of scopes) if (!(OEWS_SCOPES as readonly string[]).includes(s)) throw new ConfigError(`--oews-scope ${s}: expected one of ${OEWS_SCOPES.join(', ')}`);
  return [...new Set(scopes)] as OewsScope[];
}

/** The workbooks inside each scope's zip (the metro zip holds MSA and nonmetro "BOS" workbooks). */
const SCOPE_WORKBOOKS: Record<OewsScope, RegExp> = {
  nat: /(^|\/)national_M\d{4}_dl\.xlsx$/i,
  st: /(^|\/)state_M\d{4}_dl\.xlsx$/i,
  ma: /(^|\/)(MSA|BOS)_M\d{4}_dl\.xlsx$/i,
  all: /(^|\/)all_data_M_\d{4}\.xlsx$/i,
};

/** `in4`: the industry-specific estimates (sector to 5-digit NAICS workbooks; pipelines/industries.ts). */
export function oewsUrl(year: number, scope: OewsScope | 'in4'): string {
  return `https://www.bls.gov/oes/special-requests/oesm${String(year % 100).padStart(2, '0')}${scope}.zip`;
}

export const oewsNationalUrl = (year: number) => oewsUrl(year, 'nat');

/**
 * Wage top codes: BLS publishes '#' for wages at or above these (its technical notes), raised
 * with the May 2022 estimates. Stated here once: the SQL reads them as bound variables.
 */
export const TOP_CODES = { raisedIn: 2022, before: { annual: 208_000, hourly: 100 }, raised: { annual: 239_200, hourly: 115 } } as const;

export function oewsTopCode(year: number): { annual: number; hourly: number } {
  return year >= TOP_CODES.raisedIn ? TOP_CODES.raised : TOP_CODES.before;
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
  col('prim_state', 'PRIM_STATE', 'text'),
  col('naics', 'NAICS', 'text'),
  col('i_group', 'I_GROUP', 'text'),
  col('own_code', 'OWN_CODE', 'text'),
  col('occ_code', 'OCC_CODE', 'soc'),
  col('occ_title', 'OCC_TITLE', 'text'),
  { ...col('o_group', 'O_GROUP', 'text'), header: /^(O_GROUP|OCC_GROUP)$/i },
  col('tot_emp', 'TOT_EMP', 'number', { markers: MARKERS }),
  col('emp_prse', 'EMP_PRSE', 'number', { markers: MARKERS }),
  col('jobs_1000', 'JOBS_1000', 'number', { markers: MARKERS }),
  col('loc_quotient', 'LOC_QUOTIENT', 'number', { markers: MARKERS }),
  col('pct_total', 'PCT_TOTAL', 'number', { markers: MARKERS }),
  col('pct_rpt', 'PCT_RPT', 'number', { markers: MARKERS }),
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
  col('annual', 'ANNUAL', 'text'),
  col('hourly', 'HOURLY', 'text'),
];

export function parseOewsRelease(release: string): number {
  const year = Number(release);
  const range = `May ${OLDEST_SUPPORTED_YEAR} to May ${NEWEST_KNOWN_YEAR}, or a later year once BLS publishes it`;
  if (!/^\d{4}$/.test(release.trim())) throw new ConfigError(`OEWS release "${release}" is not a year: give one from ${range}`);
  if (year < OLDEST_SUPPORTED_YEAR)
    throw new ConfigError(`OEWS May ${year} is not supported (releases before May ${OLDEST_SUPPORTED_YEAR} use SOC 2010 or hybrid codes): give a year from ${range}`);
  return year;
}

/** The newest published year: start from the newest known and ask for each next year's file. */
export async function discoverOewsYear(ctx: RunContext): Promise<number> {
  let year = NEWEST_KNOWN_YEAR;
  while (await ctx.fetcher.exists(applyMirror(oewsNationalUrl(year + 1), ctx.mirror))) year++;
  return year;
}

/** Fetch one scope's zip into the raw cache. */
export async function acquireOews(ctx: RunContext, year: number, scope: OewsScope = 'nat'): Promise<Acquired> {
  const acquired = await acquire(ctx, source, oewsUrl(year, scope), 'zip', `May ${year}`).catch((err: unknown) => {
    if (err instanceof FetchError && err.status === 404) throw new FetchError(err.url, `OEWS May ${year} (${scope}) is not published there (404)`, 404);
    throw err;
  });
  return scope === 'nat' ? acquired : { ...acquired, provenance: { ...acquired.provenance, source: `${source}_${scope}` } };
}

/** Find each scope's workbooks in its zip and load them all into raw_oews (with a scope column). */
export async function loadOews(ctx: RunContext, scopes: { scope: OewsScope; acquired: Acquired }[], year: number): Promise<LoadedSource[]> {
  const loaded: LoadedSource[] = [];
  let first = true;
  for (const { scope, acquired } of scopes) {
    const workbooks = await withZip(acquired.fetched.file, async (zip) => {
      const entries = findEntries(zip, SCOPE_WORKBOOKS[scope], `${scope} workbook`);
      const out = [];
      for (const entry of entries) {
        const found = Number(/M_?(\d{4})/i.exec(entry)![1]);
        if (found !== year) throw new FetchError(oewsUrl(year, scope), `holds the May ${found} workbook ${entry}, not May ${year}`);
        const file = await zip.extract(entry, path.join(ctx.workDir, 'oews', scope));
        await checkOewsVintage(file, oewsUrl(year, scope), entry, year);
        out.push({ file, name: path.basename(entry), displayName: `${acquired.provenance.url} (${entry})` });
      }
      return out;
    });
    const tables: Record<string, number> = {};
    for (const workbook of workbooks) {
      // Every workbook straight into raw_oews, with its scope and name (from the download: bound).
      // In memory like the other raw tables: kept in the file, DuckDB's compression made the
      // all-areas workbook's load slower (bench).
      // Its INSERT runs in the background while Node parses the next workbook or dataset (the
      // run waits for Warehouse.loadsOf('raw_oews') before reading the table).
      const { result: rows } = await readSheetTable({ file: workbook.file, displayName: workbook.displayName, specs: OEWS_COLUMNS }, (rows, columns) =>
        ctx.warehouse.loadTextRows('raw_oews', columns, rows, ctx.workDir, { append: !first, constants: { scope, workbook: workbook.name }, background: true }),
      );
      first = false;
      tables[`raw_oews (${workbook.name})`] = rows;
    }
    loaded.push({ provenance: acquired.provenance, tables, facts: {} });
  }
  const top = oewsTopCode(year);
  loaded[0]!.facts = {
    oews_year: year,
    oews_release: `May ${year}`,
    oews_scopes: scopes.map((s) => s.scope).join(','),
    oews_top_code_annual: top.annual,
    oews_top_code_hourly: top.hourly,
  };
  loaded[0]!.variables = {
    oews_release: { type: 'VARCHAR', value: `May ${year}` },
    // The types of the wage columns they stand in for.
    top_code_annual: { type: 'BIGINT', value: top.annual },
    top_code_hourly: { type: 'DECIMAL(10, 2)', value: top.hourly },
  };
  return loaded;
}

/** The OEWS year a run takes (other datasets that read OEWS files of the same release list `after: ['oews']`). */
export const oewsYearOf = (plan: Pick<RunPlan, 'releases'>): number => Number(plan.releases[source]);

const scopesOf = (plan: RunPlan): readonly OewsScope[] => optionsOf<OewsScope[]>(plan, oewsDataset) ?? DEFAULT_OEWS_SCOPES;

/** OEWS cross-industry estimates, one workbook per scope (national by default; --oews-scope adds states, metros, all). */
export const oewsDataset: Dataset<Acquired[], OewsScope[]> = {
  name: source,
  title: 'OEWS',
  kind: 'fetched',
  schedule,
  headline: headlineOf(source),
  // "May 2024"
  releaseOrder: (release) => Number(/\d{4}/.exec(release)?.[0]),
  options: {
    configKey: 'oews_scopes',
    /** OEWS files to read: nat (default), st, ma, all. */
    schema: z.array(z.enum(OEWS_SCOPES)),
    flags: [
      { flags: '--oews-scope <scope>', description: 'OEWS files to read: nat, st (states), ma (metro and nonmetro areas) or all (repeatable; default: nat)', repeatable: true },
    ],
    resolve: (flags, config) => {
      const given = flags.oewsScope as string[] | undefined;
      return given?.length ? parseOewsScopes(given) : config;
    },
    inUse: () => true,
    stateData: { has: (scopes) => (scopes ?? DEFAULT_OEWS_SCOPES).some((s) => s !== 'nat'), hint: '--oews-scope st, ma or all' },
  },
  parseRelease: parseOewsRelease,
  discoverRelease: async (ctx) => String(await discoverOewsYear(ctx)),
  urls: (plan) =>
    scopesOf(plan).map((scope) => ({ source: scope === 'nat' ? 'oews' : `oews_${scope}`, release: `May ${oewsYearOf(plan)}`, url: oewsUrl(oewsYearOf(plan), scope) })),
  acquire: (ctx, plan) => Promise.all(scopesOf(plan).map((scope) => acquireOews(ctx, oewsYearOf(plan), scope))),
  provenance: (a) => a.map((x) => x.provenance),
  load: (ctx, a, plan) =>
    loadOews(
      ctx,
      scopesOf(plan).map((scope, i) => ({ scope, acquired: a[i]! })),
      oewsYearOf(plan),
    ),
};

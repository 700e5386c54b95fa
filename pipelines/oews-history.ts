// OEWS history: the national estimates of every release from May 2014 on, as one time series of
// demand by cluster. Three code systems: SOC 2010 (May 2014–2018; 20 columns, OCC_GROUP, no area
// columns), hybrid SOC 2010/2018 (May 2019–2020; lower-case headers) and SOC 2018 (May 2021 on).
// Old codes reach SOC 2018 through the BLS SOC 2010 → 2018 crosswalk (vendored by
// `lmi crosswalks import-soc2010`), the hand-written tables of OEWS-only codes, and the hybrid
// table; a code that splits into several SOC 2018 codes is shared among them in proportion to
// their employment in May 2021, the first SOC 2018 release, in whole persons
// (sql/staging/25_stg_history.sql and the stg_history_* models after it).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { z } from 'zod';
import type { Acquired, LoadedSource, RunContext } from '../src/context.js';
import { ConfigError, CrosswalkError, FetchError } from '../src/errors.js';
import { readSheetTable, type ColumnSpec } from '../src/extract/columns.js';
import { workbookProvenance } from '../src/extract/workbook-meta.js';
import { withWorkbook } from '../src/extract/xlsx.js';
import { findEntry, withZip } from '../src/extract/zip.js';
import { sha256File, writeFileAtomic, writeJsonAtomic } from '../src/fsutil.js';
import { loadVendored } from '../src/load/vendored.js';
import { acquireOews, checkOewsVintage, NEWEST_KNOWN_YEAR, oewsUrl, oewsYearOf, TOP_CODES } from './oews.js';
import { type Dataset, fileImporter, optionsOf, type RunPlan, vendored } from './dataset.js';

export const source = 'oews_history';
/** The first release the history reads. */
export const OLDEST_HISTORY_YEAR = 2014;
/** The first release on hybrid SOC 2010/2018 codes. */
export const HYBRID_FIRST_YEAR = 2019;
/** The first release on SOC 2018 codes: split codes are shared by its employment. */
export const WEIGHT_YEAR = 2021;
export const SOC2010_CSV = 'soc_2010_to_2018.csv';
export const SOC2010_PROVENANCE = 'soc_2010_to_2018.provenance.json';

/** "2014..2019,2021..2024" or "2014..latest" → the years, in order. `latest` is the newest release the run takes. */
export function parseHistorySpec(spec: string, latest: number): number[] {
  const years = new Set<number>();
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d{4})(?:\.\.(\d{4}|latest))?$/.exec(part);
    if (!m) throw new ConfigError(`--history ${spec}: "${part}" is not a year or a range like 2014..2024 (or 2014..latest)`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : m[2] === 'latest' ? latest : Number(m[2]);
    if (from < OLDEST_HISTORY_YEAR || to < from || to > Math.max(latest, NEWEST_KNOWN_YEAR))
      throw new ConfigError(`--history ${spec}: ${part} is outside May ${OLDEST_HISTORY_YEAR} to May ${latest}`);
    for (let y = from; y <= to; y++) years.add(y);
  }
  if (years.size === 0) throw new ConfigError(`--history ${spec}: no release named`);
  return [...years].sort();
}

export const codeSystem = (year: number) => (year < HYBRID_FIRST_YEAR ? 'SOC 2010' : year < WEIGHT_YEAR ? 'hybrid SOC 2010/2018' : 'SOC 2018');

/**
 * The years and top codes the history's SQL needs, stated once (here and in oews.ts) and bound as
 * variables: sql/macros/01_marts.sql (code_system, history_top_code) and the history models.
 */
export const HISTORY_VARIABLES = {
  hybrid_first_year: { type: 'INTEGER', value: HYBRID_FIRST_YEAR },
  soc2018_first_year: { type: 'INTEGER', value: WEIGHT_YEAR },
  top_code_raised_year: { type: 'INTEGER', value: TOP_CODES.raisedIn },
  top_code_annual_before: { type: 'BIGINT', value: TOP_CODES.before.annual },
  top_code_annual_raised: { type: 'BIGINT', value: TOP_CODES.raised.annual },
} as const satisfies LoadedSource['variables'];

/** The columns the history reads, under each era's headers. */
const HISTORY_COLUMNS: ColumnSpec[] = [
  { key: 'occ_code', header: /^OCC_CODE$/i, label: 'OCC_CODE', kind: 'soc' },
  { key: 'occ_title', header: /^OCC_TITLE$/i, label: 'OCC_TITLE', kind: 'text' },
  { key: 'o_group', header: /^(O_GROUP|OCC_GROUP)$/i, label: 'O_GROUP', kind: 'text' },
  { key: 'tot_emp', header: /^TOT_EMP$/i, label: 'TOT_EMP', kind: 'number', markers: /^(\*|\*\*|#|~)$/ },
  { key: 'a_median', header: /^A_MEDIAN$/i, label: 'A_MEDIAN', kind: 'number', markers: /^(\*|\*\*|#|~)$/ },
  { key: 'hourly', header: /^HOURLY$/i, label: 'HOURLY', kind: 'text' },
  // Absent from May 2014-2018's 20-column layout, whose national workbooks hold the nation only.
  { key: 'area_type', header: /^AREA_TYPE$/i, label: 'AREA_TYPE', kind: 'number', required: false },
];

/** Fetch each release's national zip (404 → a one-line error naming the release). */
export async function acquireHistory(ctx: RunContext, years: number[]): Promise<{ year: number; acquired: Acquired }[]> {
  return Promise.all(
    years.map(async (year) => {
      const acquired = await acquireOews(ctx, year, 'nat').catch((err: unknown) => {
        if (err instanceof FetchError && err.status === 404)
          throw new FetchError(
            err.url,
            `OEWS May ${year} is not published there: leave it out of --history (e.g. ${year > OLDEST_HISTORY_YEAR ? `${OLDEST_HISTORY_YEAR}..${year - 1},` : ''}${year + 1}..latest)`,
            404,
          );
        throw err;
      });
      return { year, acquired: { ...acquired, provenance: { ...acquired.provenance, source: `${source}_${year}` } } };
    }),
  );
}

/**
 * Load each release into raw_oews_history (with its year). A release whose file the warehouse
 * already holds (same sha256) is not read again: adding a release re-reads only the new file.
 */
export async function loadHistory(ctx: RunContext, releases: { year: number; acquired: Acquired }[]): Promise<LoadedSource[]> {
  const w = ctx.warehouse;
  await w.run(`CREATE TABLE IF NOT EXISTS ${w.persisted('history_loaded')} (year INTEGER PRIMARY KEY, sha256 VARCHAR NOT NULL, rows INTEGER NOT NULL)`);
  const loaded: LoadedSource[] = [];
  // Two releases with the same bytes: one release's file served under another's name.
  const yearOf = new Map<string, number>();
  for (const { year, acquired } of releases) {
    const other = yearOf.get(acquired.provenance.sha256);
    if (other !== undefined)
      throw new FetchError(
        acquired.provenance.url,
        `is byte for byte the May ${other} file (sha256 ${acquired.provenance.sha256.slice(0, 12)}…): one release served under another's name`,
      );
    yearOf.set(acquired.provenance.sha256, year);
  }
  for (const { year, acquired } of releases) {
    const table = `raw_oews_history_${year}`;
    const [held] = await w.all<{ sha256: string; rows: number }>(`SELECT sha256, rows FROM ${w.persisted('history_loaded')} WHERE year = $year`, { year });
    const exists = await w.isPersisted(table);
    let rows: number;
    if (held?.sha256 === acquired.provenance.sha256 && exists) {
      rows = held.rows;
      ctx.log.info({ release: year, rows }, 'history release already in the warehouse');
    } else {
      const { file, entry } = await withZip(acquired.fetched.file, async (zip) => {
        const entry = findEntry(zip, /(^|\/)national_M\d{4}_dl\.xlsx$/i, 'national workbook');
        const found = Number(/M(\d{4})/i.exec(entry)![1]);
        if (found !== year) throw new FetchError(acquired.provenance.url, `holds the May ${found} workbook ${entry}, not May ${year}`);
        const file = await zip.extract(entry, path.join(ctx.workDir, 'history', String(year)));
        await checkOewsVintage(file, acquired.provenance.url, entry, year);
        return { file, entry };
      });
      const displayName = `${acquired.provenance.url} (${entry})`;
      // The data sheet: the first one (2019 adds a 'Field Descriptions' sheet after it).
      ({ result: rows } = await readSheetTable({ file, displayName, specs: HISTORY_COLUMNS }, (stream, columns) =>
        w.loadTextRows(table, columns, stream, ctx.workDir, { persist: true }),
      ));
      await w.run(`INSERT OR REPLACE INTO ${w.persisted('history_loaded')} VALUES ($year, $sha256, $rows)`, { year, sha256: acquired.provenance.sha256, rows });
      ctx.log.info({ release: year, rows }, 'history release read');
    }
    loaded.push({ provenance: acquired.provenance, tables: { [table]: rows }, facts: {} });
  }
  await w.run(
    `CREATE OR REPLACE VIEW raw_oews_history AS ${releases.map(({ year }) => `SELECT ${year} AS release_year, * FROM ${w.persisted(`raw_oews_history_${year}`)}`).join(' UNION ALL BY NAME ')}`,
  );
  loaded[0]!.facts = { history_releases: releases.map((r) => r.year).join(',') };
  loaded[0]!.variables = HISTORY_VARIABLES;
  return loaded;
}

/** A run without --history still has the (empty) raw table the SQL reads. */
export async function createEmptyHistory(ctx: RunContext): Promise<void> {
  await ctx.warehouse.setVariables(HISTORY_VARIABLES);
  await ctx.warehouse.run(
    `CREATE OR REPLACE TABLE raw_oews_history AS SELECT NULL::INTEGER AS release_year, ${[...HISTORY_COLUMNS.map((c) => c.key), 'source_row'].map((c) => `NULL::VARCHAR AS ${c}`).join(', ')} WHERE false`,
  );
}

const Soc2010ProvenanceSchema = z.object({
  workbook: z.string(),
  sha256: z.string(),
  workbook_modified: z.string().optional(),
  rows: z.number(),
  soc_2010_codes: z.number(),
  soc_2018_codes: z.number(),
  csv_sha256: z.string(),
});

/** `lmi crosswalks import-soc2010`: BLS soc_2010_to_2018_crosswalk.xlsx → crosswalks/soc_2010_to_2018.csv. */
export async function importSoc2010Crosswalk(workbookFile: string, crosswalksDir: string) {
  const name = path.basename(workbookFile);
  const rows: { soc_2010_code: string; soc_2010_title: string; soc_2018_code: string; soc_2018_title: string }[] = [];
  await withWorkbook(
    workbookFile,
    async (wb) => {
      let header: number | undefined;
      for await (const { row, cells } of wb.rows()) {
        if (header === undefined) {
          if (cells[0]?.trim() === '2010 SOC Code') header = row;
          continue;
        }
        const [c10, t10, c18, t18] = cells.map((c) => (c ?? '').replace(/\s+/g, ' ').trim());
        if (!c10) continue;
        if (!/^\d{2}-\d{4}$/.test(c10!) || !/^\d{2}-\d{4}$/.test(c18!)) throw new CrosswalkError(`${name} row ${row}: "${c10}" → "${c18}" is not a pair of SOC codes`);
        // Titles lose BLS's footnote marks "(#)" and "(##)".
        rows.push({ soc_2010_code: c10!, soc_2010_title: t10!.replace(/\s*\(#+\)$/, ''), soc_2018_code: c18!, soc_2018_title: t18!.replace(/\s*\(#+\)$/, '') });
      }
      if (header === undefined) throw new CrosswalkError(`${name}: no header row with "2010 SOC Code"`);
    },
    name,
  );
  const csv = path.join(crosswalksDir, SOC2010_CSV);
  await writeFileAtomic(csv, Papa.unparse(rows, { newline: '\n' }) + '\n');
  const meta = await workbookProvenance(workbookFile);
  const provenance = Soc2010ProvenanceSchema.parse({
    workbook: meta.workbook,
    sha256: meta.sha256,
    workbook_modified: meta.modified,
    rows: rows.length,
    soc_2010_codes: new Set(rows.map((r) => r.soc_2010_code)).size,
    soc_2018_codes: new Set(rows.map((r) => r.soc_2018_code)).size,
    csv_sha256: await sha256File(csv),
  });
  await writeJsonAtomic(path.join(crosswalksDir, SOC2010_PROVENANCE), provenance);
  return provenance;
}

export async function loadHistoryCrosswalks(ctx: RunContext): Promise<LoadedSource> {
  const p = Soc2010ProvenanceSchema.parse(JSON.parse(await readFile(path.join(ctx.crosswalksDir, SOC2010_PROVENANCE), 'utf8')));
  return loadVendored(
    ctx,
    {
      source: 'soc_2010_crosswalk',
      url: 'https://www.bls.gov/soc/2018/soc_2010_to_2018_crosswalk.xlsx',
      modified: p.workbook_modified,
      release: `SOC 2010 → 2018 (BLS, November 2017; sha256 ${p.sha256.slice(0, 12)})`,
    },
    [
      { table: 'raw_soc_2010_to_2018', csv: SOC2010_CSV, expected: { sha256: p.csv_sha256, remake: 'lmi crosswalks import-soc2010' } },
      { table: 'raw_oews_soc_2010_codes', csv: 'oews_soc_2010_codes.csv' },
    ],
  );
}

/**
 * The releases of the history a run reads: those asked for, and May 2021 when older ones are (its
 * employment weights the split codes); `latest` is the OEWS release the run takes.
 */
export function historyYears(spec: string, latest: number): number[] {
  const years = parseHistorySpec(spec, latest);
  if (years[0]! < WEIGHT_YEAR && !years.includes(WEIGHT_YEAR)) years.push(WEIGHT_YEAR);
  return years.sort();
}

/** The plan keeps the history's releases as "2014,2015,…" (none when the run has no history). */
const yearsOf = (plan: RunPlan): number[] => plan.releases[source]?.split(',').map(Number) ?? [];

/** Earlier OEWS national releases (--history), mapped to SOC 2018. */
export const oewsHistoryDataset: Dataset<{ year: number; acquired: Acquired }[], string> = {
  name: source,
  kind: 'fetched',
  // Its releases as one range: ten of them made each row of `lmi snapshots` 400 characters wide.
  headline: (sources): Record<string, string> => {
    const years = sources.filter((s) => s.source.startsWith(`${source}_`)).map((s) => s.source.slice(source.length + 1));
    return years.length ? { history: `${years.length} releases, May ${years[0]}–May ${years.at(-1)}` } : {};
  },
  options: {
    configKey: 'history',
    /** OEWS releases for the history tables, e.g. "2014..2019,2021..latest". Default: none. */
    schema: z.string(),
    flags: [
      {
        flags: '--history <releases>',
        description: 'add the history of OEWS national releases, e.g. 2014..2019,2021..latest (May 2014 on; a release the source lacks is an error naming it)',
      },
    ],
    resolve: (flags, config) => (flags.history as string | undefined) ?? config,
    inUse: (spec) => Boolean(spec),
  },
  after: ['oews'],
  discoverRelease: async (_ctx, plan) => {
    const spec = optionsOf<string>(plan, oewsHistoryDataset);
    return spec ? historyYears(spec, oewsYearOf(plan)).join(',') : undefined;
  },
  urls: (plan) => yearsOf(plan).map((year) => ({ source: `oews_history_${year}`, release: `May ${year}`, url: oewsUrl(year, 'nat') })),
  acquire: async (ctx, plan) => (yearsOf(plan).length ? acquireHistory(ctx, yearsOf(plan)) : undefined),
  provenance: (a) => a.map((h) => h.acquired.provenance),
  load: (ctx, a) => loadHistory(ctx, a),
  absent: (ctx) => createEmptyHistory(ctx),
};

/** The SOC 2010 → 2018 crosswalk and the older OEWS codes (crosswalks/). */
export const soc2010CrosswalkDataset: Dataset<LoadedSource> = {
  ...vendored('soc_2010_crosswalk', loadHistoryCrosswalks),
  importer: fileImporter(
    'import-soc2010',
    "import BLS's SOC 2010 → 2018 crosswalk (soc_2010_to_2018_crosswalk.xlsx) for the history of OEWS releases before May 2021",
    { name: 'workbook', description: 'soc_2010_to_2018_crosswalk.xlsx' },
    importSoc2010Crosswalk,
    (p) => `${p.rows} rows: ${p.soc_2010_codes} SOC 2010 codes → ${p.soc_2018_codes} SOC 2018 codes from ${p.workbook} (sha256 ${p.sha256})`,
  ),
};

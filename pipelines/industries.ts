// The industry view: where each Career Cluster's workers work.
// - Advance CTE's sub-cluster ↔ 2-digit NAICS sector crosswalk (NAICS_Subclusters_Crosswalk.xlsx),
//   vendored in crosswalks/ by `lmi crosswalks import-naics` with the workbook's provenance.
// - OEWS national industry-specific estimates (oesm{YY}in4.zip): the 2-digit sector workbook
//   (natsector_M{YYYY}_dl.xlsx), found by name (BLS's zip also holds 3- to 5-digit workbooks).
//   Each sector is published under exactly one ownership code (OWN_CODE) that already combines
//   the ownerships BLS counts in it: 5 private; 57 private plus local-government casinos and
//   casino hotels (71, 72); 58 private plus state and local hospitals (62); 59 private plus the
//   Postal Service (48-49); 235 private, state and local schools (61); 123 federal, state and
//   local government (99, the OEWS designation that excludes those schools, hospitals and the
//   Postal Service). So the sector rows partition employment and no worker is counted twice;
//   the data test industry_ownership_partition fails a release where that stops holding.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { z } from 'zod';
import { acquire, type Acquired, type LoadedSource, type RunContext } from '../src/context.js';
import { CrosswalkError, DataError, FetchError } from '../src/errors.js';
import { readSheetTable, type ColumnSpec } from '../src/extract/columns.js';
import { workbookProvenance } from '../src/extract/workbook-meta.js';
import { findEntry, withZip } from '../src/extract/zip.js';
import { sha256File, writeFileAtomic, writeJsonAtomic } from '../src/fsutil.js';
import { loadVendored } from '../src/load/vendored.js';
import { advanceCteSource, canonicalNames } from './career-clusters.js';
import { OEWS_COLUMNS, oewsUrl, oewsYearOf } from './oews.js';
import { type Dataset, fileImporter, optionsOf, type RunPlan, vendored } from './dataset.js';

export const source = 'oews_industry';
export const NAICS_CSV = 'advance_cte_2024_naics_subclusters.csv';
export const NAICS_PROVENANCE = 'advance_cte_2024_naics_subclusters.provenance.json';
const SHEET = 'CC - Sub-Cluster - NAICS';
/** The sector workbook inside the in4 zip. */
const SECTOR_WORKBOOK = /(^|\/)natsector_M\d{4}_dl\.xlsx$/i;

/** OEWS sector rows carry their title too. */
export const INDUSTRY_COLUMNS: readonly ColumnSpec[] = [...OEWS_COLUMNS, { key: 'naics_title', header: /^NAICS[_ ]TITLE$/i, label: 'NAICS_TITLE', kind: 'text' }];

const NaicsProvenanceSchema = z.object({
  workbook: z.string(),
  sha256: z.string(),
  workbook_created: z.string().optional(),
  workbook_modified: z.string().optional(),
  sheet: z.string(),
  rows: z.number(),
  sectors: z.number(),
  sub_clusters: z.number(),
  normalizations: z.array(z.string()),
  csv_sha256: z.string(),
});

const COLUMNS: ColumnSpec[] = [
  { key: 'cluster', header: /^Career Cluster$/i, label: 'Career Cluster', kind: 'text' },
  { key: 'sub_cluster', header: /^Sub-Cluster$/i, label: 'Sub-Cluster', kind: 'text' },
  { key: 'naics_sector', header: /^2-Digit NAICS$/i, label: '2-Digit NAICS', kind: 'text' },
  { key: 'naics_title', header: /^NAICS title$/i, label: 'NAICS title', kind: 'text' },
];

/** A 2-digit NAICS sector as BLS and Advance CTE write it: 11, 31-33, 44-45, 48-49 … */
export const NAICS_SECTOR = /^\d{2}(-\d{2})?$/;

/** `lmi crosswalks import-naics`: NAICS_Subclusters_Crosswalk.xlsx → crosswalks/advance_cte_2024_naics_subclusters.csv. */
export async function importNaicsCrosswalk(workbookFile: string, crosswalksDir: string) {
  const name = path.basename(workbookFile);
  const parsed: { cluster: string; sub_cluster: string; naics_sector: string; naics_title: string }[] = [];
  await readSheetTable({ file: workbookFile, displayName: name, sheet: SHEET, specs: COLUMNS }, async (stream) => {
    for await (const [cluster, sub, sector, title, row] of stream) {
      if (!cluster && !sub && !sector) continue; // the sheet's trailing empty rows
      const code = (sector ?? '').trim();
      if (!NAICS_SECTOR.test(code)) throw new DataError(name, Number(row), '2-Digit NAICS', `"${sector}" is not a 2-digit NAICS sector like 62 or 31-33`, SHEET);
      parsed.push({ cluster: cluster ?? '', sub_cluster: sub ?? '', naics_sector: code, naics_title: (title ?? '').replace(/\s+/g, ' ').trim() });
    }
  });
  if (parsed.length === 0) throw new CrosswalkError(`${name}: no rows on sheet "${SHEET}"`);
  const clusters = canonicalNames(parsed.map((r) => r.cluster));
  const subs = canonicalNames(parsed.map((r) => r.sub_cluster));
  const rows = [
    ...new Map(
      parsed.map((p) => {
        const r = { ...p, cluster: clusters.canon(p.cluster), sub_cluster: subs.canon(p.sub_cluster) };
        return [`${r.cluster}|${r.sub_cluster}|${r.naics_sector}`, r] as const;
      }),
    ).values(),
  ].sort((a, b) => a.cluster.localeCompare(b.cluster) || a.sub_cluster.localeCompare(b.sub_cluster) || a.naics_sector.localeCompare(b.naics_sector));
  const csv = path.join(crosswalksDir, NAICS_CSV);
  await writeFileAtomic(csv, Papa.unparse(rows, { newline: '\n' }) + '\n');
  const meta = await workbookProvenance(workbookFile);
  const provenance = NaicsProvenanceSchema.parse({
    workbook: meta.workbook,
    sha256: meta.sha256,
    workbook_created: meta.created,
    workbook_modified: meta.modified,
    sheet: SHEET,
    rows: rows.length,
    sectors: new Set(rows.map((r) => r.naics_sector)).size,
    sub_clusters: new Set(rows.map((r) => `${r.cluster}|${r.sub_cluster}`)).size,
    normalizations: [...clusters.notes, ...subs.notes, ...(parsed.length > rows.length ? [`${parsed.length - rows.length} repeated rows dropped`] : [])],
    csv_sha256: await sha256File(csv),
  });
  await writeJsonAtomic(path.join(crosswalksDir, NAICS_PROVENANCE), provenance);
  return provenance;
}

export async function loadIndustryCrosswalk(ctx: RunContext): Promise<LoadedSource> {
  const p = NaicsProvenanceSchema.parse(JSON.parse(await readFile(path.join(ctx.crosswalksDir, NAICS_PROVENANCE), 'utf8')));
  return loadVendored(ctx, advanceCteSource('industry_crosswalk', p), [
    { table: 'raw_industry_subclusters', csv: NAICS_CSV, expected: { sha256: p.csv_sha256, remake: 'lmi crosswalks import-naics' } },
    // The 2-digit sectors (NAICS 2022) and OEWS's own 99 (government), hand-written with their source.
    { table: 'raw_naics_sectors', csv: 'naics_sectors.csv' },
  ]);
}

/** Fetch the industry-specific zip of an OEWS release. */
export async function acquireOewsIndustry(ctx: RunContext, year: number): Promise<Acquired> {
  return acquire(ctx, source, oewsUrl(year, 'in4'), 'zip', `May ${year}`).catch((err: unknown) => {
    if (err instanceof FetchError && err.status === 404) throw new FetchError(err.url, `OEWS May ${year} industry estimates (in4) are not published there (404)`, 404);
    throw err;
  });
}

/** Load the 2-digit sector workbook into raw_oews_industry. */
export async function loadOewsIndustry(ctx: RunContext, acquired: Acquired, year: number): Promise<LoadedSource> {
  const { file, entry } = await withZip(acquired.fetched.file, async (zip) => {
    const entry = findEntry(zip, SECTOR_WORKBOOK, 'sector workbook (natsector)');
    const found = Number(/M(\d{4})/i.exec(entry)![1]);
    if (found !== year) throw new FetchError(acquired.provenance.url, `holds the May ${found} sector workbook ${entry}, not May ${year}`);
    return { file: await zip.extract(entry, path.join(ctx.workDir, 'oews_industry')), entry };
  });
  const { result: rows } = await readSheetTable({ file, displayName: `${acquired.provenance.url} (${entry})`, specs: INDUSTRY_COLUMNS }, (rows, columns) =>
    ctx.warehouse.loadTextRows('raw_oews_industry', columns, rows, ctx.workDir),
  );
  return { provenance: acquired.provenance, tables: { raw_oews_industry: rows }, facts: { oews_industry_release: `May ${year}` } };
}

/** A run without the industry view still has the (empty) raw table the SQL reads. */
export async function createEmptyOewsIndustry(ctx: RunContext): Promise<void> {
  await ctx.warehouse.run(
    `CREATE OR REPLACE TABLE raw_oews_industry AS SELECT ${[...INDUSTRY_COLUMNS.map((c) => c.key), 'source_row'].map((c) => `NULL::VARCHAR AS ${c}`).join(', ')} WHERE false`,
  );
}

const wanted = (plan: RunPlan) => optionsOf<boolean>(plan, oewsIndustryDataset) === true;

/** OEWS national industry (NAICS sector) estimates, with --industries: the same release as the cross-industry ones. */
export const oewsIndustryDataset: Dataset<Acquired, boolean> = {
  name: source,
  kind: 'fetched',
  options: {
    configKey: 'industries',
    /** Read OEWS national industry (sector) estimates for the industry view. Default false. */
    schema: z.boolean(),
    flags: [{ flags: '--industries', description: "add the industry view: OEWS national estimates by NAICS sector (oesmYYin4.zip) joined to the framework's NAICS crosswalk" }],
    resolve: (flags, config) => (flags.industries as boolean | undefined) ?? config ?? false,
    inUse: (value) => value === true,
  },
  after: ['oews'],
  urls: (plan) => (wanted(plan) ? [{ source, release: `May ${oewsYearOf(plan)}`, url: oewsUrl(oewsYearOf(plan), 'in4') }] : []),
  acquire: async (ctx, plan) => (wanted(plan) ? acquireOewsIndustry(ctx, oewsYearOf(plan)) : undefined),
  provenance: (a) => [a.provenance],
  load: async (ctx, a, plan) => [await loadOewsIndustry(ctx, a, oewsYearOf(plan))],
  absent: (ctx) => createEmptyOewsIndustry(ctx),
};

/** Advance CTE's NAICS → sub-cluster crosswalk and the NAICS sectors (crosswalks/). */
export const industryCrosswalkDataset: Dataset<LoadedSource> = {
  ...vendored('industry_crosswalk', loadIndustryCrosswalk),
  importer: fileImporter(
    'import-naics',
    "import Advance CTE's sub-cluster ↔ NAICS sector workbook (NAICS_Subclusters_Crosswalk.xlsx) as CSV with its provenance",
    { name: 'workbook', description: 'NAICS_Subclusters_Crosswalk.xlsx' },
    importNaicsCrosswalk,
    (p) =>
      [`${p.rows} rows, ${p.sub_clusters} sub-clusters, ${p.sectors} sectors from ${p.workbook} (sha256 ${p.sha256})`, ...p.normalizations.map((n) => `  normalized: ${n}`)].join(
        '\n',
      ),
  ),
};

// Advance CTE's Modernized National Career Clusters Framework (2024): 14 clusters, 72
// sub-clusters, and which SOC codes sit in them. Vendored in crosswalks/ as CSV made by
// `lmi crosswalks import` from the official workbook, with the workbook's hash and dates.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { z } from 'zod';
import type { LoadedSource, RunContext } from '../src/context.js';
import { CrosswalkError, DataError, HeaderDriftError } from '../src/errors.js';
import { readSheetTable, type ColumnSpec } from '../src/extract/columns.js';
import { workbookProvenance, type WorkbookProvenance } from '../src/extract/workbook-meta.js';
import { writeFileAtomic, writeJsonAtomic, sha256File } from '../src/fsutil.js';
import { loadVendored, type VendoredSource } from '../src/load/vendored.js';
import { type Dataset, fileImporter, vendored } from './dataset.js';

export const source = 'career_clusters';
export const CROSSWALK_CSV = 'advance_cte_2024_soc_clusters.csv';
export const CROSSWALK_PROVENANCE = 'advance_cte_2024_soc_clusters.provenance.json';
export const EXPECTED_CLUSTERS = 14;
/**
 * Advance CTE describes the framework as having 72 sub-clusters, but all four official
 * crosswalk workbooks (SOC, CIP, NAICS, Full Framework) name the same 71 (cluster, sub-cluster)
 * pairs; we check against what the data holds, so a change in a new workbook is noticed.
 */
export const EXPECTED_SUB_CLUSTERS = 71;

export const CrosswalkProvenanceSchema = z.object({
  framework: z.string(),
  source_url: z.string(),
  workbook: z.string(),
  sha256: z.string(),
  workbook_created: z.string().optional(),
  workbook_modified: z.string().optional(),
  sheets: z.array(z.string()),
  rows: z.number(),
  soc_codes: z.number(),
  clusters: z.number(),
  sub_clusters: z.number(),
  normalizations: z.array(z.string()),
  csv_sha256: z.string(),
});
export type CrosswalkProvenance = z.infer<typeof CrosswalkProvenanceSchema>;

const LONG_SHEET = 'SOC - CC - Sub-Clusters';
const WIDE_SHEET = 'SOC - CC (Wide)';

const LONG_COLUMNS: ColumnSpec[] = [
  { key: 'soc_code', header: /^SOC Code$/i, label: 'SOC Code', kind: 'soc' },
  { key: 'soc_title', header: /^Occupation Title$/i, label: 'Occupation Title', kind: 'text' },
  { key: 'cluster', header: /^Career Cluster$/i, label: 'Career Cluster', kind: 'text' },
  { key: 'sub_cluster', header: /^Sub-Cluster$/i, label: 'Sub-Cluster', kind: 'text' },
];
const WIDE_COLUMNS: ColumnSpec[] = [
  { key: 'soc_code', header: /^SOC Code$/i, label: 'SOC Code', kind: 'soc' },
  { key: 'interdisciplinary', header: /^Interdisciplinary SOC\?/i, label: 'Interdisciplinary SOC? (Yes/No)', kind: 'text' },
];

async function collect(rows: AsyncIterable<(string | null)[]>): Promise<(string | null)[][]> {
  const out: (string | null)[][] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/**
 * Names as the framework spells them: trimmed, single-spaced, and where the data spells one
 * name in two cases ("water systems"), the spelling most rows use.
 */
export function canonicalNames(values: string[]): { canon: (s: string) => string; notes: string[] } {
  const tidy = (s: string) => s.replace(/\s+/g, ' ').trim();
  const counts = new Map<string, Map<string, number>>();
  for (const v of values) {
    const t = tidy(v);
    const key = t.toLowerCase();
    const spellings = counts.get(key) ?? new Map<string, number>();
    spellings.set(t, (spellings.get(t) ?? 0) + 1);
    counts.set(key, spellings);
  }
  const best = new Map<string, string>();
  const notes: string[] = [];
  for (const [key, spellings] of counts) {
    const sorted = [...spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    best.set(key, sorted[0]![0]);
    for (const [s, n] of sorted.slice(1)) notes.push(`"${s}" (${n} row${n > 1 ? 's' : ''}) written as "${sorted[0]![0]}"`);
  }
  for (const v of new Set(values)) if (v !== tidy(v)) notes.push(`"${v}" trimmed to "${tidy(v)}"`);
  return { canon: (s: string) => best.get(tidy(s).toLowerCase())!, notes };
}

/** `lmi crosswalks import`: official workbook → crosswalks/advance_cte_2024_soc_clusters.csv (+ provenance). */
export async function importClusterCrosswalk(workbookFile: string, crosswalksDir: string): Promise<CrosswalkProvenance> {
  const name = path.basename(workbookFile);
  const { result: long } = await readSheetTable({ file: workbookFile, displayName: name, sheet: LONG_SHEET, specs: LONG_COLUMNS }, collect);
  const { result: wide } = await readSheetTable({ file: workbookFile, displayName: name, sheet: WIDE_SHEET, specs: WIDE_COLUMNS }, collect);

  const interdisciplinary = new Map<string, boolean>();
  for (const [soc, flag, row] of wide) {
    const f = (flag ?? '').trim().toLowerCase();
    if (f !== 'yes' && f !== 'no') throw new DataError(name, Number(row), 'Interdisciplinary SOC? (Yes/No)', `"${flag}" is neither Yes nor No`, WIDE_SHEET);
    interdisciplinary.set(soc!, f === 'yes');
  }
  const clusters = canonicalNames(long.map((r) => r[2] ?? ''));
  const subs = canonicalNames(long.map((r) => r[3] ?? ''));
  const seen = new Set<string>();
  const rows: { soc_code: string; soc_title: string; cluster: string; sub_cluster: string; interdisciplinary: boolean }[] = [];
  for (const [soc, title, cluster, sub, row] of long) {
    if (!cluster || !sub) throw new DataError(name, Number(row), cluster ? 'Sub-Cluster' : 'Career Cluster', 'is empty', LONG_SHEET);
    const flag = interdisciplinary.get(soc!);
    if (flag === undefined) throw new DataError(name, Number(row), 'SOC Code', `${soc} is not on the "${WIDE_SHEET}" sheet`, LONG_SHEET);
    const r = { soc_code: soc!, soc_title: (title ?? '').trim(), cluster: clusters.canon(cluster), sub_cluster: subs.canon(sub), interdisciplinary: flag };
    const key = `${r.soc_code}|${r.cluster}|${r.sub_cluster}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(r);
  }
  rows.sort((a, b) => a.soc_code.localeCompare(b.soc_code) || a.cluster.localeCompare(b.cluster) || a.sub_cluster.localeCompare(b.sub_cluster));

  const clusterCount = new Set(rows.map((r) => r.cluster)).size;
  const subCount = new Set(rows.map((r) => `${r.cluster}|${r.sub_cluster}`)).size;
  if (clusterCount !== EXPECTED_CLUSTERS || subCount !== EXPECTED_SUB_CLUSTERS)
    throw new CrosswalkError(`${name}: found ${clusterCount} clusters and ${subCount} sub-clusters; the 2024 workbooks have ${EXPECTED_CLUSTERS} and ${EXPECTED_SUB_CLUSTERS}`);

  const csvFile = path.join(crosswalksDir, CROSSWALK_CSV);
  await writeFileAtomic(csvFile, Papa.unparse(rows, { newline: '\n' }) + '\n');
  const meta: WorkbookProvenance = await workbookProvenance(workbookFile);
  const provenance: CrosswalkProvenance = {
    framework: 'Advance CTE National Career Clusters Framework (2024)',
    source_url: ADVANCE_CTE_CROSSWALK_URL,
    workbook: meta.workbook,
    sha256: meta.sha256,
    workbook_created: meta.created,
    workbook_modified: meta.modified,
    sheets: [LONG_SHEET, WIDE_SHEET],
    rows: rows.length,
    soc_codes: new Set(rows.map((r) => r.soc_code)).size,
    clusters: clusterCount,
    sub_clusters: subCount,
    normalizations: [...clusters.notes, ...subs.notes],
    csv_sha256: await sha256File(csvFile),
  };
  await writeJsonAtomic(path.join(crosswalksDir, CROSSWALK_PROVENANCE), provenance);
  return provenance;
}

export async function readCrosswalkProvenance(crosswalksDir: string): Promise<CrosswalkProvenance> {
  const file = path.join(crosswalksDir, CROSSWALK_PROVENANCE);
  return CrosswalkProvenanceSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

/** Where Advance CTE publishes the framework's crosswalk workbooks. */
export const ADVANCE_CTE_CROSSWALK_URL = 'https://careertech.org/resource/framework-crosswalk/';

/** How a table vendored from one of Advance CTE's workbooks is described in the manifest: its workbook, date and hash. */
export function advanceCteSource(source: string, p: { workbook: string; sha256: string; workbook_modified?: string }, url = ADVANCE_CTE_CROSSWALK_URL): VendoredSource {
  return { source, url, modified: p.workbook_modified, release: `2024 (workbook ${p.workbook} modified ${p.workbook_modified ?? 'unknown'}, sha256 ${p.sha256.slice(0, 12)})` };
}

/** Load the vendored crosswalk into the warehouse, checking it is the file its provenance describes. */
export async function loadCareerClusters(ctx: RunContext): Promise<LoadedSource> {
  const p = await readCrosswalkProvenance(ctx.crosswalksDir);
  const loaded = await loadVendored(ctx, advanceCteSource(source, p, p.source_url), [
    {
      table: 'raw_career_clusters',
      csv: CROSSWALK_CSV,
      expected: { sha256: p.csv_sha256, remake: 'lmi crosswalks import' },
      columns: { soc_code: 'VARCHAR', soc_title: 'VARCHAR', cluster: 'VARCHAR', sub_cluster: 'VARCHAR', interdisciplinary: 'BOOLEAN' },
    },
  ]);
  return { ...loaded, facts: { crosswalk_version: `${p.workbook}@${p.sha256.slice(0, 12)}` } };
}

/**
 * The legacy framework (16 clusters), as O*NET OnLine published it (All_Career_Clusters.csv:
 * O*NET-SOC 2019 codes; an occupation in several clusters has "; "-joined clusters and
 * pathways, in matching order). Vendored so boards still reporting on the old clusters get
 * the same tables, with framework = 'legacy_16'.
 */
export const LEGACY_CSV = 'onet_legacy_career_clusters.csv';
export const LEGACY_PROVENANCE = 'onet_legacy_career_clusters.provenance.json';

const LegacyProvenanceSchema = z.object({
  file: z.string(),
  sha256: z.string(),
  source: z.string(),
  rows: z.number(),
  clusters: z.number(),
  pathways: z.number(),
  soc_codes: z.number(),
  csv_sha256: z.string(),
});

export async function importLegacyClusters(file: string, crosswalksDir: string) {
  const name = path.basename(file);
  const parsed = Papa.parse<Record<string, string>>(await readFile(file, 'utf8'), { header: true, skipEmptyLines: true });
  const need = ['Career Cluster', 'Career Pathway', 'Code'];
  for (const c of need) if (!parsed.meta.fields?.includes(c)) throw new HeaderDriftError(name, undefined, c, `is missing (found: ${parsed.meta.fields?.join(', ')})`);
  const rows = new Map<string, { onet_soc_code: string; soc_code: string; cluster: string; pathway: string }>();
  parsed.data.forEach((r, i) => {
    const code = (r.Code ?? '').trim();
    if (!/^\d{2}-\d{4}\.\d{2}$/.test(code)) throw new DataError(name, i + 2, 'Code', `"${code}" is not an O*NET-SOC code like 15-1252.00`);
    const clusters = r['Career Cluster']!.split(';').map((x) => x.trim());
    const pathways = r['Career Pathway']!.split(';').map((x) => x.trim());
    if (clusters.length !== pathways.length) throw new DataError(name, i + 2, 'Career Pathway', `lists ${pathways.length} pathways for ${clusters.length} clusters`);
    clusters.forEach((cluster, k) => {
      const row = { onet_soc_code: code, soc_code: code.slice(0, 7), cluster, pathway: pathways[k]! };
      rows.set(`${code}|${cluster}|${row.pathway}`, row);
    });
  });
  const sorted = [...rows.values()].sort((a, b) => a.onet_soc_code.localeCompare(b.onet_soc_code) || a.cluster.localeCompare(b.cluster) || a.pathway.localeCompare(b.pathway));
  const csv = path.join(crosswalksDir, LEGACY_CSV);
  await writeFileAtomic(csv, Papa.unparse(sorted, { newline: '\n' }) + '\n');
  const provenance = LegacyProvenanceSchema.parse({
    file: name,
    sha256: await sha256File(file),
    source:
      'O*NET OnLine, Browse by Career Cluster download (O*NET-SOC 2019 codes; linkage from the National Career Clusters Framework as implemented by the DoD ASVAB Career Exploration Program, updated 2016)',
    rows: sorted.length,
    clusters: new Set(sorted.map((r) => r.cluster)).size,
    pathways: new Set(sorted.map((r) => `${r.cluster}|${r.pathway}`)).size,
    soc_codes: new Set(sorted.map((r) => r.soc_code)).size,
    csv_sha256: await sha256File(csv),
  });
  await writeJsonAtomic(path.join(crosswalksDir, LEGACY_PROVENANCE), provenance);
  return provenance;
}

export async function loadLegacyClusters(ctx: RunContext): Promise<LoadedSource> {
  const p = LegacyProvenanceSchema.parse(JSON.parse(await readFile(path.join(ctx.crosswalksDir, LEGACY_PROVENANCE), 'utf8')));
  return loadVendored(
    ctx,
    { source: 'legacy_clusters', url: 'https://www.onetonline.org/find/career', release: `16 clusters, ${p.pathways} pathways (${p.file}, sha256 ${p.sha256.slice(0, 12)})` },
    [{ table: 'raw_legacy_clusters', csv: LEGACY_CSV, expected: { sha256: p.csv_sha256, remake: 'lmi crosswalks import-legacy' } }],
  );
}

/** Advance CTE's 2024 SOC → Career Cluster crosswalk (crosswalks/). */
export const careerClustersDataset: Dataset<LoadedSource> = {
  ...vendored('career_clusters', loadCareerClusters),
  importer: fileImporter(
    'import',
    "import Advance CTE's SOC ↔ Career Clusters workbook (SOC_Career_Clusters_Crosswalk.xlsx) as CSV with its provenance",
    { name: 'workbook', description: 'the official workbook (.xlsx)' },
    importClusterCrosswalk,
    (p) =>
      [
        `${p.rows} rows, ${p.soc_codes} SOC codes, ${p.clusters} clusters, ${p.sub_clusters} sub-clusters from ${p.workbook} (sha256 ${p.sha256})`,
        ...p.normalizations.map((n) => `  normalized: ${n}`),
      ].join('\n'),
  ),
};
/** The legacy 16 clusters as O*NET published them (crosswalks/). */
export const legacyClustersDataset: Dataset<LoadedSource> = {
  ...vendored('legacy_clusters', loadLegacyClusters),
  importer: fileImporter(
    'import-legacy',
    "import O*NET's legacy 16-cluster file (All_Career_Clusters.csv) as the legacy_16 framework",
    { name: 'csv', description: 'All_Career_Clusters.csv' },
    importLegacyClusters,
    (p) => `${p.rows} rows, ${p.soc_codes} SOC codes, ${p.clusters} clusters, ${p.pathways} pathways from ${p.file} (sha256 ${p.sha256})`,
  ),
};

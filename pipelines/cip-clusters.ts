// Programs of study (CIP 2020) and their Career Clusters and Sub-Clusters, as Advance CTE's CIP
// crosswalk places them (CIP_Career_Clusters_Crosswalk.xlsx, sheet "CIP - CC - Sub-Clusters").
// A program's completions count toward these clusters: split in whole persons across them, as
// an occupation's employment is. Vendored in crosswalks/ by `lmi crosswalks import-cip-clusters`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { z } from 'zod';
import type { LoadedSource, RunContext } from '../src/context.js';
import { CrosswalkError, DataError } from '../src/errors.js';
import { readSheetTable, type ColumnSpec } from '../src/extract/columns.js';
import { workbookProvenance } from '../src/extract/workbook-meta.js';
import { sha256File, writeFileAtomic, writeJsonAtomic } from '../src/fsutil.js';
import { loadVendored } from '../src/load/vendored.js';
import { advanceCteSource, canonicalNames } from './career-clusters.js';
import { type Dataset, fileImporter, vendored } from './dataset.js';

export const source = 'cip_clusters';
export const CIP_CLUSTERS_CSV = 'advance_cte_2024_cip_clusters.csv';
export const CIP_CLUSTERS_PROVENANCE = 'advance_cte_2024_cip_clusters.provenance.json';
const SHEET = 'CIP - CC - Sub-Clusters';

const ProvenanceSchema = z.object({
  workbook: z.string(),
  sha256: z.string(),
  workbook_created: z.string().optional(),
  workbook_modified: z.string().optional(),
  sheet: z.string(),
  rows: z.number(),
  cip_codes: z.number(),
  clusters: z.number(),
  sub_clusters: z.number(),
  dropped: z.array(z.string()),
  csv_sha256: z.string(),
});

const COLUMNS: ColumnSpec[] = [
  { key: 'cip_code', header: /^CIP Code/i, label: 'CIP Code (2020)', kind: 'text' },
  { key: 'cip_title', header: /^CIP Title/i, label: 'CIP Title (2020)', kind: 'text' },
  { key: 'cluster', header: /^Career Cluster$/i, label: 'Career Cluster', kind: 'text' },
  { key: 'sub_cluster', header: /^Sub-Cluster$/i, label: 'Sub-Cluster', kind: 'text' },
];

const tidy = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** `lmi crosswalks import-cip-clusters`: CIP_Career_Clusters_Crosswalk.xlsx → crosswalks/advance_cte_2024_cip_clusters.csv. */
export async function importCipClusterCrosswalk(workbookFile: string, crosswalksDir: string) {
  const name = path.basename(workbookFile);
  const parsed: { cip_code: string; cip_title: string; cluster: string; sub_cluster: string }[] = [];
  let blank = 0;
  await readSheetTable({ file: workbookFile, displayName: name, sheet: SHEET, specs: COLUMNS }, async (stream) => {
    for await (const [cip, title, cluster, sub, row] of stream) {
      if (!tidy(cip) && !tidy(cluster)) {
        blank++;
        continue;
      }
      if (!/^\d{2}\.\d{4}$/.test(tidy(cip))) throw new DataError(name, Number(row), 'CIP Code (2020)', `"${cip}" is not a CIP 2020 code like 51.3801`, SHEET);
      if (!tidy(cluster) || !tidy(sub)) throw new DataError(name, Number(row), tidy(cluster) ? 'Sub-Cluster' : 'Career Cluster', 'is empty', SHEET);
      parsed.push({ cip_code: tidy(cip), cip_title: tidy(title).replace(/\.$/, ''), cluster: tidy(cluster), sub_cluster: tidy(sub) });
    }
  });
  // Names as the framework spells them (the SOC crosswalk's import does the same).
  const clusters = canonicalNames(parsed.map((r) => r.cluster));
  const subs = canonicalNames(parsed.map((r) => r.sub_cluster));
  const rows = new Map<string, (typeof parsed)[number]>();
  let duplicates = 0;
  for (const p of parsed) {
    const r = { ...p, cluster: clusters.canon(p.cluster), sub_cluster: subs.canon(p.sub_cluster) };
    const key = `${r.cip_code}|${r.cluster}|${r.sub_cluster}`;
    if (rows.has(key)) duplicates++;
    rows.set(key, r);
  }
  const sorted = [...rows.values()].sort((a, b) => a.cip_code.localeCompare(b.cip_code) || a.cluster.localeCompare(b.cluster) || a.sub_cluster.localeCompare(b.sub_cluster));
  if (sorted.length === 0) throw new CrosswalkError(`${name}: no CIP ↔ cluster rows on sheet "${SHEET}"`);
  const csv = path.join(crosswalksDir, CIP_CLUSTERS_CSV);
  await writeFileAtomic(csv, Papa.unparse(sorted, { newline: '\n' }) + '\n');
  const meta = await workbookProvenance(workbookFile);
  const provenance = ProvenanceSchema.parse({
    workbook: meta.workbook,
    sha256: meta.sha256,
    workbook_created: meta.created,
    workbook_modified: meta.modified,
    sheet: SHEET,
    rows: sorted.length,
    cip_codes: new Set(sorted.map((r) => r.cip_code)).size,
    clusters: new Set(sorted.map((r) => r.cluster)).size,
    sub_clusters: new Set(sorted.map((r) => `${r.cluster}|${r.sub_cluster}`)).size,
    dropped: [`${blank} empty rows`, `${duplicates} repeated rows (same CIP, cluster and sub-cluster)`],
    csv_sha256: await sha256File(csv),
  });
  await writeJsonAtomic(path.join(crosswalksDir, CIP_CLUSTERS_PROVENANCE), provenance);
  return provenance;
}

export async function loadCipClusters(ctx: RunContext): Promise<LoadedSource> {
  const p = ProvenanceSchema.parse(JSON.parse(await readFile(path.join(ctx.crosswalksDir, CIP_CLUSTERS_PROVENANCE), 'utf8')));
  return loadVendored(ctx, advanceCteSource(source, p), [
    { table: 'raw_cip_clusters', csv: CIP_CLUSTERS_CSV, expected: { sha256: p.csv_sha256, remake: 'lmi crosswalks import-cip-clusters' } },
  ]);
}

/** Advance CTE's CIP → Career Clusters crosswalk (crosswalks/), with the command that makes it. */
export const cipClustersDataset: Dataset<LoadedSource> = {
  ...vendored(source, loadCipClusters),
  importer: fileImporter(
    'import-cip-clusters',
    "import Advance CTE's CIP ↔ Career Clusters workbook (CIP_Career_Clusters_Crosswalk.xlsx): each program's clusters and sub-clusters",
    { name: 'workbook', description: 'the official workbook (.xlsx)' },
    importCipClusterCrosswalk,
    (p) => `${p.rows} rows, ${p.cip_codes} CIP codes, ${p.clusters} clusters, ${p.sub_clusters} sub-clusters from ${p.workbook} (sha256 ${p.sha256})`,
  ),
};

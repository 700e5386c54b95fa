// Programs of study (CIP 2020) and the occupations they prepare for (SOC), as Advance CTE's
// Full Framework crosswalk links them within each Career Cluster and Sub-Cluster. Vendored in
// crosswalks/ by `lmi crosswalks import-cip` from the official workbook, with its provenance.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { z } from 'zod';
import type { LoadedSource, RunContext } from '../src/context.js';
import { CrosswalkError, DataError } from '../src/errors.js';
import { readSheetTable, type ColumnSpec } from '../src/extract/columns.js';
import { workbookProvenance } from '../src/extract/workbook-meta.js';
import { advanceCteSource, canonicalNames } from './career-clusters.js';
import { sha256File, writeFileAtomic, writeJsonAtomic } from '../src/fsutil.js';
import { loadVendored } from '../src/load/vendored.js';
import { type Dataset, fileImporter, vendored } from './dataset.js';

export const source = 'programs';
export const CIP_CSV = 'advance_cte_2024_cip_soc.csv';
export const CIP_PROVENANCE = 'advance_cte_2024_cip_soc.provenance.json';
const SHEET = 'SOC - CIP - CC';

const ProvenanceSchema = z.object({
  workbook: z.string(),
  sha256: z.string(),
  workbook_created: z.string().optional(),
  workbook_modified: z.string().optional(),
  sheet: z.string(),
  rows: z.number(),
  cip_codes: z.number(),
  soc_codes: z.number(),
  dropped: z.array(z.string()),
  csv_sha256: z.string(),
});

const COLUMNS: ColumnSpec[] = [
  { key: 'cluster', header: /^Career Cluster$/i, label: 'Career Cluster', kind: 'text' },
  { key: 'sub_cluster', header: /^Sub-Cluster$/i, label: 'Sub-Cluster', kind: 'text', required: true },
  { key: 'soc_code', header: /^SOC Code$/i, label: 'SOC Code', kind: 'text' },
  { key: 'cip_code', header: /^CIP Code/i, label: 'CIP Code (2020)', kind: 'text' },
  { key: 'cip_title', header: /^CIP Title/i, label: 'CIP Title (2020)', kind: 'text' },
];

const tidy = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** `lmi crosswalks import-cip`: Full_Framework_Crosswalk.xlsx → crosswalks/advance_cte_2024_cip_soc.csv. */
export async function importProgramCrosswalk(workbookFile: string, crosswalksDir: string) {
  const name = path.basename(workbookFile);
  const parsed: { cip_code: string; cip_title: string; soc_code: string; cluster: string; sub_cluster: string }[] = [];
  let headings = 0;
  await readSheetTable({ file: workbookFile, displayName: name, sheet: SHEET, specs: COLUMNS }, async (stream) => {
    for await (const [cluster, sub, soc, cip, title, row] of stream) {
      // Cluster heading rows carry only the cluster's name.
      if (!sub && !soc && !cip) {
        headings++;
        continue;
      }
      if (!/^\d{2}-\d{4}$/.test(tidy(soc))) throw new DataError(name, Number(row), 'SOC Code', `"${soc}" is not a SOC code`, SHEET);
      if (!/^\d{2}\.\d{4}$/.test(tidy(cip))) throw new DataError(name, Number(row), 'CIP Code (2020)', `"${cip}" is not a CIP 2020 code like 51.3801`, SHEET);
      parsed.push({ cip_code: tidy(cip), cip_title: tidy(title).replace(/\.$/, ''), soc_code: tidy(soc), cluster: tidy(cluster), sub_cluster: tidy(sub) });
    }
  });
  // Names as the framework spells them, as the SOC crosswalk import does ("water systems" → "Water Systems").
  const clusters = canonicalNames(parsed.map((r) => r.cluster));
  const subs = canonicalNames(parsed.map((r) => r.sub_cluster));
  const rows = new Map<string, (typeof parsed)[number]>();
  let duplicates = 0;
  for (const p of parsed) {
    const r = { ...p, cluster: clusters.canon(p.cluster), sub_cluster: subs.canon(p.sub_cluster) };
    const key = `${r.cip_code}|${r.soc_code}|${r.cluster}|${r.sub_cluster}`;
    if (rows.has(key)) duplicates++;
    rows.set(key, r);
  }
  const sorted = [...rows.values()].sort(
    (a, b) => a.cip_code.localeCompare(b.cip_code) || a.soc_code.localeCompare(b.soc_code) || a.cluster.localeCompare(b.cluster) || a.sub_cluster.localeCompare(b.sub_cluster),
  );
  if (sorted.length === 0) throw new CrosswalkError(`${name}: no CIP ↔ SOC rows on sheet "${SHEET}"`);
  const csv = path.join(crosswalksDir, CIP_CSV);
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
    soc_codes: new Set(sorted.map((r) => r.soc_code)).size,
    dropped: [`${headings} cluster heading rows`, `${duplicates} repeated rows (same CIP, SOC, cluster and sub-cluster)`],
    csv_sha256: await sha256File(csv),
  });
  await writeJsonAtomic(path.join(crosswalksDir, CIP_PROVENANCE), provenance);
  return provenance;
}

export async function loadPrograms(ctx: RunContext): Promise<LoadedSource> {
  const p = ProvenanceSchema.parse(JSON.parse(await readFile(path.join(ctx.crosswalksDir, CIP_PROVENANCE), 'utf8')));
  return loadVendored(ctx, advanceCteSource(source, p), [
    { table: 'raw_program_occupations', csv: CIP_CSV, expected: { sha256: p.csv_sha256, remake: 'lmi crosswalks import-cip' } },
  ]);
}

/** Advance CTE's CIP → SOC program crosswalk (crosswalks/). */
export const programsDataset: Dataset<LoadedSource> = {
  ...vendored('programs', loadPrograms),
  attribution: 'Career Clusters: Advance CTE, National Career Clusters® Framework (2024).',
  importer: fileImporter(
    'import-cip',
    "import Advance CTE's Full Framework workbook (Full_Framework_Crosswalk.xlsx): CIP 2020 programs ↔ SOC occupations within clusters",
    { name: 'workbook', description: 'the official workbook (.xlsx)' },
    importProgramCrosswalk,
    (p) => `${p.rows} rows, ${p.cip_codes} CIP codes, ${p.soc_codes} SOC codes from ${p.workbook} (sha256 ${p.sha256}); dropped ${p.dropped.join(', ')}`,
  ),
};

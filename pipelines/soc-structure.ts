// SOC 2018 structure (BLS): the hierarchy of 23 major, 98 minor, 459 broad and 867 detailed
// codes, and the map from OEWS codes that are not SOC detailed codes (aggregates such as
// 13-1020, combinations such as 21-1018) to the SOC detailed codes they stand for.
// Both vendored in crosswalks/ by `lmi crosswalks import-soc`, derived from BLS files.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { z } from 'zod';
import type { LoadedSource, RunContext } from '../src/context.js';
import { CrosswalkError, HeaderDriftError } from '../src/errors.js';
import { checkValue, mapHeader, normalizeHeader, readSheetTable, type ColumnSpec, type MappedHeader } from '../src/extract/columns.js';
import { withWorkbook } from '../src/extract/xlsx.js';
import { workbookProvenance } from '../src/extract/workbook-meta.js';
import { sha256File, writeFileAtomic, writeJsonAtomic } from '../src/fsutil.js';
import { loadVendored } from '../src/load/vendored.js';
import { OEWS_COLUMNS } from './oews.js';
import { type Dataset, vendored } from './dataset.js';

export const source = 'soc_structure';
export const STRUCTURE_CSV = 'soc_2018_structure.csv';
export const OEWS_MAP_CSV = 'oews_codes_to_soc_2018.csv';
export const SOC_PROVENANCE = 'soc_2018.provenance.json';
/** Hand-written, with reasoning beside it (hybrid_codes_to_soc_2018.md). */
export const HYBRID_CSV = 'hybrid_codes_to_soc_2018.csv';

const SocProvenanceSchema = z.object({
  structure_workbook: z.string(),
  structure_sha256: z.string(),
  oews_workbooks: z.array(z.object({ workbook: z.string(), sha256: z.string() })),
  counts: z.record(z.string(), z.number()),
  structure_csv_sha256: z.string(),
  oews_map_csv_sha256: z.string(),
  rule: z.string(),
});

const LEVELS = ['major', 'minor', 'broad', 'detailed'] as const;
const STRUCTURE_COLUMNS: ColumnSpec[] = [
  { key: 'major', header: /^Major Group$/i, label: 'Major Group', kind: 'soc' },
  { key: 'minor', header: /^Minor Group$/i, label: 'Minor Group', kind: 'soc' },
  { key: 'broad', header: /^Broad Group$/i, label: 'Broad Group', kind: 'soc' },
  { key: 'detailed', header: /^Detailed Occupation$/i, label: 'Detailed Occupation', kind: 'soc' },
];

interface SocRow {
  soc_code: string;
  soc_level: (typeof LEVELS)[number];
  soc_title: string;
  major_code: string;
  minor_code: string;
  broad_code: string;
}

async function readStructure(file: string): Promise<SocRow[]> {
  const name = path.basename(file);
  return withWorkbook(file, async (wb) => {
    const out: SocRow[] = [];
    let header: MappedHeader | undefined;
    let major = '',
      minor = '',
      broad = '';
    for await (const r of wb.rows()) {
      if (!header) {
        if (r.cells.some((c) => normalizeHeader(c) === 'Major Group')) header = mapHeader(name, wb.sheets[0]!.name, r, STRUCTURE_COLUMNS);
        continue;
      }
      const idx = header.index as number[];
      const level = idx.findIndex((i) => r.cells[i]);
      if (level < 0) continue;
      const code = checkValue(name, wb.sheets[0]!.name, r.row, STRUCTURE_COLUMNS[level]!, r.cells[idx[level]!] ?? null, idx[level]!)!;
      if (level === 0) major = code;
      if (level === 1) minor = code;
      if (level === 2) broad = code;
      // The title sits in the column after "Detailed Occupation", which has no header of its own.
      const title = (r.cells[idx[3]! + 1] ?? '').trim();
      out.push({ soc_code: code, soc_level: LEVELS[level]!, soc_title: title, major_code: major, minor_code: level >= 1 ? minor : '', broad_code: level >= 2 ? broad : '' });
    }
    if (!header) throw new HeaderDriftError(name, wb.sheets[0]!.name, 'Major Group', 'was not found in any row');
    return out;
  });
}

/**
 * OEWS detailed codes that are not SOC 2018 detailed codes, mapped to the SOC detailed codes
 * they stand for. Rule (from the OEWS files and the SOC structure): the code's broad group
 * (itself when it is a SOC broad code, else the code with its last digit set to 0); its SOC
 * detailed codes that OEWS does not publish on their own are the ones it combines.
 */
function mapOewsCodes(structure: SocRow[], oews: Map<string, string>): { oews_code: string; oews_title: string; soc_2018_code: string; soc_2018_title: string; rule: string }[] {
  const detailed = new Map(structure.filter((r) => r.soc_level === 'detailed').map((r) => [r.soc_code, r]));
  const broad = new Set(structure.filter((r) => r.soc_level === 'broad').map((r) => r.soc_code));
  const rows = [];
  const byBroad = new Map<string, string[]>();
  for (const code of [...oews.keys()].sort()) {
    if (detailed.has(code)) continue;
    const group = broad.has(code) ? code : `${code.slice(0, 6)}0`;
    if (!broad.has(group)) throw new CrosswalkError(`OEWS code ${code} (${oews.get(code)}) has no SOC 2018 broad group ${group}`);
    byBroad.set(group, [...(byBroad.get(group) ?? []), code]);
  }
  for (const [group, codes] of byBroad) {
    if (codes.length > 1) throw new CrosswalkError(`OEWS codes ${codes.join(', ')} share broad group ${group}: which detailed codes each combines cannot be derived`);
    const code = codes[0]!;
    const members = [...detailed.values()].filter((d) => d.broad_code === group && !oews.has(d.soc_code));
    if (members.length === 0) throw new CrosswalkError(`OEWS code ${code} combines no unpublished detailed code of broad group ${group}`);
    const rule =
      code === group
        ? `OEWS publishes broad group ${group} in place of its detailed codes`
        : `OEWS combines the detailed codes of broad group ${group} that it does not publish separately`;
    for (const m of members) rows.push({ oews_code: code, oews_title: oews.get(code)!, soc_2018_code: m.soc_code, soc_2018_title: m.soc_title, rule });
  }
  return rows;
}

/** `lmi crosswalks import-soc`: SOC structure workbook (+ OEWS national workbooks) → crosswalks/. */
export async function importSocStructure(structureFile: string, oewsFiles: string[], crosswalksDir: string) {
  const structure = await readStructure(structureFile);
  const oews = new Map<string, string>();
  for (const file of oewsFiles) {
    await readSheetTable({ file, displayName: path.basename(file), specs: OEWS_COLUMNS }, async (rows, columns) => {
      const code = columns.indexOf('occ_code'),
        title = columns.indexOf('occ_title'),
        group = columns.indexOf('o_group');
      for await (const r of rows) if (r[group] === 'detailed') oews.set(r[code]!, r[title]!);
    });
  }
  const map = mapOewsCodes(structure, oews);
  const structureCsv = path.join(crosswalksDir, STRUCTURE_CSV);
  const mapCsv = path.join(crosswalksDir, OEWS_MAP_CSV);
  await writeFileAtomic(structureCsv, Papa.unparse(structure, { newline: '\n' }) + '\n');
  await writeFileAtomic(mapCsv, Papa.unparse(map, { newline: '\n' }) + '\n');
  const counts: Record<string, number> = {};
  for (const l of LEVELS) counts[l] = structure.filter((r) => r.soc_level === l).length;
  counts.oews_codes_mapped = new Set(map.map((m) => m.oews_code)).size;
  const s = await workbookProvenance(structureFile);
  const provenance = {
    structure_workbook: s.workbook,
    structure_sha256: s.sha256,
    oews_workbooks: await Promise.all(oewsFiles.map(async (f) => ({ workbook: path.basename(f), sha256: await sha256File(f) }))),
    counts,
    structure_csv_sha256: await sha256File(structureCsv),
    oews_map_csv_sha256: await sha256File(mapCsv),
    rule: 'An OEWS detailed code that is not a SOC 2018 detailed code stands for the SOC detailed codes of its broad group that OEWS does not publish on their own (the broad group is the code itself when it is a SOC broad code, else the code with its last digit set to 0).',
  };
  await writeJsonAtomic(path.join(crosswalksDir, SOC_PROVENANCE), provenance);
  return provenance;
}

export async function loadSocStructure(ctx: RunContext): Promise<LoadedSource> {
  const p = SocProvenanceSchema.parse(JSON.parse(await readFile(path.join(ctx.crosswalksDir, SOC_PROVENANCE), 'utf8')));
  return loadVendored(ctx, { source, url: 'https://www.bls.gov/soc/2018/soc_structure_2018.xlsx', release: `SOC 2018 (workbook sha256 ${p.structure_sha256.slice(0, 12)})` }, [
    { table: 'raw_soc_structure', csv: STRUCTURE_CSV, expected: { sha256: p.structure_csv_sha256, remake: 'lmi crosswalks import-soc' } },
    { table: 'raw_oews_soc_map', csv: OEWS_MAP_CSV, expected: { sha256: p.oews_map_csv_sha256, remake: 'lmi crosswalks import-soc' } },
    // Hand-written, with its reasoning beside it.
    { table: 'raw_hybrid_codes', csv: HYBRID_CSV },
  ]);
}

/** The SOC 2018 structure and the OEWS codes mapped to it (crosswalks/). */
export const socStructureDataset: Dataset<LoadedSource> = {
  ...vendored('soc_structure', loadSocStructure),
  importer: {
    command: 'import-soc',
    description: 'import the BLS SOC 2018 structure workbook, and map OEWS codes that are not SOC detailed codes (from OEWS national workbooks)',
    arguments: [
      { name: 'structure', description: 'soc_structure_2018.xlsx' },
      { name: 'oews...', description: 'OEWS national workbooks (national_M<year>_dl.xlsx)' },
    ],
    run: async ([structure, ...oews], dir) => JSON.stringify((await importSocStructure(structure!, oews, dir)).counts),
  },
};

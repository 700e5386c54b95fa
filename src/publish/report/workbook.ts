import { rename, rm } from 'node:fs/promises';
import { setZipEntryDates } from './zip-dates.js';
import { XlsxWriter, type XlsxValue } from './xlsx-writer.js';
import { ident } from '../../load/warehouse.js';
import { SnapshotReader } from '../snapshot-reader.js';
import { publishedTables } from '../tables.js';
import { tempPathFor } from '../../fsutil.js';
import type { Manifest } from '../manifest.js';

/** Sheets and the snapshot tables (and columns) they show. */
/**
 * The workbook's sheets. `optional`: only when the snapshot's table has rows (a dataset the run
 * may leave out). `extra`: columns computed beside the table's own, by SQL over the snapshot's
 * files (`t` is the sheet's table; $name binds the file of the table of that name).
 */
export const WORKBOOK_SHEETS: {
  sheet: string;
  table: string;
  columns?: string[];
  extra?: { name: string; sql: string; files: string[] }[];
  order: string;
  where?: string;
  optional?: boolean;
}[] = [
  { sheet: 'Cluster demand', table: 'cluster_demand', order: 'area_code, framework, cluster' },
  { sheet: 'Sub-cluster demand', table: 'subcluster_demand', order: 'area_code, framework, cluster, sub_cluster' },
  {
    sheet: 'Occupations',
    table: 'occupations',
    order: 'area_code, soc_code',
    // Its 2024 Career Clusters, as occupation_clusters lists them.
    extra: [
      {
        name: 'clusters',
        sql: "(SELECT string_agg(DISTINCT c.cluster, '; ' ORDER BY c.cluster) FROM read_parquet($occupation_clusters) c WHERE c.framework = '2024' AND c.soc_code = t.soc_code)",
        files: ['occupation_clusters'],
      },
    ],
    columns: [
      'area_code',
      'soc_code',
      'soc_title',
      'employment',
      'employment_flag',
      'annual_wage_median',
      'annual_wage_median_flag',
      'annual_openings',
      'projected_change_pct',
      'typical_education',
      'high_wage',
      'high_skill',
      'in_demand',
      'high_opportunity',
      'bright_outlook',
      'opportunity_reasons',
    ],
  },
  // One row per program with the nation's figures: per area it is 100k rows for every state,
  // which csv/programs.csv and the programs pages hold (a workbook of that size is slow to
  // write and to open).
  {
    sheet: 'Programs',
    table: 'programs',
    order: 'cip_code',
    where: "area_type = 'national'",
    columns: [
      'cip_code',
      'cip_title',
      'clusters',
      'sub_clusters',
      'occupation_codes',
      'occupations',
      'employment',
      'annual_openings',
      'median_annual_wage',
      'median_annual_wage_flag',
      'high_opportunity_occupations',
      'occupations_with_unknown_opportunity',
    ],
  },
  // Supply against demand per area and cluster (snapshots with the supply tables).
  {
    sheet: 'Supply and demand',
    table: 'cluster_supply_demand',
    order: 'area_code, cluster, sub_cluster NULLS FIRST, education_level',
    optional: true,
  },
  // The history of national releases (runs with --history) and the industry view (--industries).
  { sheet: 'History', table: 'cluster_history', order: 'release, framework, cluster', optional: true },
  { sheet: 'Industries', table: 'cluster_industry_demand', order: 'area_code, framework, cluster, sub_cluster NULLS FIRST, naics_sector', optional: true },
];

/** The words the report's pages use for a column, where they differ from the column's name in words. */
const COLUMN_LABELS: Record<string, string> = {
  area_code: 'area code',
  soc_code: 'SOC code',
  soc_title: 'occupation',
  cip_code: 'CIP code',
  cip_title: 'program',
  employment: 'jobs (all who work in it)',
  employment_allocated: 'jobs (each person once)',
  annual_openings: 'annual openings',
  annual_openings_allocated: 'annual openings (each opening once)',
  median_annual_wage: 'median wage',
  annual_wage_median: 'median annual wage',
  high_opportunity_occupations: 'high-opportunity occupations',
  occupations_with_suppressed_wages: 'occupations with unpublished wages',
  naics_sector: 'NAICS sector',
  naics_title: 'NAICS sector title',
  sub_cluster: 'sub-cluster',
};

/** A column's heading in the workbook: the page's words for it ("median wage"), else its name in words. */
export function columnLabel(column: string): string {
  return (
    COLUMN_LABELS[column] ??
    column
      .replaceAll('_', ' ')
      .replace(/\bpct\b/, '%')
      .replace(/\bsoc\b/, 'SOC')
  );
}

function numberFormat(column: string, type: string): string | undefined {
  if (!/INT|DECIMAL|DOUBLE|FLOAT/.test(type)) return undefined;
  // A wage in dollars (annual_wage_median, median_annual_wage), not a count of occupations with suppressed wages.
  if (/(^|_)wage(_|$)/.test(column)) return '"$"#,##0';
  if (/_share$/.test(column)) return '0.0%';
  if (/_per_opening$/.test(column)) return '0.00';
  if (/_pct$/.test(column)) return '0.0';
  return '#,##0';
}

export async function writeDemandWorkbook(snapshotDir: string, file: string, manifest: Manifest): Promise<void> {
  const tmp = tempPathFor(file);
  const created = new Date(manifest.created_at);
  const db = await SnapshotReader.open(snapshotDir);
  let wb: XlsxWriter | undefined;
  try {
    wb = new XlsxWriter(tmp, { creator: 'career-clusters-lmi', created });
    const described: { sheet: string; table: string; columns: { name: string; type: string }[] }[] = [];
    // An optional sheet's table may be missing from an older snapshot (lmi report rebuilds them too).
    // The manifest counts each table's rows (an older snapshot's may lack the table).
    const sheets = WORKBOOK_SHEETS.filter((spec) => !spec.optional || (manifest.tables[spec.table]?.rows ?? 0) > 0);
    for (const spec of sheets) {
      const all = await db.all<{ column_name: string; column_type: string }>('DESCRIBE SELECT * FROM read_parquet($file)', { file: db.file(spec.table) });
      // A column an older snapshot lacks is left out (lmi report rebuilds older snapshots' reports too).
      const columns = (spec.columns ?? all.map((c) => c.column_name))
        .filter((name) => all.some((c) => c.column_name === name))
        .map((name) => ({ name, type: all.find((c) => c.column_name === name)!.column_type }));
      // The computed columns go after the table's key columns (the area and the occupation).
      for (const e of spec.extra ?? []) columns.splice(3, 0, { name: e.name, type: 'VARCHAR' });
      described.push({ sheet: spec.sheet, table: spec.table, columns });
    }
    // The sheets' headings are the page's words; README says which table column each one is.
    const readme = wb.addSheet('README', [
      { header: 'sheet', width: 20 },
      { header: 'column', width: 36 },
      { header: 'field', width: 30 },
      { header: 'meaning', width: 120 },
    ]);
    readme.addRow([null, 'snapshot', null, `${manifest.snapshot_id}, made ${manifest.created_at}`]);
    for (const s of manifest.sources) readme.addRow([null, `source: ${s.source}`, null, `${s.release} — ${s.url} (sha256 ${s.sha256.slice(0, 12)})`]);
    for (const a of manifest.attribution) readme.addRow([null, 'attribution', null, a]);
    readme.addRow([null, 'Programs sheet', null, "The nation's figures for each program; every area's are in csv/programs.csv and on the report's programs pages."]);
    readme.addRow([null, 'empty cells', null, 'An empty number is one BLS did not publish (the flag column beside it says why); it is never zero.']);
    const meaning = (table: string, column: string) =>
      publishedTables()[table]?.columns[column] ?? (column === 'clusters' ? 'The 2024 Career Clusters the occupation belongs to (occupation_clusters).' : '');
    for (const d of described) for (const c of d.columns) readme.addRow([d.sheet, columnLabel(c.name), c.name, meaning(d.table, c.name)]);
    for (const [i, spec] of sheets.entries()) {
      const { columns } = described[i]!;
      const ws = wb.addSheet(
        spec.sheet,
        columns.map((c) => ({
          header: columnLabel(c.name),
          width: Math.min(60, Math.max(10, columnLabel(c.name).length + 2, /title|name|cluster|reasons|education/.test(c.name) ? 34 : 0)),
          numFmt: numberFormat(c.name, c.type),
        })),
      );
      // Lists become "a; b" text; decimals become numbers; everything else as DuckDB gives it.
      const extra = new Map((spec.extra ?? []).map((e) => [e.name, e]));
      const select = columns
        .map((c) =>
          extra.has(c.name)
            ? `${extra.get(c.name)!.sql} AS ${ident(c.name)}`
            : c.type.endsWith('[]')
              ? `array_to_string(${ident(c.name)}, '; ') AS ${ident(c.name)}`
              : /DECIMAL/.test(c.type)
                ? `${ident(c.name)}::DOUBLE AS ${ident(c.name)}`
                : ident(c.name),
        )
        .join(', ');
      // Streamed a DuckDB chunk at a time: memory holds one chunk, not the sheet.
      const files = Object.fromEntries((spec.extra ?? []).flatMap((e) => e.files.map((t) => [t, db.file(t)])));
      for await (const row of db.streamRows(`SELECT ${select} FROM read_parquet($file) t ${spec.where ? `WHERE ${spec.where}` : ''} ORDER BY ${spec.order}`, {
        file: db.file(spec.table),
        ...files,
      }))
        ws.addRow(row as XlsxValue[]);
    }
    wb.close();
    // Same snapshot, same bytes: every entry dated with the snapshot's own time.
    await setZipEntryDates(tmp, created);
    await rename(tmp, file);
  } finally {
    wb?.abort();
    db.close();
    await rm(tmp, { force: true });
  }
}

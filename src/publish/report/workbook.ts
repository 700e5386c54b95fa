import { rename, rm } from 'node:fs/promises';
import { setZipEntryDates } from './zip-dates.js';
import { XlsxWriter, type XlsxValue } from './xlsx-writer.js';
import { ident } from '../../load/warehouse.js';
import { SnapshotReader } from '../snapshot-reader.js';
import { publishedTables } from '../tables.js';
import { tempPathFor } from '../../fsutil.js';
import type { Manifest } from '../manifest.js';

/** Sheets and the snapshot tables (and columns) they show. */
export const WORKBOOK_SHEETS: { sheet: string; table: string; columns?: string[]; order: string; where?: string; optional?: boolean }[] = [
  { sheet: 'Cluster demand', table: 'cluster_demand', order: 'area_code, framework, cluster' },
  { sheet: 'Sub-cluster demand', table: 'subcluster_demand', order: 'area_code, framework, cluster, sub_cluster' },
  {
    sheet: 'Occupations',
    table: 'occupations',
    order: 'area_code, soc_code',
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
    ],
  },
  // Supply against demand per area and cluster (snapshots with the supply tables).
  {
    sheet: 'Supply and demand',
    table: 'cluster_supply_demand',
    order: 'area_code, cluster, sub_cluster NULLS FIRST, education_level',
    optional: true,
  },
];

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
    const sheets = WORKBOOK_SHEETS.filter((spec) => !spec.optional || db.has(spec.table));
    for (const spec of sheets) {
      const all = await db.all<{ column_name: string; column_type: string }>('DESCRIBE SELECT * FROM read_parquet($file)', { file: db.file(spec.table) });
      const columns = (spec.columns ?? all.map((c) => c.column_name)).map((name) => ({ name, type: all.find((c) => c.column_name === name)!.column_type }));
      described.push({ sheet: spec.sheet, table: spec.table, columns });
    }
    const readme = wb.addSheet('README', [
      { header: 'sheet', width: 20 },
      { header: 'column', width: 36 },
      { header: 'meaning', width: 120 },
    ]);
    readme.addRow([null, 'snapshot', `${manifest.snapshot_id}, made ${manifest.created_at}`]);
    for (const s of manifest.sources) readme.addRow([null, `source: ${s.source}`, `${s.release} — ${s.url} (sha256 ${s.sha256.slice(0, 12)})`]);
    for (const a of manifest.attribution) readme.addRow([null, 'attribution', a]);
    readme.addRow([null, 'Programs sheet', "The nation's figures for each program; every area's are in csv/programs.csv and on the report's programs pages."]);
    readme.addRow([null, 'empty cells', 'An empty number is one BLS did not publish (the _flag column beside it says why); it is never zero.']);
    for (const d of described) for (const c of d.columns) readme.addRow([d.sheet, c.name, publishedTables()[d.table]?.columns[c.name] ?? '']);
    for (const [i, spec] of sheets.entries()) {
      const { columns } = described[i]!;
      const ws = wb.addSheet(
        spec.sheet,
        columns.map((c) => ({
          header: c.name,
          width: Math.min(60, Math.max(10, c.name.length + 2, /title|name|cluster|reasons|education/.test(c.name) ? 34 : 0)),
          numFmt: numberFormat(c.name, c.type),
        })),
      );
      // Lists become "a; b" text; decimals become numbers; everything else as DuckDB gives it.
      const select = columns
        .map((c) =>
          c.type.endsWith('[]')
            ? `array_to_string(${ident(c.name)}, '; ') AS ${ident(c.name)}`
            : /DECIMAL/.test(c.type)
              ? `${ident(c.name)}::DOUBLE AS ${ident(c.name)}`
              : ident(c.name),
        )
        .join(', ');
      // Streamed a DuckDB chunk at a time: memory holds one chunk, not the sheet.
      for await (const row of db.streamRows(`SELECT ${select} FROM read_parquet($file) ${spec.where ? `WHERE ${spec.where}` : ''} ORDER BY ${spec.order}`, {
        file: db.file(spec.table),
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

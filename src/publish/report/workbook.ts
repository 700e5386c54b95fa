// demand.xlsx: one workbook for the whole snapshot (every area in each sheet, with an area
// column and filters) rather than one per area: a board shares one file, and filtering by area
// in Excel beats opening 55 files. Written by exceljs's streaming writer, then every zip entry is
// dated with the snapshot's own time so the same snapshot gives the same bytes.
// Text goes in as text cells (never formulas), so nothing from a downloaded file can run.
import { rename, rm } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { setZipEntryDates } from './zip-dates.js';
import { Warehouse, ident } from '../../load/warehouse.js';
import { TABLE_DOCS } from '../columns.js';
import { tempPathFor } from '../../fsutil.js';
import type { Manifest } from '../snapshot.js';

/** Sheets and the snapshot tables (and columns) they show. */
export const WORKBOOK_SHEETS: { sheet: string; table: string; columns?: string[]; order: string; where?: string }[] = [
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
];

function numberFormat(column: string, type: string): string | undefined {
  if (!/INT|DECIMAL|DOUBLE|FLOAT/.test(type)) return undefined;
  if (/wage/.test(column)) return '"$"#,##0';
  if (/_share$/.test(column)) return '0.0%';
  if (/_pct$/.test(column)) return '0.0';
  return '#,##0';
}

export async function writeDemandWorkbook(snapshotDir: string, file: string, manifest: Manifest): Promise<void> {
  const tmp = tempPathFor(file);
  const created = new Date(manifest.created_at);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: false });
  wb.creator = 'career-clusters-lmi';
  wb.lastModifiedBy = 'career-clusters-lmi';
  wb.created = created;
  wb.modified = created;
  const db = await Warehouse.open(':memory:', { small: true });
  try {
    const readme = wb.addWorksheet('README', { views: [{ state: 'frozen', ySplit: 1 }] });
    readme.columns = [
      { header: 'sheet', key: 'sheet', width: 20 },
      { header: 'column', key: 'column', width: 36 },
      { header: 'meaning', key: 'meaning', width: 120 },
    ];
    readme.addRow({ sheet: '', column: 'snapshot', meaning: `${manifest.snapshot_id}, made ${manifest.created_at}` }).commit();
    for (const s of manifest.sources) readme.addRow({ sheet: '', column: `source: ${s.source}`, meaning: `${s.release} — ${s.url} (sha256 ${s.sha256.slice(0, 12)})` }).commit();
    for (const a of manifest.attribution) readme.addRow({ sheet: '', column: 'attribution', meaning: a }).commit();
    readme
      .addRow({ sheet: '', column: 'Programs sheet', meaning: "The nation's figures for each program; every area's are in csv/programs.csv and on the report's programs pages." })
      .commit();
    readme.addRow({ sheet: '', column: 'empty cells', meaning: 'An empty number is one BLS did not publish (the _flag column beside it says why); it is never zero.' }).commit();
    const described: { sheet: string; table: string; columns: { name: string; type: string }[] }[] = [];
    for (const spec of WORKBOOK_SHEETS) {
      const all = await db.all<{ column_name: string; column_type: string }>('DESCRIBE SELECT * FROM read_parquet($file)', { file: `${snapshotDir}/${spec.table}.parquet` });
      const columns = (spec.columns ?? all.map((c) => c.column_name)).map((name) => ({ name, type: all.find((c) => c.column_name === name)!.column_type }));
      described.push({ sheet: spec.sheet, table: spec.table, columns });
      for (const c of columns) readme.addRow({ sheet: spec.sheet, column: c.name, meaning: TABLE_DOCS[spec.table]?.columns[c.name] ?? '' }).commit();
    }
    readme.commit();
    for (const [i, spec] of WORKBOOK_SHEETS.entries()) {
      const { columns } = described[i]!;
      const ws = wb.addWorksheet(spec.sheet, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
      ws.columns = columns.map((c) => ({
        header: c.name,
        key: c.name,
        width: Math.min(60, Math.max(10, c.name.length + 2, /title|name|cluster|reasons|education/.test(c.name) ? 34 : 0)),
      }));
      // One style object per column, shared by all its cells (an empty one for text): exceljs caches
      // a cell's style by object identity, and the fresh copy each cell otherwise gets costs a
      // full style lookup per cell (half the workbook's time at 100k rows).
      const styles = columns.map((c) => (numberFormat(c.name, c.type) ? { numFmt: numberFormat(c.name, c.type)! } : {}));
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
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
        file: `${snapshotDir}/${spec.table}.parquet`,
      })) {
        const r = ws.addRow(row);
        for (const [i, style] of styles.entries()) r.getCell(i + 1).style = style;
        r.commit();
      }
      ws.commit();
    }
    await wb.commit();
    // Same snapshot, same bytes: every entry dated with the snapshot's own time.
    await setZipEntryDates(tmp, created);
    await rename(tmp, file);
  } finally {
    db.close();
    await rm(tmp, { force: true });
  }
}

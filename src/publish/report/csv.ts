// Each table as CSV (UTF-8, header row) for people who live in spreadsheets. A text value that
// a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
// written with a leading apostrophe, as OWASP advises for CSV injection.
import { Warehouse, ident } from '../../load/warehouse.js';

export const CSV_TABLES = ['cluster_demand', 'subcluster_demand', 'occupations', 'programs', 'coverage', 'areas'] as const;

export async function writeCsvTables(snapshotDir: string, outDir: string): Promise<void> {
  const db = await Warehouse.open(':memory:', { small: true });
  try {
    for (const table of CSV_TABLES) {
      const files = { source: `${snapshotDir}/${table}.parquet`, target: `${outDir}/${table}.csv` };
      const columns = await db.all<{ column_name: string; column_type: string }>('DESCRIBE SELECT * FROM read_parquet($source)', { source: files.source });
      const select = columns
        .map(({ column_name: name, column_type: type }) => {
          const c = ident(name);
          if (type.endsWith('[]')) return type.startsWith('STRUCT') ? `CAST(${c} AS VARCHAR) AS ${c}` : `array_to_string(${c}, '; ') AS ${c}`;
          if (type.startsWith('STRUCT')) return `CAST(${c} AS VARCHAR) AS ${c}`;
          if (type === 'VARCHAR') return `CASE WHEN regexp_matches(${c}, '^[=+\\-@\\t\\r]') THEN '''' || ${c} ELSE ${c} END AS ${c}`;
          return c;
        })
        .join(', ');
      await db.run(`COPY (SELECT ${select} FROM read_parquet($source)) TO $target (FORMAT csv, HEADER true)`, files);
    }
  } finally {
    db.close();
  }
}

// Each table as CSV (UTF-8 with a byte-order mark, header row) for people who live in
// spreadsheets; BI tools read the Parquet. The mark makes Excel read UTF-8 (else "2020–2030" is
// garbled); a code with leading zeros or a dot (area 01, CIP 01.0000) is written ="01", which
// Excel shows as the text 01 instead of the number 1. A text value that a spreadsheet would run
// as a formula (starting with = + - @, a tab or a carriage return) is written with a leading
// apostrophe, as OWASP advises for CSV injection.
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { tempPathFor } from '../../fsutil.js';
import { ident } from '../../load/warehouse.js';
import { SnapshotReader } from '../snapshot-reader.js';

/** A text a spreadsheet would run as a formula: the CSV files here and the pages' CSV downloads (html.ts) quote it. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** Code columns whose leading zeros a spreadsheet would drop. */
const CODE_COLUMNS = new Set(['area_code', 'state_fips', 'cip_code', 'naics_sector', 'oews_sector']);

export const CSV_TABLES = ['cluster_demand', 'subcluster_demand', 'occupations', 'programs', 'coverage', 'areas'] as const;

export async function writeCsvTables(snapshotDir: string, outDir: string): Promise<void> {
  const db = await SnapshotReader.open(snapshotDir);
  try {
    for (const table of CSV_TABLES) {
      const files = { source: db.file(table), target: `${outDir}/${table}.csv` };
      const columns = await db.all<{ column_name: string; column_type: string }>('DESCRIBE SELECT * FROM read_parquet($source)', { source: files.source });
      const select = columns
        .map(({ column_name: name, column_type: type }) => {
          const c = ident(name);
          if (type.endsWith('[]')) return type.startsWith('STRUCT') ? `CAST(${c} AS VARCHAR) AS ${c}` : `array_to_string(${c}, '; ') AS ${c}`;
          if (type.startsWith('STRUCT')) return `CAST(${c} AS VARCHAR) AS ${c}`;
          // Only digits and dots go inside ="…": the project's own wrapper, never downloaded text.
          if (type === 'VARCHAR' && CODE_COLUMNS.has(name))
            return `CASE WHEN regexp_full_match(${c}, '0\\d*(\\.\\d+)?|\\d+\\.\\d+') THEN '="' || ${c} || '"' ELSE ${c} END AS ${c}`;
          if (type === 'VARCHAR') return `CASE WHEN regexp_matches(${c}, $formula) THEN '''' || ${c} ELSE ${c} END AS ${c}`;
          return c;
        })
        .join(', ');
      const tmp = tempPathFor(files.target);
      await db.run(`COPY (SELECT ${select} FROM read_parquet($source)) TO $tmp (FORMAT csv, HEADER true)`, { source: files.source, tmp, formula: FORMULA_START.source });
      const out = createWriteStream(files.target);
      out.write('\uFEFF');
      await pipeline(createReadStream(tmp), out);
      await rm(tmp, { force: true });
    }
  } finally {
    db.close();
  }
}

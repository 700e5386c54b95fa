// Columns are found by meaning (a header pattern), never by position, and every value is
// checked as it streams past, so a changed layout or a stray value fails with the file,
// sheet, row and column named instead of turning into a wrong number downstream.
import { DataError, DefinitionError, HeaderDriftError } from '../errors.js';
import { type CsvChunk, sheetCsv } from './sheet-csv.js';
import { columnLetters, type SheetInfo, type SheetRow, withWorkbook, type XlsxWorkbook } from './xlsx.js';

export type ValueKind =
  /** Any text. */
  | 'text'
  /** A plain decimal number as Excel writes it (e.g. 151853870, 32.659999999999997, 1.2E-3). */
  | 'number'
  /** A SOC-style code, XX-XXXX. */
  | 'soc';

export interface ColumnSpec {
  /** Name of the column in our raw table. */
  key: string;
  /** What the publisher calls it; the header cell must match (trimmed, case-insensitive). */
  header: RegExp;
  /** Human name for error messages (the publisher's usual header). */
  label: string;
  kind: ValueKind;
  /** Missing column is an error (true) or the raw column is left NULL (false). Default true. */
  required?: boolean;
  /** Text markers that may stand in place of a number (e.g. OEWS `*`, `#`; EP `—`, `>=$239,200`). */
  markers?: RegExp;
}

export interface MappedHeader {
  /** Header row number in the sheet. */
  row: number;
  /** Source column index per spec (undefined for an absent optional column). */
  index: (number | undefined)[];
  /** The header texts as found, by column index. */
  cells: (string | null)[];
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const SOC = /^\d{2}-\d{4}$/;

/** A pattern as DuckDB's regexp_full_match reads it (RE2): the patterns here use nothing RE2 lacks. */
function re2(re: RegExp): string {
  if (re.flags !== '' && re.flags !== 'i') throw new DefinitionError(`pattern ${re} has flags RE2 cannot take`);
  return (re.flags === 'i' ? '(?i)' : '') + re.source;
}

/**
 * checkValue as SQL: TRUE where the (trimmed, non-empty) value in `column` is not what `spec`
 * accepts. Its patterns are bound: `params` gets them under `name`_….
 */
export function invalidValueSql(spec: ColumnSpec, column: string, name: string, params: Record<string, string>): string {
  if (spec.kind === 'text') return 'false';
  params[`${name}_kind`] = re2(spec.kind === 'number' ? NUMBER : SOC);
  const marker = spec.markers ? ` AND NOT regexp_full_match(${column}, $${name}_marker)` : '';
  if (spec.markers) params[`${name}_marker`] = re2(spec.markers);
  return `(${column} IS NOT NULL AND NOT regexp_full_match(${column}, $${name}_kind)${marker})`;
}

export function normalizeHeader(s: string | null): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

export function mapHeader(file: string, sheet: string | undefined, header: SheetRow, specs: readonly ColumnSpec[]): MappedHeader {
  const texts = header.cells.map(normalizeHeader);
  const index = specs.map((spec) => {
    const hits = texts.flatMap((t, i) => (spec.header.test(t) ? [i] : []));
    if (hits.length > 1)
      throw new HeaderDriftError(file, sheet, spec.label, `matches ${hits.length} header cells (${hits.map((i) => `${columnLetters(i)} "${texts[i]}"`).join(', ')}); expected one`);
    if (hits.length === 0 && spec.required !== false)
      throw new HeaderDriftError(file, sheet, spec.label, `is missing from the header in row ${header.row} (found: ${texts.filter(Boolean).join(', ')})`);
    return hits[0];
  });
  return { row: header.row, index, cells: header.cells };
}

export function checkValue(file: string, sheet: string | undefined, row: number, spec: ColumnSpec, value: string | null, col: number): string | null {
  if (value === null) return null;
  const v = value.trim();
  if (v === '') return null;
  if (spec.kind === 'text') return v;
  if (spec.markers?.test(v)) return v;
  if (spec.kind === 'number' && NUMBER.test(v)) return v;
  if (spec.kind === 'soc' && SOC.test(v)) return v;
  const expected = spec.kind === 'number' ? `a number${spec.markers ? ` or a marker matching ${spec.markers}` : ''}` : 'a code like 11-1011';
  throw new DataError(file, row, `${spec.label} (${columnLetters(col)})`, `${JSON.stringify(value)} is not ${expected}`, sheet);
}

export interface SheetTableOptions {
  file: string;
  /** Name shown in errors (the file's base name is clearer than a cache path). */
  displayName: string;
  sheet?: string | RegExp;
  /** The columns, or a function that builds them from the header row (e.g. when headers carry years). */
  specs: readonly ColumnSpec[] | ((header: SheetRow) => readonly ColumnSpec[]);
  /** Which row is the header: the first row for which this returns true. Default: the first row. */
  isHeader?: (row: SheetRow) => boolean;
  /** Rows to keep (after the header); others are skipped before validation (e.g. footnotes). */
  keepRow?: (cells: (string | null)[], get: (key: string) => string | null) => boolean;
}

export interface SheetTable {
  header: MappedHeader;
  sheetName: string;
  rows: number;
}

/**
 * Rows for a sink, read once, in one of three ways: one at a time; in batches, an await per
 * batch; or (where the sheet's rows are not filtered by keepRow) as CSV lines read straight from
 * the sheet's bytes, which is what bulk loads use.
 */
export interface RowSource extends AsyncIterable<(string | null)[]> {
  batches(): AsyncIterable<(string | null)[][]>;
  /** The same rows as CSV lines: the values, then the source row number. */
  csv?: () => AsyncIterable<CsvChunk>;
}

/** A RowSource over batches (read once), and `csv` where the rows can also be read as CSV. */
export function rowSource(batches: AsyncIterable<(string | null)[][]>, csv?: () => AsyncIterable<CsvChunk>): RowSource {
  return {
    batches: () => batches,
    csv,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches) yield* batch;
    },
  };
}

/**
 * Stream a sheet as validated rows, one value per spec plus the source row number last,
 * to `sink` (usually Warehouse.loadTextRows).
 */
export async function readSheetTable<T>(
  opts: SheetTableOptions,
  sink: (rows: RowSource, columns: string[], header: MappedHeader) => Promise<T>,
): Promise<{ result: T; header: MappedHeader; sheetName: string }> {
  return withWorkbook(
    opts.file,
    async (wb) => {
      const sheet = wb.sheet(opts.sheet);
      const batches = wb.rowBatches(sheet)[Symbol.asyncIterator]();
      let header: MappedHeader | undefined;
      let specs: readonly ColumnSpec[] = [];
      // The rows after the header in the batch that holds it.
      let rest: SheetRow[] = [];
      while (!header) {
        const next = await batches.next();
        if (next.done) break;
        const at = next.value.findIndex((r) => !opts.isHeader || opts.isHeader(r));
        if (at < 0) continue;
        specs = typeof opts.specs === 'function' ? opts.specs(next.value[at]!) : opts.specs;
        header = mapHeader(opts.displayName, sheet.name, next.value[at]!, specs);
        rest = next.value.slice(at + 1);
      }
      if (!header) throw new HeaderDriftError(opts.displayName, sheet.name, '(header)', 'was not found: no header row in the sheet');
      const h = header;
      const keyIndex = new Map(specs.map((s, i) => [s.key, h.index[i]]));
      const get = (cells: (string | null)[], key: string) => {
        const i = keyIndex.get(key);
        return i === undefined ? null : (cells[i] ?? null);
      };
      const n = specs.length;
      async function* validated(): AsyncGenerator<(string | null)[][]> {
        for (let batch = rest; ; ) {
          const out: (string | null)[][] = [];
          for (const { row, cells } of batch) {
            if (opts.keepRow && !opts.keepRow(cells, (key) => get(cells, key))) continue;
            const values: (string | null)[] = new Array(n + 1);
            for (let k = 0; k < n; k++) {
              const i = h.index[k];
              values[k] = i === undefined ? null : checkValue(opts.displayName, sheet.name, row, specs[k]!, cells[i] ?? null, i);
            }
            values[n] = String(row);
            out.push(values);
          }
          if (out.length) yield out;
          const next = await batches.next();
          if (next.done) return;
          batch = next.value;
        }
      }
      // The byte reader maps each sheet column to one field: not for rows filtered by code, nor
      // where two columns are read from one sheet column.
      const mapped = h.index.filter((i) => i !== undefined);
      const csv =
        opts.keepRow || new Set(mapped).size !== mapped.length
          ? undefined
          : async function* () {
              await batches.return?.(undefined);
              yield* csvLines(wb, sheet, h, specs, opts.displayName);
            };
      const result = await sink(rowSource(validated(), csv), [...specs.map((s) => s.key), 'source_row'], header);
      return { result, header, sheetName: sheet.name };
    },
    opts.displayName,
  );
}

/** The data rows below `header` as CSV lines, read from the sheet's bytes (sheetCsv) and checked as checkValue checks them. */
async function* csvLines(wb: XlsxWorkbook, sheet: SheetInfo, header: MappedHeader, specs: readonly ColumnSpec[], displayName: string): AsyncGenerator<CsvChunk> {
  const fieldOfColumn: number[] = [];
  header.index.forEach((col, k) => {
    if (col !== undefined) fieldOfColumn[col] = k;
  });
  const { bytes, shared } = await wb.openSheet(sheet);
  yield* sheetCsv(
    bytes,
    shared,
    { file: displayName, sheet: sheet.name },
    {
      fieldOfColumn: Array.from(fieldOfColumn, (k) => k ?? -1),
      fields: specs.length,
      headerRow: header.row,
      // A plain number is its own checked value in text and number columns (checkValue).
      numbersPass: specs.map((s) => s.kind !== 'soc'),
      check: (k, value, row, col) => checkValue(displayName, sheet.name, row, specs[k]!, value, col),
    },
  );
}

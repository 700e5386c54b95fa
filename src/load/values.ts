// The one conversion of DuckDB's values to what the project hands on: JSON-safe values (DuckDB's
// own JSON conversion), with whole numbers (BIGINT and wider, which it gives as strings) as JS
// numbers where they fit exactly, else left as strings.

const WHOLE_NUMBER_TYPES = new Set(['BIGINT', 'HUGEINT', 'UBIGINT', 'UHUGEINT']);
const EXACT = /^-?\d{1,15}$/;

/** The positions of a result's BIGINT-like columns, found once per result (not once per value: results can hold 100k rows). */
export function wholeNumberColumns(types: readonly { toString(): string }[]): number[] {
  return types.flatMap((t, i) => (WHOLE_NUMBER_TYPES.has(t.toString()) ? [i] : []));
}

/** A whole number given as a string, as a JS number where it fits exactly. */
export const wholeNumber = (v: unknown): unknown => (typeof v === 'string' && EXACT.test(v) ? Number(v) : v);

/** `row`'s whole-number columns (positions, or names for row objects) converted in place. */
export function convertWholeNumbers<R extends unknown[] | Record<string, unknown>>(row: R, columns: readonly (number | string)[]): R {
  const r = row as Record<string | number, unknown>;
  for (const c of columns) r[c] = wholeNumber(r[c]);
  return row;
}

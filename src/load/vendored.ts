// Loading the tables the project vendors in crosswalks/: each CSV is checked against the
// sha256 its provenance file recorded when `lmi crosswalks …` made it (a hand edit is refused),
// loaded as a raw table, and described for the manifest.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedSource, RunContext } from '../context.js';
import { CrosswalkError } from '../errors.js';
import { sha256File, sha256Text } from '../fsutil.js';
import { CSV_BUFFER_BYTES, ident, lit } from './warehouse.js';

export interface VendoredTable {
  /** Raw table to create. */
  table: string;
  /** CSV file name in crosswalks/. */
  csv: string;
  /** sha256 the provenance recorded, and the command that remakes the file; unchecked when absent (hand-written tables). */
  expected?: { sha256: string; remake: string };
  /** Column types, when not every column is text. Default: all VARCHAR. */
  columns?: Record<string, string>;
}

export interface VendoredSource {
  source: string;
  url: string;
  release: string;
  /** When the underlying official file was last modified, if known. */
  modified?: string;
}

export async function loadVendored(ctx: RunContext, describe: VendoredSource, tables: VendoredTable[]): Promise<LoadedSource> {
  const hashes: string[] = [];
  let bytes = 0;
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const file = path.join(ctx.crosswalksDir, t.csv);
    const sha = await sha256File(file);
    if (t.expected && sha !== t.expected.sha256)
      throw new CrosswalkError(`${file}: its sha256 does not match its provenance file; re-run \`${t.expected.remake}\` instead of editing it by hand`);
    const options = t.columns
      ? `auto_detect = false, columns = {${Object.entries(t.columns)
          .map(([c, type]) => `${lit(c)}: ${lit(type)}`)
          .join(', ')}}`
      : 'all_varchar = true';
    await ctx.warehouse.run(`CREATE OR REPLACE TABLE ${ident(t.table)} AS SELECT * FROM read_csv($file, header = true, ${options}, buffer_size = ${CSV_BUFFER_BYTES})`, { file });
    counts[t.table] = Number(await ctx.warehouse.scalar(`SELECT count(*) FROM ${ident(t.table)}`));
    hashes.push(sha);
    bytes += (await readFile(file)).length;
  }
  return {
    provenance: {
      source: describe.source,
      url: describe.url,
      requested_url: tables.map((t) => `crosswalks/${t.csv}`).join(' '),
      bytes,
      // One hash over all the tables, so a change to any of them counts as a changed input.
      sha256: hashes.length === 1 ? hashes[0]! : sha256Text(hashes.join(' ')),
      fetched_at: describe.modified ?? '',
      outcome: 'not_modified',
      release: describe.release,
    },
    tables: counts,
    facts: {},
  };
}

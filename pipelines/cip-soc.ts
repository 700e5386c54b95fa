// The NCES/BLS CIP 2020 – SOC 2018 crosswalk: which occupations each program of study prepares
// for, as the two agencies matched them (many-to-many, no weights). It links completions to the
// openings of the occupations a program leads to. Its placeholders are not matches: SOC
// `99-9999` ("NO MATCH") and CIP `99.xxxx`; staging leaves them out and coverage counts them.
import { acquire, type Acquired, type LoadedSource, type RunContext } from '../src/context.js';
import { readSheetTable, type ColumnSpec } from '../src/extract/columns.js';
import type { Dataset } from './dataset.js';

export const source = 'cip_soc';
export const CIP_SOC_URL = 'https://nces.ed.gov/ipeds/cipcode/Files/CIP2020_SOC2018_Crosswalk.xlsx';
const SHEET = 'CIP-SOC';

/** When to check: the crosswalk changes with a new CIP or SOC edition, years apart. */
export const schedule = { cron: '0 6 1 * *', why: 'monthly, on the 1st at 06:00: the crosswalk changes with a new CIP or SOC edition' };

const COLUMNS: ColumnSpec[] = [
  { key: 'cip_code', header: /^CIP2020Code$/i, label: 'CIP2020Code', kind: 'text' },
  { key: 'cip_title', header: /^CIP2020Title$/i, label: 'CIP2020Title', kind: 'text' },
  { key: 'soc_code', header: /^SOC2018Code$/i, label: 'SOC2018Code', kind: 'text' },
  { key: 'soc_title', header: /^SOC2018Title$/i, label: 'SOC2018Title', kind: 'text' },
];

export async function loadCipSoc(ctx: RunContext, acquired: Acquired): Promise<LoadedSource> {
  const { result: rows } = await readSheetTable(
    { file: acquired.fetched.file, displayName: `${acquired.provenance.url} (sheet ${SHEET})`, sheet: SHEET, specs: COLUMNS },
    (stream, columns) => ctx.warehouse.loadTextRows('raw_cip_soc', columns, stream, ctx.workDir),
  );
  return { provenance: acquired.provenance, tables: { raw_cip_soc: rows }, facts: {} };
}

/** The NCES CIP 2020 – SOC 2018 crosswalk (fetched). */
export const cipSocDataset: Dataset<Acquired> = {
  name: source,
  kind: 'fetched',
  schedule,
  urls: () => [{ source, release: 'CIP 2020 – SOC 2018', url: CIP_SOC_URL }],
  acquire: (ctx) => acquire(ctx, source, CIP_SOC_URL, 'xlsx', 'CIP 2020 – SOC 2018'),
  provenance: (a) => [a.provenance],
  load: async (ctx, a) => [await loadCipSoc(ctx, a)],
};

// BLS Employment Projections, Table 1.10 of occupation.xlsx: occupational separations and
// openings. Most openings come from replacing workers who leave an occupation (labor force
// exits and transfers to other occupations), not from growth; program designers plan for both.
// The same workbook as ./employment-projections.ts (the fetcher requests it once per run);
// this dataset reads another table of it into raw_ep_separations, and its SQL models
// (sql/staging/30_stg_ep_separations.sql, sql/marts/29_occupation_separations.sql) publish
// occupation_separations.
import { acquire, type Acquired, type LoadedSource, type RunContext } from '../src/context.js';
import type { ColumnSpec } from '../src/extract/columns.js';
import type { Dataset } from './dataset.js';
import { EP_MARKERS, epOccupationUrl, loadMatrixTable } from './employment-projections.js';

const number = (key: string, header: RegExp, label: string): ColumnSpec => ({ key, header, label, kind: 'number', markers: EP_MARKERS });

/** Table 1.10's columns we read (rates are percents; counts are thousands, annual averages). */
export const SEPARATIONS_COLUMNS: ColumnSpec[] = [
  { key: 'title', header: /Matrix title$/i, label: 'National Employment Matrix title', kind: 'text' },
  { key: 'code', header: /Matrix code$/i, label: 'National Employment Matrix code', kind: 'soc' },
  { key: 'occupation_type', header: /^Occupation type$/i, label: 'Occupation type', kind: 'text' },
  number('labor_force_exit_rate', /^Labor force exit rate, .*annual average$/i, 'Labor force exit rate, annual average'),
  number('occupational_transfer_rate', /^Occupational transfer rate, .*annual average$/i, 'Occupational transfer rate, annual average'),
  number('separations_rate', /^Total occupational separations rate, .*annual average$/i, 'Total occupational separations rate, annual average'),
  number('labor_force_exits', /^Labor force exits, .*annual average$/i, 'Labor force exits, annual average'),
  number('occupational_transfers', /^Occupational transfers, .*annual average$/i, 'Occupational transfers, annual average'),
  number('separations', /^Total occupational separations, .*annual average$/i, 'Total occupational separations, annual average'),
  number('openings', /^Occupational openings, .*annual average$/i, 'Occupational openings, annual average'),
];

/** Load Table 1.10 into raw_ep_separations (text, as published); its period is the models' ep_separations_period. */
export async function loadEpSeparations(ctx: RunContext, { fetched, provenance }: Acquired): Promise<LoadedSource> {
  const { rows, period: p } = await loadMatrixTable(ctx, fetched.file, 'Table 1.10', 'raw_ep_separations', () => SEPARATIONS_COLUMNS);
  return {
    provenance: { ...provenance, release: p.label },
    tables: { raw_ep_separations: rows },
    facts: {},
    variables: { ep_separations_period: { type: 'VARCHAR', value: p.label } },
  };
}

export const epSeparationsDataset: Dataset<Acquired> = {
  name: 'ep_separations',
  kind: 'fetched',
  // No schedule of its own: every run reads it, and ep's schedule already watches this file.
  urls: () => [{ source: 'ep_separations', release: 'current', url: epOccupationUrl() }],
  acquire: (ctx) => acquire(ctx, 'ep_separations', epOccupationUrl(), 'xlsx', 'current'),
  provenance: (a) => [a.provenance],
  load: async (ctx, a) => [await loadEpSeparations(ctx, a)],
};

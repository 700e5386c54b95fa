// The hand-written tables the supply side joins (crosswalks/supply_demand.md says where each
// comes from): IPEDS award levels grouped as program designers speak of them, the Employment
// Projections' typical entry education by the same levels, and the balance bands of supply per
// opening. Data, not code: a state that draws its own bands edits the CSV.
import type { LoadedSource, RunContext } from '../src/context.js';
import { loadVendored } from '../src/load/vendored.js';
import { vendored } from './dataset.js';

export const source = 'supply_tables';

export async function loadSupplyTables(ctx: RunContext): Promise<LoadedSource> {
  return loadVendored(ctx, { source, url: 'https://nces.ed.gov/ipeds/', release: 'award levels since 2019-20; project default balance bands' }, [
    { table: 'raw_award_levels', csv: 'ipeds_award_levels.csv' },
    { table: 'raw_ep_education_levels', csv: 'ep_education_levels.csv' },
    { table: 'raw_supply_bands', csv: 'supply_balance_bands.csv' },
  ]);
}

/** Award levels, education levels and balance bands (crosswalks/). */
export const supplyTablesDataset = vendored(source, loadSupplyTables);

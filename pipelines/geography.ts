// States, DC and territories: FIPS code, USPS abbreviation and name (crosswalks/states.csv),
// so areas that only Projections Central covers get the same names and codes as OEWS areas.
import type { LoadedSource, RunContext } from '../src/context.js';
import { loadVendored } from '../src/load/vendored.js';
import { vendored } from './dataset.js';

export const source = 'geography';
export const STATES_CSV = 'states.csv';

export async function loadGeography(ctx: RunContext): Promise<LoadedSource> {
  return loadVendored(ctx, { source, url: 'https://www.census.gov/library/reference/code-lists/ansi.html', release: 'FIPS state codes' }, [
    { table: 'raw_states', csv: STATES_CSV },
  ]);
}

/** State FIPS codes, names and abbreviations (crosswalks/states.csv). */
export const geographyDataset = vendored('geography', loadGeography);

// States, DC and territories: FIPS code, USPS abbreviation and name (crosswalks/states.csv),
// so areas that only Projections Central covers get the same names and codes as OEWS areas.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedSource, RunContext } from '../src/context.js';
import { sha256File } from '../src/fsutil.js';
import { lit } from '../src/load/warehouse.js';

export const source = 'geography';
export const STATES_CSV = 'states.csv';

export async function loadGeography(ctx: RunContext): Promise<LoadedSource> {
  const file = path.join(ctx.crosswalksDir, STATES_CSV);
  await ctx.warehouse.run(
    `CREATE OR REPLACE TABLE raw_states AS SELECT * FROM read_csv(${lit(file)}, header = true, auto_detect = false, columns = {'state_fips': 'VARCHAR', 'state_abbr': 'VARCHAR', 'state_name': 'VARCHAR', 'area_type': 'VARCHAR'})`,
  );
  return {
    provenance: {
      source,
      url: 'https://www.census.gov/library/reference/code-lists/ansi.html',
      requested_url: `crosswalks/${STATES_CSV}`,
      bytes: (await readFile(file)).length,
      sha256: await sha256File(file),
      fetched_at: '',
      cache: 'fresh',
      release: 'FIPS state codes',
    },
    tables: { raw_states: Number(await ctx.warehouse.scalar('SELECT count(*) FROM raw_states')) },
    facts: {},
  };
}

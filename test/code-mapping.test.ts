// Unit tests for the mapping every number passes through: a data row's code → the SOC 2018
// detailed codes it stands for, on the real vendored tables through the real staging models
// (sql/staging/04_stg_soc_structure.sql, 05_stg_code_members.sql). canonicalNames, the other
// crosswalk rule, is tested in policy-units.test.ts.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socStructureDataset } from '../pipelines/soc-structure.js';
import type { RunContext } from '../src/context.js';
import { ModelError } from '../src/errors.js';
import { Warehouse } from '../src/load/warehouse.js';
import { crosswalksDirDefault, SQL_DIR } from '../src/paths.js';
import { silentLog } from './helpers.js';

describe('code mapping (stg_code_members on the vendored SOC tables)', () => {
  let w: Warehouse;
  const members = async (code: string) =>
    w.all<{ soc_2018_code: string; code_kind: string }>('SELECT soc_2018_code, code_kind FROM stg_code_members WHERE code = $code ORDER BY soc_2018_code', { code });

  beforeAll(async () => {
    w = await Warehouse.open(':memory:');
    const ctx = { warehouse: w, crosswalksDir: crosswalksDirDefault(), log: silentLog } as unknown as RunContext;
    await socStructureDataset.acquire(ctx, undefined as never);
    for (const model of ['04_stg_soc_structure.sql', '05_stg_code_members.sql']) await w.runSqlFile(path.join(SQL_DIR, 'staging', model));
  });
  afterAll(() => w.close());

  it('a SOC 2018 detailed code stands for itself', async () => {
    expect(await members('29-1141')).toEqual([{ soc_2018_code: '29-1141', code_kind: 'soc_2018_detailed' }]);
  });

  it('an OEWS aggregate stands for the detailed codes OEWS folds into it', async () => {
    expect(await members('13-1020')).toEqual(['13-1021', '13-1022', '13-1023'].map((c) => ({ soc_2018_code: c, code_kind: 'oews_aggregate' })));
  });

  it('a SOC broad code used as data stands for every detailed code of its group', async () => {
    expect(await members('11-2030')).toEqual(['11-2032', '11-2033'].map((c) => ({ soc_2018_code: c, code_kind: 'soc_broad' })));
  });

  it('a 2019-2020 hybrid stands for the SOC 2018 codes its title names', async () => {
    expect(await members('15-1256')).toEqual(['15-1252', '15-1253'].map((c) => ({ soc_2018_code: c, code_kind: 'hybrid' })));
  });

  it('every code has one kind, and every member is a SOC 2018 detailed code', async () => {
    expect(await w.all('SELECT code FROM stg_code_members GROUP BY code HAVING count(DISTINCT code_kind) > 1')).toEqual([]);
    expect(
      await w.all(
        "SELECT m.soc_2018_code FROM stg_code_members m LEFT JOIN stg_soc_structure s ON s.soc_code = m.soc_2018_code AND s.soc_level = 'detailed' WHERE s.soc_code IS NULL",
      ),
    ).toEqual([]);
    // 867 SOC 2018 detailed occupations, each its own member.
    expect(await w.scalar("SELECT count(*) FROM stg_code_members WHERE code_kind = 'soc_2018_detailed'")).toBe(867);
  });

  it('an unknown code maps to nothing (it shows as unmapped, never guessed)', async () => {
    expect(await members('99-9999')).toEqual([]);
  });
});

describe('a SQL model that fails', () => {
  it('is a ModelError naming the model file and DuckDB’s reason (the CLI prints it as one line, not "unexpected error")', async () => {
    const w = await Warehouse.open(':memory:');
    try {
      // dim_area reads staging tables this empty warehouse does not have.
      const err = await w.runSqlFile(path.join(SQL_DIR, 'intermediate', '01_dim_area.sql')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelError);
      expect((err as Error).message).toMatch(/^sql\/intermediate\/01_dim_area\.sql: Catalog Error: Table with name \w+ does not exist/);
      expect((err as Error).message).not.toContain('\n');
    } finally {
      w.close();
    }
  });
});

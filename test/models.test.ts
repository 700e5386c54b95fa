// The model runner (src/transform/models.ts): what each model of sql/ waits for, and models run
// side by side on two connections.
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../src/errors.js';
import { Warehouse } from '../src/load/warehouse.js';
import { SQL_DIR } from '../src/paths.js';
import { modelGraph, runModels, SQL_STAGES } from '../src/transform/models.js';
import { PriorityLimit } from '../src/promises.js';
import { publishedTables } from '../src/publish/tables.js';
import { LoadProgress } from '../src/load/progress.js';

/** The models of a stage's layers (SQL_STAGES), in the runner's order, by file name. */
const graphOf = async (layers: readonly string[]) => {
  const files = (await Promise.all(layers.map(async (layer) => (await readdir(path.join(SQL_DIR, layer))).filter((f) => f.endsWith('.sql')).map((file) => ({ layer, file })))))
    .flat()
    .sort((a, b) => a.file.localeCompare(b.file));
  return modelGraph(await Promise.all(files.map(async ({ layer, file }) => ({ file, sql: await readFile(path.join(SQL_DIR, layer, file), 'utf8') }))));
};

describe('modelGraph on the real models', () => {
  it('a mart waits for the models whose tables and macros it reads, and only for earlier ones', async () => {
    const marts = await graphOf(SQL_STAGES.marts);
    const waitsFor = (file: string) => marts.find((m) => m.file === file)!.after;
    expect(waitsFor('11_programs.sql')).toEqual(expect.arrayContaining(['01_dim_area.sql', '04_occupations.sql']));
    expect(waitsFor('07_demand.sql')).toEqual(expect.arrayContaining(['04_occupations.sql', '06_cluster_allocation.sql']));
    expect(waitsFor('01_dim_area.sql')).toEqual([]);
    for (const [i, m] of marts.entries()) for (const f of m.after) expect(marts.findIndex((x) => x.file === f)).toBeLessThan(i);
  });

  it('each staging model names the raw tables and variables it reads, with those of the macros it calls', async () => {
    const staging = await graphOf(SQL_STAGES.staging);
    const inputsOf = (file: string) => staging.find((m) => m.file === file)!.inputs;
    expect(inputsOf('02_stg_oews.sql').rawTables).toContain('raw_oews');
    expect(inputsOf('03_stg_employment_projections.sql')).toMatchObject({
      rawTables: expect.arrayContaining(['raw_ep']),
      variables: expect.arrayContaining(['ep_base_year', 'ep_proj_year']),
    });
    const graph = modelGraph([
      { file: '00_m.sql', sql: "CREATE OR REPLACE MACRO top_code() AS getvariable('top_code');" },
      { file: '01_a.sql', sql: 'CREATE OR REPLACE TABLE a AS SELECT top_code() AS t FROM raw_a;' },
    ]);
    expect(graph[1]!.inputs).toEqual({ rawTables: ['raw_a'], variables: ['top_code'] });
  });

  it('a staging model waits for the macros it calls (sql/macros/00_staging.sql), a comment naming a table is no dependency', async () => {
    const staging = await graphOf(SQL_STAGES.staging);
    expect(staging.find((m) => m.file === '02_stg_oews.sql')!.after).toContain('00_staging.sql');
    const graph = modelGraph([
      { file: '01_a.sql', sql: 'CREATE OR REPLACE TABLE a AS SELECT 1 AS x;' },
      { file: '02_b.sql', sql: '-- not from a\nCREATE OR REPLACE TABLE b AS SELECT 2 AS x;' },
      { file: '03_c.sql', sql: 'CREATE OR REPLACE TABLE c AS SELECT * FROM a, b;' },
    ]);
    expect(graph.map((m) => [m.file, m.creates, m.after])).toEqual([
      ['01_a.sql', ['a'], []],
      ['02_b.sql', ['b'], []],
      ['03_c.sql', ['c'], ['01_a.sql', '02_b.sql']],
    ]);
  });
});

describe('runModels', () => {
  it('builds independent models on two connections, each seeing the run’s variables, and a model after the ones it reads', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'lmi-models-'));
    const w = await Warehouse.open(':memory:');
    try {
      await writeFile(path.join(folder, '01_a.sql'), "CREATE OR REPLACE TABLE a AS SELECT getvariable('release') AS release, range AS n FROM range(200000);");
      await writeFile(path.join(folder, '02_b.sql'), "CREATE OR REPLACE TABLE b AS SELECT getvariable('release') AS release, 7 AS n;");
      await writeFile(path.join(folder, '03_c.sql'), 'CREATE OR REPLACE TABLE c AS SELECT a.release, sum(a.n) + max(b.n) AS total FROM a, b GROUP BY ALL;');
      await w.setVariables({ release: { type: 'VARCHAR', value: 'May 2024' } });
      const ms = await runModels(w, folder, {}, { connections: 2 });
      expect(Object.keys(ms)).toEqual(['01_a.sql', '02_b.sql', '03_c.sql']);
      expect(await w.all('SELECT release, total FROM c')).toEqual([{ release: 'May 2024', total: 199999 * 100000 + 7 }]);
      expect(await w.scalar('SELECT release FROM b')).toBe('May 2024');
    } finally {
      w.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('throws the first failing model (in name order) as a ModelError, and runs nothing that reads a failed model', async () => {
    const w = await Warehouse.open(':memory:');
    try {
      // An empty warehouse: the staging models find no raw tables.
      const err = await runModels(w, path.join(SQL_DIR, 'staging'), {}, { connections: 2 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelError);
      expect((err as Error).message).toMatch(/^sql\/staging\/01_stg_states\.sql: Catalog Error: Table with name raw_states does not exist/);
      // 12_stg_code_clusters reads stg_code_framework (11), which could not be built.
      expect(await w.all("SELECT table_name FROM duckdb_tables() WHERE table_name IN ('stg_code_framework', 'stg_code_clusters')")).toEqual([]);
    } finally {
      w.close();
    }
  });
});

describe('the run database and the warehouse file', () => {
  it('a table an earlier version left in the file is never read in place of a run table', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lmi-warehouse-'));
    const w = await Warehouse.open(path.join(dir, 'warehouse.duckdb'));
    try {
      // Versions before the run database kept raw_oews in the file.
      await w.run(`CREATE TABLE ${w.persisted('raw_oews')} AS SELECT 'stale' AS area`);
      await w.run("CREATE OR REPLACE TABLE raw_oews AS SELECT 'this run' AS area");
      expect(await w.scalar('SELECT area FROM raw_oews')).toBe('this run');
      // After staging the run drops its raw tables: the name is gone, not the file's old table.
      await w.dropRunTables((t) => !t.startsWith('raw_'));
      const err = await w.scalar('SELECT area FROM raw_oews').catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/Table with name raw_oews does not exist/);
      expect(await w.isPersisted('raw_oews')).toBe(true);
      expect(await w.scalar(`SELECT area FROM ${w.persisted('raw_oews')}`)).toBe('stale');
    } finally {
      w.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a model that runs out of memory', () => {
  it('a model past the cap fails once, as a ModelError naming LMI_DUCKDB_MEMORY, and runs nothing again', async () => {
    // `small`: a 64 MB cap (the message names the cap the warehouse has). An ordered list of 1.5
    // million strings needs more than 128 MB.
    const w = await Warehouse.open(':memory:', { small: true });
    try {
      const err = await w
        .runModel(
          'sql/marts/big.sql',
          "CREATE OR REPLACE TABLE big AS SELECT g, list(x ORDER BY x DESC) AS l FROM (SELECT range % 10 AS g, 'value ' || range::VARCHAR AS x FROM range(1500000)) GROUP BY g",
        )
        .catch((e: Error) => e);
      expect(err).toBeInstanceOf(ModelError);
      expect((err as Error).message).toMatch(
        /^sql\/marts\/big\.sql: Out of Memory Error: .* \(DuckDB's memory cap is LMI_DUCKDB_MEMORY=64MB: raise it, e\.g\. LMI_DUCKDB_MEMORY=2GB\)$/,
      );
      expect(await w.scalar("SELECT current_setting('memory_limit')")).toBe('61.0 MiB');
    } finally {
      w.close();
    }
  });

  it('the default cap is 1GB: a state refresh at 160MB ran out of memory while publishing in 3 runs of 17', async () => {
    const w = await Warehouse.open(':memory:');
    try {
      expect(await w.scalar("SELECT current_setting('memory_limit')")).toBe('953.6 MiB');
    } finally {
      w.close();
    }
  });
});

describe('LoadProgress (staging while the datasets load)', () => {
  it('a model starts once its raw tables and variables are loaded; a failed load fails the models still waiting', async () => {
    const w = await Warehouse.open(':memory:');
    try {
      const [model, other] = modelGraph([
        { file: '01_a.sql', sql: "CREATE OR REPLACE TABLE a AS SELECT *, getvariable('ep_base_year') AS y FROM raw_a;" },
        { file: '02_b.sql', sql: 'CREATE OR REPLACE TABLE b AS SELECT * FROM raw_b;' },
      ]);
      const progress = new LoadProgress(w);
      let started = false;
      const ready = progress.ready(model!).then(() => void (started = true));
      const failed = progress.ready(other!).catch((e: Error) => e.message);
      await w.run('CREATE TABLE raw_a AS SELECT 1 AS n');
      await progress.loaded([]);
      await new Promise((r) => setTimeout(r, 10));
      expect(started).toBe(false); // raw_a is there, its variable not yet
      await progress.loaded([{ provenance: {} as never, tables: {}, facts: {}, variables: { ep_base_year: { type: 'INTEGER', value: 2024 } } }]);
      await ready;
      expect(started).toBe(true);
      progress.end(new Error('the EP workbook could not be read'));
      expect(await failed).toBe('the EP workbook could not be read');
    } finally {
      w.close();
    }
  });
});

describe('variables', () => {
  it('a connection opened before the variables were set reads them too (each sets them before its next query)', async () => {
    const w = await Warehouse.open(':memory:');
    try {
      const other = await w.connect();
      await w.setVariables({ ep_base_year: { type: 'INTEGER', value: 2024 } });
      expect(await other.scalar("SELECT getvariable('ep_base_year')")).toBe(2024);
      await w.setVariables({ ep_base_year: { type: 'INTEGER', value: 2034 }, ep_period: { type: 'VARCHAR', value: '2024–2034' } });
      expect(await other.all("SELECT getvariable('ep_base_year') AS y, getvariable('ep_period') AS p")).toEqual([{ y: 2034, p: '2024–2034' }]);
      expect(await (await w.connect()).scalar("SELECT getvariable('ep_period')")).toBe('2024–2034');
    } finally {
      w.close();
    }
  });
});

describe('loads in the background', () => {
  it('loadTextRows returns once the rows are spooled; loadsOf resolves when they are in the table, and throws a failed INSERT', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lmi-loads-'));
    const w = await Warehouse.open(':memory:');
    try {
      const rows = Array.from({ length: 5000 }, (_, i) => [String(i), `row ${i}`]);
      expect(await w.loadTextRows('raw_a', ['n', 'label'], rows, dir, { background: true })).toBe(5000);
      expect(await w.loadTextRows('raw_a', ['n', 'label'], rows.slice(0, 10), dir, { append: true, background: true })).toBe(10);
      await w.loadsOf('raw_a');
      expect(await w.all('SELECT count(*) AS n, count(DISTINCT n) AS d FROM raw_a')).toEqual([{ n: 5010, d: 5000 }]);
      expect(w.loadsOf('raw_b')).toBeUndefined();
      // Appending to a table never made: the INSERT fails on its own connection, and loadsOf says so.
      await w.loadTextRows('raw_b', ['n'], [['1']], dir, { append: true, background: true });
      await expect(w.loadsOf()).rejects.toThrow(/raw_b/);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      w.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('PriorityLimit (the connection pool’s queue)', () => {
  it('runs at most `size` tasks at once; a freed place goes to the highest priority, the longest waiting first', async () => {
    const limit = new PriorityLimit(1);
    const order: string[] = [];
    let release!: () => void;
    const first = limit.run(() => new Promise<void>((r) => (release = r)).then(() => void order.push('first')));
    const waiting = [
      limit.run(async () => void order.push('low'), 0),
      limit.run(async () => void order.push('high a'), 5),
      limit.run(async () => void order.push('mid'), 2),
      limit.run(async () => void order.push('high b'), 5),
    ];
    expect(order).toEqual([]);
    release();
    await Promise.all([first, ...waiting]);
    expect(order).toEqual(['first', 'high a', 'high b', 'mid', 'low']);
  });
});

describe('table declarations (sql/marts/NN_table.yml)', () => {
  it('a declaration that is wrong is refused with its file and key named', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lmi-marts-'));
    try {
      await cp(path.join(SQL_DIR, 'marts'), dir, { recursive: true });
      expect(Object.keys(publishedTables(dir))).toEqual(Object.keys(publishedTables()));
      await writeFile(path.join(dir, '12_areas.yml'), 'title: Areas\ndescription: x\nkey: [area_code]\ncolumns:\n  area_code: $no_such_line\n');
      expect(() => publishedTables(dir)).toThrow(/^sql\/marts\/12_areas\.yml: columns\.area_code: sql\/marts\/_columns\.yml has no line "no_such_line"$/);
      await writeFile(path.join(dir, '12_areas.yml'), 'title: Areas\nkey: [area_code]\ncolumns: {}\n');
      expect(() => publishedTables(dir)).toThrow(/^sql\/marts\/12_areas\.yml: description: /);
      await writeFile(path.join(dir, '99_nothing.yml'), 'title: t\ndescription: d\nkey: [a]\ncolumns: {}\n');
      await writeFile(path.join(dir, '12_areas.yml'), 'title: Areas\ndescription: x\nkey: [area_code]\ncolumns: {}\n');
      expect(() => publishedTables(dir)).toThrow(/sql\/marts\/99_nothing\.yml: declares a table but sql\/marts\/99_nothing\.sql, the model that builds it, does not exist/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

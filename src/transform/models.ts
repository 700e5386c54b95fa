// Run the SQL models of a stage side by side on several connections, each as soon as the models
// it reads are built. A stage is one or more folders of one numbering (staging: sql/macros and
// sql/staging; marts: sql/intermediate and sql/marts): file name order (01_…, 02_…) across them
// decides what a model may read, only what an earlier file creates.
import { readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ConnectionPool, PRIORITY_FIRST } from '../load/pool.js';
import { readModelSql, type Warehouse } from '../load/warehouse.js';
import { settleAll } from '../promises.js';

/**
 * The SQL layers of each transform stage (sql/…), one numbering per stage: staging reads the raw
 * tables (with the macros every later model may call), marts read staging (the intermediate
 * tables are the marts' building blocks, which the snapshot does not publish).
 */
export const SQL_STAGES = { staging: ['macros', 'staging'], marts: ['intermediate', 'marts'] } as const;

export interface Model {
  /** Its file name, or FOLDER/NAME when the stage has several folders. */
  file: string;
  /** Its path. */
  path?: string;
  sql: string;
  /** The tables, views and macros it creates. */
  creates: string[];
  /** Earlier models it must wait for: those creating a name it uses, or one it creates again. */
  after: string[];
  /** The raw tables it reads (raw_…: what the datasets load) and the variables it reads (getvariable('…')). */
  inputs: { rawTables: string[]; variables: string[] };
}

const CREATED = /\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW|MACRO)\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?/gi;

/**
 * The models of a folder in name order, with what each creates and waits for. A name counts as
 * used wherever it appears outside comments (in FROM, a macro call, a query_table('…') string):
 * waiting too long only costs time, missing a dependency would read an unbuilt table.
 */
export function modelGraph(files: { file: string; sql: string }[]): Model[] {
  const models: Model[] = [];
  for (const { file, sql } of files) {
    const code = sql.replace(/--.*$/gm, '');
    const creates = [...new Set([...code.matchAll(CREATED)].map((m) => m[1]!.toLowerCase()))];
    const words = new Set(code.toLowerCase().match(/\w+/g) ?? []);
    const after = models.filter((m) => m.creates.some((name) => words.has(name))).map((m) => m.file);
    // With those of the earlier models it reads: a macro it calls may read a variable.
    const earlier = models.filter((m) => after.includes(m.file));
    const inputs = {
      rawTables: [...new Set([...[...words].filter((w) => w.startsWith('raw_')), ...earlier.flatMap((m) => m.inputs.rawTables)])],
      variables: [...new Set([...[...code.matchAll(/\bgetvariable\s*\(\s*'(\w+)'/gi)].map((m) => m[1]!), ...earlier.flatMap((m) => m.inputs.variables)])],
    };
    models.push({ file, sql, creates, after, inputs });
  }
  return models;
}

/** Every .sql file of `folders`, in file name order (ties: folder order), with its `{{name}}` placeholders filled from the policy's SQL. */
async function readModels(folders: readonly string[], fragments: Record<string, string>): Promise<Model[]> {
  const files = (await Promise.all(folders.map(async (folder, rank) => (await readdir(folder)).filter((f) => f.endsWith('.sql')).map((name) => ({ folder, name, rank })))))
    .flat()
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.rank - b.rank));
  const named = (f: { folder: string; name: string }) => (folders.length > 1 ? `${path.basename(f.folder)}/${f.name}` : f.name);
  const models = modelGraph(await Promise.all(files.map(async (f) => ({ file: named(f), sql: await readModelSql(path.join(f.folder, f.name), fragments) }))));
  return models.map((m, i) => ({ ...m, path: path.join(files[i]!.folder, files[i]!.name) }));
}

export interface RunModelsOptions {
  /** How many connections (default one per core; DuckDB runs each model on one thread, see Warehouse.open). */
  connections?: number;
  /** Run on this pool instead of one of their own (the publish shares it: see SnapshotDraft). */
  pool?: ConnectionPool;
  /** Told of each table or view once the last model that creates it is built. */
  onBuilt?: (name: string) => void;
  /** Resolves when the model's inputs are ready (staging: the raw tables and variables of datasets still loading). */
  inputsReady?: (model: Model) => Promise<void>;
}

/**
 * Run the models of `folders` (one stage), each when those it waits for are done. The first failure (in name
 * order) is thrown once the models already running have finished; none starts after a failure.
 * Returns each model's milliseconds, by file name.
 */
export async function runModels(
  warehouse: Warehouse,
  folders: string | readonly string[],
  fragments: Record<string, string> = {},
  { connections = availableParallelism(), pool: shared, onBuilt, inputsReady }: RunModelsOptions = {},
): Promise<Record<string, number>> {
  const models = await readModels(typeof folders === 'string' ? [folders] : folders, fragments);
  const pool = shared ?? (await ConnectionPool.open(warehouse, Math.min(connections, models.length)));
  // A name is built when the last model creating it is (a later model may create it again).
  const lastCreator = new Map(models.flatMap((m) => m.creates.map((name) => [name, m.file] as const)));
  const ms: Record<string, number> = {};
  let failed = false;
  const done = new Map<string, Promise<void>>();
  try {
    for (const model of models)
      done.set(
        model.file,
        (async () => {
          await Promise.all(model.after.map((f) => done.get(f)!.catch(() => undefined)));
          if (failed) return;
          try {
            await inputsReady?.(model);
          } catch (err) {
            failed = true;
            throw err;
          }
          if (failed) return;
          // Models go before the publish's work waiting for a connection: they are what it waits for.
          await pool.use(async (w) => {
            if (failed) return;
            const started = performance.now();
            try {
              await w.runModel(model.path!, model.sql);
            } catch (err) {
              failed = true;
              throw err;
            }
            ms[model.file] = Math.round(performance.now() - started);
          }, PRIORITY_FIRST);
          for (const name of model.creates) if (lastCreator.get(name) === model.file) onBuilt?.(name);
        })(),
      );
    await settleAll([...done.values()]);
  } finally {
    if (!shared) pool.close();
  }
  return Object.fromEntries(models.filter((m) => m.file in ms).map((m) => [m.file, ms[m.file]!]));
}

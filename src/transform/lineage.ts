// Where each published table comes from: the model that builds it, the models it reads through
// (staging and marts, transitively) and the raw tables under them, read from the SQL itself
// (modelGraph). The run adds which datasets loaded those raw tables; schema.json and the column
// docs carry the result.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SQL_DIR } from '../paths.js';
import { modelGraph, SQL_STAGES } from './models.js';

export interface TableLineage {
  /** The model that builds it, e.g. "sql/marts/08_cluster_demand.sql". */
  model: string;
  /** Every model it reads through, in build order. */
  upstream_models: string[];
  /** The raw tables (what the datasets load) under them. */
  raw_tables: string[];
}

/** The lineage of every table the models create, by table name (the stages in run order, each in file name order as the runner takes them). */
export function modelLineage(): Record<string, TableLineage> {
  const files = Object.values(SQL_STAGES).flatMap((layers) =>
    layers
      .flatMap((layer, rank) =>
        readdirSync(path.join(SQL_DIR, layer))
          .filter((f) => f.endsWith('.sql'))
          .map((name) => ({ layer, name, rank })),
      )
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.rank - b.rank))
      .map(({ layer, name }) => ({ file: `sql/${layer}/${name}`, sql: readFileSync(path.join(SQL_DIR, layer, name), 'utf8') })),
  );
  const models = modelGraph(files);
  const byFile = new Map(models.map((m) => [m.file, m]));
  const upstream = (file: string, seen = new Set<string>()): Set<string> => {
    for (const f of byFile.get(file)!.after)
      if (!seen.has(f)) {
        seen.add(f);
        upstream(f, seen);
      }
    return seen;
  };
  const order = new Map(models.map((m, i) => [m.file, i]));
  const out: Record<string, TableLineage> = {};
  // The last model creating a name is the one that builds it.
  for (const m of models)
    for (const name of m.creates)
      out[name] = {
        model: m.file,
        upstream_models: [...upstream(m.file)].sort((a, b) => order.get(a)! - order.get(b)!),
        raw_tables: [...m.inputs.rawTables].sort(),
      };
  return out;
}

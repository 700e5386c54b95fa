// Every published table is declared once, in the YAML file beside the model that builds it
// (sql/marts/NN_table.yml beside NN_table.sql, as a dbt project keeps schema.yml beside its
// models): its key, row order, partitioning, title, description and what each column means.
// The snapshot's writes, schema.json and docs, the unique_keys check and the report read them
// from here. sql/marts/_columns.yml holds the column meanings several tables share.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { SQL_DIR } from '../paths.js';
import { modelLineage } from '../transform/lineage.js';

const MARTS_DIR = path.join(SQL_DIR, 'marts');
const SHARED_FILE = '_columns.yml';

const DeclarationSchema = z
  .object({
    title: z.string(),
    description: z.string(),
    /** One row per key (the generated unique_keys check). */
    key: z.array(z.string()).min(1),
    /** Row order of the published files (`ORDER BY {{TABLE_order}}` in its model); default the key. */
    order: z.string().optional(),
    /** Also written as Hive-style partitions by this column (partitioned/TABLE/COLUMN=…/): tables that grow with areas. */
    partition_by: z.string().optional(),
    /** Column → meaning; empty: the line of its name in _columns.yml; "$name": the line called name there. */
    columns: z.record(z.string(), z.string().nullable()),
    /** The list columns ("table.column") it is the flat form of, for BI tools that read no lists. */
    flattens: z.array(z.string()).optional(),
  })
  .strict();

export interface PublishedTable {
  name: string;
  /** The model that builds it, e.g. "sql/marts/08_cluster_demand.sql". */
  model: string;
  title: string;
  description: string;
  key: readonly string[];
  order?: string;
  partitionBy?: string;
  columns: Record<string, string>;
  /** The list columns ("table.column") it is the flat form of. */
  flattens: readonly string[];
}

let cached: Record<string, PublishedTable> | undefined;

function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${path.relative(path.dirname(SQL_DIR), file)}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
}

/** Every published table by name, in the order their models build them (`martsDir`: another folder of marts, for tests). */
export function publishedTables(martsDir = MARTS_DIR): Record<string, PublishedTable> {
  if (cached && martsDir === MARTS_DIR) return cached;
  const files = readdirSync(martsDir).sort();
  const shared = z.record(z.string(), z.string()).parse(readYaml(path.join(martsDir, SHARED_FILE)));
  const tables: Record<string, PublishedTable> = {};
  for (const file of files.filter((f) => /^\d+_\w+\.yml$/.test(f))) {
    const where = `sql/marts/${file}`;
    const parsed = DeclarationSchema.safeParse(readYaml(path.join(martsDir, file)));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ConfigError(`${where}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    }
    const model = file.replace(/\.yml$/, '.sql');
    if (!files.includes(model)) throw new ConfigError(`${where}: declares a table but sql/marts/${model}, the model that builds it, does not exist`);
    const name = file.replace(/^\d+_/, '').replace(/\.yml$/, '');
    const d = parsed.data;
    const columns = Object.fromEntries(
      Object.entries(d.columns).map(([column, text]) => {
        const ref = text === null ? column : text.startsWith('$') ? text.slice(1) : undefined;
        if (ref === undefined) return [column, text!];
        if (shared[ref] === undefined) throw new ConfigError(`${where}: columns.${column}: sql/marts/${SHARED_FILE} has no line "${ref}"`);
        return [column, shared[ref]];
      }),
    );
    tables[name] = {
      name,
      model: `sql/marts/${model}`,
      title: d.title,
      description: d.description,
      key: d.key,
      order: d.order,
      partitionBy: d.partition_by,
      columns,
      flattens: d.flattens ?? [],
    };
  }
  if (martsDir === MARTS_DIR) cached = tables;
  return tables;
}

/** The snapshot's column documentation (docs.md in each snapshot, docs/columns.md here). */
export function docsMarkdown(): string {
  const out = [
    '# Snapshot columns',
    '',
    'Every table is published as Parquet and as JSON (an array of row objects). Numbers are exact: suppressed values are empty (null) with a flag saying why, never zero.',
    '',
  ];
  const lineage = modelLineage();
  for (const [table, doc] of Object.entries(publishedTables())) {
    const l = lineage[table]!;
    out.push(
      `## ${doc.title} (\`${table}\`)`,
      '',
      doc.description,
      '',
      `Built by \`${l.model}\` through ${l.upstream_models.length} models from the raw tables ${l.raw_tables.map((t) => `\`${t}\``).join(', ')} (each snapshot's schema.json names the models and the datasets).`,
      '',
      '| column | meaning |',
      '| --- | --- |',
    );
    for (const [c, d] of Object.entries(doc.columns)) out.push(`| \`${c}\` | ${d.replaceAll('|', '\\|')} |`);
    out.push('');
  }
  return out.join('\n');
}

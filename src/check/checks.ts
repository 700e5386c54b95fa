// Data tests, dbt-style: each .sql file in sql/checks/ returns the rows that break a rule.
// A header comment gives its severity (error blocks publishing; warn is reported).
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CheckDefinitionError, ConfigError } from '../errors.js';
import { ConnectionPool, PRIORITY_FIRST } from '../load/pool.js';
import type { Warehouse } from '../load/warehouse.js';
import { settleAll } from '../promises.js';

export const CheckResultSchema = z.object({
  name: z.string(),
  description: z.string(),
  severity: z.enum(['error', 'warn']),
  params: z.record(z.string(), z.number()),
  status: z.enum(['pass', 'fail']),
  failing_rows: z.number(),
  /** Up to SAMPLE_ROWS of the failing rows, for a person to inspect. */
  sample: z.array(z.record(z.string(), z.unknown())),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** Per-check overrides from the config file, e.g. { "coverage": { "severity": "warn", "params": { "floor_pct": 99 } } }. */
export const CheckConfigSchema = z.record(z.string(), z.object({ severity: z.enum(['error', 'warn']).optional(), params: z.record(z.string(), z.number()).optional() }).strict());
export type CheckConfig = z.infer<typeof CheckConfigSchema>;

export const QualityReportSchema = z.object({
  status: z.enum(['pass', 'warn', 'fail']),
  checks: z.array(CheckResultSchema),
});
export type QualityReport = z.infer<typeof QualityReportSchema>;

/** The largest threshold a check's parameter may be set to (in either sign). */
const MAX_PARAM = 1_000_000;

/** Failing rows kept per check in quality.json. */
export const SAMPLE_ROWS = 50;

/** A check as read from its file, with the run's severity and thresholds applied. */
export interface CompiledCheck {
  name: string;
  description: string;
  severity: 'error' | 'warn';
  params: Record<string, number>;
  /** The query returning the failing rows; its $params are bound when it runs. */
  sql: string;
}

/**
 * Read every check in `folder` and apply the config's overrides. Run before any download, so
 * an unknown check or parameter name fails at once.
 */
export async function loadChecks(folder: string, config: CheckConfig = {}, generated: Record<string, string> = {}): Promise<CompiledCheck[]> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.sql')).sort();
  // Checks made in code (e.g. unique_keys, from the tables' declared keys) read like the files.
  const sources = [
    ...files.map((f) => ({ f, name: f.replace(/\.sql$/, ''), read: () => readFile(path.join(folder, f), 'utf8') })),
    ...Object.entries(generated).map(([name, sql]) => ({ f: `${name} (generated)`, name, read: async () => sql })),
  ].sort((a, b) => a.name.localeCompare(b.name));
  const known = sources.map((s) => s.name);
  const unknown = Object.keys(config).filter((name) => !known.includes(name));
  if (unknown.length) throw new ConfigError(`checks config names unknown checks: ${unknown.join(', ')} (known: ${known.join(', ')})`);
  const checks: CompiledCheck[] = [];
  for (const { f, name, read } of sources) {
    const sql = await read();
    const declared = /--\s*severity:\s*(error|warn)/i.exec(sql)?.[1]?.toLowerCase() as 'error' | 'warn' | undefined;
    if (!declared) throw new CheckDefinitionError(`${f}: needs a "-- severity: error" or "-- severity: warn" line`);
    const { severity: override, params: overrides = {} } = config[name] ?? {};
    const params: Record<string, number> = {};
    for (const m of sql.matchAll(/--\s*param\s+(\w+):\s*([-\d.]+)/g)) params[m[1]!] = Number(m[2]);
    for (const [k, v] of Object.entries(overrides)) {
      if (!(k in params)) throw new ConfigError(`checks config: ${name} has no param "${k}" (it has: ${Object.keys(params).join(', ') || 'none'})`);
      // Thresholds are percentages and counts: a value past a million is a typo, and DuckDB
      // cannot bind every double (1e308 became "bigint out of int64 range" after the whole build).
      if (!Number.isFinite(v) || Math.abs(v) > MAX_PARAM || (k.endsWith('_pct') && v < 0))
        throw new ConfigError(`checks config: ${name}.params.${k} = ${v}: expected a number from ${k.endsWith('_pct') ? 0 : -MAX_PARAM} to ${MAX_PARAM}`);
      params[k] = v;
    }
    const description = sql
      .split('\n')
      .filter((l) => l.startsWith('--') && !/^--\s*(severity|param)\b/i.test(l))
      .map((l) => l.replace(/^--\s?/, ''))
      .join(' ')
      .trim();
    const body = sql.replace(/;\s*$/, '');
    for (const [, p] of body.replace(/--.*$/gm, '').matchAll(/\$(\w+)/g)) if (!(p! in params)) throw new CheckDefinitionError(`${f}: $${p} has no "-- param ${p}:" line`);
    checks.push({ name, description, severity: override ?? declared, params, sql: body });
  }
  return checks;
}

export async function runChecks(warehouse: Warehouse, checks: CompiledCheck[], shared?: ConnectionPool): Promise<QualityReport> {
  // Side by side on the pool's connections (each check reads the run's tables only), before the
  // publish's work waiting on a shared pool: the run waits for them.
  const pool = shared ?? (await ConnectionPool.open(warehouse));
  let results: CheckResult[];
  try {
    results = await settleAll(
      checks.map(({ sql, ...check }) =>
        pool.use(async (w): Promise<CheckResult> => {
          // Bound: the thresholds come from the config file.
          const failing = Number(await w.scalar(`SELECT count(*) FROM (${sql})`, check.params));
          const sample = failing ? await w.all(`SELECT * FROM (${sql}) LIMIT ${SAMPLE_ROWS}`, check.params) : [];
          return { ...check, status: failing ? 'fail' : 'pass', failing_rows: failing, sample };
        }, PRIORITY_FIRST),
      ),
    );
  } finally {
    if (!shared) pool.close();
  }
  const status = results.some((c) => c.status === 'fail' && c.severity === 'error') ? 'fail' : results.some((c) => c.status === 'fail') ? 'warn' : 'pass';
  return { status, checks: results };
}

export function describeFailures(report: QualityReport): string {
  return report.checks
    .filter((c) => c.status === 'fail' && c.severity === 'error')
    .map((c) => `${c.name} (${c.failing_rows} row${c.failing_rows === 1 ? '' : 's'})`)
    .join(', ');
}

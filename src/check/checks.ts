// Data tests, dbt-style: each .sql file in sql/checks/ returns the rows that break a rule.
// A header comment gives its severity (error blocks publishing; warn is reported).
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { Warehouse } from '../load/warehouse.js';

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
export const CheckConfigSchema = z.record(
  z.string(),
  z.object({ severity: z.enum(['error', 'warn']).optional(), params: z.record(z.string(), z.number()).optional() }).strict(),
);
export type CheckConfig = z.infer<typeof CheckConfigSchema>;

export const QualityReportSchema = z.object({
  status: z.enum(['pass', 'warn', 'fail']),
  checks: z.array(CheckResultSchema),
});
export type QualityReport = z.infer<typeof QualityReportSchema>;

/** Failing rows kept per check in quality.json. */
export const SAMPLE_ROWS = 50;

export async function runChecks(warehouse: Warehouse, folder: string, config: CheckConfig = {}): Promise<QualityReport> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.sql')).sort();
  const unknown = Object.keys(config).filter((name) => !files.includes(`${name}.sql`));
  if (unknown.length) throw new ConfigError(`checks config names unknown checks: ${unknown.join(', ')} (known: ${files.map((f) => f.replace(/\.sql$/, '')).join(', ')})`);
  const checks: CheckResult[] = [];
  for (const f of files) {
    const name = f.replace(/\.sql$/, '');
    const sql = await readFile(path.join(folder, f), 'utf8');
    const declared = /--\s*severity:\s*(error|warn)/i.exec(sql)?.[1]?.toLowerCase() as 'error' | 'warn' | undefined;
    if (!declared) throw new Error(`${f}: needs a "-- severity: error" or "-- severity: warn" line`);
    const { severity: override, params: overrides = {} } = config[name] ?? {};
    const params: Record<string, number> = {};
    for (const m of sql.matchAll(/--\s*param\s+(\w+):\s*([-\d.]+)/g)) params[m[1]!] = Number(m[2]);
    for (const [k, v] of Object.entries(overrides)) {
      if (!(k in params)) throw new ConfigError(`checks config: ${name} has no param "${k}" (it has: ${Object.keys(params).join(', ') || 'none'})`);
      params[k] = v;
    }
    const severity = override ?? declared;
    const description = sql
      .split('\n')
      .filter((l) => l.startsWith('--') && !/^--\s*(severity|param)\b/i.test(l))
      .map((l) => l.replace(/^--\s?/, ''))
      .join(' ')
      .trim();
    const body = sql.replace(/;\s*$/, '').replace(/\{\{(\w+)\}\}/g, (m, p: string) => {
      if (!(p in params)) throw new Error(`${f}: ${m} has no "-- param ${p}:" line`);
      return String(params[p]);
    });
    const failing = Number(await warehouse.scalar(`SELECT count(*) FROM (${body})`));
    const sample = failing ? await warehouse.all(`SELECT * FROM (${body}) LIMIT ${SAMPLE_ROWS}`) : [];
    checks.push({ name, description, severity, params, status: failing ? 'fail' : 'pass', failing_rows: failing, sample });
  }
  const status = checks.some((c) => c.status === 'fail' && c.severity === 'error') ? 'fail' : checks.some((c) => c.status === 'fail') ? 'warn' : 'pass';
  return { status, checks };
}

export function describeFailures(report: QualityReport): string {
  return report.checks
    .filter((c) => c.status === 'fail' && c.severity === 'error')
    .map((c) => `${c.name} (${c.failing_rows} row${c.failing_rows === 1 ? '' : 's'})`)
    .join(', ');
}

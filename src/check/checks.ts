// Data tests, dbt-style: each .sql file in sql/checks/ returns the rows that break a rule.
// A header comment gives its severity (error blocks publishing; warn is reported).
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Warehouse } from '../load/warehouse.js';

export const CheckResultSchema = z.object({
  name: z.string(),
  description: z.string(),
  severity: z.enum(['error', 'warn']),
  status: z.enum(['pass', 'fail']),
  failing_rows: z.number(),
  /** Up to SAMPLE_ROWS of the failing rows, for a person to inspect. */
  sample: z.array(z.record(z.string(), z.unknown())),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const QualityReportSchema = z.object({
  status: z.enum(['pass', 'warn', 'fail']),
  checks: z.array(CheckResultSchema),
});
export type QualityReport = z.infer<typeof QualityReportSchema>;

/** Failing rows kept per check in quality.json. */
export const SAMPLE_ROWS = 50;

export async function runChecks(warehouse: Warehouse, folder: string): Promise<QualityReport> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.sql')).sort();
  const checks: CheckResult[] = [];
  for (const f of files) {
    const sql = await readFile(path.join(folder, f), 'utf8');
    const severity = /--\s*severity:\s*(error|warn)/i.exec(sql)?.[1]?.toLowerCase() as 'error' | 'warn' | undefined;
    if (!severity) throw new Error(`${f}: needs a "-- severity: error" or "-- severity: warn" line`);
    const description = sql
      .split('\n')
      .filter((l) => l.startsWith('--') && !/severity:/i.test(l))
      .map((l) => l.replace(/^--\s?/, ''))
      .join(' ')
      .trim();
    const body = sql.replace(/;\s*$/, '');
    const failing = Number(await warehouse.scalar(`SELECT count(*) FROM (${body})`));
    const sample = failing ? await warehouse.all(`SELECT * FROM (${body}) LIMIT ${SAMPLE_ROWS}`) : [];
    checks.push({ name: f.replace(/\.sql$/, ''), description, severity, status: failing ? 'fail' : 'pass', failing_rows: failing, sample });
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
